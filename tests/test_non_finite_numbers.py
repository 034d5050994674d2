"""Infinity and NaN are refused everywhere a number enters (record, payments, sessions, the
engine, JSON output), and nothing is written: JSON cannot hold them, so no other program could
recompute the hash of an event holding one."""

from __future__ import annotations

import json

import pytest
from cli_helpers import history

from coflow import config
from coflow.engine import Engine
from coflow.errors import UsageError


def strict_json(text: str):
    """json.loads that refuses Infinity and NaN, as every other JSON reader does."""
    def refuse(constant: str):
        raise ValueError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("value", ["inf", "-inf", "+inf", "nan", "+nan", "-nan", "1e400"])
def test_record_refuses_infinity_and_nan_and_writes_nothing(run, p1, value):
    before = history(run)
    result = run("record", "--", "p1", "budget", value)  # "--": "-inf" is a value, not an option
    assert result.exit_code == 2, result
    assert "is not a finite number" in result.stderr and "Traceback" not in result.stderr
    assert "Hint:" in result.stderr
    assert history(run) == before


def test_the_word_inf_can_still_be_recorded_in_quotes(run, p1):
    assert run("record", "p1", "note", '"inf"').exit_code == 0
    assert history(run)[-1]["data"] == {"key": "note", "value": "inf"}


def test_history_json_stays_strict_json(run, p1):
    for args in (("budget", "750.5"), ("budget", "inf"), ("ratio", "nan")):
        run("record", "p1", *args)
    text = run("history", "p1", "--json").stdout
    assert [e["data"]["value"] for e in strict_json(text) if e["type"] == "fact_recorded"] == [750.5]


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), {"nested": [1, float("nan")]}])
def test_no_non_finite_number_reaches_the_log_through_the_engine(home, value):
    engine = Engine(config.load(home))
    engine.create("p1", "mini", "tester")
    with pytest.raises(UsageError, match="infinity or not-a-number"):
        engine.record_fact("p1", "budget", value, "tester")
    assert [e.type for e in engine.store.events("p1")] == ["created"]


@pytest.mark.parametrize("args", [
    ("--amount", "inf"), ("--amount", "nan"), ("--amount", "1e30"), ("--amount", "1e400"),
    ("--amount", "25", "--expenses", "Infinity"), ("--amount", "25", "--expenses", "1e30"),
])
def test_payment_amounts_must_be_finite_and_sane(run, p1, args):
    assert run("participant", "add", "p1", "--lived-experience").exit_code == 0
    before = history(run)
    result = run("payment", "add", "p1", "--participant", "P-001", "--status", "paid", "--date", "2026-01-02", *args)
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr and ("amount" in result.stderr or "expenses" in result.stderr)
    assert history(run) == before


@pytest.mark.parametrize("hours", ["inf", "nan", "1e400"])
def test_session_hours_must_be_finite(run, p1, hours):
    result = run("session", "add", "p1", "--date", "2026-01-02", "--format", "virtual", "--hours", hours)
    assert result.exit_code == 2 and "hours" in result.stderr and "Traceback" not in result.stderr


def test_json_output_refuses_non_finite_numbers_instead_of_printing_them():
    from coflow.cli.output import emit_json
    from coflow.errors import StoreError

    with pytest.raises(StoreError, match="infinity or not-a-number"):
        emit_json({"total": float("inf")})
