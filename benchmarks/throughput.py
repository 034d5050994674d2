"""How many durable advances per second, in one process? SQLite (synchronous=FULL), and
PostgreSQL when a server is given.

Each advance is one write transaction committed to disk: the project is read and locked,
its gate judged, the `advanced` event appended and committed. Projects are prepared first
(created, their gate met); then each is advanced once, from `planning` to `delivery`, and
the advances per second are printed, with the same for `record` (one fact per commit).
Target: at least 2,000 advances a second on SQLite.

    python benchmarks/throughput.py [--projects 2000] [--postgres URL] [--small]
"""

from __future__ import annotations

import argparse
import time

from common import coflow_home, engine_for, machine_line


def measure(store: str | None, projects: int) -> tuple[float, float]:
    """(advances per second, records per second) for one store."""
    with coflow_home(store) as home:
        engine = engine_for(home, store)
        actor = engine.account  # who the store says is writing (the database role for PostgreSQL)
        ids = [f"p{i:05d}" for i in range(projects)]
        for pid in ids:
            engine.create(pid, "bench", actor)
            engine.record_fact(pid, "sponsor", "Dr A. Example", actor)
        t0 = time.perf_counter()
        for pid in ids:
            engine.record_fact(pid, "budget", 750, actor)
        records = projects / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        for pid in ids:
            result = engine.advance(pid, actor)
            if not result.advanced:
                raise SystemExit(f"{pid} did not advance: {[c.id for c in result.report.failing]}")
        advances = projects / (time.perf_counter() - t0)
        engine.store.close()
    return advances, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--postgres", metavar="URL", help="also measure this PostgreSQL store (an empty database)")
    parser.add_argument("--small", action="store_true", help="a quick run that proves the benchmark works")
    args = parser.parse_args()
    if args.small:
        args.projects = 20
    print(f"{machine_line()}\n{args.projects} projects, each advanced once (one commit each)")
    stores = {"SQLite (synchronous=FULL)": None}
    if args.postgres:
        stores["PostgreSQL"] = args.postgres
    for name, url in stores.items():
        advances, records = measure(url, args.projects)
        print(f"{name:<26} advance {advances:>8,.0f}/s   record {records:>8,.0f}/s")


if __name__ == "__main__":
    main()
