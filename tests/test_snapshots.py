"""A project's snapshot (its folded state at its head) is a cache that lets a command start
from the head instead of the first event. It is kept with every write, used only while it
still matches the chain and the store's tables are as coflow left them, and it never makes a
gate pass that the history would not: `verify` and every report fold the history itself.
"""

from __future__ import annotations

import json
import sqlite3

from tampering import tamper

from coflow import config
from coflow.engine import Engine


def db(home) -> sqlite3.Connection:
    return sqlite3.connect(home / ".coflow" / "coflow.db", isolation_level=None)


def snapshot_row(home, project: str) -> tuple | None:
    return db(home).execute("SELECT seq, head_hash, state, fold FROM snapshots WHERE project = ?",
                            (project,)).fetchone()


def forge(home, project: str, **facts) -> None:
    """Change a snapshot's facts as someone with write access could (no trigger guards it)."""
    conn = db(home)
    [(text,)] = conn.execute("SELECT state FROM snapshots WHERE project = ?", (project,)).fetchall()
    state = json.loads(text)
    state["facts"].update(facts)
    conn.execute("UPDATE snapshots SET state = ? WHERE project = ?", (json.dumps(state), project))
    conn.close()


def engine(home) -> Engine:
    return Engine(config.load(home))


def test_every_write_keeps_the_snapshot_at_the_head_of_the_chain(home, run, p1):
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    assert run("record", "p1", "budget", "750").exit_code == 0
    seq, head, state, _fold = snapshot_row(home, "p1")
    history = run("history", "p1", "--json").json()
    assert seq == len(history) == 3 and head == history[-1]["hash"]
    assert json.loads(state)["facts"] == {"sponsor": "Dr A. Mensah", "budget": 750}
    assert "events" not in json.loads(state)  # the events stay in the log only


def test_a_project_restored_from_its_snapshot_equals_the_project_folded_from_its_history(home, run, p1):
    for args in (("record", "p1", "sponsor", "Dr A. Mensah"), ("record", "p1", "budget", "750"),
                 ("participant", "add", "p1", "--lived-experience", "--category", "carer", "--name", "Sam"),
                 ("advance", "p1"), ("reopen", "p1", "--to", "planning", "--reason", "budget was cut"),
                 ("record", "p1", "--unset", "budget", "--reason", "typed in error")):
        result = run(*args)
        assert result.exit_code == 0, (args, result)
    eng = engine(home)
    restored = eng.get("p1")
    assert restored._earlier is not None  # it did start from the snapshot, not the first event
    folded = eng.fold("p1", eng.store.events("p1"))
    assert restored == folded  # every field, the events too (read when asked for)
    assert [e.seq for e in restored.events] == list(range(1, folded.seq + 1))


def test_events_written_after_an_older_snapshot_are_folded_on_top_of_it(home, run, p1):
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    older = snapshot_row(home, "p1")
    assert run("record", "p1", "budget", "750").exit_code == 0
    assert run("record", "p1", "dpia_ref", "IG-1").exit_code == 0
    conn = db(home)  # put the older snapshot back: it is behind the head by two events
    conn.execute("UPDATE snapshots SET seq = ?, head_hash = ?, state = ? WHERE project = 'p1'", older[:3])
    conn.close()
    assert run("check", "p1").exit_code == 0  # budget and DPIA come from the events after it
    eng = engine(home)
    restored = eng.get("p1")
    assert restored._earlier is not None and restored.facts == {"sponsor": "Dr A. Mensah", "budget": 750,
                                                               "dpia_ref": "IG-1"}
    assert restored == eng.fold("p1", eng.store.events("p1"))


def test_a_changed_snapshot_is_caught_by_verify_and_never_reaches_a_report(home, run, p1):
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    assert run("check", "p1").exit_code == 1  # no budget yet
    forge(home, "p1", budget=900)
    # until verify, the changed snapshot is what everyday commands start from (docs/security.md)
    assert run("check", "p1").exit_code == 0
    report = run("report", "p1", "--format", "json")
    assert report.exit_code == 0  # a report is folded from the history, not the snapshot
    assert {c["id"]: c["status"] for c in report.json()["current_gate"]["checks"]}["budget"] == "fail"
    verify = run("verify")
    assert verify.exit_code == 5, verify
    assert "saved state of the project" in verify.stdout + verify.stderr
    assert json.loads(snapshot_row(home, "p1")[2])["facts"] == {"sponsor": "Dr A. Mensah"}  # rebuilt
    assert run("check", "p1").exit_code == 1
    assert run("verify").exit_code == 0  # the history itself was never changed


