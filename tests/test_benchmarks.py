"""The benchmarks run (in their small mode): this proves they work, it times nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def bench(name: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COFLOW_")}
    return subprocess.run([sys.executable, str(BENCH / name), *args], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.mark.slow
def test_the_startup_benchmark_prints_medians_and_ratios_against_bare_python():
    done = bench("startup.py", "--small")
    assert done.returncode == 0, done.stderr
    assert "bare Python (" in done.stdout and "ms wall" in done.stdout
    for name in ("python -c pass", "coflow check P", "coflow status P", "coflow advance P", "coflow record P k v"):
        assert name in done.stdout


def test_the_startup_benchmark_refuses_another_baseline_interpreter():
    done = bench("startup.py", "--small", "--python", "/bin/true")
    assert done.returncode != 0
    assert "is not the interpreter that runs coflow" in done.stderr


@pytest.mark.slow
def test_the_throughput_benchmark_advances_every_project():
    done = bench("throughput.py", "--small")
    assert done.returncode == 0, done.stderr
    assert "SQLite (synchronous=FULL)" in done.stdout and "advance" in done.stdout and "create" in done.stdout
    assert "bare SQLite commits" in done.stdout  # the disk's ceiling, printed beside the figures


@pytest.mark.slow
def test_the_scaling_benchmark_covers_history_and_portfolio():
    done = bench("scaling.py", "--small")
    assert done.returncode == 0, done.stderr
    assert "50 events" in done.stdout and "10 projects" in done.stdout and "report --all" in done.stdout
