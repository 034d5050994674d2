"""Sessions and attendance: recorded, listed, and refused when they name unknown people."""

from __future__ import annotations

import datetime as dt

import pytest
from cli_helpers import history_length

TOMORROW = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)).isoformat()


@pytest.fixture
def p1(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    for _ in range(3):
        assert run("participant", "add", "p1", "--lived-experience").exit_code == 0
    return "p1"


def test_session_add_records_every_field(run, p1):
    result = run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", "2",
                 "--title", "Planning workshop", "--attendee", "P-001", "--attendee", "P-002",
                 "--agenda-by", "P-002", "--decisions", "--paid", "--json")
    assert result.exit_code == 0, result
    session = result.json()
    assert {k: session[k] for k in ("id", "date", "title", "format", "hours", "attendance", "agenda_coauthors",
                                    "decisions", "paid")} == {
        "id": "S-001", "date": "2026-03-04", "title": "Planning workshop", "format": "in-person", "hours": 2,
        "attendance": ["P-001", "P-002"], "agenda_coauthors": ["P-002"], "decisions": True, "paid": True}


def test_online_is_recorded_as_virtual_and_sessions_list_oldest_first(run, p1):
    run("session", "add", "p1", "--date", "2026-03-18", "--format", "online", "--hours", "1.5")
    run("session", "add", "p1", "--date", "2026-03-04", "--format", "home-visit", "--hours", "1")
    listed = run("session", "list", "p1", "--json").json()
    assert [(s["id"], s["format"], s["hours"]) for s in listed] == [("S-002", "home-visit", 1), ("S-001", "virtual", 1.5)]
    text = run("session", "list", "p1")
    assert text.exit_code == 0 and "S-001" in text.stdout and "virtual" in text.stdout


def test_attend_adds_only_people_not_already_recorded(run, p1):
    run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", "2", "--attendee", "P-001")
    result = run("session", "attend", "p1", "S-001", "P-001", "P-003", "--json")
    assert result.exit_code == 0, result
    assert result.json()["attendance"] == ["P-001", "P-003"]
    assert run("history", "p1", "--json").json()[-1]["data"] == {"session": "S-001", "participants": ["P-003"]}
    before = history_length(run)
    again = run("session", "attend", "p1", "S-001", "P-003")
    assert again.exit_code == 0 and "already recorded" in again.stdout
    assert history_length(run) == before


@pytest.mark.parametrize("args, named", [
    (("--attendee", "P-009"), "P-009"),
    (("--agenda-by", "P-404"), "P-404"),
    (("--date", TOMORROW), "future"),
    (("--date", "2026-02-30"), "date"),
    (("--format", "carrier-pigeon"), "format"),
    (("--hours", "-1"), "hours"),
    (("--hours", "two"), "hours"),
])
def test_bad_session_input_exits_2_and_writes_nothing(run, p1, args, named):
    good = {"--date": "2026-03-04", "--format": "in-person", "--hours": "2"}
    given = dict(good)
    extra: list[str] = []
    if args[0] in good:
        given[args[0]] = args[1]
    else:
        extra = list(args)
    before = history_length(run)
    result = run("session", "add", "p1", *[x for kv in given.items() for x in kv], *extra)
    assert result.exit_code == 2, result
    assert named in result.stderr and "session" in result.stderr
    assert history_length(run) == before


def test_attendance_for_unknown_people_or_sessions_is_refused(run, p1):
    run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", "2")
    before = history_length(run)
    unknown_person = run("session", "attend", "p1", "S-001", "P-001", "P-077")
    assert unknown_person.exit_code == 2 and "P-077" in unknown_person.stderr
    unknown_session = run("session", "attend", "p1", "S-009", "P-001")
    assert unknown_session.exit_code == 2 and "S-009" in unknown_session.stderr
    assert history_length(run) == before
    assert run("session", "list", "p1", "--json").json()[0]["attendance"] == []


def add_session(run, *extra: str) -> None:
    result = run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", "2",
                 "--attendee", "P-001", *extra)
    assert result.exit_code == 0, result


