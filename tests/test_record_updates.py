"""Updating a record decides what changes inside the write transaction, so an identical
change that lands first (another person, another terminal) leaves nothing to write: no
empty *_updated event, and the command says "nothing to change"."""

from __future__ import annotations

import pytest

from coflow import config
from coflow.engine import Engine
from coflow.records import feedback, participants, payments, sessions


class RacedEngine(Engine):
    """An engine whose next change is preceded by `rival`: a command that lands between
    this command reading the project and taking the write lock."""

    rival = None

    def change(self, *args, **kwargs):
        if self.rival is not None:
            rival, self.rival = self.rival, None
            rival()
        return super().change(*args, **kwargs)


@pytest.fixture
def engines(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("participant", "add", "p1", "--lived-experience", "--name", "Sam Jones").exit_code == 0
    assert run("payment", "add", "p1", "--participant", "P-001", "--amount", "25", "--status", "pending").exit_code == 0
    assert run("feedback", "add", "p1", "--said", "Meet in the evening").exit_code == 0
    assert run("session", "add", "p1", "--date", "2026-01-10", "--title", "Kick-off", "--format", "virtual",
               "--hours", "2").exit_code == 0
    return RacedEngine(config.load(home)), Engine(config.load(home))


def updates(engine, kind):
    return [e.type for e in engine.get("p1").events if e.type == f"{kind}_updated"]


@pytest.mark.parametrize(("kind", "module", "record", "fields"), [
    ("payment", payments, "PAY-001", {"status": "paid"}),
    ("feedback", feedback, "F-001", {"status": "adopted", "response": "Sessions moved to 6pm"}),
    ("participant", participants, "P-001", {"trained": "2026-01-05", "email": "sam@example.org"}),
    ("session", sessions, "S-001", {"hours": 3}),
])
def test_an_identical_change_that_lands_first_leaves_nothing_to_write(engines, kind, module, record, fields):
    raced, other = engines
    raced.rival = lambda: module.update(other, "p1", "someone-else", record, **fields)
    result, changed = module.update(raced, "p1", "tester", record, **fields)
    assert changed is False
    assert updates(other, kind) == [f"{kind}_updated"]  # the rival's, and no empty second one
    for key, value in fields.items():
        if key in result:
            assert result[key] == value


def test_attendance_recorded_first_by_someone_else_leaves_nothing_to_write(engines):
    raced, other = engines
    raced.rival = lambda: sessions.attend(other, "p1", "someone-else", "S-001", ["P-001"])
    session, added = sessions.attend(raced, "p1", "tester", "S-001", ["P-001"])
    assert added == [] and session["attendance"] == ["P-001"]
    assert [e.type for e in other.get("p1").events].count("attendance_recorded") == 1


def test_an_update_that_changes_nothing_exits_0_and_says_so(run, engines):
    assert run("payment", "update", "p1", "PAY-001", "--status", "paid").exit_code == 0
    again = run("payment", "update", "p1", "PAY-001", "--status", "paid")
    assert again.exit_code == 0 and "Nothing to change" in again.stdout
    assert len(updates(engines[1], "payment")) == 1


def test_a_build_that_returns_none_writes_no_event_and_gives_the_current_state(engines):
    _, engine = engines
    before = engine.get("p1").seq
    event, state = engine.change("p1", "tester", "fact_recorded", lambda s, v, tx: None)
    assert event is None and state.seq == before == engine.get("p1").seq
