"""How much slower than starting Python is a coflow command? Ratios, taken side by side.

Builds a throwaway store of 1,000 projects, then runs bare `python -c pass`, `coflow check P`,
`coflow status P` and `coflow advance P` interleaved (so machine noise hits them all alike),
and prints the median of each and its ratio to bare Python. Target: each at most 6x.

    python benchmarks/startup.py [--runs 20] [--projects 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build_store(home: Path, projects: int, workflow: str) -> None:
    """Create `projects` projects straight through the engine (fast, no subprocess each)."""
    from coflow import config
    from coflow.engine import Engine

    subprocess.run([*coflow_cmd(), "init", str(home)], check=True, capture_output=True)
    engine = Engine(config.load(home))
    for i in range(projects):
        pid = f"project-{i:04d}"
        engine.create(pid, workflow, "bench")
        engine.record_fact(pid, "sponsor", "Dr A. Example", "bench")
    engine.store.close()


def coflow_cmd() -> list[str]:
    script = Path(sys.executable).parent / "coflow"
    return [str(script)] if script.exists() else [sys.executable, "-m", "coflow"]


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--workflow", default="coproduction", help="a workflow id or .toml path")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="coflow-bench-"))
    try:
        home = tmp / "home"
        t0 = time.perf_counter()
        build_store(home, args.projects, args.workflow)
        print(f"built a store of {args.projects} projects in {time.perf_counter() - t0:.1f}s")
        # Measure what an installed user gets: compiled bytecode cached between runs (this
        # machine sets PYTHONDONTWRITEBYTECODE, which would recompile coflow on every run of an
        # editable install, for bare Python and coflow alike a different cost).
        env = {**os.environ, "COFLOW_HOME": str(home), "COFLOW_ACTOR": "bench",
               "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        target = f"project-{args.projects // 2:04d}"
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "coflow check P": [*coflow_cmd(), "check", target],
            "coflow status P": [*coflow_cmd(), "status", target],
            "coflow advance P": [*coflow_cmd(), "advance", target],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for cmd in cases.values():  # warm the file cache once
            timed(cmd, env)
        for _ in range(args.runs):
            for name, cmd in cases.items():
                times[name].append(timed(cmd, env))
        base = statistics.median(times["python -c pass"])
        print(f"{'command':<20} {'median ms':>10} {'ratio':>7}")
        for name, samples in times.items():
            med = statistics.median(samples)
            print(f"{name:<20} {med * 1000:>10.1f} {med / base:>6.1f}x")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
