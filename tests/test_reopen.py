"""`coflow reopen P --to STAGE --reason TEXT`: back to a stage the project passed through,
history kept, the gates met again going forward; anything else is refused, writing nothing."""

from __future__ import annotations

import pytest


@pytest.fixture
def closed(run):
    """p1 taken through planning and delivery to the final stage, through its gates."""
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    for key, value in (("sponsor", "Dr A. Mensah"), ("budget", "750"), ("report_ref", "R-1")):
        assert run("record", "p1", key, value).exit_code == 0
    assert run("advance", "p1").exit_code == 0
    assert run("advance", "p1").exit_code == 0
    assert stage(run) == "closed"
    return run


def stage(run, project: str = "p1") -> str:
    return run("status", project, "--json").json()["stage"]


def events(run, project: str = "p1") -> list[dict]:
    return run("history", project, "--json").json()


def refused(run, args: list[str], words: str) -> None:
    before = events(run)
    result = run(*args)
    assert result.exit_code == 2, result
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert events(run) == before


def test_reopening_returns_to_an_earlier_stage_and_keeps_the_history(closed):
    before = events(closed)
    result = closed("reopen", "p1", "--to", "planning", "--reason", "The board asked for a bigger budget",
                    actor="amensah")
    assert result.exit_code == 0, result
    assert "Reopened p1 at 'planning' (from 'closed')" in result.stdout
    after = events(closed)
    assert after[:-1] == before
    assert after[-1]["type"] == "reopened" and after[-1]["actor"] == "amensah"
    assert after[-1]["data"] == {"from": "closed", "to": "planning", "reason": "The board asked for a bigger budget"}
    assert stage(closed) == "planning"
    assert "reopened at 'planning' (from 'closed'); reason: The board asked" in closed("history", "p1").stdout
    assert closed("verify").exit_code == 0


def test_after_reopening_each_gate_must_be_met_again(closed):
    assert closed("reopen", "p1", "--to", "planning", "--reason", "budget cut").exit_code == 0
    assert closed("record", "p1", "budget", "100").exit_code == 0
    blocked = closed("advance", "p1", "--json")
    assert blocked.exit_code == 1
    assert {c["id"]: c["status"] for c in blocked.json()["checks"]}["budget"] == "fail"
    assert stage(closed) == "planning"
    assert events(closed)[-1]["type"] == "blocked"
    assert closed("record", "p1", "budget", "600").exit_code == 0
    assert closed("advance", "p1").exit_code == 0
    assert stage(closed) == "delivery"
    moves = [(e["data"]["from"], e["data"]["to"]) for e in events(closed) if e["type"] == "advanced"]
    assert moves == [("planning", "delivery"), ("delivery", "closed"), ("planning", "delivery")]


def test_a_middle_stage_can_be_reopened(closed):
    assert closed("reopen", "p1", "--to", "delivery", "--reason", "report was wrong").exit_code == 0
    assert stage(closed) == "delivery"


def test_reopening_to_a_stage_visited_later_on_is_refused_as_a_way_forward(closed):
    """Back at planning, delivery and closed were visited before, but lie ahead now:
    reopening there would jump the planning gate."""
    assert closed("reopen", "p1", "--to", "planning", "--reason", "start again").exit_code == 0
    refused(closed, ["reopen", "p1", "--to", "delivery", "--reason", "skip ahead"], "reopening only goes back")
    refused(closed, ["reopen", "p1", "--to", "closed", "--reason", "skip ahead"], "reopening only goes back")
    assert stage(closed) == "planning"


def test_reopening_to_a_later_stage_never_visited_is_refused(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    refused(run, ["reopen", "p1", "--to", "delivery", "--reason", "skip"], "comes after 'planning'")


def test_reopening_to_the_current_stage_is_refused(closed):
    assert closed("reopen", "p1", "--to", "delivery", "--reason", "redo").exit_code == 0
    refused(closed, ["reopen", "p1", "--to", "delivery", "--reason", "again"], "already at 'delivery'")


def test_reopening_to_an_unknown_stage_is_refused_with_the_choices(closed):
    before = events(closed)
    result = closed("reopen", "p1", "--to", "plannnig", "--reason", "typo")
    assert result.exit_code == 2 and "no stage called 'plannnig'" in result.stderr
    assert "can return to: planning, delivery" in result.stderr
    assert events(closed) == before


@pytest.mark.parametrize("reason", ["", "  "])
def test_reopening_without_a_reason_is_refused(closed, reason):
    refused(closed, ["reopen", "p1", "--to", "planning", "--reason", reason], "reopening needs a reason")


def test_reopening_needs_the_reason_option(closed):
    before = events(closed)
    result = closed("reopen", "p1", "--to", "planning")
    assert result.exit_code == 2 and "--reason" in result.stderr
    assert events(closed) == before


def test_reopening_an_unknown_project_is_refused(closed):
    result = closed("reopen", "nope", "--to", "planning", "--reason", "x")
    assert result.exit_code == 2 and "no project called 'nope'" in result.stderr


def test_reopening_needs_no_permission(closed):
    """It adds work, never removes it: any actor may reopen."""
    assert closed("reopen", "p1", "--to", "planning", "--reason", "x", actor="someone").exit_code == 0


def test_a_sign_off_from_the_earlier_visit_does_not_open_the_gate_again(run, home):
    (home / "workflows" / "signed.toml").write_text("""\
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
[stages.closed]
final = true
""", encoding="utf-8")
    with open(home / "coflow.toml", "a", encoding="utf-8") as config:
        config.write('\n[actors.amensah]\nroles = ["sponsor"]\n')
    assert run("new", "s1", "--workflow", "signed").exit_code == 0
    assert run("signoff", "s1", "--role", "sponsor", actor="amensah").exit_code == 0
    assert run("advance", "s1").exit_code == 0
    assert run("reopen", "s1", "--to", "planning", "--reason", "plan changed").exit_code == 0
    blocked = run("advance", "s1", "--json")
    assert blocked.exit_code == 1 and blocked.json()["stage"] == "planning"
    assert run("signoff", "s1", "--role", "sponsor", actor="amensah").exit_code == 0
    assert run("advance", "s1").exit_code == 0
    assert stage(run, "s1") == "delivery"
