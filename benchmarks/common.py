"""What the benchmarks share: a throwaway coflow folder, the coflow command, timing whole
processes (wall time, CPU time and peak memory from the operating system), medians."""

from __future__ import annotations

import getpass
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Who acts: the account running the benchmark (coflow records the platform account).
ACTOR = getpass.getuser()

# A small workflow whose first gate is met by two facts, so an advance really moves.
BENCH_WORKFLOW = """\
schema = 1
[workflow]
id = "bench"
version = "1"
title = "Benchmark workflow"
[stages.planning]
title = "Planning"
[[stages.planning.checks]]
id = "sponsor"
type = "fact"
key = "sponsor"
title = "A senior sponsor is named"
[[stages.planning.checks]]
id = "budget"
type = "fact"
key = "budget"
op = ">="
value = 500
title = "Budget for payments"
[stages.delivery]
title = "Delivery"
[[stages.delivery.checks]]
id = "report"
type = "fact"
key = "report_ref"
title = "Board report"
[stages.closed]
title = "Closed"
final = true
"""


def coflow_cmd() -> list[str]:
    """The installed `coflow` script beside this interpreter, else `python -m coflow`."""
    script = Path(sys.executable).parent / "coflow"
    return [str(script)] if script.exists() else [sys.executable, "-m", "coflow"]


def coflow_interpreter() -> str:
    """The interpreter that runs `coflow` (the script's #! line), resolved."""
    cmd = coflow_cmd()
    if cmd[0] == sys.executable:
        return os.path.realpath(sys.executable)
    with open(cmd[0], encoding="utf-8", errors="replace") as fh:
        first = fh.readline().strip()
    return os.path.realpath(first[2:].split()[0]) if first.startswith("#!") else os.path.realpath(sys.executable)


@contextmanager
def coflow_home(store: str | None = None) -> Iterator[Path]:
    """A fresh coflow folder with the benchmark workflow (removed afterwards)."""
    tmp = Path(tempfile.mkdtemp(prefix="coflow-bench-"))
    try:
        home = tmp / "home"
        env = {**os.environ, "COFLOW_ACTOR": ACTOR}
        if store:
            env["COFLOW_STORE"] = store
        subprocess.run([*coflow_cmd(), "init", str(home)], check=True, capture_output=True, env=env)
        (home / "workflows" / "bench.toml").write_text(BENCH_WORKFLOW, encoding="utf-8")
        yield home
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def engine_for(home: Path, store: str | None = None):  # noqa: ANN201 - coflow.engine.Engine
    from coflow import config
    from coflow.engine import Engine

    cfg = config.load(home)
    if store:
        cfg.store = store
    return Engine(cfg)


def run_env(home: Path) -> dict[str, str]:
    """The environment for timed commands: compiled bytecode kept between runs, as for an
    installed coflow (a machine setting PYTHONDONTWRITEBYTECODE would otherwise recompile an
    editable install on every run)."""
    env = {**os.environ, "COFLOW_HOME": str(home), "COFLOW_ACTOR": ACTOR,
           "PYTHONPYCACHEPREFIX": str(home.parent / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0, 1)) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak MiB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {err.decode(errors='replace')[-500:]}")
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return wall, usage.ru_utime + usage.ru_stime, peak


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine_line() -> str:
    """When and where: the date, the Python, the processors."""
    return (f"{time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}, {os.cpu_count()} processors, "
            f"load average {os.getloadavg()[0]:.1f}")


