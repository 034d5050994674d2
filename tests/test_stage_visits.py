"""What belongs to a stage visit is decided by event order, never by clock time, which can
step back or differ between machines: a sign-off counts for the visit it was made in."""

from __future__ import annotations

import pytest

from coflow import config
from coflow.engine import Engine

ACTORS = """
[actors.amensah]
roles = ["sponsor"]

[actors.bkaur]
roles = ["sponsor"]
"""

SIGNED = """\
schema = 1
[workflow]
id = "signed"
version = "1"
[roles]
sponsor = { title = "Senior sponsor" }
[stages.planning]
[[stages.planning.checks]]
id = "sponsor-signed"
type = "signoff"
roles = ["sponsor"]
[stages.delivery]
[[stages.delivery.checks]]
id = "report"
type = "fact"
key = "report_ref"
[stages.closed]
final = true
"""


@pytest.fixture
def signed(run, home, monkeypatch, add_to_config):
    """p1 on the `signed` workflow, with a clock the test sets (`signed.at("...")`)."""
    add_to_config(ACTORS)
    (home / "workflows" / "signed.toml").write_text(SIGNED, encoding="utf-8")
    now = {"ts": "2026-03-04T10:00:00.000000Z"}
    monkeypatch.setattr("coflow.events.utc_now", lambda: now["ts"])
    run.at = lambda ts: now.update(ts=ts)
    assert run("new", "p1", "--workflow", "signed").exit_code == 0
    return run


def test_a_sign_off_made_after_a_clock_stepped_back_still_counts(signed):
    signed.at("2026-03-04T09:00:00.000000Z")  # NTP step back, or another machine's slow clock
    assert signed("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0
    check = signed("check", "p1", "--json")
    assert check.exit_code == 0, check
    again = signed("signoff", "p1", "--role", "sponsor", actor="amensah")
    assert again.exit_code == 2 and "already signed off" in again.stderr


def test_a_sign_off_from_an_earlier_visit_never_counts_whatever_the_clocks_say(signed):
    signed.at("2026-03-04T12:00:00.000000Z")
    assert signed("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0
    assert signed("advance", "p1").exit_code == 0
    signed.at("2026-03-04T11:00:00.000000Z")  # the clock stepped back before the reopening
    assert signed("reopen", "p1", "--to", "planning", "--reason", "sponsor changed").exit_code == 0
    check = signed("check", "p1", "--json")
    assert check.exit_code == 1
    assert {c["id"]: c["status"] for c in check.json()["checks"]}["sponsor-signed"] == "fail"
    assert signed("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0  # may sign again


def test_the_state_records_the_seq_that_began_each_visit(signed, home):
    from coflow.project import ProjectView

    assert signed("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0
    assert signed("advance", "p1").exit_code == 0  # event 3
    state = Engine(config.load(home)).get("p1")
    assert (state.stage, state.stage_entered_seq) == ("delivery", 3)
    assert ProjectView(state).stage_entered_seq == 3
