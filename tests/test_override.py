"""`coflow advance P --override --reason TEXT`: only for actors with the override
permission; records the checks not met, the reason and who did it; refused where the stage
sets allow_override = false (that refused attempt is recorded as `blocked`, as any blocked
advance is); every other refusal writes nothing."""

from __future__ import annotations

import pytest

ACTORS = """
[actors.amensah]
roles = ["sponsor"]
permissions = ["override"]

[actors.p003]
roles = ["co-chair"]
"""

STRICT = """\
schema = 1
[workflow]
id = "strict"
version = "1"
[stages.planning]
allow_override = false
[[stages.planning.checks]]
id = "sponsor-named"
type = "fact"
key = "sponsor"
title = "A senior sponsor is named"
[stages.delivery]
[[stages.delivery.checks]]
id = "report"
type = "fact"
key = "report_ref"
[stages.closed]
final = true
"""


@pytest.fixture
def run(run, home, add_to_config):
    add_to_config(ACTORS)
    (home / "workflows" / "strict.toml").write_text(STRICT, encoding="utf-8")
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    return run


def events(run, project: str = "p1") -> list[dict]:
    return run("history", project, "--json").json()


def refused(run, args: list[str], code: int, words: str, actor: str | None = "amensah") -> None:
    """The command fails with `code` and a plain message, and the history is unchanged."""
    before = events(run)
    result = run(*args, actor=actor)
    assert result.exit_code == code, result
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert events(run) == before


def test_an_actor_with_the_permission_moves_past_failing_checks_and_it_is_recorded(run):
    result = run("advance", "p1", "--override", "--reason", "Board agreed on 3 March to start now",
                 "--json", actor="amensah")
    assert result.exit_code == 0, result
    data = result.json()
    assert (data["advanced"], data["override"], data["from"], data["to"], data["stage"]) == (
        True, True, "planning", "delivery", "delivery")
    last = events(run)[-1]
    assert last["type"] == "advanced" and last["actor"] == "amensah"
    # the advisory dpia check is reported but is not one of the checks overridden
    assert last["data"]["override"] == {"reason": "Board agreed on 3 March to start now",
                                        "failing": ["sponsor-named", "budget"]}
    assert {c["id"]: c["status"] for c in last["data"]["checks"]} == {
        "sponsor-named": "fail", "budget": "fail", "dpia": "fail"}
    assert run("status", "p1", "--json").json()["stage"] == "delivery"
    assert run("verify").exit_code == 0


def test_the_override_shows_in_history_with_reason_checks_and_actor(run):
    assert run("advance", "p1", "--override", "--reason", "Board agreed", actor="amensah").exit_code == 0
    line = run("history", "p1").stdout.splitlines()[-1]
    assert "amensah" in line and "OVERRIDE" in line and "Board agreed" in line
    assert "sponsor-named, budget" in line


def test_the_plain_output_says_the_override_is_recorded(run):
    result = run("advance", "p1", "--override", "--reason", "Board agreed", actor="amensah")
    assert "Advanced p1 from 'planning' to 'delivery' by override" in result.stdout
    assert "recorded" in result.stdout


def test_a_reason_is_kept_without_surrounding_spaces(run):
    assert run("advance", "p1", "--override", "--reason", "  Board agreed \n", actor="amensah").exit_code == 0
    assert events(run)[-1]["data"]["override"]["reason"] == "Board agreed"


def test_an_actor_without_the_permission_is_refused(run):
    refused(run, ["advance", "p1", "--override", "--reason", "we are in a hurry"], 2,
            "p003 does not have the override permission", actor="p003")


def test_an_actor_not_in_coflow_toml_is_refused(run):
    refused(run, ["advance", "p1", "--override", "--reason", "we are in a hurry"], 2,
            "stranger does not have the override permission", actor="stranger")


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_an_empty_reason_is_refused(run, reason):
    refused(run, ["advance", "p1", "--override", "--reason", reason], 2, "an override needs a reason")


def test_an_override_without_reason_is_refused(run):
    refused(run, ["advance", "p1", "--override"], 2, "an override needs a reason")


def test_a_reason_without_override_is_refused(run):
    refused(run, ["advance", "p1", "--reason", "why not"], 2, "--reason goes with --override")