def test_a_snapshot_is_not_trusted_once_the_append_only_trigger_was_dropped(home, run, p1):
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    forge(home, "p1", budget=900)
    tamper(home, "SELECT 1")  # drops the append-only triggers, as an editor of the history would
    check = run("check", "p1", "--json")
    assert check.exit_code == 1  # from the history: the budget is still missing
    assert "budget" in [c["id"] for c in check.json()["checks"] if c["status"] != "pass"]
    assert run("verify").exit_code == 5  # the changed snapshot is reported...
    assert run("verify").exit_code == 0  # ...and rebuilt; the triggers are back and the store is sealed
    assert {r[0] for r in db(home).execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")} >= {
        "events_append_only_update", "events_append_only_delete"}


def test_an_open_store_sees_a_trigger_dropped_by_another_connection_after_it_found_the_seal(home, run, p1):
    """A long-running process (a script, a service) keeps its store open: the seal it found
    once must not outlive a schema change made by someone else."""
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    eng = engine(home)
    assert eng.store.schema_sealed() is True
    first = eng.get("p1")
    assert first._earlier is not None and first.facts["sponsor"] == "Dr A. Mensah"  # from the snapshot
    forge(home, "p1", budget=900)
    tamper(home, "SELECT 1")  # drops the append-only triggers through another connection
    assert eng.store.schema_sealed() is False
    again = eng.get("p1")
    assert again._earlier is None and "budget" not in again.facts  # folded from the history, not the forged snapshot
    eng.store.close()


def test_a_snapshot_made_by_other_reducers_is_not_used_and_verify_rebuilds_it(home, run, p1):
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    db(home).execute("UPDATE snapshots SET fold = 'an older coflow', state = '{}' WHERE project = 'p1'")
    assert run("check", "p1", "--json").json()["checks"][0]["status"] == "pass"  # from the history
    verify = run("verify")
    assert verify.exit_code == 0, verify  # stale, not changed: nothing to report
    assert snapshot_row(home, "p1")[3] == engine(home).fold_id


def test_a_long_history_without_a_snapshot_gets_one_when_read(home, run, p1):
    eng = engine(home)
    actor = eng.account
    eng.change_many("p1", actor, lambda s, v, tx: (("fact_recorded", {"key": "note", "value": n}) for n in range(150)))
    db(home).execute("DELETE FROM snapshots")  # as a store from before snapshots
    assert run("check", "p1").exit_code == 1
    seq, head, _state, _fold = snapshot_row(home, "p1")
    assert seq == 151 and head == run("history", "p1", "--json").json()[-1]["hash"]


def test_a_write_past_a_broken_history_leaves_no_snapshot_of_it(home, run, p1):
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    before = snapshot_row(home, "p1")
    tamper(home, "UPDATE events SET data = replace(data, 'Mensah', 'Smith') WHERE project = 'p1' AND seq = 2")
    forced = run("record", "p1", "budget", "750", "--force", "--reason", "the board meets today")
    assert forced.exit_code == 0, forced
    assert snapshot_row(home, "p1") == before  # not moved on: a snapshot is made only from a history that verifies


def test_coflow_own_reducers_keep_only_values_that_survive_json_so_a_write_need_not_check_the_round_trip():
    from report_samples import chain, sample_events

    from coflow.engine import fold
    from coflow.kinds import builtin
    from coflow.snapshot import coflow_only, encode

    reducers = builtin().reducers
    assert coflow_only(reducers)  # what lets a write skip the round trip
    events = chain("carers-hub", sample_events())
    assert len({e.type for e in events}) >= 15  # a history with every kind of record
    for end in range(1, len(events) + 1):  # the state after each event, not only the last
        state = fold("carers-hub", events[:end], reducers)
        checked = encode(state)
        assert checked is not None and checked == encode(state, faithful=True), events[end - 1].type


def test_a_plugin_reducer_keeping_a_tuple_gets_no_snapshot_rather_than_a_wrong_one():
    from coflow.project import ProjectState
    from coflow.snapshot import coflow_only, encode

    def plugin_reducer(state, event):  # a plugin's, not coflow's
        state.facts["pair"] = (1, 2)

    plugin_reducer.__module__ = "council_plugin"
    assert not coflow_only({"pair_set": plugin_reducer})
    state = ProjectState("p1", facts={"pair": (1, 2)})
    assert encode(state) is None  # a tuple comes back as a list: folded from the events instead
