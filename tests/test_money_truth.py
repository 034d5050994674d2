"""Money told truthfully, through the CLI: a pending payment is never called paid, lateness
is counted from the session whatever the status now, a declined payment needs the person's
choice, and an optional hourly rate is met. Old pinned meanings stay for workflows that do
not switch the new rules on."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.datetime.now(dt.timezone.utc).date()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


PAY_WORKFLOW = """\
schema = 1
[workflow]
id = "{id}"
version = "1"
[stages.recognition]
[[stages.recognition.checks]]
id = "people-paid"
type = "payments"
max_pending_days = 30
{extra}
[stages.closed]
final = true
"""


def project_with_paid_session(run, home, wid: str, extra: str, held: int = 40) -> str:
    (home / "workflows" / f"{wid}.toml").write_text(PAY_WORKFLOW.format(id=wid, extra=extra), encoding="utf-8")
    assert run("new", "p1", "--workflow", wid).exit_code == 0
    assert run("participant", "add", "p1", "--lived-experience").exit_code == 0
    assert run("participant", "add", "p1", "--lived-experience").exit_code == 0
    args = ["session", "add", "p1", "--date", ago(held), "--format", "in-person", "--paid", "--hours", "2",
            "--attendee", "P-001", "--attendee", "P-002"]
    assert run(*args).exit_code == 0, run(*args)
    return "p1"


def people_paid(run) -> dict:
    return {c["id"]: c for c in run("check", "p1", "--json").json()["checks"]}["people-paid"]


STRICT = "late_from_session = true\ndeclined_needs_choice = true"


def test_a_pending_payment_is_never_reported_as_paid(run, home):
    project_with_paid_session(run, home, "pay-old", "", held=3)
    assert run("payment", "add", "p1", "--participant", "P-001", "--session", "S-001", "--amount", "30",
               "--status", "paid", "--date", ago(2)).exit_code == 0
    assert run("payment", "add", "p1", "--participant", "P-002", "--session", "S-001", "--amount", "30",
               "--status", "pending", "--date", ago(2)).exit_code == 0
    check = people_paid(run)
    assert check["status"] == "pass"  # pending within the limit still settles, as before
    assert "is paid" not in check["message"]
    assert "still waiting to be paid" in check["message"] and "PAY-002 (P-002, waiting 2 days)" in check["message"]
    report = run("report", "p1", "--format", "json").json()
    pending = [i for i in report["recognition"]["items"] if i["status"] == "pending"]
    assert [(i["id"], i["waiting_days"]) for i in pending] == [("PAY-002", 2)]
    assert "waiting to be paid for 2 days" in run("report", "p1", "--format", "md").stdout
    assert "waiting to be paid for 2 days" in run("report", "p1", "--format", "html").stdout


def test_lateness_is_counted_from_the_session_whatever_the_status(run, home):
    project_with_paid_session(run, home, "pay-strict", STRICT, held=40)
    # paid 35 days after the session: late, though its status is paid
    assert run("payment", "add", "p1", "--participant", "P-001", "--session", "S-001", "--amount", "30",
               "--status", "paid", "--date", ago(5)).exit_code == 0
    # pending, recorded today: its own date is new, but the session was 40 days ago
    assert run("payment", "add", "p1", "--participant", "P-002", "--session", "S-001", "--amount", "30",
               "--status", "pending").exit_code == 0
    check = people_paid(run)
    assert check["status"] == "fail"
    assert "this workflow asks for payment within 30 days after the session" in check["message"]
    assert "PAY-001 (P-001, paid 35 days after S-001)" in check["message"]
    assert "PAY-002 (P-002, pending 40 days)" in check["message"]
    # changing the late pending payment to paid today does not make it on time
    assert run("payment", "update", "p1", "PAY-002", "--status", "paid", "--date", ago(0)).exit_code == 0
    assert "PAY-002 (P-002, paid 40 days after S-001)" in people_paid(run)["message"]


def test_without_the_new_setting_a_pinned_meaning_stays(run, home):
    """A workflow that does not set late_from_session counts from the payment's own date."""
    project_with_paid_session(run, home, "pay-old", "", held=40)
    for pid in ("P-001", "P-002"):
        assert run("payment", "add", "p1", "--participant", pid, "--session", "S-001", "--amount", "30",
                   "--status", "paid", "--date", ago(5)).exit_code == 0
    assert people_paid(run)["status"] == "pass"


