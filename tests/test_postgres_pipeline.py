"""PostgreSQL write transactions are pipelined: the client waits for the server only where it
reads an answer. BEGIN travels with the first read, and the writes travel with COMMIT, so an
advance waits once per read plus once for the commit. Errors the server reports late still
mean what they mean."""

from __future__ import annotations

import pytest

from coflow import config
from coflow.engine import Engine
from coflow.errors import ConcurrentChange
from coflow.events import GENESIS_HASH, Event

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine(home, pg_url):
    cfg = config.load(home)
    cfg.store = pg_url
    opened = Engine(cfg)
    yield opened
    opened.store.close()


def flights(trace: str) -> list[list[str]]:
    """The server's answers, one list per round trip (libpq's trace: one line per message,
    F from the client, B from the server), as the answers' command tags."""
    found: list[list[str]] = []
    side = "F"
    for line in trace.splitlines():
        parts = line.split("\t")
        if len(parts) < 4:
            continue
        if parts[1] == "B" and side == "F":
            found.append([])
        side = parts[1]
        if side == "B" and parts[3] == "CommandComplete":
            found[-1].append(parts[4].strip().strip('"').split()[0])
    return found


def test_an_advance_waits_once_per_read_and_once_for_the_commit(engine, tmp_path):
    me = engine.account
    for project in ("p1", "p2"):
        engine.create(project, "mini", me)
        engine.record_fact(project, "sponsor", "Dr A. Example", me)
        engine.record_fact(project, "budget", 750, me)
    assert engine.advance("p1", me).advanced  # the statements are prepared by now
    pgconn = engine.store.conn.pgconn
    path = tmp_path / "trace.txt"
    with open(path, "w", encoding="utf-8") as out:
        pgconn.trace(out.fileno())
        pgconn.set_trace_flags(0)
        try:
            result = engine.advance("p2", me)
        finally:
            pgconn.untrace()
    assert result.advanced
    answers = flights(path.read_text(encoding="utf-8"))
    assert answers[0][0] == "BEGIN"  # BEGIN waited for nothing: it came back with the first read
    *reads, last = [tags for tags in answers if tags != ["BEGIN"]]
    assert all(tags[-1] == "SELECT" and "INSERT" not in tags for tags in reads), answers
    assert last[-1] == "COMMIT" and last.count("INSERT") >= 2, answers  # the event and project row with COMMIT
    assert len(answers) == len(reads) + 1 <= 6, answers
    assert [e.type for e in engine.history("p2")][-1] == "advanced"


def test_a_taken_sequence_number_reported_at_commit_is_a_concurrent_change_and_the_store_goes_on(engine):
    me = engine.account
    engine.create("p1", "mini", me)
    store = engine.store
    rival = Event.make("p1", 1, me, "fact_recorded", {"key": "a", "value": 1}, GENESIS_HASH, account=me)
    with pytest.raises(ConcurrentChange), store.transaction() as tx:
        tx.append(rival)  # nothing read after it: the server's answer comes with COMMIT
        tx.put_personal("p1", "P-001", {"name": "Ada"})
    assert [e.type for e in store.events("p1")] == ["created"]
    assert store.get_personal("p1", "P-001") is None
    assert engine.record_fact("p1", "sponsor", "Dr A. Example", me).seq == 2  # the connection is usable
