"""Supported means tested: nothing imports a standard module the oldest supported Python
(requires-python's lower bound, 3.10) lacks, and .ci/oldest-python-imports catches one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / ".ci" / "oldest-python-imports"


def run_check(*paths: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("mypy", reason="mypy (in the test extra) knows which Python added each module")
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, paths)], capture_output=True, text=True,
                          timeout=120)


def test_the_repository_imports_nothing_python_3_10_lacks():
    result = run_check()
    assert result.returncode == 0, result.stderr
    assert "import nothing Python 3.10 lacks" in result.stdout


def test_an_import_python_3_10_lacks_fails_naming_file_line_and_version(tmp_path):
    bad = tmp_path / "test_bad.py"
    bad.write_text("import json\nimport tomllib\nfrom tomllib import loads\n", encoding="utf-8")
    result = run_check(bad)
    assert result.returncode == 1
    assert f"{bad}:2: imports tomllib, which Python 3.11 added; coflow supports Python 3.10" in result.stderr
    assert f"{bad}:3: imports tomllib" in result.stderr
    assert ":1:" not in result.stderr  # json is as old as Python 3


def test_an_import_with_a_fallback_for_older_versions_passes(tmp_path):
    good = tmp_path / "guarded.py"
    good.write_text("import sys\n"
                    "if sys.version_info >= (3, 11):\n    import tomllib\nelse:\n    import tomli as tomllib\n"
                    "try:\n    import tomllib as t2\nexcept ImportError:\n    t2 = None\n", encoding="utf-8")
    result = run_check(good)
    assert result.returncode == 0, result.stderr
