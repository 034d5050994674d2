"""The check library through the real commands: what a person sees in `coflow check`.

Unit tests (test_checks.py) cover each rule; these cover what only shows end to end:
erased people, sign-offs across a reopened stage, and that no personal detail given to
coflow ever appears in a gate report.
"""

from __future__ import annotations

import datetime as dt

import pytest

WORKFLOW = """\
schema = 1
[workflow]
id = "two-gates"
version = "1"
[roles]
sponsor = { title = "Senior sponsor" }
co-chair = { title = "Lived-experience co-chair", lived_experience = true }
[stages.preparing]
[[stages.preparing.checks]]
id = "inducted"
type = "training"
who = "partners"
what = "induction"
[[stages.preparing.checks]]
id = "attended"
type = "attendance"
min = 1
[[stages.preparing.checks]]
id = "access"
type = "access_needs"
[[stages.preparing.checks]]
id = "partners"
type = "participants"
min = 2
lived_experience = true
[[stages.preparing.checks]]
id = "signed"
type = "signoff"
roles = ["sponsor", "co-chair"]
[stages.closing]
[[stages.closing.checks]]
id = "signed-again"
type = "signoff"
roles = ["sponsor"]
[stages.closed]
final = true
"""
ACTORS = """
[actors.sponsor-1]
roles = ["sponsor"]
[actors.cochair-1]
roles = ["co-chair"]
[actors.both-1]
roles = ["sponsor", "co-chair"]
"""
YESTERDAY = (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()


@pytest.fixture
def project(run, home, add_to_config):
    (home / "workflows" / "two-gates.toml").write_text(WORKFLOW, encoding="utf-8")
    add_to_config(ACTORS)
    assert run("new", "p1", "--workflow", "two-gates").exit_code == 0
    return "p1"


def gate(run, project) -> dict:
    return {c["id"]: c for c in run("check", project, "--json").json()["checks"]}


def add(run, *args) -> str:
    result = run("participant", "add", "p1", *args, "--json")
    assert result.exit_code == 0, result
    return result.json()["id"]


def test_messages_name_ids_and_never_personal_details(run, project):
    first = add(run, "--lived-experience", "--category", "carer", "--name", "Alex Example",
                "--email", "alex@example.org", "--access-needs", "a quiet room and large print")
    second = add(run, "--lived-experience", "--category", "carer", "--name", "Sam Sample")
    report = run("check", project, "--json")
    assert report.exit_code == 1
    checks = gate(run, project)
    assert checks["inducted"]["message"].startswith(f"{first} and {second} have no induction date;")
    assert checks["access"]["message"] == f"{first} has access needs not yet marked as met"
    assert checks["access"]["hint"].endswith(f"(ID is {first}): coflow participant update p1 ID --access-needs-met")
    text = report.stdout + run("check", project).stdout + run("status", project).stdout
    for personal in ("Alex", "Sam", "example.org", "quiet room", "large print"):
        assert personal not in text


def test_an_erased_partner_still_counts_but_is_never_chased(run, project):
    kept = add(run, "--lived-experience", "--induction", YESTERDAY)
    gone = add(run, "--lived-experience", "--name", "Jo Placeholder", "--access-needs", "a hearing loop")
    assert run("session", "add", "p1", "--date", YESTERDAY, "--format", "in-person", "--hours", "2",
               "--attendee", kept, "--attendee", gone).exit_code == 0
    before = gate(run, project)
    assert gone in before["inducted"]["message"] and gone in before["access"]["message"]
    assert run("participant", "forget", "p1", gone, "--reason", "asked to be removed").exit_code == 0
    after = gate(run, project)
    assert after["inducted"]["status"] == "pass" and after["access"]["status"] == "pass"
    assert after["attended"]["status"] == "pass"
    assert after["partners"]["status"] == "pass", "they took part: the count still includes them"
    assert "Jo" not in run("check", project).stdout


def test_one_person_holding_both_roles_cannot_give_a_dual_signoff(run, project):
    add(run, "--lived-experience", "--signs-as", "both-1")
    add(run, "--lived-experience", "--signs-as", "cochair-1")
    assert run("signoff", project, "--role", "sponsor", actor="both-1").exit_code == 0
    refused = run("signoff", project, "--role", "co-chair", actor="both-1")
    assert refused.exit_code == 2 and "one person cannot also sign" in refused.stderr
    assert "no sign-off yet from the Lived-experience co-chair (co-chair)" in gate(run, project)["signed"]["message"]
    assert run("signoff", project, "--role", "co-chair", actor="cochair-1").exit_code == 0
    assert gate(run, project)["signed"]["status"] == "pass"


def test_a_reopened_stage_must_be_signed_again(run, project):
    partner = add(run, "--lived-experience", "--induction", YESTERDAY, "--signs-as", "cochair-1")
    add(run, "--lived-experience", "--induction", YESTERDAY)
    run("session", "add", "p1", "--date", YESTERDAY, "--format", "virtual", "--hours", "1",
        "--attendee", partner, "--attendee", "P-002")
    run("signoff", project, "--role", "sponsor", actor="sponsor-1")
    run("signoff", project, "--role", "co-chair", actor="cochair-1")
    assert run("advance", project).exit_code == 0
    closing = gate(run, project)["signed-again"]
    assert closing["status"] == "fail", "a sign-off of the earlier stage does not count here"
    assert closing["hint"] == f"coflow signoff {project} --role sponsor"
    assert run("reopen", project, "--to", "preparing", "--reason", "the plan changed").exit_code == 0
    again = gate(run, project)["signed"]
    assert again["status"] == "fail" and "Senior sponsor" in again["message"] and "co-chair" in again["message"]
