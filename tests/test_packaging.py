"""The wheel carries the shipped workflows, so `coflow workflow list` works after `pip install .`."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_contains_every_shipped_workflow(tmp_path):
    pytest.importorskip("hatchling", reason="hatchling (in the test extra) builds the wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-q", "-w", str(tmp_path), str(REPO)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("coflow-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (REPO / "workflows").glob("*.toml")}
    assert shipped, "the repo ships workflows"
    for name in shipped:
        assert f"coflow/shipped_workflows/{name}" in names
    assert "coflow/cli/main.py" in names