def test_a_declined_payment_needs_the_persons_choice(run, home):
    project_with_paid_session(run, home, "pay-strict", STRICT, held=3)
    assert run("payment", "add", "p1", "--participant", "P-001", "--session", "S-001", "--amount", "30",
               "--status", "paid", "--date", ago(1)).exit_code == 0
    assert run("payment", "add", "p1", "--participant", "P-002", "--session", "S-001", "--amount", "0",
               "--status", "declined", "--date", ago(1)).exit_code == 0
    check = people_paid(run)
    assert check["status"] == "fail" and "declined without the person's choice recorded: PAY-002" in check["message"]
    assert "--declined-on DATE" in check["hint"]
    assert run("payment", "update", "p1", "PAY-002", "--declined-on", ago(2)).exit_code == 0
    assert people_paid(run)["status"] == "pass"
    md = run("report", "p1", "--format", "md").stdout
    assert "declined payment (their choice, told" in md


def test_the_hourly_rate_is_met(run, home):
    project_with_paid_session(run, home, "pay-rate", "hourly_rate = 15", held=3)
    for pid, amount in (("P-001", "30"), ("P-002", "25")):
        assert run("payment", "add", "p1", "--participant", pid, "--session", "S-001", "--amount", amount,
                   "--status", "paid", "--date", ago(1)).exit_code == 0
    check = people_paid(run)
    assert check["status"] == "fail"
    assert "below this workflow's rate of 15 an hour: PAY-002 (25 for 2 hours at S-001, where 30 is due)" in check["message"]
    assert run("payment", "update", "p1", "PAY-002", "--amount", "30").exit_code == 0
    assert people_paid(run)["status"] == "pass"


def test_payment_hints_propose_no_amount_status_or_date_that_passes(run, home):
    project_with_paid_session(run, home, "pay-strict", STRICT, held=3)
    hint = people_paid(run)["hint"]
    assert "--amount AMOUNT" in hint and "--date DATE" in hint and "25" not in hint
    assert hint.index("pay P-001") < hint.index("coflow payment add")  # what to do, then how to record it
    typed = hint[hint.index("coflow "):].replace("PROJECT", "p1").split()[1:]
    result = run(*typed)
    assert result.exit_code == 2 and "'AMOUNT' stands for the real amount" in result.stderr
    assert run("payment", "list", "p1", "--json").json() == []


@pytest.mark.parametrize("args, words", [
    (["--status", "paid", "--declined-on", "2026-01-01"], "declined_on: goes with --status declined"),
    (["--status", "declined", "--declined-on", "2999-01-01"], "is in the future"),
    (["--status", "declined", "--declined-on", "DATE"], "'DATE' stands for the real declined on"),
    (["--status", "paid", "--date", "DATE"], "'DATE' stands for the real date"),
])
def test_bad_payment_values_are_refused(run, home, args, words):
    project_with_paid_session(run, home, "pay-strict", STRICT, held=3)
    result = run("payment", "add", "p1", "--participant", "P-001", "--session", "S-001", "--amount", "0", *args)
    assert result.exit_code == 2 and words in result.stderr, result
    assert "Traceback" not in result.stderr
    assert run("payment", "list", "p1", "--json").json() == []


@pytest.mark.parametrize("extra, words", [
    ("hourly_rate = -1", "hourly_rate"),
    ('hourly_rate = "fifteen"', "hourly_rate"),
    ('late_from_session = "yes"', "late_from_session"),
    ("declined_needs_choice = 1", "declined_needs_choice"),
])
def test_bad_payment_settings_are_workflow_errors(run, home, extra, words):
    path = home / "workflows" / "bad-pay.toml"
    path.write_text(PAY_WORKFLOW.format(id="bad-pay", extra=extra), encoding="utf-8")
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3 and words in (result.stdout + result.stderr)