def test_a_stage_that_forbids_overrides_refuses_even_a_permitted_actor_and_records_the_attempt(run):
    assert run("new", "s1", "--workflow", "strict").exit_code == 0
    before = events(run, "s1")
    result = run("advance", "s1", "--override", "--reason", "Board agreed", actor="amensah")
    assert result.exit_code == 1, result
    assert "cannot be overridden" in result.stderr and "A senior sponsor is named" in result.stderr
    assert "kept in the history" in result.stderr and "Traceback" not in result.stderr
    after = events(run, "s1")
    assert after[:-1] == before and len(after) == len(before) + 1
    blocked = after[-1]
    assert blocked["type"] == "blocked" and blocked["actor"] == "amensah"
    assert blocked["data"]["stage"] == "planning" and blocked["data"]["failing"] == ["sponsor-named"]
    assert blocked["data"]["override_refused"]["reason"] == "Board agreed"
    assert "allow_override = false" in blocked["data"]["override_refused"]["why"]
    assert run("status", "s1", "--json").json()["stage"] == "planning"
    assert "override refused" in run("history", "s1").stdout
    assert run("verify", "s1").exit_code == 0


def test_a_dry_run_override_of_a_stage_that_forbids_it_records_nothing(run):
    assert run("new", "s1", "--workflow", "strict").exit_code == 0
    before = events(run, "s1")
    dry = run("advance", "s1", "--override", "--reason", "Board agreed", "--dry-run", actor="amensah")
    assert dry.exit_code == 1 and "cannot be overridden" in dry.stderr
    assert "nothing was recorded" in dry.stderr
    assert events(run, "s1") == before


def test_a_refused_override_still_gives_one_json_document(run):
    assert run("new", "s1", "--workflow", "strict").exit_code == 0
    for extra in ([], ["--dry-run"]):
        result = run("advance", "s1", "--override", "--reason", "Board agreed", "--json", *extra, actor="amensah")
        assert result.exit_code == 1, result
        data = result.json()
        assert data["advanced"] is False and data["override_refused"] is True
        assert data["stage"] == "planning" and data["to"] == "delivery"
        assert data["dry_run"] is bool(extra)


def test_a_stage_that_forbids_overrides_still_opens_when_its_checks_pass(run):
    assert run("new", "s1", "--workflow", "strict").exit_code == 0
    assert run("record", "s1", "sponsor", "Dr A").exit_code == 0
    result = run("advance", "s1", "--override", "--reason", "Board agreed", "--json", actor="amensah")
    assert result.exit_code == 0 and result.json()["override"] is False
    # the next stage allows overrides (the default)
    assert run("advance", "s1", "--override", "--reason", "Board agreed", actor="amensah").exit_code == 0
    assert "override" in events(run, "s1")[-1]["data"]


def test_an_override_of_an_open_gate_is_an_ordinary_advance(run):
    assert run("record", "p1", "sponsor", "Dr A").exit_code == 0
    assert run("record", "p1", "budget", "900").exit_code == 0
    result = run("advance", "p1", "--override", "--reason", "Board agreed", actor="amensah")
    assert result.exit_code == 0
    assert "no override is needed" in result.stdout
    last = events(run)[-1]
    assert last["type"] == "advanced" and "override" not in last["data"]


def test_a_dry_run_override_says_what_would_happen_and_writes_nothing(run):
    before = events(run)
    result = run("advance", "p1", "--override", "--reason", "Board agreed", "--dry-run", actor="amensah")
    assert result.exit_code == 0
    assert "would move from 'planning' to 'delivery' by override" in result.stdout
    assert events(run) == before


def test_an_override_at_the_final_stage_goes_nowhere_and_writes_nothing(run):
    for _ in range(2):
        assert run("advance", "p1", "--override", "--reason", "Board agreed", actor="amensah").exit_code == 0
    assert run("status", "p1", "--json").json()["stage"] == "closed"
    before = events(run)
    result = run("advance", "p1", "--override", "--reason", "Board agreed", actor="amensah")
    assert result.exit_code == 1 and "nowhere further" in result.stdout
    assert events(run) == before


def test_an_override_of_an_unknown_project_is_refused(run):
    result = run("advance", "nope", "--override", "--reason", "Board agreed", actor="amensah")
    assert result.exit_code == 2 and "no project called 'nope'" in result.stderr
