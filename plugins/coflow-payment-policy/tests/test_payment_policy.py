"""The payment_policy check type: unit tests with make_view, and gates through the coflow CLI.

The fixtures (coflow_plugin, coflow_workflow, coflow_run) and make_view come from
coflow.testing, which coflow registers as a pytest plugin.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import coflow_payment_policy as policy
import pytest

import coflow
from coflow.testing import make_view

RATE = {"hourly_rate": 25}
TODAY = dt.datetime.now(dt.timezone.utc).date()


def days_ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def session(sid: str, hours: float) -> dict:
    return {"id": sid, "date": days_ago(3), "hours": hours, "paid": True}


def payment(pid: str, person: str, sid: str | None, amount: float, status: str = "paid", age: int = 1) -> dict:
    return {"id": pid, "participant": person, "session": sid, "amount": amount, "status": status,
            "date": days_ago(age)}


# -- the check on its own ---------------------------------------------------------------------


def test_payment_at_the_rate_times_hours_passes():
    view = make_view(sessions=[session("S-001", 2)], payments=[payment("PAY-001", "P-001", "S-001", 50)])
    result = policy.check(view, RATE)
    assert isinstance(result, coflow.CheckResult) and result.ok is True
    assert "all 1 payment meet the £25.00 hourly rate" in result.message


def test_payment_below_the_rate_fails_naming_person_session_and_amounts():
    view = make_view(sessions=[session("S-001", 2)], payments=[payment("PAY-001", "P-001", "S-001", 40)])
    result = policy.check(view, RATE)
    assert result.ok is False
    assert "P-001 for S-001: £40.00 for 2 h, the rate gives £50.00" in result.message
    assert "coflow payment add" in result.hint


def test_two_payments_for_one_session_are_added_up():
    view = make_view(sessions=[session("S-001", 3)],
                     payments=[payment("PAY-001", "P-001", "S-001", 50), payment("PAY-002", "P-001", "S-001", 25)])
    assert policy.check(view, RATE).ok is True
    view = make_view(sessions=[session("S-001", 3)],
                     payments=[payment("PAY-001", "P-001", "S-001", 50), payment("PAY-002", "P-002", "S-001", 25)])
    assert policy.check(view, RATE).ok is False  # different people: neither reaches £75


def test_a_declined_payment_is_respected_not_counted_as_owed():
    view = make_view(sessions=[session("S-001", 2)],
                     payments=[payment("PAY-001", "P-001", "S-001", 0, status="declined")])
    assert policy.check(view, RATE).ok is True


def test_a_payment_without_a_session_is_not_judged_against_the_rate():
    view = make_view(sessions=[session("S-001", 2)], payments=[payment("PAY-001", "P-001", None, 5)])
    assert policy.check(view, RATE).ok is True


def test_a_payment_for_a_session_that_is_not_recorded_fails():
    view = make_view(payments=[payment("PAY-001", "P-001", "S-009", 100)])
    result = policy.check(view, RATE)
    assert result.ok is False and "S-009: that session is not recorded" in result.message


def test_pending_longer_than_the_limit_fails_and_within_it_passes():
    sessions = [session("S-001", 1)]
    late = make_view(sessions=sessions, payments=[payment("PAY-001", "P-001", "S-001", 25, "pending", age=29)])
    result = policy.check(late, {**RATE, "max_pending_days": 28})
    assert result.ok is False and "pending more than 28 days: PAY-001 (29 days)" in result.message
    assert "--status paid" in result.hint
    on_time = make_view(sessions=sessions, payments=[payment("PAY-001", "P-001", "S-001", 25, "pending", age=28)])
    assert policy.check(on_time, {**RATE, "max_pending_days": 28}).ok is True


def test_pending_without_a_date_fails_because_its_wait_cannot_be_told():
    pay = payment("PAY-001", "P-001", None, 25, "pending")
    pay["date"] = None
    result = policy.check(make_view(payments=[pay]), RATE)
    assert result.ok is False and "PAY-001 has no date" in result.message


def test_no_payments_passes_and_says_so():
    result = policy.check(make_view(), RATE)
    assert result.ok is True and "no payments recorded yet" in result.message


def test_long_lists_are_cut_short():
    payments = [payment(f"PAY-{n:03d}", f"P-{n:03d}", "S-001", 1) for n in range(1, 9)]
    result = policy.check(make_view(sessions=[session("S-001", 1)], payments=payments), RATE)
    assert "and 3 more" in result.message


@pytest.mark.parametrize("params, key", [
    ({}, "hourly_rate: missing"),
    ({"hourly_rate": 0}, "hourly_rate: expected a number"),
    ({"hourly_rate": True}, "hourly_rate: expected a number"),
    ({"hourly_rate": "25"}, "hourly_rate: expected a number"),
    ({"hourly_rate": 25, "max_pending_days": -1}, "max_pending_days:"),
    ({"hourly_rate": 25, "max_pending_days": 2.5}, "max_pending_days:"),
    ({"hourly_rate": 25, "currency": ""}, "currency:"),
    ({"hourly_rate": 25, "rate": 30}, "rate: unknown parameter"),
])
def test_validate_names_the_bad_parameter(params, key):
    assert any(problem.startswith(key) for problem in policy.validate(params)), policy.validate(params)


def test_validate_accepts_good_parameters():
    assert policy.validate({"hourly_rate": 22.5, "max_pending_days": 14, "currency": "€"}) == []


# -- through coflow: a workflow gate, the records CLI, workflow validate ---------------------

WORKFLOW = """
schema = 1
[workflow]
id = "paid-involvement"
version = "1"
[stages.delivery]
[[stages.delivery.checks]]
id = "fair-pay"
type = "payment_policy"
hourly_rate = 25
max_pending_days = 28
title = "Payments meet our involvement payment policy"
[stages.closed]
final = true
"""


def test_the_gate_stays_closed_until_the_top_up_is_recorded(coflow_plugin, coflow_workflow, coflow_run):
    coflow_plugin(policy, "payment_policy")
    coflow_workflow(WORKFLOW)
    assert coflow_run("new", "p1", "--workflow", "paid-involvement").exit_code == 0
    assert coflow_run("participant", "add", "p1", "--lived-experience").exit_code == 0
    assert coflow_run("session", "add", "p1", "--date", days_ago(2), "--format", "in-person",
                      "--hours", "2", "--attendee", "P-001", "--paid").exit_code == 0
    assert coflow_run("payment", "add", "p1", "--participant", "P-001", "--session", "S-001",
                      "--amount", "30", "--status", "paid").exit_code == 0
    closed = coflow_run("check", "p1", "--json")
    assert closed.exit_code == 1
    (fair,) = [c for c in closed.json()["checks"] if c["id"] == "fair-pay"]
    assert fair["status"] == "fail" and "£30.00 for 2 h" in fair["message"]
    assert coflow_run("payment", "add", "p1", "--participant", "P-001", "--session", "S-001",
                      "--amount", "20", "--status", "paid").exit_code == 0
    opened = coflow_run("check", "p1", "--json")
    assert opened.exit_code == 0, opened
    assert coflow_run("advance", "p1").exit_code == 0


def test_workflow_validate_rejects_a_missing_rate(coflow_plugin, coflow_workflow, coflow_run):
    coflow_plugin(policy, "payment_policy")
    path = coflow_workflow(WORKFLOW.replace("hourly_rate = 25\n", ""))
    result = coflow_run("workflow", "validate", str(path))
    assert result.exit_code == 3
    assert "stages.delivery.checks[0].hourly_rate" in result.stderr


def test_the_package_declares_the_coflow_entry_point():
    from coflow import toml

    data = toml.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert data["project"]["entry-points"]["coflow"] == {"payment_policy": "coflow_payment_policy"}
