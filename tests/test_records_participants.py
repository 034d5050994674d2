"""Participants: added, listed, updated, forgotten and exported; personal data never in the log."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys

import pytest
from cli_helpers import history_length

TOMORROW = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)).isoformat()


def events_text(home) -> str:
    """Every event's data as stored, for searching for what must never be there."""
    with sqlite3.connect(home / ".coflow" / "coflow.db") as conn:
        return "\n".join(row[0] for row in conn.execute("SELECT data FROM events"))


def personal_rows(home) -> list[tuple]:
    with sqlite3.connect(home / ".coflow" / "coflow.db") as conn:
        return list(conn.execute("SELECT project, participant, data FROM personal"))


def add_sam(run):
    result = run("participant", "add", "p1", "--lived-experience", "--category", "carer", "--group", "young-carers",
                 "--group", "rural", "--route", "community-partner", "--name", "Sam Okafor",
                 "--email", "sam.okafor@example.org", "--phone", "07700 900123", "--address", "1 Mill Lane",
                 "--access-needs", "needs a hearing loop", "--credit", "initials", "--json")
    assert result.exit_code == 0, result
    return result.json()


def test_participant_add_records_pseudonymous_fields_and_gives_the_next_id(run, p1):
    sam = add_sam(run)
    assert sam["id"] == "P-001"
    assert sam["lived_experience"] is True and sam["category"] == "carer"
    assert sam["groups"] == ["young-carers", "rural"] and sam["route"] == "community-partner"
    assert sam["access_needs"] is True and sam["access_needs_met"] is False
    assert sam["credit"] == "initials" and sam["role"] == "partner" and sam["erased"] is False
    staff = run("participant", "add", "p1", "--role", "staff", "--json").json()
    assert staff["id"] == "P-002" and staff["lived_experience"] is False
    listed = run("participant", "list", "p1", "--json").json()
    assert [p["id"] for p in listed] == ["P-001", "P-002"]
    assert "personal" not in listed[0]


def test_personal_data_goes_to_the_personal_table_never_the_event_log(run, home, p1):
    add_sam(run)
    run("participant", "update", "p1", "P-001", "--email", "sam.new@example.org", "--name", "Samuel Okafor")
    text = events_text(home)
    for secret in ("Sam Okafor", "Samuel", "sam.okafor@example.org", "sam.new@example.org", "07700", "Mill Lane",
                   "hearing loop"):
        assert secret not in text
    (row,) = personal_rows(home)
    assert row[:2] == ("p1", "P-001")
    assert "Samuel Okafor" in row[2] and "sam.new@example.org" in row[2] and "hearing loop" in row[2]
    last = run("history", "p1", "--json").json()[-1]
    assert last["type"] == "participant_updated"
    assert last["data"] == {"id": "P-001", "changes": {}, "personal_fields": ["email", "name"]}


def test_participant_list_shows_personal_details_only_when_asked(run, p1):
    add_sam(run)
    plain = run("participant", "list", "p1")
    assert plain.exit_code == 0 and "P-001" in plain.stdout and "Sam Okafor" not in plain.stdout
    personal = run("participant", "list", "p1", "--personal")
    assert "Sam Okafor" in personal.stdout and "sam.okafor@example.org" in personal.stdout
    as_json = run("participant", "list", "p1", "--personal", "--json").json()
    assert as_json[0]["personal"]["name"] == "Sam Okafor"


def test_participant_update_sets_dates_role_and_access_needs_met(run, p1):
    add_sam(run)
    result = run("participant", "update", "p1", "P-001", "--training", "2026-02-10", "--induction", "2026-02-12",
                 "--access-needs-met", "--role", "co-chair", "--json")
    assert result.exit_code == 0, result
    record = result.json()
    assert record["trained"] == "2026-02-10" and record["inducted"] == "2026-02-12"
    assert record["access_needs_met"] is True and record["role"] == "co-chair"
    event = run("history", "p1", "--json").json()[-1]
    assert event["data"]["changes"] == {"trained": "2026-02-10", "inducted": "2026-02-12",
                                        "access_needs_met": True, "role": "co-chair"}


def test_a_new_access_need_is_not_met_until_someone_says_so(run, p1):
    add_sam(run)
    run("participant", "update", "p1", "P-001", "--access-needs-met")
    record = run("participant", "update", "p1", "P-001", "--access-needs", "needs large print too", "--json").json()
    assert record["access_needs"] is True and record["access_needs_met"] is False
    cleared = run("participant", "update", "p1", "P-001", "--no-access-needs", "--json").json()
    assert cleared["access_needs"] is False
    export = run("participant", "export", "p1", "P-001").json()
    assert "access_needs" not in export["personal"]


