"""Shared fixtures: a fresh coflow folder per test, and a CLI runner bound to it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

# PostgreSQL fixtures: pg_target (a real server for the session) and pg_url (an empty schema).
from pg_server import pg_target, pg_url  # noqa: F401

from coflow.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
MINI_WORKFLOW = """\
schema = 1
[workflow]
id = "mini"
version = "1"
title = "Mini workflow"
[roles]
sponsor = { title = "Senior sponsor" }
co-chair = { title = "Lived-experience co-chair", lived_experience = true }
[stages.planning]
title = "Planning"
guidance = "Agree a sponsor and a budget."
[[stages.planning.checks]]
id = "sponsor-named"
type = "fact"
key = "sponsor"
title = "A senior sponsor is named"
hint = "coflow record PROJECT sponsor \\"Dr A. Mensah\\""
[[stages.planning.checks]]
id = "budget"
type = "fact"
key = "budget"
op = ">="
value = 500
title = "Budget for payments"
[[stages.planning.checks]]
id = "dpia"
type = "fact"
key = "dpia_ref"
title = "DPIA reference"
severity = "advisory"
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


class Result:
    def __init__(self, code: int, stdout: str, stderr: str):
        self.exit_code = code
        self.stdout = stdout
        self.stderr = stderr

    def json(self):
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"<Result exit={self.exit_code} stdout={self.stdout[-400:]!r} stderr={self.stderr[-400:]!r}>"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An initialised coflow folder with the mini workflow in workflows/."""
    monkeypatch.delenv("COFLOW_STORE", raising=False)
    monkeypatch.delenv("COFLOW_HOME", raising=False)
    monkeypatch.setenv("COFLOW_ACTOR", "tester")
    folder = tmp_path / "home"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    (folder / "workflows" / "mini.toml").write_text(MINI_WORKFLOW, encoding="utf-8")
    grant_record_for_others(folder)
    return folder


def os_account() -> str:
    """The account these tests run as, from the system's account database."""
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name


# The role the test PostgreSQL server's URL logs in as.
PG_TEST_ROLE, PG_PASSWORD_ROLE = "postgres", "coflow_pw"


def grant_record_for_others(home: Path) -> None:
    """Let the account running the tests (and the test database role) record events for the
    named people the tests act as (COFLOW_ACTOR=tester, --actor amensah): coflow refuses a
    named actor otherwise. Tests of that refusal use a coflow.toml without this grant."""
    config = home / "coflow.toml"
    # dotted keys at the top, so settings and [actors.NAME] tables can still be added after
    lines = "".join(f'actors.{name}.permissions = ["record_for_others"]\n'
                    for name in dict.fromkeys([os_account(), PG_TEST_ROLE, PG_PASSWORD_ROLE]))
    config.write_text(lines + config.read_text(encoding="utf-8"), encoding="utf-8")


@pytest.fixture
def add_to_config(home):
    """Append TOML (such as [actors.NAME] tables) to the home's coflow.toml: add_to_config(text)."""

    def add(text: str) -> None:
        with open(home / "coflow.toml", "a", encoding="utf-8") as config_file:
            config_file.write("\n" + text)

    return add


@pytest.fixture
def run(home):
    """Run coflow in-process against `home`: run("status", "p1", "--json")."""

    def invoke(*args: str, input: str | None = None, actor: str | None = None) -> Result:
        argv = ["--home", str(home)]
        if actor:
            argv += ["--actor", actor]
        result = CliRunner().invoke(cli, [*argv, *args], input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def run_process(home):
    """Run coflow as a real subprocess against `home` (what a user's shell does)."""

    def invoke(*args: str, env: dict | None = None, timeout: float = 60) -> Result:
        full_env = {**os.environ, "COFLOW_ACTOR": "tester", **(env or {})}
        proc = subprocess.run([sys.executable, "-m", "coflow", "--home", str(home), *args],
                              capture_output=True, text=True, env=full_env, timeout=timeout)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return invoke


@pytest.fixture
def p1(run) -> str:
    """Project p1 on the mini workflow (a test file may define its own p1 with more in it)."""
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    return "p1"