def test_session_update_corrects_fields_and_lists(run, p1):
    add_session(run, "--agenda-by", "P-001")
    result = run("session", "update", "p1", "S-001", "--date", "2026-03-05", "--format", "online", "--hours", "1.5",
                 "--title", "Planning", "--add-attendee", "P-002", "--agenda-by", "P-002", "--agenda-by", "P-003",
                 "--decisions", "--paid", "--json")
    assert result.exit_code == 0, result
    session = result.json()
    assert {k: session[k] for k in ("date", "format", "hours", "title", "attendance", "agenda_coauthors",
                                    "decisions", "paid")} == {
        "date": "2026-03-05", "format": "virtual", "hours": 1.5, "title": "Planning", "attendance": ["P-001", "P-002"],
        "agenda_coauthors": ["P-002", "P-003"], "decisions": True, "paid": True}
    event = run("history", "p1", "--json").json()[-1]
    assert event["type"] == "session_updated" and event["data"]["id"] == "S-001"
    assert set(event["data"]["changes"]) == {"date", "format", "hours", "title", "attendance", "agenda_coauthors",
                                             "decisions", "paid"}
    fewer = run("session", "update", "p1", "S-001", "--attendee", "P-003", "--add-agenda-by", "P-001",
                "--no-decisions", "--no-paid", "--json").json()
    assert fewer["attendance"] == ["P-003"] and fewer["agenda_coauthors"] == ["P-002", "P-003", "P-001"]
    assert fewer["decisions"] is False and fewer["paid"] is False
    assert run("session", "list", "p1", "--json").json()[0]["attendance"] == ["P-003"]


def test_session_update_is_described_in_the_history_and_seen_by_the_report(run, p1):
    add_session(run)
    assert run("session", "update", "p1", "S-001", "--add-agenda-by", "P-002", "--paid").exit_code == 0
    history = run("history", "p1").stdout
    assert "corrected session S-001: agenda co-authors, paid or not" in history
    report = run("report", "p1", "--format", "json", "-o", "-")
    assert report.exit_code == 0, report
    item = report.json()["sessions"]["items"][0]
    assert item["coauthors"] == 1 and item["paid"] is True


def test_session_update_that_changes_nothing_writes_nothing(run, p1):
    add_session(run)
    before = history_length(run)
    same = run("session", "update", "p1", "S-001", "--hours", "2", "--add-attendee", "P-001")
    assert same.exit_code == 0 and "Nothing to change" in same.stdout
    empty = run("session", "update", "p1", "S-001")
    assert empty.exit_code == 2 and "nothing to change for session S-001" in empty.stderr
    assert "coflow session update p1 S-001 --add-agenda-by P-001" in empty.stderr
    assert history_length(run) == before


@pytest.mark.parametrize("args, named", [
    (("--add-attendee", "P-404"), "P-404"),
    (("--agenda-by", "P-404"), "P-404"),
    (("--date", TOMORROW), "future"),
    (("--date", "2026-02-30"), "date"),
    (("--format", "carrier-pigeon"), "format"),
    (("--hours", "0"), "hours"),
    (("--hours", "nan"), "hours"),
    (("--hours", "inf"), "hours"),
    (("--hours", "1e400"), "hours"),
    (("--attendee", "P-001", "--add-attendee", "P-002"), "not both"),
])
def test_bad_session_update_exits_2_and_writes_nothing(run, p1, args, named):
    add_session(run)
    before = history_length(run)
    result = run("session", "update", "p1", "S-001", *args)
    assert result.exit_code == 2, result
    assert named in result.stderr and "session S-001" in result.stderr and "Traceback" not in result.stderr
    assert history_length(run) == before


@pytest.mark.parametrize("hours", ["nan", "inf", "-inf", "1e400", "Infinity"])
def test_non_finite_hours_are_refused_when_adding(run, p1, hours):
    before = history_length(run)
    result = run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", hours)
    assert result.exit_code == 2 and "hours" in result.stderr and "Traceback" not in result.stderr
    assert history_length(run) == before


def test_unknown_session_lists_every_known_id(run, p1):
    for day in range(1, 11):
        run("session", "add", "p1", "--date", f"2026-03-{day:02d}", "--format", "virtual", "--hours", "1")
    result = run("session", "update", "p1", "S-404", "--paid")
    assert result.exit_code == 2 and "known ids: S-001 to S-010, 10 in all" in result.stderr
