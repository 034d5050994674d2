"""The wheel carries the shipped workflows, so `coflow workflow list` works after `pip install .`,
and py.typed, so plugin authors' type checkers read coflow's annotations."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    """The file names inside the wheel `pip wheel .` builds."""
    pytest.importorskip("hatchling", reason="hatchling (in the test extra) builds the wheel")
    folder = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-q", "-w", str(folder), str(REPO)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    wheel = next(folder.glob("coflow-*.whl"))
    return set(zipfile.ZipFile(wheel).namelist())


@pytest.mark.slow
def test_wheel_contains_every_shipped_workflow(names):
    shipped = {p.name for p in (REPO / "workflows").glob("*.toml")}
    assert shipped, "the repo ships workflows"
    for name in shipped:
        assert f"coflow/shipped_workflows/{name}" in names
    assert "coflow/cli/main.py" in names


@pytest.mark.slow
def test_wheel_ships_py_typed_so_type_checkers_read_coflows_annotations(names):
    assert "coflow/py.typed" in names


@pytest.mark.slow
def test_wheel_ships_the_workflow_schema_for_editors(names):
    assert "coflow/workflow/workflow.schema.json" in names
