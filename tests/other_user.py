"""Running coflow as a different operating-system account, for honest permission tests.

The tests run as root in CI, and root ignores file permissions, so a "read-only" file is
only read-only for another account. As root, commands run as `nobody` through setpriv;
as anyone else, the permissions already apply to the account running the tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

NOBODY = 65534


def other_user_prefix() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot run coflow as another account")
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def shared_folder() -> Path:
    """A folder every account can reach (pytest's tmp_path is private to the test's account)."""
    folder = Path(tempfile.mkdtemp(prefix="coflow-shared-"))
    folder.chmod(0o755)
    return folder


def run_as_other(home: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**{k: v for k, v in os.environ.items() if k != "COFLOW_ACTOR"}, "HOME": str(home), **(env or {})}
    return subprocess.run([*other_user_prefix(), sys.executable, "-m", "coflow", "--home", str(home), *args],
                          capture_output=True, text=True, env=full_env, timeout=60, cwd=str(home))
