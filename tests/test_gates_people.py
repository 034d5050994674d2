"""People who stop, people never asked, and reaching people through open routes: through
the command line, with checks exactly as the shipped workflows set them."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from shipped import check, use_shipped

TODAY = dt.datetime.now(dt.timezone.utc).date()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def add(run, *args: str) -> str:
    result = run(*args, "--json")
    assert result.exit_code == 0, result
    return result.json()["id"]


def events(run) -> int:
    return len(run("history", "p1", "--json").json())


def test_everyone_attended_passes_when_the_one_who_missed_every_session_withdrew(run, home):
    use_shipped(run, home, "coproduction", "everyone-attended", "lived-experience-partners")
    came = add(run, "participant", "add", "p1", "--lived-experience")
    left = add(run, "participant", "add", "p1", "--lived-experience")
    add(run, "session", "add", "p1", "--date", ago(20), "--format", "in-person", "--hours", "2", "--attendee", came)
    attended = check(run, "everyone-attended")
    assert attended["status"] == "fail" and f"{left} has not attended" in attended["message"]
    result = run("participant", "update", "p1", left, "--withdrawn", ago(10), "--reason", "moved out of the area")
    assert result.exit_code == 0, result
    assert check(run, "everyone-attended")["status"] == "pass"
    # nothing erased: still listed, shown as withdrawn, in the report too
    people = run("participant", "list", "p1", "--json").json()
    assert [(p["id"], p.get("withdrawn"), p["erased"]) for p in people] == [(came, None, False), (left, ago(10), False)]
    assert "withdrew " + ago(10) in run("participant", "list", "p1").stdout
    report = run("report", "p1", "--format", "json").json()["participation"]
    assert report["withdrawn"] == 1
    assert "withdrew" in run("report", "p1").stdout
    # who withdrew before taking part is not counted as taking part
    partners = check(run, "lived-experience-partners")
    assert "1 person with lived experience taking part" in partners["message"]


def test_the_reason_for_withdrawing_is_kept_with_personal_details_not_in_the_history(run, home):
    use_shipped(run, home, "coproduction", "everyone-attended")
    pid = add(run, "participant", "add", "p1", "--lived-experience", "--name", "Sam Okafor")
    assert run("participant", "update", "p1", pid, "--withdrawn", ago(0), "--reason", "caring duties").exit_code == 0
    with sqlite3.connect(home / ".coflow" / "coflow.db") as conn:
        logged = "\n".join(row[0] for row in conn.execute("SELECT data FROM events"))
    assert "caring duties" not in logged
    exported = run("participant", "export", "p1", pid).json()
    assert exported["personal"]["withdrawn_reason"] == "caring duties"


@pytest.mark.parametrize("args, says", [
    (("--withdrawn", "2020-01-01"), "before P-001 joined"),
    (("--withdrawn", "2999-01-01"), "in the future"),
    (("--withdrawn", "last tuesday"), "is not a date"),
    (("--withdrawn", "DATE"), "stands for the real"),
    (("--reason", "moved away"), "no withdrawal date"),
    (("--withdrawn", "PREVIOUS"), "is before S-001"),
    (("--access-asked", "2999-01-01"), "in the future"),
])
def test_bad_withdrawal_and_access_dates_are_refused_and_nothing_is_written(run, home, args, says):
    use_shipped(run, home, "coproduction", "everyone-attended")
    pid = add(run, "participant", "add", "p1", "--lived-experience", "--induction", ago(30))
    add(run, "session", "add", "p1", "--date", ago(5), "--format", "in-person", "--hours", "2", "--attendee", pid)
    args = tuple(ago(6) if a == "PREVIOUS" else a for a in args)
    before = events(run)
    result = run("participant", "update", "p1", pid, *args)
    assert result.exit_code == 2, result
    assert says in result.stderr and "Hint:" in result.stderr and "Traceback" not in result.stderr
    assert events(run) == before


def test_access_needs_fail_for_partners_never_asked(run, home):
    use_shipped(run, home, "coproduction", "access-needs-met")
    asked = add(run, "participant", "add", "p1", "--lived-experience", "--access-asked", ago(3))
    told = add(run, "participant", "add", "p1", "--lived-experience", "--access-needs", "step-free access")
    never = add(run, "participant", "add", "p1", "--lived-experience")
    add(run, "participant", "add", "p1", "--role", "staff")
    access = check(run, "access-needs-met")
    assert access["status"] == "fail"
    assert f"{never} has not been asked" in access["message"] and asked not in access["message"]
    assert told in access["message"]  # their need is not met yet
    assert run("participant", "update", "p1", told, "--access-needs-met").exit_code == 0
    access = check(run, "access-needs-met")
    assert access["hint"] == f"coflow participant update p1 {never} --access-asked DATE"
    assert run("participant", "update", "p1", never, "--access-asked", "DATE").exit_code == 2
    assert run("participant", "update", "p1", never, "--access-asked", ago(0)).exit_code == 0
    assert check(run, "access-needs-met")["status"] == "pass"


def test_a_partner_who_withdrew_is_not_asked_about_access_any_more(run, home):
    use_shipped(run, home, "codesign", "access-needs-met")
    pid = add(run, "participant", "add", "p1", "--lived-experience")
    assert check(run, "access-needs-met")["status"] == "fail"
    assert run("participant", "update", "p1", pid, "--withdrawn", ago(0)).exit_code == 0
    assert check(run, "access-needs-met")["status"] == "pass"


@pytest.mark.parametrize("workflow", ["coproduction", "codesign"])
def test_recruitment_routes_need_one_route_open_to_anyone(run, home, workflow):
    use_shipped(run, home, workflow, "recruitment-routes")
    for route in ("gp-practice", "word of mouth"):
        add(run, "participant", "add", "p1", "--lived-experience", "--route", route)
    routes = check(run, "recruitment-routes")
    assert routes["status"] == "fail"
    assert "open-call or community-partner" in routes["message"]
    assert "gp-practice and word-of-mouth" in routes["message"]
    add(run, "participant", "add", "p1", "--lived-experience", "--route", "Community Partner")
    assert check(run, "recruitment-routes")["status"] == "pass"


def test_open_routes_must_be_a_list_of_names(run, home):
    (home / "workflows" / "bad.toml").write_text(
        'schema = 1\n[workflow]\nid = "bad"\nversion = "1"\n[[stages.a.checks]]\nid = "routes"\n'
        'type = "participants"\nopen_routes = "open-call"\n[stages.end]\nfinal = true\n', encoding="utf-8")
    result = run("workflow", "validate", str(home / "workflows" / "bad.toml"))
    assert result.exit_code == 3
    assert "open_routes" in result.stdout + result.stderr
