"""Fail closed: a plugin check that raises, hangs, or answers wrongly is an `error` that
blocks the gate, names the plugin and the check, and keeps its traceback in the log file.

These run coflow as a real process: that is where the terminal output and log files are
what a user sees.
"""

from __future__ import annotations

import time

import pytest
from plugin_helpers import set_plugins_dir, write_plugin, write_workflow

BAD_CHECKS = '''
import time
import coflow

def raises(project, params):
    raise ValueError("rates table has no row for 2026")

def hangs(project, params):
    time.sleep(30)
    return coflow.CheckResult(True)

def returns_none(project, params):
    return None

def returns_dict(project, params):
    return {"ok": True}

def returns_vague_result(project, params):
    return coflow.CheckResult("yes")

def exits(project, params):
    raise SystemExit(0)

@coflow.hookimpl
def coflow_register_checks(register):
    for func in (raises, hangs, returns_none, returns_dict, returns_vague_result, exits):
        register(func.__name__, func)
'''


@pytest.fixture
def bad_plugin(home):
    write_plugin(set_plugins_dir(home), "shaky_policy", BAD_CHECKS)
    config = home / "coflow.toml"
    text = config.read_text(encoding="utf-8")
    assert "check_timeout = 10" in text
    config.write_text(text.replace("check_timeout = 10", "check_timeout = 0.5"), encoding="utf-8")
    return home


def start(home, run_process, check_type: str, severity: str = "required"):
    write_workflow(home, check_type, f'severity = "{severity}"')
    assert run_process("new", "p1", "--workflow", "plugged").exit_code == 0


def the_check(result) -> dict:
    (check,) = [c for c in result.json()["checks"] if c["id"] == "dpia"]
    return check


def test_a_check_that_raises_is_an_error_that_blocks_with_its_traceback_in_the_log(bad_plugin, run_process):
    start(bad_plugin, run_process, "raises")
    result = run_process("check", "p1", "--json")
    assert result.exit_code == 1
    check = the_check(result)
    assert check["status"] == "error"
    assert check["message"] == ("the plugin 'shaky_policy' check type 'raises' (check 'dpia') failed: "
                                "ValueError: rates table has no row for 2026")
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    logs = list((bad_plugin / ".coflow" / "logs").glob("coflow-error-*.log"))
    assert logs and str(logs[0]) in check["hint"]
    text = logs[0].read_text()
    assert "Traceback" in text and "rates table has no row for 2026" in text


def test_a_check_that_runs_past_check_timeout_is_an_error(bad_plugin, run_process):
    start(bad_plugin, run_process, "hangs")
    began = time.monotonic()
    result = run_process("check", "p1", "--json")
    assert time.monotonic() - began < 15  # it does not wait for the 30-second sleep
    assert result.exit_code == 1
    check = the_check(result)
    assert check["status"] == "error"
    assert check["message"] == ("the plugin 'shaky_policy' check type 'hangs' (check 'dpia') did not finish "
                                "within 0.5 seconds, so this check cannot be judged")
    assert "check_timeout in coflow.toml" in check["hint"]


@pytest.mark.parametrize("check_type, got", [
    ("returns_none", "returned nothing (None), not a CheckResult"),
    ("returns_dict", "returned dict {'ok': True}, not a CheckResult"),
    ("returns_vague_result", "returned a CheckResult whose ok is 'yes', not True or False"),
])
def test_a_check_that_does_not_return_a_check_result_is_an_error(bad_plugin, run_process, check_type, got):
    start(bad_plugin, run_process, check_type)
    result = run_process("check", "p1", "--json")
    assert result.exit_code == 1
    check = the_check(result)
    assert check["status"] == "error"
    assert check["message"].startswith(f"the plugin 'shaky_policy' check type '{check_type}' (check 'dpia') {got}")


def test_a_check_that_calls_exit_is_an_error_not_the_end_of_the_command(bad_plugin, run_process):
    start(bad_plugin, run_process, "exits")
    result = run_process("check", "p1", "--json")
    assert result.exit_code == 1
    assert the_check(result)["status"] == "error"


def test_advance_is_refused_and_recorded_as_blocked_when_a_check_errors(bad_plugin, run_process):
    start(bad_plugin, run_process, "raises")
    dry = run_process("advance", "p1", "--dry-run", "--json")
    assert dry.exit_code == 1 and dry.json()["advanced"] is False
    result = run_process("advance", "p1", "--json")
    assert result.exit_code == 1 and result.json()["stage"] == "planning"
    history = run_process("history", "p1", "--json").json()
    assert [e["type"] for e in history] == ["created", "blocked"]
    assert history[-1]["data"]["failing"] == ["dpia"]


def test_an_advisory_check_that_errors_is_shown_but_does_not_block(bad_plugin, run_process):
    start(bad_plugin, run_process, "raises", severity="advisory")
    result = run_process("check", "p1", "--json")
    assert the_check(result)["status"] == "error"
    assert result.exit_code == 0 and result.json()["passes"] is True


def test_the_terminal_report_marks_the_error_in_plain_words(bad_plugin, run_process):
    start(bad_plugin, run_process, "returns_none")
    result = run_process("status", "p1")
    assert result.exit_code == 0
    assert "[!] DPIA registered: cannot check" in result.stdout
    assert "returned nothing (None)" in result.stdout
