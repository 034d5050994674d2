"""How long does a coflow command take beside starting Python itself? Whole processes, side by side.

Builds a throwaway store of projects (the shipped `coproduction` workflow, its 48 checks),
then runs bare `python -c pass` and `coflow check P`, `status P`, `advance P` and
`record P k v` in turn (so machine noise hits them all alike), each run on another project
so no history grows, and prints each command's median wall time, its median CPU time, and
the ratio of medians to bare Python's. Targets: check and status at most 4x, advance and
record at most 5x.

The baseline must be the interpreter that runs coflow: a ratio against another Python says
nothing. Use a non-editable install (`pip install .`) for figures to quote.

    python benchmarks/startup.py [--runs 20] [--projects 1000] [--small]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from common import (
    ACTOR,
    coflow_cmd,
    coflow_home,
    coflow_interpreter,
    engine_for,
    machine_line,
    median,
    run_env,
    timed,
)


def build(home, projects: int, workflow: str) -> list[str]:
    engine = engine_for(home)
    ids = []
    for i in range(projects):
        pid = f"project-{i:05d}"
        engine.create(pid, workflow, ACTOR)
        engine.record_fact(pid, "sponsor", "Dr A. Example", ACTOR)
        ids.append(pid)
    engine.store.close()
    return ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--workflow", default="coproduction", help="a workflow id or .toml path")
    parser.add_argument("--python", default=sys.executable,
                        help="the baseline interpreter (must be the one that runs coflow)")
    parser.add_argument("--small", action="store_true", help="a quick run that proves the benchmark works")
    args = parser.parse_args()
    if args.small:
        args.runs, args.projects = 2, 10
    baseline, runs_coflow = os.path.realpath(args.python), coflow_interpreter()
    if baseline != runs_coflow:
        raise SystemExit(f"the baseline {baseline} is not the interpreter that runs coflow ({runs_coflow}); "
                         "a ratio against another Python means nothing. Run this script with that Python.")
    with coflow_home() as home:
        t0 = time.perf_counter()
        ids = build(home, max(args.projects, args.runs + 1), args.workflow)
        print(f"{machine_line()}\nbuilt {len(ids)} projects in {time.perf_counter() - t0:.1f} s; "
              f"{args.runs} runs of each, in turn")
        env = run_env(home)
        cases = {
            "python -c pass": lambda i: [args.python, "-c", "pass"],
            "coflow check P": lambda i: [*coflow_cmd(), "check", ids[i]],
            "coflow status P": lambda i: [*coflow_cmd(), "status", ids[i]],
            "coflow advance P": lambda i: [*coflow_cmd(), "advance", ids[i]],
            "coflow record P k v": lambda i: [*coflow_cmd(), "record", ids[i], "budget", "750"],
        }
        for make in cases.values():  # warm the file cache and the compiled bytecode
            timed(make(len(ids) - 1), env)
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for i in range(args.runs):
            for name, make in cases.items():
                wall, cpu, _peak = timed(make(i), env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        base_wall, base_cpu = median(walls["python -c pass"]), median(cpus["python -c pass"])
        print(f"bare Python ({baseline}): median {base_wall * 1000:.1f} ms wall, {base_cpu * 1000:.1f} ms CPU")
        print(f"{'command':<22} {'wall ms':>8} {'ratio':>6} {'CPU ms':>8} {'ratio':>6}")
        for name in cases:
            wall, cpu = median(walls[name]), median(cpus[name])
            print(f"{name:<22} {wall * 1000:>8.1f} {wall / base_wall:>5.1f}x {cpu * 1000:>8.1f} {cpu / base_cpu:>5.1f}x")


if __name__ == "__main__":
    main()
