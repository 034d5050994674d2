"""`coflow verify`: edited, deleted, reordered and inserted events are found, named by
project and first bad event, with exit 5. Each test plays an attacker with direct access
to the SQLite file: it drops the append-only triggers, then changes rows."""

from __future__ import annotations

import json

import pytest
from tampering import open_db as db
from tampering import rewrite_with_recomputed_hashes, tamper


@pytest.fixture
def projects(run):
    """p1 with five events (created, three facts, advanced) and p2 with two."""
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    for key, value in (("sponsor", "Dr A. Mensah"), ("budget", "750"), ("dpia_ref", "DPIA-1")):
        assert run("record", "p1", key, value).exit_code == 0
    assert run("advance", "p1").exit_code == 0
    assert run("new", "p2", "--workflow", "mini").exit_code == 0
    assert run("record", "p2", "sponsor", "Ms B").exit_code == 0
    assert run("verify").exit_code == 0
    return run


def broken_at(result, project: str, seq: int) -> None:
    """Exit 5, a plain message naming the project and event, and no traceback."""
    assert result.exit_code == 5, result
    assert f"project {project}" in result.stderr and f"from event {seq}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ")


def verdicts(run) -> dict:
    result = run("verify", "--json")
    return {p["project"]: p["first_bad_seq"] for p in result.json()["projects"]}


def test_an_untouched_store_verifies_and_says_each_project_is_intact(projects):
    result = projects("verify")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["p1: intact", "p2: intact"]
    assert projects("verify", "--json").json() == {"intact": True, "evidence_files_ok": True, "projects": [
        {"project": "p1", "intact": True, "first_bad_seq": None, "why": None, "evidence": {"files_checked": 0, "files_ok": True, "files": []}},
        {"project": "p2", "intact": True, "first_bad_seq": None, "why": None, "evidence": {"files_checked": 0, "files_ok": True, "files": []}}]}


def test_an_edited_event_is_found_at_its_seq(projects, home):
    tamper(home, "UPDATE events SET data = replace(data, '750', '7500') WHERE project = 'p1' AND seq = 3")
    result = projects("verify")
    broken_at(result, "p1", 3)
    assert "edited" in result.stderr
    assert "p1: NOT INTACT from event 3" in result.stdout and "p2: intact" in result.stdout
    assert verdicts(projects) == {"p1": 3, "p2": None}


def test_a_changed_actor_or_timestamp_is_an_edit_too(projects, home):
    tamper(home, "UPDATE events SET actor = 'someone-else' WHERE project = 'p1' AND seq = 2")
    broken_at(projects("verify"), "p1", 2)
    tamper(home, "UPDATE events SET actor = 'tester' WHERE project = 'p1' AND seq = 2",
           "UPDATE events SET ts = '2020-01-01T00:00:00.000000Z' WHERE project = 'p2' AND seq = 1")
    assert verdicts(projects) == {"p1": None, "p2": 1}


def test_a_deleted_event_in_the_middle_is_found(projects, home):
    tamper(home, "DELETE FROM events WHERE project = 'p1' AND seq = 3")
    broken_at(projects("verify"), "p1", 3)


def test_a_deleted_first_event_is_found(projects, home):
    tamper(home, "DELETE FROM events WHERE project = 'p1' AND seq = 1")
    broken_at(projects("verify"), "p1", 1)


def test_deleting_the_latest_events_is_found_from_the_stores_record_of_the_head(projects, home):
    tamper(home, "DELETE FROM events WHERE project = 'p1' AND seq >= 4")
    result = projects("verify")
    broken_at(result, "p1", 4)
    assert "the latest were deleted" in result.stderr


def test_reordered_events_are_found_at_the_first_moved_one(projects, home):
    tamper(home,
           "UPDATE events SET seq = 100 WHERE project = 'p1' AND seq = 2",
           "UPDATE events SET seq = 2 WHERE project = 'p1' AND seq = 3",
           "UPDATE events SET seq = 3 WHERE project = 'p1' AND seq = 100")
    broken_at(projects("verify"), "p1", 2)