def test_update_that_changes_nothing_writes_nothing(run, p1):
    add_sam(run)
    run("participant", "update", "p1", "P-001", "--training", "2026-02-10")
    before = history_length(run)
    again = run("participant", "update", "p1", "P-001", "--training", "2026-02-10")
    assert again.exit_code == 0 and "Nothing to change" in again.stdout
    assert history_length(run) == before
    empty = run("participant", "update", "p1", "P-001")
    assert empty.exit_code == 2 and "nothing to change" in empty.stderr
    assert history_length(run) == before


@pytest.mark.parametrize("args, field", [
    (("update", "p1", "P-001", "--training", TOMORROW), "training: "),
    (("update", "p1", "P-001", "--induction", "12/02/2026"), "induction: "),
    (("update", "p1", "P-001", "--email", "not-an-email"), "email"),
    (("update", "p1", "P-001", "--role", "Co Chair"), "role"),
    (("update", "p1", "P-404", "--training", "2026-02-10"), "P-404"),
    (("add", "p1", "--training", TOMORROW), "training: "),
    (("add", "p1", "--id", "P-001"), "id"),
    (("add", "p1", "--lived-experience", "--phone", "call me"), "phone"),
])
def test_bad_participant_input_exits_2_names_the_field_and_writes_nothing(run, home, p1, args, field):
    add_sam(run)
    before, personal_before = history_length(run), personal_rows(home)
    result = run("participant", *args)
    assert result.exit_code == 2, result
    assert field in result.stderr and "Traceback" not in result.stderr
    assert history_length(run) == before
    assert personal_rows(home) == personal_before


def test_forget_erases_personal_data_keeps_the_tombstone_and_the_chain_verifies(run, home, p1):
    add_sam(run)
    run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", "2", "--attendee", "P-001")
    result = run("participant", "forget", "p1", "P-001", "--reason", "asked to be removed")
    assert result.exit_code == 0, result
    assert personal_rows(home) == []
    record = run("participant", "list", "p1", "--json").json()[0]
    assert record["id"] == "P-001" and record["erased"] is True
    last = run("history", "p1", "--json").json()[-1]
    assert last["type"] == "participant_forgotten" and last["data"] == {"id": "P-001", "reason": "asked to be removed"}
    assert run("verify").exit_code == 0
    assert run("session", "list", "p1", "--json").json()[0]["attendance"] == ["P-001"]
    export = run("participant", "export", "p1", "P-001").json()
    assert export["personal"] is None and export["participant"]["erased"] is True


def test_forget_needs_a_reason_and_cannot_happen_twice(run, home, p1):
    add_sam(run)
    before = history_length(run)
    no_reason = run("participant", "forget", "p1", "P-001", "--reason", "  ")
    assert no_reason.exit_code == 2 and "reason" in no_reason.stderr
    assert history_length(run) == before and len(personal_rows(home)) == 1
    assert run("participant", "forget", "p1", "P-001", "--reason", "asked").exit_code == 0
    twice = run("participant", "forget", "p1", "P-001", "--reason", "asked")
    assert twice.exit_code == 2 and "forgotten" in twice.stderr
    changed = run("participant", "update", "p1", "P-001", "--training", "2026-02-10")
    assert changed.exit_code == 2 and history_length(run) == before + 1


def test_export_returns_everything_held_about_one_participant(run, home, p1):
    add_sam(run)
    run("participant", "add", "p1", "--lived-experience", "--name", "Someone Else", "--signs-as", "other")
    (home / "coflow.toml").write_text((home / "coflow.toml").read_text() + '\n[actors.p001]\nroles = ["co-chair"]\n')
    run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", "2",
        "--attendee", "P-001", "--attendee", "P-002", "--paid")
    run("session", "add", "p1", "--date", "2026-03-11", "--format", "virtual", "--hours", "1", "--agenda-by", "P-001")
    run("session", "add", "p1", "--date", "2026-03-18", "--format", "virtual", "--hours", "1", "--attendee", "P-002")
    run("payment", "add", "p1", "--participant", "P-001", "--session", "S-001", "--amount", "25", "--status", "paid")
    run("payment", "add", "p1", "--participant", "P-002", "--session", "S-001", "--amount", "25", "--status", "paid")
    assert run("participant", "update", "p1", "P-001", "--signs-as", "p001").exit_code == 0  # co-chair is lived-experience
    assert run("signoff", "p1", "--role", "co-chair", actor="p001").exit_code == 0
    export = run("participant", "export", "p1", "P-001").json()
    assert export["participant"]["id"] == "P-001"
    assert export["personal"] == {"name": "Sam Okafor", "email": "sam.okafor@example.org", "phone": "07700 900123",
                                  "address": "1 Mill Lane", "access_needs": "needs a hearing loop"}
    assert [(s["id"], s["attended"], s["agenda_coauthor"]) for s in export["sessions"]] == [
        ("S-001", True, False), ("S-002", False, True)]
    assert [p["id"] for p in export["payments"]] == ["PAY-001"]
    assert [(s["role"], s["actor"]) for s in export["signoffs"]] == [("co-chair", "p001")]
    assert [e["type"] for e in export["history"]] == ["participant_added", "session_recorded", "session_recorded",
                                                      "payment_recorded", "participant_updated"]
    assert "Someone Else" not in str(export)


