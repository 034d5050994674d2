"""Records over typed facts: shared delivery and evaluation, people with lived experience at
decisions, and a partner in planning are judged from roles, sessions and attendance, with
the checks exactly as the shipped co-production and co-design workflows set them."""

from __future__ import annotations

import datetime as dt

import pytest
from shipped import check, use_shipped

TODAY = dt.datetime.now(dt.timezone.utc).date()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def add(run, *args: str) -> str:
    result = run(*args, "--json")
    assert result.exit_code == 0, result
    return result.json()["id"]


def session(run, days: int, *people: str, extra: tuple = ()) -> str:
    args = ["session", "add", "p1", "--date", ago(days), "--format", "in-person", "--hours", "2", *extra]
    for pid in people:
        args += ["--attendee", pid]
    return add(run, *args)


def test_a_typed_partners_in_delivery_fact_no_longer_passes(run, home):
    use_shipped(run, home, "coproduction", "partners-in-delivery")
    assert run("record", "p1", "partners_in_delivery", "true").exit_code == 0
    delivery = check(run, "partners-in-delivery")
    assert delivery["status"] == "fail"
    assert "delivery" in delivery["message"] and "evaluation" in delivery["message"]
    assert "coflow relabel" in delivery["hint"]  # the honest way down stays offered


def test_delivery_and_evaluation_are_shown_by_roles_or_sessions_of_that_kind(run, home):
    use_shipped(run, home, "coproduction", "partners-in-delivery")
    staff = add(run, "participant", "add", "p1", "--role", "staff")
    reviewer = add(run, "participant", "add", "p1", "--lived-experience", "--role", "evaluation-reviewer")
    partner = add(run, "participant", "add", "p1", "--lived-experience")
    delivered = session(run, 3, staff, extra=("--kind", "Delivery"))
    delivery = check(run, "partners-in-delivery")
    assert delivery["status"] == "fail" and f"evaluation: {reviewer} (evaluation-reviewer)" in delivery["message"]
    assert "nobody with lived experience holds the role delivery-partner" in delivery["message"]
    assert run("session", "attend", "p1", delivered, partner).exit_code == 0
    delivery = check(run, "partners-in-delivery")
    assert delivery["status"] == "pass" and f"{partner} (at {delivered})" in delivery["message"]


def test_a_session_kind_with_no_letters_is_refused(run, home):
    use_shipped(run, home, "coproduction", "partners-in-delivery")
    result = run("session", "add", "p1", "--date", ago(1), "--format", "in-person", "--hours", "2", "--kind", "--")
    assert result.exit_code == 2 and "kind" in result.stderr and "Traceback" not in result.stderr
    assert run("session", "list", "p1", "--json").json() == []


@pytest.mark.parametrize("workflow", ["coproduction", "codesign"])
def test_decisions_made_with_no_partner_present_fail_naming_the_sessions(run, home, workflow):
    use_shipped(run, home, workflow, "involved-before-decisions")
    staff = [add(run, "participant", "add", "p1", "--role", "staff") for _ in range(2)]
    partner = add(run, "participant", "add", "p1", "--lived-experience")
    session(run, 40, partner, *staff)  # the partner came once, at the start
    later = [session(run, days, *staff, extra=("--decisions",)) for days in (30, 20, 10)]
    involved = check(run, "involved-before-decisions")
    assert involved["status"] == "fail"
    for sid, days in zip(later, (30, 20, 10), strict=True):
        assert f"{sid} ({ago(days)}) made decisions with nobody with lived experience present" in involved["message"]
    assert "ID" in involved["hint"]


def test_decisions_where_partners_are_outnumbered_fail_with_the_share(run, home):
    use_shipped(run, home, "coproduction", "involved-before-decisions")
    staff = [add(run, "participant", "add", "p1", "--role", "staff") for _ in range(3)]
    partner = add(run, "participant", "add", "p1", "--lived-experience")
    sid = session(run, 10, partner, *staff, extra=("--decisions",))
    involved = check(run, "involved-before-decisions")
    assert involved["status"] == "fail" and f"at {sid} ({ago(10)}) 1 of 4 people present" in involved["message"]
    assert "at least 50%" in involved["message"]
    more = [add(run, "participant", "add", "p1", "--lived-experience") for _ in range(2)]
    assert run("session", "update", "p1", sid, "--add-attendee", more[0], "--add-attendee", more[1]).exit_code == 0
    assert check(run, "involved-before-decisions")["status"] == "pass"


def test_a_partner_takes_part_in_planning_before_the_planning_gate_closes(run, home):
    use_shipped(run, home, "coproduction", "partner-in-planning")
    planning = check(run, "partner-in-planning")
    assert planning["status"] == "fail" and "nobody with lived experience is recorded yet" in planning["message"]
    staff = add(run, "participant", "add", "p1", "--role", "staff")
    session(run, 5, staff, extra=("--kind", "planning"))
    partner = add(run, "participant", "add", "p1", "--lived-experience")
    planning = check(run, "partner-in-planning")
    assert planning["status"] == "fail" and "no session held so far had someone with lived experience" in planning["message"]
    assert planning["hint"].endswith("--attendee ID --kind planning")
    session(run, 2, staff, partner, extra=("--kind", "planning"))
    assert check(run, "partner-in-planning")["status"] == "pass"
    assert run("advance", "p1").exit_code == 0


@pytest.mark.parametrize("settings, key", [('work = "delivery"', "work"), ('roles = { delivery = "x" }', "roles"),
                                            ("decision_share = 1.5", "decision_share")])
def test_bad_settings_of_the_record_checks_are_named(run, home, settings, key):
    kind = "sessions" if key == "decision_share" else "shared_work"
    bad = home / "workflows" / "bad.toml"
    bad.write_text(f'schema = 1\n[workflow]\nid = "bad"\nversion = "1"\n[[stages.a.checks]]\nid = "c"\n'
                   f'type = "{kind}"\n{settings}\n[stages.end]\nfinal = true\n', encoding="utf-8")
    result = run("workflow", "validate", str(bad))
    assert result.exit_code == 3 and key in result.stdout + result.stderr
