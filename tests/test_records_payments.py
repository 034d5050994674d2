"""Payments: recorded, updated and listed; bad amounts, people, dates and bank details refused."""

from __future__ import annotations

import datetime as dt

import pytest
from cli_helpers import history_length

TODAY = dt.datetime.now(dt.timezone.utc).date()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def p1(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("participant", "add", "p1", "--lived-experience").exit_code == 0
    assert run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", "2",
               "--attendee", "P-001", "--paid").exit_code == 0
    return "p1"


def test_payment_add_records_the_schema_fields_with_defaults(run, p1):
    result = run("payment", "add", "p1", "--participant", "P-001", "--session", "S-001", "--amount", "25",
                 "--status", "paid", "--finance-ref", "PO-2026-0142", "--json")
    assert result.exit_code == 0, result
    payment = result.json()
    assert {k: payment[k] for k in ("id", "participant", "session", "amount", "status", "finance_ref", "date",
                                    "expenses", "expenses_status", "expenses_reason")} == {
        "id": "PAY-001", "participant": "P-001", "session": "S-001", "amount": 25, "status": "paid",
        "finance_ref": "PO-2026-0142", "date": TODAY.isoformat(), "expenses": 0, "expenses_status": "none",
        "expenses_reason": None}


def test_payment_update_moves_pending_to_paid_and_lists_filter(run, p1):
    run("payment", "add", "p1", "--participant", "P-001", "--amount", "£12.50", "--status", "pending",
        "--expenses", "6.40", "--date", "2026-03-05")
    pending = run("payment", "list", "p1", "--status", "pending", "--json").json()
    assert [(p["id"], p["amount"], p["expenses"], p["expenses_status"]) for p in pending] == [
        ("PAY-001", 12.5, 6.4, "claimed")]
    result = run("payment", "update", "p1", "PAY-001", "--status", "paid", "--expenses-status", "settled",
                 "--date", "2026-03-20", "--json")
    assert result.exit_code == 0, result
    assert result.json()["status"] == "paid" and result.json()["expenses_status"] == "settled"
    assert run("history", "p1", "--json").json()[-1]["data"] == {
        "id": "PAY-001", "changes": {"status": "paid", "expenses_status": "settled", "date": "2026-03-20"}}
    assert run("payment", "list", "p1", "--status", "pending", "--json").json() == []
    assert [p["id"] for p in run("payment", "list", "p1", "--participant", "P-001", "--json").json()] == ["PAY-001"]
    assert "PAY-001" in run("payment", "list", "p1").stdout


@pytest.mark.parametrize("args, named", [
    (("--participant", "P-404", "--amount", "25", "--status", "paid"), "P-404"),
    (("--participant", "P-001", "--session", "S-009", "--amount", "25", "--status", "paid"), "S-009"),
    (("--participant", "P-001", "--amount", "-5", "--status", "paid"), "amount"),
    (("--participant", "P-001", "--amount", "12.345", "--status", "paid"), "amount"),
    (("--participant", "P-001", "--amount", "lots", "--status", "paid"), "amount"),
    (("--participant", "P-001", "--amount", "25", "--status", "owed"), "status"),
    (("--participant", "P-001", "--amount", "25"), "status"),
    (("--participant", "P-001", "--amount", "25", "--status", "paid", "--date", TOMORROW), "future"),
    (("--participant", "P-001", "--amount", "25", "--status", "paid", "--finance-ref", "20-00-00 12345678"),
     "bank details"),
    (("--participant", "P-001", "--amount", "25", "--status", "paid", "--finance-ref", "GB29 NWBK 6016 1331 9268 19"),
     "bank details"),
    (("--participant", "P-001", "--amount", "25", "--status", "paid", "--expenses", "-1"), "expenses"),
    (("--participant", "P-001", "--amount", "25", "--status", "paid", "--expenses", "8",
      "--expenses-status", "refused"), "expenses_reason"),
    (("--participant", "P-001", "--amount", "25", "--status", "paid", "--expenses-status", "settled"), "expenses"),
])
def test_bad_payment_input_exits_2_names_the_field_and_writes_nothing(run, p1, args, named):
    before = history_length(run)
    result = run("payment", "add", "p1", *args)
    assert result.exit_code == 2, result
    assert named in result.stderr and "payment" in result.stderr and "Traceback" not in result.stderr
    assert history_length(run) == before


def test_bad_payment_updates_write_nothing(run, p1):
    run("payment", "add", "p1", "--participant", "P-001", "--amount", "25", "--status", "pending")
    before = history_length(run)
    for args, named in [(("--amount", "-1"), "amount"), (("--status", "sent"), "status"),
                        (("--date", TOMORROW), "future"), (("--expenses-status", "refused", "--expenses", "3"),
                                                           "expenses_reason")]:
        result = run("payment", "update", "p1", "PAY-001", *args)
        assert result.exit_code == 2 and named in result.stderr, (args, result)
    missing = run("payment", "update", "p1", "PAY-404", "--status", "paid")
    assert missing.exit_code == 2 and "PAY-404" in missing.stderr
    assert history_length(run) == before


@pytest.mark.parametrize("command, args", [
    ("add", ("--amount", "1e400")),
    ("add", ("--amount", "1e30")),
    ("add", ("--amount", "100000.01")),
    ("add", ("--amount", "nan")),
    ("add", ("--amount", "Infinity")),
    ("add", ("--amount", "25", "--expenses", "1e400")),
    ("add", ("--amount", "25", "--expenses", "-inf")),
    ("add", ("--amount", "25", "--expenses", "250000")),
    ("update", ("--amount", "1e400")),
    ("update", ("--amount", "1e30")),
    ("update", ("--expenses", "1e400")),
    ("update", ("--amount", "NaN")),
])
def test_huge_or_non_finite_amounts_are_refused_with_exit_2_not_a_crash(run, p1, command, args):
    """1e400 once ended in decimal.InvalidOperation (exit 70); no payment is above £100,000."""
    run("payment", "add", "p1", "--participant", "P-001", "--amount", "25", "--status", "pending")
    before = history_length(run)
    target = ("PAY-001",) if command == "update" else ("--participant", "P-001", "--status", "paid")
    result = run("payment", command, "p1", *target, *args)
    assert result.exit_code == 2, result
    field = "expenses" if "--expenses" in args else "amount"
    assert f"{field}: " in result.stderr and "Traceback" not in result.stderr and "InvalidOperation" not in result.stderr
    assert history_length(run) == before


def test_the_largest_payment_taken_is_100000(run, p1):
    result = run("payment", "add", "p1", "--participant", "P-001", "--amount", "100000", "--status", "paid", "--json")
    assert result.exit_code == 0 and result.json()["amount"] == 100000
    over = run("payment", "add", "p1", "--participant", "P-001", "--amount", "100001", "--status", "paid")
    assert over.exit_code == 2
    assert "amount: 100,001 is more than £100,000, the most coflow takes for one payment" in over.stderr
