"""How many durable advances per second, in one process? SQLite (synchronous=FULL), and
PostgreSQL when a server is given.

Each advance is one write transaction committed to disk: the project is read and locked,
its gate judged, the `advanced` event appended and committed. Projects are prepared first
(created, their gate met); then each is advanced once, from `planning` to `delivery`, and
the advances per second are printed, with the same for `record` (one fact per commit) and
the milliseconds one `create` takes (in-process, one commit each), for the benchmark's own
small workflow and for the shipped co-production workflow (8 stages, 50 checks).
Targets: at least 2,000 advances a second on SQLite; a create in at most 2 ms.

The disk's own ceiling is printed first: bare SQLite commits (WAL, synchronous=FULL) of one
small row in each of three tables, as an advance writes to events, projects and snapshots,
in the same folder. A figure only compares across machines beside that ceiling.

    python benchmarks/throughput.py [--projects 2000] [--postgres URL] [--small]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from pathlib import Path

from common import coflow_home, engine_for, machine_line


class Figures:
    """What one store measured."""

    def __init__(self, advances: float, records: float, create_ms: float, shipped_create_ms: float):
        self.advances, self.records = advances, records
        self.create_ms, self.shipped_create_ms = create_ms, shipped_create_ms


def measure(store: str | None, projects: int) -> Figures:
    """Advances and records per second, and milliseconds per create, for one store."""
    with coflow_home(store) as home:
        engine = engine_for(home, store)
        actor = engine.account  # who the store says is writing (the database role for PostgreSQL)
        if engine.project_ids():  # a PostgreSQL database used before: its projects' ids are taken
            raise SystemExit(f"the store {store} already holds projects; give an empty database "
                             f"(the benchmark writes {projects:,} projects to it)")
        ids = [f"p{i:05d}" for i in range(projects)]
        engine.create("first", "bench", actor)  # the first create of a process loads coflow's modules
        t0 = time.perf_counter()
        for pid in ids:
            engine.create(pid, "bench", actor)
        create_ms = (time.perf_counter() - t0) / projects * 1000
        for pid in ids:
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
        # The shipped workflow's creates come last, so the advances meet the same store as ever.
        shipped = ids[:max(1, projects // 4)]
        engine.create("first-coproduction", "coproduction", actor)
        t0 = time.perf_counter()
        for pid in shipped:
            engine.create(f"{pid}-coproduction", "coproduction", actor)
        shipped_create_ms = (time.perf_counter() - t0) / len(shipped) * 1000
        engine.store.close()
    return Figures(advances, records, create_ms, shipped_create_ms)


def disk_commits_per_second(commits: int) -> float:
    """Bare SQLite commits a second on the disk the benchmark uses, three rows each."""
    with tempfile.TemporaryDirectory(prefix="coflow-bench-disk-") as folder:
        conn = sqlite3.connect(Path(folder) / "bare.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        for table in ("a", "b", "c"):
            conn.execute(f"CREATE TABLE {table} (k TEXT, n INTEGER, v TEXT, PRIMARY KEY (k, n)) WITHOUT ROWID")
        t0 = time.perf_counter()
        for i in range(commits):
            conn.execute("BEGIN IMMEDIATE")
            for table in ("a", "b", "c"):
                conn.execute(f"INSERT INTO {table} VALUES (?, ?, ?)", (f"p{(i * 7919) % 1000:05d}", i, "x" * 400))
            conn.execute("COMMIT")
        rate = commits / (time.perf_counter() - t0)
        conn.close()
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--postgres", metavar="URL", help="also measure this PostgreSQL store (an empty database)")
    parser.add_argument("--small", action="store_true", help="a quick run that proves the benchmark works")
    args = parser.parse_args()
    if args.small:
        args.projects = 20
    print(f"{machine_line()}\n{args.projects} projects, each advanced once (one commit each)")
    print(f"{'bare SQLite commits':<26} {disk_commits_per_second(max(args.projects, 200)):>16,.0f}/s   "
          "(three rows each, synchronous=FULL: the disk's ceiling here)")
    stores = {"SQLite (synchronous=FULL)": None}
    if args.postgres:
        stores["PostgreSQL"] = args.postgres
    for name, url in stores.items():
        got = measure(url, args.projects)
        print(f"{name:<26} advance {got.advances:>8,.0f}/s   record {got.records:>8,.0f}/s   "
              f"create {got.create_ms:.2f} ms (shipped co-production workflow {got.shipped_create_ms:.2f} ms)")


if __name__ == "__main__":
    main()
