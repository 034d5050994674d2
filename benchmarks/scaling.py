"""Does coflow stay fast as things grow? Long histories, and many projects.

History: one project with 10, 1,000 and 10,000 events (recorded facts); the time of
`coflow check P` as a whole process and of an in-process `record` (one fact, committed).
Targets: a check at 10,000 events at most 1.3x a check at 10; a record at most 1.5x.
The sizes are timed in turn (checks, then records, RECORDS_PER_RUN records per run).

Portfolio: stores of 1,000, 10,000 and 100,000 projects; `coflow status` (text and --json)
and `coflow report --all` (Markdown, HTML, JSON) as whole processes, wall time and peak
memory, and how much the peak grew from the smallest store to the largest (both read the
projects a page at a time, so it should hardly grow). Targets: status over 10,000 projects
at most 1 s; status and report --all over 100,000 at most 10 s and 100 MiB each.

Building the larger stores takes minutes (their building is not timed).

    python benchmarks/scaling.py [--events 10,1000,10000] [--projects 1000,10000,100000] [--runs 5] [--small]
"""

from __future__ import annotations

import argparse
import os
import time

from common import ACTOR, coflow_cmd, coflow_home, engine_for, machine_line, median, run_env, timed

RECORDS_PER_RUN = 20  # in-process records are cheap; more of them steady a median the disk makes noisy


def grow(engine, pid: str, events: int) -> None:
    """Bring project `pid` to `events` events, in one transaction per 1,000."""
    from coflow import events as ev

    have = engine.get(pid).seq
    while have < events:
        batch = min(1000, events - have)

        def build(state, view, tx, start=have, n=batch):  # noqa: ANN001, ANN202
            for i in range(n):
                yield ev.FACT_RECORDED, {"key": "note", "value": f"entry {start + i}"}

        engine.change_many(pid, ACTOR, build)
        have += batch


def history(sizes: list[int], runs: int) -> None:
    print("history: one project, `coflow check P` (whole process) and an in-process `record`, "
          "the sizes in turn")
    with coflow_home() as home:
        engine = engine_for(home)
        env = run_env(home)
        pids = {}
        for size in sizes:
            pids[size] = f"h{size}"
            engine.create(pids[size], "bench", ACTOR)
            grow(engine, pids[size], size)
        for size in sizes:
            timed([*coflow_cmd(), "check", pids[size]], env)  # warm
        checks: dict[int, list[float]] = {size: [] for size in sizes}
        records: dict[int, list[float]] = {size: [] for size in sizes}
        for _ in range(runs):  # in turn, so the machine's noise falls on every size alike
            for size in sizes:
                checks[size].append(timed([*coflow_cmd(), "check", pids[size]], env)[0])
        for i in range(runs * RECORDS_PER_RUN):  # a commit waits for the disk: many, in turn
            for size in sizes:
                t0 = time.perf_counter()
                engine.record_fact(pids[size], "extra", i, ACTOR)
                records[size].append(time.perf_counter() - t0)
        base_check, base_record = median(checks[sizes[0]]), median(records[sizes[0]])
        for size in sizes:
            check, record = median(checks[size]), median(records[size])
            print(f"  {size:>7,} events   check {check * 1000:8.1f} ms ({check / base_check:4.2f}x)"
                  f"   record (in-process) {record * 1000:7.2f} ms ({record / base_record:4.2f}x)")
        engine.store.close()


PORTFOLIO_COMMANDS = (("status", ["status"]), ("status --json", ["status", "--json"]),
                      ("report --all", ["report", "--all"]), ("report html", ["report", "--all", "--format", "html"]),
                      ("report json", ["report", "--all", "--json"]))


def portfolio(sizes: list[int], runs: int) -> None:
    print("portfolio: `coflow status` and `coflow report --all` (Markdown, HTML, JSON) over every project "
          "(whole process; output to /dev/null)")
    peaks: dict[str, list[float]] = {}
    with coflow_home() as home:
        engine = engine_for(home)
        engine.store.conn.execute("PRAGMA synchronous = OFF")  # only while building the store
        env = run_env(home)
        have = 0
        for size in sizes:
            t0 = time.perf_counter()
            for i in range(have, size):
                engine.create(f"p{i:06d}", "bench", ACTOR)
            have = size
            built = time.perf_counter() - t0
            print(f"  {size:>7,} projects (store built in {built:.0f} s, load average {os.getloadavg()[0]:.1f})")
            for name, args in PORTFOLIO_COMMANDS:
                timed([*coflow_cmd(), *args], env)  # warm
                samples = [timed([*coflow_cmd(), *args], env) for _ in range(runs)]
                wall = median([s[0] for s in samples])
                peak = max(s[2] for s in samples)
                peaks.setdefault(name, []).append(peak)
                print(f"  {size:>7,} projects   {name:<13} {wall:7.2f} s   peak {peak:6.1f} MiB")
        engine.store.close()
    if len(sizes) > 1:  # streaming: memory should not grow with the number of projects
        print(f"  peak memory at {sizes[-1]:,} projects / at {sizes[0]:,}: "
              + ", ".join(f"{name} {p[-1] / p[0]:.2f}x" for name, p in peaks.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", default="10,1000,10000")
    parser.add_argument("--projects", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--small", action="store_true", help="a quick run that proves the benchmark works")
    args = parser.parse_args()
    if args.small:
        args.events, args.projects, args.runs = "10,50", "5,10", 1
    print(machine_line())
    if args.events:
        history([int(n) for n in args.events.split(",")], args.runs)
    if args.projects:
        portfolio([int(n) for n in args.projects.split(",")], args.runs)


if __name__ == "__main__":
    main()
