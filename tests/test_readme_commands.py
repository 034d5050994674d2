"""The README's first two commands work on a fresh machine as written.

The "Try it" command is run as a person would paste it, by a shell, in a copy of the source
folder outside this repository, with no virtual environment active: it must make its own
virtual environment, install coflow there and run the demo. (Debian's and Ubuntu's own
Python refuses `pip install` outside one, so a command that skips it fails there.)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def readme_command(label: str) -> str:
    """The one shell line in the ```sh block after the README's **label** paragraph."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"\*\*{re.escape(label)}\*\*.*?```sh\n(.*?)\n```", text, re.DOTALL)
    assert found, f"README.md has no **{label}** command"
    lines = found.group(1).strip().splitlines()
    assert len(lines) == 1, f"the **{label}** command is one line to paste"
    return lines[0]


def without_active_venv() -> dict[str, str]:
    """The environment of a fresh terminal: no virtual environment switched on."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    venv_bins = {str(Path(sys.prefix) / "bin"), str(Path(os.environ.get("VIRTUAL_ENV", sys.prefix)) / "bin")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p not in venv_bins)
    if not shutil.which("python3", path=env["PATH"]):
        pytest.skip("no python3 outside this virtual environment to run the README's command with")
    return env


def test_both_readme_commands_make_and_use_a_virtual_environment():
    for label in ("Try it", "Run the tests"):
        command = readme_command(label)
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && "), command
        assert "pip install" in command
    assert readme_command("Try it").endswith("coflow demo")
    assert "externally-managed-environment" in (REPO / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command_to_the_letter():
    command = readme_command("Run the tests")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci, f".ci/run must run the README's test command as a line of its own: {command}"


@pytest.mark.slow
def test_readme_try_it_command_works_in_a_fresh_copy_outside_the_repository(tmp_path):
    command = readme_command("Try it")
    copy = tmp_path / "coflow-source"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "node_modules", "test-artifacts", "__pycache__", "*.egg-info", ".coflow",
        ".pytest_cache", ".ruff_cache", "build", "dist"))
    env = without_active_venv()
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.pop("COFLOW_HOME", None)
    env.pop("COFLOW_STORE", None)
    proc = subprocess.run(["sh", "-c", command], cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, (proc.stdout[-3000:], proc.stderr[-3000:])
    assert (copy / ".venv" / "bin" / "coflow").is_file(), "coflow was installed into the new virtual environment"
    assert "Advanced carers-hub-demo from 'planning' to 'training'." in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
    # the install is a real one (not this checkout's editable install): its coflow runs from the venv
    where = subprocess.run([str(copy / ".venv" / "bin" / "python"), "-c", "import coflow; print(coflow.__file__)"],
                           capture_output=True, text=True, env=env, timeout=60)
    assert where.returncode == 0 and str(copy / ".venv") in where.stdout, where