def test_events_swapped_between_rows_with_their_numbers_kept_are_found(projects, home):
    """The attacker swaps everything but seq, so the numbers still run 1, 2, 3..."""
    conn = db(home)
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT seq, ts, actor, type, data, prev_hash, hash FROM events WHERE project = 'p1' AND seq IN (2, 3)")}
    conn.execute("BEGIN")
    for seq, other in ((2, 3), (3, 2)):
        conn.execute("UPDATE events SET ts = ?, actor = ?, type = ?, data = ?, prev_hash = ?, hash = ? "
                     "WHERE project = 'p1' AND seq = ?", (*rows[other], seq))
    conn.execute("COMMIT")
    conn.close()
    broken_at(projects("verify"), "p1", 2)


def test_an_event_inserted_in_the_middle_is_found(projects, home):
    tamper(home,
           "UPDATE events SET seq = seq + 10 WHERE project = 'p1' AND seq >= 3",
           "UPDATE events SET seq = seq - 9 WHERE project = 'p1' AND seq >= 13",
           "INSERT INTO events SELECT project, 3, ts, actor, type, replace(data, 'Dr A. Mensah', 'Nobody'), "
           "prev_hash, hash, account FROM events WHERE project = 'p1' AND seq = 2")
    broken_at(projects("verify"), "p1", 3)


def test_an_event_added_at_the_end_with_a_correct_hash_is_found_from_the_stores_head(projects, home):
    """Chaining the fake event properly is not enough while the store's head says otherwise."""
    from coflow.events import Event

    conn = db(home)
    prev, account = conn.execute("SELECT hash, account FROM events WHERE project = 'p1' AND seq = 5").fetchone()
    fake = Event.make("p1", 6, "tester", "fact_recorded", {"key": "report_ref", "value": "R-1"}, prev,
                      account=account)
    conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (fake.project, fake.seq, fake.ts, fake.actor, fake.type, json.dumps(fake.data), fake.prev_hash,
                  fake.hash, fake.account))
    conn.close()
    result = projects("verify")
    broken_at(result, "p1", 6)
    assert "added without coflow" in result.stderr


def test_a_project_whose_events_all_vanished_is_found_by_verify_and_verify_project(projects, home):
    tamper(home, "DELETE FROM events WHERE project = 'p2'")
    result = projects("verify")
    broken_at(result, "p2", 1)
    assert "all its events are gone" in result.stderr
    broken_at(projects("verify", "p2"), "p2", 1)


def test_verify_project_checks_only_that_project(projects, home):
    tamper(home, "UPDATE events SET data = replace(data, 'Ms B', 'Ms C') WHERE project = 'p2' AND seq = 2")
    assert projects("verify", "p1").exit_code == 0
    broken_at(projects("verify", "p2"), "p2", 2)


def test_every_broken_project_is_listed_not_only_the_first(projects, home):
    tamper(home, "DELETE FROM events WHERE project = 'p1' AND seq = 2",
           "UPDATE events SET data = replace(data, 'Ms B', 'Ms C') WHERE project = 'p2' AND seq = 2")
    result = projects("verify")
    broken_at(result, "p1", 2)
    assert "project p2 does not verify from event 2" in result.stderr
    assert projects("verify", "--json").json()["intact"] is False


def test_verify_of_an_unknown_project_is_a_usage_error(projects):
    result = projects("verify", "nope")
    assert result.exit_code == 2 and "no project called 'nope'" in result.stderr


def test_a_rewrite_that_recomputes_every_later_hash_passes_plain_verify(projects, home):
    """The documented limit (docs/security.md): only an anchor kept elsewhere catches this."""
    rewrite_with_recomputed_hashes(home, "p1", 3, {"key": "budget", "value": 50000})
    assert projects("verify").exit_code == 0
    assert projects("history", "p1", "--json").json()[2]["data"]["value"] == 50000
