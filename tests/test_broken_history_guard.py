"""A project whose history does not verify: reading it warns, writing to it is refused
(exit 5) unless --force with a reason, which is recorded. Through the command line."""

from __future__ import annotations

import sqlite3

from tampering import tamper

EDITED = "UPDATE events SET data = replace(data, '600', '6000') WHERE project = 'p1' AND seq = 3"


def raw_count(home, project: str = "p1") -> int:
    with sqlite3.connect(home / ".coflow" / "coflow.db") as db:
        return db.execute("SELECT count(*) FROM events WHERE project = ?", (project,)).fetchone()[0]


def project_with_history(run) -> None:
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    assert run("record", "p1", "budget", "600").exit_code == 0
    assert run("participant", "add", "p1").exit_code == 0


def test_reading_a_tampered_project_warns_on_stderr_and_keeps_its_exit_code(run, home):
    project_with_history(run)
    assert "Warning" not in run("status", "p1").stderr  # intact: nothing said
    tamper(home, EDITED)
    status = run("status", "p1")
    assert status.exit_code == 0
    assert status.stderr.count("Warning: the history of project p1 does not verify: event 3") == 1
    assert "coflow verify p1" in status.stderr
    check = run("check", "p1", "--json")
    assert check.exit_code == 0 and check.json()["project"] == "p1"  # stdout is still one JSON document
    assert "does not verify" in check.stderr
    assert "does not verify" in run("history", "p1").stderr
    assert "does not verify" in run("status").stderr  # every project
    assert run("verify", "p1").exit_code == 5


def test_writing_to_a_tampered_project_is_refused_with_exit_5_and_nothing_written(run, home, tmp_path):
    project_with_history(run)
    tamper(home, EDITED)
    before = raw_count(home)
    doc = tmp_path / "minutes.txt"
    doc.write_text("minutes")
    for args in (["record", "p1", "dpia_ref", "D-1"], ["participant", "add", "p1"],
                 ["participant", "update", "p1", "P-001", "--role", "co-chair"],
                 ["session", "add", "p1", "--date", "2026-01-05", "--format", "in-person", "--hours", "2"],
                 ["evidence", "add", "p1", "--kind", "minutes", "--file", str(doc)],
                 ["advance", "p1"], ["record", "p1", "--unset", "sponsor", "--reason", "typo"]):
        result = run(*args)
        assert result.exit_code == 5, (args, result)
        assert "p1's history does not verify (event 3" in result.stderr and "nothing was written" in result.stderr
        assert "--force --reason" in result.stderr
    assert raw_count(home) == before


def test_force_with_a_reason_writes_and_records_who_why_and_which_break(run, home):
    project_with_history(run)
    tamper(home, EDITED)
    before = raw_count(home)
    no_reason = run("record", "p1", "dpia_ref", "D-1", "--force")
    assert no_reason.exit_code == 2 and "--force needs a reason" in no_reason.stderr
    blank = run("participant", "add", "p1", "--force", "--reason", "   ")
    assert blank.exit_code == 2
    assert raw_count(home) == before
    forced = run("record", "p1", "dpia_ref", "D-1", "--force", "--reason", "the DPIA must be on file today")
    assert forced.exit_code == 0, forced
    events = run("history", "p1", "--json").json()
    noted, recorded = events[-2:]
    assert noted["type"] == "history_break_noted" and noted["actor"] == "tester"
    assert noted["data"]["broken_at"] == 3 and "does not match its hash" in noted["data"]["why"]
    assert noted["data"]["reason"] == "the DPIA must be on file today"
    assert recorded["type"] == "fact_recorded" and recorded["data"]["key"] == "dpia_ref"
    assert "wrote on although the history does not verify (event 3" in run("history", "p1").stdout
    # the next change is refused again: each forced write is its own decision
    assert run("record", "p1", "dpia_ref", "D-2").exit_code == 5
    other = run("participant", "add", "p1", "--force", "--reason", "late recruit")
    assert other.exit_code == 0, other
    assert run("history", "p1", "--json").json()[-2]["type"] == "history_break_noted"
    # a command with its own --reason uses it for --force too
    reopen_like = run("advance", "p1", "--force", "--reason", "board decision")
    assert reopen_like.exit_code in (0, 1), reopen_like
    assert run("history", "p1", "--json").json()[-2]["data"]["reason"] == "board decision"


def test_deleted_latest_events_are_caught_by_the_recorded_head(run, home):
    project_with_history(run)
    tamper(home, "DELETE FROM events WHERE project = 'p1' AND seq = 4")
    status = run("status", "p1")
    assert status.exit_code == 0 and "does not verify: event 4" in status.stderr
    refused = run("record", "p1", "dpia_ref", "D-1")
    assert refused.exit_code == 5


def test_force_on_an_intact_project_writes_no_break_event_and_reason_needs_force(run, home):
    project_with_history(run)
    result = run("record", "p1", "dpia_ref", "D-1", "--force", "--reason", "just in case")
    assert result.exit_code == 0
    assert [e["type"] for e in run("history", "p1", "--json").json()][-1] == "fact_recorded"
    assert "history_break_noted" not in [e["type"] for e in run("history", "p1", "--json").json()]
    stray = run("participant", "add", "p1", "--reason", "no force")
    assert stray.exit_code == 2 and "--reason goes with --force" in stray.stderr


def test_other_projects_in_the_same_store_are_not_affected(run, home):
    project_with_history(run)
    assert run("new", "p2", "--workflow", "mini").exit_code == 0
    tamper(home, EDITED)
    fine = run("record", "p2", "sponsor", "Dr B")
    assert fine.exit_code == 0 and "Warning" not in fine.stderr
    assert "p1" not in run("status", "p2").stderr


def test_a_withdrawal_reason_is_personal_so_it_is_never_the_force_reason(run, home):
    project_with_history(run)
    tamper(home, EDITED)
    before = raw_count(home)
    result = run("participant", "update", "p1", "P-001", "--withdrawn", "2026-01-05", "--reason", "moved away",
                 "--force")
    assert result.exit_code == 2 and "personal and never goes in the history" in result.stderr
    assert raw_count(home) == before
    forced = run("participant", "update", "p1", "P-001", "--role", "co-chair", "--force", "--reason", "board")
    assert forced.exit_code == 0, forced
    assert run("history", "p1", "--json").json()[-2]["data"]["reason"] == "board"
