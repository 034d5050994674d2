"""A stage can require a second account to approve an override (`override_needs_second`):
the first account's override is recorded as a request and moves nothing (exit 1); the same
command from a different operating-system account with the permission completes it."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys

from conftest import MINI_WORKFLOW
from other_user import NOBODY, other_user_prefix, shared_folder

ME = pwd.getpwuid(os.geteuid()).pw_name


def coflow(home, *args: str, as_other: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COFLOW_ACTOR", "COFLOW_STORE", "COFLOW_HOME")}
    prefix = other_user_prefix() if as_other else []
    return subprocess.run([*prefix, sys.executable, "-m", "coflow", "--home", str(home), *args],
                          capture_output=True, text=True, env={**env, "HOME": str(home)}, cwd=str(home), timeout=60)


def test_an_override_needs_a_second_account_and_both_are_kept():
    prefix = other_user_prefix()
    if not prefix:
        import pytest

        pytest.skip("needs a second operating-system account (run the tests as root, with setpriv)")
    other = pwd.getpwuid(NOBODY).pw_name
    home = shared_folder() / "home"
    assert coflow(home.parent, "init", str(home)).returncode == 0
    workflow = MINI_WORKFLOW.replace('guidance = "Agree a sponsor and a budget."',
                                     'guidance = "Agree a sponsor and a budget."\noverride_needs_second = true')
    (home / "workflows" / "mini.toml").write_text(workflow, encoding="utf-8")
    config = home / "coflow.toml"
    config.write_text(f'actors.{ME}.permissions = ["override"]\nactors.{other}.permissions = ["override"]\n'
                      + config.read_text(encoding="utf-8"), encoding="utf-8")
    assert coflow(home, "new", "p1", "--workflow", "mini").returncode == 0
    for path in (home, home / ".coflow", *(home / ".coflow").iterdir()):
        path.chmod(0o777 if path.is_dir() else 0o666)

    first = coflow(home, "advance", "p1", "--override", "--reason", "the board meets before the budget is set")
    assert first.returncode == 1, first.stderr
    assert "Override requested" in first.stdout and "different account" in first.stdout
    again = coflow(home, "advance", "p1", "--override", "--reason", "still the board", "--json")
    assert again.returncode == 1 and json.loads(again.stdout)["override_requested"] is True  # not by the same account

    second = coflow(home, "advance", "p1", "--override", "--reason", "agreed: the board meets first", as_other=True)
    assert second.returncode == 0, second.stderr
    events = json.loads(coflow(home, "history", "p1", "--json").stdout)
    assert [(e["type"], e["account"]) for e in events] == [
        ("created", ME), ("override_requested", ME), ("override_requested", ME), ("advanced", other)]
    override = events[-1]["data"]["override"]
    assert override["reason"] == "agreed: the board meets first"
    assert override["requested"]["account"] == ME and override["requested"]["reason"] == "still the board"
    assert coflow(home, "verify").returncode == 0


def test_override_needs_second_must_be_true_or_false(run, home):
    workflow = MINI_WORKFLOW.replace('guidance = "Agree a sponsor and a budget."',
                                     'guidance = "Agree a sponsor and a budget."\noverride_needs_second = "yes"')
    path = home / "workflows" / "mini.toml"
    path.write_text(workflow, encoding="utf-8")
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3 and "override_needs_second" in result.stderr
