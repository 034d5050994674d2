"""Project dates, not coflow's: elapsed-time checks read the dates a project records, so
work recorded after it happened is judged by when it happened (through the CLI)."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.datetime.now(dt.timezone.utc).date()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def at_consultation(run) -> str:
    """A consult project moved to its consultation stage today (the planning gate by override)."""
    assert run("new", "c1", "--workflow", "consult").exit_code == 0
    assert run("advance", "c1", "--override", "--reason", "testing dates").exit_code == 0
    assert run("status", "c1", "--json").json()["stage"] == "consultation"
    return "c1"


def open_long_enough(run) -> dict:
    return {c["id"]: c for c in run("check", "c1", "--json").json()["checks"]}["open-long-enough"]


@pytest.fixture
def lead(run, home):
    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[actors.tester]\npermissions = ["override"]\n')
    return run


def test_a_consultation_recorded_after_it_ran_is_judged_by_its_own_dates(lead):
    at_consultation(lead)
    before = open_long_enough(lead)
    assert before["status"] == "fail" and "in this stage for 0 days" in before["message"]
    assert "this workflow asks for at least 28 days" in before["message"]
    assert "coflow record c1 consultation_opened DATE" in before["hint"]
    assert lead("record", "c1", "consultation_opened", ago(60)).exit_code == 0
    assert lead("record", "c1", "consultation_closed", ago(25)).exit_code == 0
    after = open_long_enough(lead)
    assert after["status"] == "pass", after
    assert after["message"] == f"35 days from consultation_opened ({ago(60)}) to consultation_closed ({ago(25)})"


def test_a_consultation_still_open_counts_to_today(lead):
    at_consultation(lead)
    assert lead("record", "c1", "consultation_opened", ago(10)).exit_code == 0
    check = open_long_enough(lead)
    assert check["status"] == "fail"
    assert f"10 days since consultation_opened ({ago(10)})" in check["message"]
    assert f"so not before {ago(-18)}" in check["message"]


def test_too_short_a_recorded_consultation_fails(lead):
    at_consultation(lead)
    assert lead("record", "c1", "consultation_opened", ago(60)).exit_code == 0
    assert lead("record", "c1", "consultation_closed", ago(50)).exit_code == 0
    check = open_long_enough(lead)
    assert check["status"] == "fail" and "10 days from consultation_opened" in check["message"]


@pytest.mark.parametrize("opened, closed, words", [
    (ago(10), ago(20), "is before consultation_opened"),
    ("soon", None, "which is not a date"),
    (ago(-5), None, "which is after today"),
    (ago(40), "yes", "consultation_closed is recorded as yes, which is not a date"),
])
def test_recorded_dates_that_cannot_be_true_fail_naming_the_fact(lead, opened, closed, words):
    at_consultation(lead)
    assert lead("record", "c1", "consultation_opened", opened).exit_code == 0
    if closed:
        assert lead("record", "c1", "consultation_closed", closed).exit_code == 0
    check = open_long_enough(lead)
    assert check["status"] == "fail" and words in check["message"], check
    assert check["hint"].endswith(" DATE")


ELAPSED = """\
schema = 1
[workflow]
id = "dates"
version = "1"
[stages.waiting]
[[stages.waiting.checks]]
id = "long-enough"
type = "elapsed"
min_days = 2
{extra}
[stages.closed]
final = true
"""


@pytest.mark.parametrize("extra, words", [
    ('until_fact = "closed_on"', "until_fact: goes with from_fact"),
    ("from_fact = 3", "from_fact: expected text"),
    ('from_fact = ""', "from_fact: expected text"),
])
def test_bad_date_settings_are_workflow_errors(run, home, extra, words):
    path = home / "workflows" / "dates.toml"
    path.write_text(ELAPSED.format(extra=extra), encoding="utf-8")
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3 and words in (result.stdout + result.stderr), result


def test_without_the_settings_the_time_in_the_stage_counts_as_before(run, home):
    (home / "workflows" / "dates.toml").write_text(ELAPSED.format(extra=""), encoding="utf-8")
    assert run("new", "d1", "--workflow", "dates").exit_code == 0
    assert run("record", "d1", "consultation_opened", ago(60)).exit_code == 0
    check = run("check", "d1", "--json").json()["checks"][0]
    assert check["status"] == "fail" and "in this stage for 0 days" in check["message"]