def test_unknown_project_or_participant_is_exit_2(run, p1):
    assert run("participant", "list", "nope").exit_code == 2
    missing = run("participant", "export", "p1", "P-009")
    assert missing.exit_code == 2 and "P-009" in missing.stderr


def test_the_fold_knows_the_record_reducers_without_importing_them(home):
    """In a fresh process: coflow.project.fold alone folds a participant in (no import of
    coflow.records first), and the registered record kinds hold every record event type."""
    code = ("import coflow.project as p, coflow.events as ev; "
            "c = ev.Event.make('p1', 1, 'a', 'created', {'workflow': {'id': 'w', 'version': '1', 'hash': 'h'}, "
            "'stage': 's'}, ev.GENESIS_HASH); "
            "a = ev.Event.make('p1', 2, 'a', 'participant_added', {'id': 'P-001'}, c.hash); "
            "print(list(p.fold('p1', [c, a]).participants)); "
            "from coflow.kinds import builtin; "
            "print(sorted(t for t in builtin().reducers if t not in ('created','fact_recorded','fact_unset','advanced','reopened','migrated','relabelled','due_set')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    folded, reducers = out.strip().splitlines()
    assert folded == "['P-001']"
    assert reducers == str(sorted([
        "participant_added", "participant_updated", "participant_forgotten", "session_recorded",
        "session_updated", "attendance_recorded", "payment_recorded", "payment_updated", "evidence_added", "evidence_updated", "evidence_withdrawn", "feedback_recorded",
        "feedback_updated", "signed_off", "assessed", "group_named", "group_action_recorded"]))


def test_forgotten_personal_data_is_gone_from_every_store_file_on_disk(run_process, home):
    """Erasure means the bytes too: not left in the main file's free pages or the WAL."""
    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    added = run_process("participant", "add", "p1", "--lived-experience", "--name", "Zebedee Quartermain",
                        "--email", "zq@example.org")
    assert added.exit_code == 0, added
    files = lambda: b"".join(p.read_bytes() for p in (home / ".coflow").glob("coflow.db*"))  # noqa: E731
    assert b"Zebedee Quartermain" in files()  # the check below can fail
    assert run_process("participant", "forget", "p1", "P-001", "--reason", "asked").exit_code == 0
    assert b"Zebedee Quartermain" not in files()
    assert b"zq@example.org" not in files()


@pytest.mark.parametrize("args, option", [
    (("add", "p1", "--induction", "2026-13-01"), "new participant: induction: '2026-13-01' is not a date"),
    (("add", "p1", "--training", "soon"), "new participant: training: 'soon' is not a date"),
    (("update", "p1", "P-001", "--induction", "nope"), "participant P-001: induction: 'nope' is not a date"),
    (("update", "p1", "P-001", "--training", "2026-02-30"), "participant P-001: training: '2026-02-30' is not a date"),
])
def test_date_problems_name_the_option_that_was_typed(run, p1, args, option):
    add_sam(run)
    result = run("participant", *args)
    assert result.exit_code == 2 and option in result.stderr
    assert "inducted" not in result.stderr and "trained" not in result.stderr


def test_unknown_participant_hint_leaves_no_known_id_out(run, p1):
    for _ in range(9):
        assert run("participant", "add", "p1").exit_code == 0
    result = run("participant", "update", "p1", "P-020", "--training", "2026-01-01")
    assert result.exit_code == 2 and "known ids: P-001 to P-009, 9 in all" in result.stderr
    few = run("participant", "export", "p1", "P-404")
    assert few.exit_code == 2 and "P-009" in few.stderr


def test_status_in_a_fresh_process_counts_participants_recorded_by_another(run_process, home):
    (home / "workflows" / "people.toml").write_text(
        'schema = 1\n[workflow]\nid = "people"\nversion = "1"\ntitle = "People"\n'
        '[stages.start]\ntitle = "Start"\nnext = "end"\n'
        '[[stages.start.checks]]\nid = "partners"\ntype = "participants"\nmin = 1\nlived_experience = true\n'
        'title = "A partner with lived experience"\n'
        '[stages.end]\ntitle = "End"\nfinal = true\n', encoding="utf-8")
    assert run_process("new", "p1", "--workflow", "people").exit_code == 0
    assert run_process("participant", "add", "p1", "--lived-experience").exit_code == 0
    status = run_process("status", "p1", "--json")
    assert status.exit_code == 0, status
    assert status.json()["passes"] is True
