"""Every store behaves alike: SQLite and PostgreSQL pass one set of tests (the hash rule of docs/security.md).

Tests taking `store_url` run once per store; PostgreSQL runs on a real server on 127.0.0.1
(tests/pg_server.py) and skips, with the reason shown, when no server can be had.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from coflow.errors import ConcurrentChange, StoreBusy, StoreError
from coflow.events import GENESIS_HASH, Event, first_break
from coflow.storage.base import ProjectRow

STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def open_store(url: str, **options):
    if url.startswith("sqlite:"):
        from coflow.storage.sqlite import SqliteStore

        return SqliteStore(url, **options)
    from coflow.storage.postgres import PostgresStore

    return PostgresStore(url, **options)


@pytest.fixture(params=STORES)
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store/coflow.db"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(store_url):
    opened = open_store(store_url, busy_timeout=5)
    yield opened
    opened.close()


def raw(store, sql: str, params: tuple = ()):
    """Run SQL on the store's own connection, as someone with database access could."""
    if store.url.startswith("sqlite:"):
        return store.conn.execute(sql, params).fetchall()
    cur = store.conn.execute(sql.replace("?", "%s"), params)
    return cur.fetchall() if cur.description else []


def disable_append_only(store) -> None:
    """What someone with write access would do to edit history behind coflow's back."""
    if store.url.startswith("sqlite:"):
        raw(store, "DROP TRIGGER events_append_only_update")
    else:
        raw(store, "ALTER TABLE events DISABLE TRIGGER events_append_only")


def chain(project: str, datas: list[dict], start: int = 1, prev: str = GENESIS_HASH) -> list[Event]:
    events = []
    for seq, data in enumerate(datas, start=start):
        event = Event.make(project, seq, "tester", "fact_recorded", data, prev,
                           ts=f"2026-03-04T10:00:{seq:02d}.000001Z")
        events.append(event)
        prev = event.hash
    return events


def append_all(store, events: list[Event]) -> None:
    for event in events:
        with store.transaction() as tx:
            tx.events(event.project)
            tx.append(event)


TRICKY = [
    {"key": "name_free", "value": "Zoë Ñandú — 😀 \u2028 \"quoted\" back\\slash"},
    {"key": "budget", "value": 750.0},
    {"key": "tiny", "value": 1e-7, "big": 12345678901234567890, "neg": -0.5},
    {"key": "nested", "value": {"z": [1, 2.5, None, True, False], "a": {"é": "ü"}}},
    {"key": "date", "value": dt.date(2026, 3, 4)},
    {"key": "empty", "value": "", "list": []},
]


# -- the event log -----------------------------------------------------------------------------

def test_events_read_back_exactly_as_written_and_their_chain_verifies(store):
    events = chain("p1", TRICKY)
    append_all(store, events)
    read = store.events("p1")
    assert read == events
    assert first_break(read) is None
    assert [e.hash for e in store.iter_all_events()] == [e.hash for e in events]


def test_fixed_events_have_the_same_hashes_in_every_store(tmp_path, pg_url):
    events = chain("p1", TRICKY)
    hashes = {}
    for url in (f"sqlite:///{tmp_path}/coflow.db", pg_url):
        store = open_store(url)
        append_all(store, events)
        hashes[url.split(":", 1)[0]] = [(e.seq, e.hash) for e in store.events("p1")]
        assert first_break(store.events("p1")) is None
        store.close()
    assert hashes["sqlite"] == hashes["postgresql"] == [(e.seq, e.hash) for e in events]


def test_append_with_a_taken_sequence_number_raises_concurrent_change_and_writes_nothing(store):
    first = chain("p1", [{"key": "a", "value": 1}])
    append_all(store, first)
    rival = Event.make("p1", 1, "other", "fact_recorded", {"key": "b", "value": 2}, GENESIS_HASH)
    with pytest.raises(ConcurrentChange) as caught, store.transaction() as tx:
        tx.put_personal("p1", "P-001", {"name": "Ada"})
        tx.append(rival)
    assert caught.value.exit_code == 4
    assert store.events("p1") == first
    assert store.get_personal("p1", "P-001") is None  # the whole transaction was rolled back


def test_an_error_inside_a_transaction_writes_nothing(store):
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.append(chain("p1", [{"key": "a", "value": 1}])[0])
        tx.save_project(ProjectRow("p1", "mini", "h", "planning", 1, "x", "2026-01-01T00:00:00.000000Z"))
        tx.put_personal("p1", "P-001", {"name": "Ada"})
        tx.add_outbox("p1", 1, "email", {"event": 1})
        raise RuntimeError("the check crashed")
    assert store.events("p1") == []
    assert store.project("p1") is None
    assert store.get_personal("p1", "P-001") is None
    assert store.outbox() == []


def test_events_cannot_be_updated_deleted_or_truncated(store):
    append_all(store, chain("p1", [{"key": "a", "value": 1}, {"key": "b", "value": 2}]))
    before = store.events("p1")
    attempts = ["UPDATE events SET actor = 'mallory' WHERE seq = 1",
                "DELETE FROM events WHERE seq = 2"]
    if not store.url.startswith("sqlite:"):
        attempts.append("TRUNCATE events")
    for sql in attempts:
        with pytest.raises(Exception, match="append-only"):
            raw(store, sql)
    assert store.events("p1") == before


def test_verify_names_the_first_tampered_event(store_url, home, run, monkeypatch):
    monkeypatch.setenv("COFLOW_STORE", store_url)
    if store_url.startswith("sqlite:"):
        assert run("init", str(home)).exit_code == 0  # only init creates an SQLite store
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    for key, value in [("sponsor", "Dr A. Mensah"), ("budget", "750"), ("dpia_ref", "D-1")]:
        assert run("record", "p1", key, value).exit_code == 0
    assert run("verify").exit_code == 0
    store = open_store(store_url, base=home)
    disable_append_only(store)
    raw(store, "UPDATE events SET data = replace(data, '750', '7500') WHERE project = 'p1' AND seq = 3")
    store.close()
    result = run("verify")
    assert result.exit_code == 5, result
    assert re.search(r"p1\b.*\b3\b", result.stdout + result.stderr), result


# -- projects, workflows, personal data, outbox --------------------------------------------------

def test_project_rows_are_upserted_and_listed_in_code_point_order(store):
    with store.transaction() as tx:
        for pid in ("b-2", "B-1", "a"):
            tx.save_project(ProjectRow(pid, "mini", "h1", "planning", 1, "x", "2026-01-01T00:00:00.000000Z"))
        tx.save_project(ProjectRow("a", "mini", "h2", "delivery", 5, "y", "2026-01-02T00:00:00.000000Z"))
    assert [r.id for r in store.projects()] == ["B-1", "a", "b-2"]
    assert store.project("a") == ProjectRow("a", "mini", "h2", "delivery", 5, "y", "2026-01-02T00:00:00.000000Z")
    assert store.project("nope") is None


def test_workflow_definitions_keep_their_key_order_and_the_first_copy(store):
    definition = {"workflow": {"id": "w"}, "stages": {"zeta": {}, "alpha": {}, "mid": {"é": 1.5}}}
    with store.transaction() as tx:
        tx.save_workflow("h1", "w", "1", definition)
        tx.save_workflow("h1", "w", "1", {"replaced": True})  # same content hash: kept as first written
    read = store.workflow_definition("h1")
    assert read == definition and list(read["stages"]) == ["zeta", "alpha", "mid"]
    assert store.workflow_definition("missing") is None


def test_personal_data_is_put_replaced_and_deleted(store):
    with store.transaction() as tx:
        tx.put_personal("p1", "P-001", {"name": "Ada Ó", "email": "ada@example.org"})
        tx.put_personal("p1", "P-002", {"name": "Grace"})
        tx.put_personal("p2", "P-001", {"name": "Other project"})
    with store.transaction() as tx:
        tx.put_personal("p1", "P-001", {"name": "Ada Ó", "phone": "0100"})
    assert store.get_personal("p1", "P-001") == {"name": "Ada Ó", "phone": "0100"}
    assert store.personal_for_project("p1") == {"P-001": {"name": "Ada Ó", "phone": "0100"},
                                                "P-002": {"name": "Grace"}}
    with store.transaction() as tx:
        assert tx.delete_personal("p1", "P-001") is True
        assert tx.delete_personal("p1", "P-001") is False
    assert store.get_personal("p1", "P-001") is None
    assert store.get_personal("p2", "P-001") == {"name": "Other project"}
    assert store.personal_for_project("p1") == {"P-002": {"name": "Grace"}}
    assert store.personal_for_project("p2") == {"P-001": {"name": "Other project"}}
    assert store.personal_for_project("nobody") == {}


def test_every_store_has_every_method_the_store_protocol_names(store):
    from coflow.storage.base import Store, Transaction

    def methods(protocol) -> set[str]:
        return {name for name, value in vars(protocol).items() if callable(value) and not name.startswith("_")}

    assert "personal_for_project" in methods(Store)
    assert [m for m in sorted(methods(Store)) if not callable(getattr(store, m, None))] == []
    with store.transaction() as tx:
        assert [m for m in sorted(methods(Transaction)) if not callable(getattr(tx, m, None))] == []


def test_outbox_items_are_added_listed_and_marked(store):
    with store.transaction() as tx:
        first = tx.add_outbox("p1", 3, "email", {"event": {"type": "advanced"}, "notify_index": 0})
        second = tx.add_outbox("p1", 4, "webhook", {"event": {"type": "blocked"}, "notify_index": 1})
    assert second > first
    pending = store.outbox("pending")
    assert [(i.id, i.seq, i.notifier, i.status, i.attempts) for i in pending] == [
        (first, 3, "email", "pending", 0), (second, 4, "webhook", "pending", 0)]
    assert pending[0].payload == {"event": {"type": "advanced"}, "notify_index": 0}
    store.mark_outbox(first, delivered=True)
    store.mark_outbox(second, delivered=False, error="server said 503")
    store.mark_outbox(second, delivered=False, error="timed out")
    assert [i.id for i in store.outbox("pending")] == []
    delivered, = store.outbox("delivered")
    failed, = store.outbox("failed")
    assert (delivered.id, delivered.attempts, delivered.last_error) == (first, 1, None)
    assert delivered.delivered is not None
    assert (failed.id, failed.attempts, failed.last_error, failed.delivered) == (second, 2, "timed out", None)
    assert len(store.outbox()) == 2


# -- opening ------------------------------------------------------------------------------------

def test_a_store_reopens_with_its_contents(store_url):
    first = open_store(store_url)
    append_all(first, chain("p1", [{"key": "a", "value": 1}]))
    first.close()
    again = open_store(store_url, create=False)
    assert [e.seq for e in again.events("p1")] == [1]
    again.close()


def test_a_missing_store_is_not_created_when_asked_not_to(store_url):
    with pytest.raises(StoreError, match="no coflow store"):
        open_store(store_url, create=False)


def test_another_programs_tables_are_refused_and_left_untouched(store_url, tmp_path):
    if store_url.startswith("sqlite:"):
        import sqlite3

        path = tmp_path / "store" / "coflow.db"
        path.parent.mkdir()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE patients (name TEXT)")
            conn.execute("INSERT INTO patients VALUES ('x')")
        conn.close()
        before = path.read_bytes()
        with pytest.raises(StoreError, match="some other program") as caught:
            open_store(store_url)
        assert path.read_bytes() == before
    else:
        import psycopg

        with psycopg.connect(store_url, autocommit=True) as conn:
            conn.execute("CREATE TABLE patients (name TEXT)")
            conn.execute("INSERT INTO patients VALUES ('x')")
        with pytest.raises(StoreError, match="some other program") as caught:
            open_store(store_url)
        with psycopg.connect(store_url) as conn:
            tables = {r[0] for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
            assert tables == {"patients"}
            assert conn.execute("SELECT name FROM patients").fetchall() == [("x",)]
    assert caught.value.exit_code == 5
    assert re.search(r"(nothing was|was not) changed", caught.value.hint or "")


def test_a_store_written_by_a_newer_coflow_is_refused(store):
    raw(store, "UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer coflow"):
        open_store(store.url)


# -- writers queue ------------------------------------------------------------------------------

def hold_transaction(store, project: str, locked: threading.Event, seconds: float, append: Event | None = None):
    """In a thread: lock `project` as an advance does, keep it `seconds`, then commit."""

    def work():
        with store.transaction() as tx:
            tx.events(project)
            if append is not None:
                tx.append(append)
            locked.set()
            time.sleep(seconds)

    thread = threading.Thread(target=work)
    thread.start()
    assert locked.wait(10)
    return thread


def test_a_writer_waits_for_the_one_before_and_then_sees_its_event(store_url):
    holder, waiter = open_store(store_url), open_store(store_url, busy_timeout=20)
    first = chain("p1", [{"key": "a", "value": 1}])[0]
    thread = hold_transaction(holder, "p1", threading.Event(), 0.5, append=first)
    started = time.monotonic()
    with waiter.transaction() as tx:
        seen = tx.events("p1")
    waited = time.monotonic() - started
    thread.join()
    assert seen == [first]
    assert waited >= 0.3
    holder.close(), waiter.close()


def test_a_store_busy_beyond_busy_timeout_raises_store_busy(store_url):
    holder, waiter = open_store(store_url), open_store(store_url, busy_timeout=0.4)
    thread = hold_transaction(holder, "p1", threading.Event(), 2.0)
    started = time.monotonic()
    with pytest.raises(StoreBusy) as caught, waiter.transaction() as tx:
        tx.events("p1")
    waited = time.monotonic() - started
    gave_up_while_still_locked = thread.is_alive()
    thread.join()
    assert caught.value.exit_code == 4
    assert waited >= 0.3 and gave_up_while_still_locked
    holder.close(), waiter.close()


@pytest.mark.postgres
def test_postgres_writers_of_different_projects_do_not_wait_for_each_other(pg_url):
    holder, other = open_store(pg_url), open_store(pg_url, busy_timeout=0.5)
    thread = hold_transaction(holder, "p1", threading.Event(), 2.0)
    append_all(other, chain("p2", [{"key": "a", "value": 1}]))  # busy_timeout 0.5 s: no waiting allowed
    finished_while_p1_locked = thread.is_alive()
    thread.join()
    assert finished_while_p1_locked
    assert [e.seq for e in other.events("p2")] == [1]
    holder.close(), other.close()


@pytest.mark.postgres
def test_postgres_stores_opened_at_once_on_an_empty_schema_all_work(pg_url):
    opened, errors = [], []

    def open_one():
        try:
            opened.append(open_store(pg_url))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(opened) == 4
    for store in opened:
        store.close()


# -- the same engine operations on every store --------------------------------------------------

def engine_for(home: Path, url: str):
    from coflow import config
    from coflow.engine import Engine

    cfg = config.load(home)
    cfg.store = url
    return Engine(cfg)


def drive(engine) -> None:
    """A fixed sequence of commands covering the core event types."""
    engine.create("p1", "mini", "amara")
    engine.advance("p1", "amara")  # blocked
    engine.record_fact("p1", "sponsor", "Dr Zoë Mensah", "amara")
    engine.record_fact("p1", "budget", 750.5, "amara")
    engine.record_fact("p1", "start", dt.date(2026, 3, 4), "amara")
    engine.advance("p1", "amara")  # advanced to delivery
    engine.reopen("p1", "planning", "the budget changed", "ben")
    engine.create("p0", "mini", "ben")
    engine.record_fact("p0", "sponsor", "Ben", "ben")


def test_the_same_engine_operations_give_identical_hashes_on_sqlite_and_postgres(home, pg_url, monkeypatch):
    results = {}
    for name, url in (("sqlite", "sqlite:///.coflow/coflow.db"), ("postgres", pg_url)):
        clock = (f"2026-03-04T09:{n // 60:02d}:{n % 60:02d}.123456Z" for n in itertools.count())
        monkeypatch.setattr("coflow.events.utc_now", lambda clock=clock: next(clock))
        engine = engine_for(home, url)
        drive(engine)
        results[name] = [e.as_dict() for e in engine.store.iter_all_events()]
        assert engine.verify() == {"p0": None, "p1": None}
        assert engine.get("p1").stage == "planning"
        engine.store.close()
    assert [e["type"] for e in results["sqlite"] if e["project"] == "p1"] == [
        "created", "blocked", "fact_recorded", "fact_recorded", "fact_recorded", "advanced", "reopened"]
    assert results["sqlite"] == results["postgres"]


# -- several processes at once (PostgreSQL) -----------------------------------------------------

# Each racer loads coflow, says it is ready, then waits for "go": so the commands really overlap
# instead of being spaced out by interpreter start-up.
RACER = """
import os, sys, time
from pathlib import Path
from coflow.cli.main import main
import coflow.storage.postgres, psycopg
gate = Path(sys.argv[1])
(gate / f"ready-{os.getpid()}").touch()
while not (gate / "go").exists():
    time.sleep(0.002)
sys.argv = ["coflow", *sys.argv[2:]]
main()
"""


def race(home: Path, url: str, gate: Path, commands: list[list[str]]) -> list[tuple[int, str]]:
    """Run coflow commands in separate processes, released at the same moment: [(exit code, stderr)]."""
    gate.mkdir()
    env = {**os.environ, "COFLOW_ACTOR": "tester", "COFLOW_STORE": url}
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(gate), "--home", str(home), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for args in commands]
    deadline = time.monotonic() + 60
    while len(list(gate.glob("ready-*"))) < len(procs):
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "a racer did not start"
        time.sleep(0.01)
    (gate / "go").touch()
    return [(p.wait(timeout=120), p.communicate()[1]) for p in procs]


@pytest.mark.postgres
@pytest.mark.slow
def test_racing_advances_from_several_processes_make_exactly_one_transition(home, pg_url, tmp_path):
    engine = engine_for(home, pg_url)
    engine.create("p1", "mini", "tester")
    engine.record_fact("p1", "sponsor", "Dr A. Mensah", "tester")
    engine.record_fact("p1", "budget", 750, "tester")
    engine.store.close()
    results = race(home, pg_url, tmp_path / "gate", [["advance", "p1"]] * 5)
    codes = sorted(code for code, _ in results)
    assert codes == [0, 1, 1, 1, 1], results  # one moves on; the rest meet the next gate
    engine = engine_for(home, pg_url)
    events = engine.store.events("p1")
    assert [e.type for e in events].count("advanced") == 1
    assert [e.seq for e in events] == list(range(1, len(events) + 1)) and len(events) == 3 + 5
    assert engine.verify() == {"p1": None}
    engine.store.close()


@pytest.mark.postgres
@pytest.mark.slow
def test_racing_records_from_several_processes_lose_nothing(home, pg_url, tmp_path):
    engine = engine_for(home, pg_url)
    engine.create("p1", "mini", "tester")
    results = race(home, pg_url, tmp_path / "gate", [["record", "p1", f"fact_{n}", str(n)] for n in range(5)])
    assert [code for code, _ in results] == [0] * 5, results
    state = engine.get("p1")
    assert {f"fact_{n}": n for n in range(5)}.items() <= state.facts.items()
    assert engine.verify() == {"p1": None}
    engine.store.close()


@pytest.mark.postgres
@pytest.mark.slow
def test_racing_creation_of_one_project_id_lets_exactly_one_through(home, pg_url, tmp_path):
    results = race(home, pg_url, tmp_path / "gate", [["new", "p1", "--workflow", "mini"]] * 4)
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2, 2, 2], results
    assert all("already exists" in err for code, err in results if code == 2)
    engine = engine_for(home, pg_url)
    assert [e.type for e in engine.store.events("p1")] == ["created"]
    engine.store.close()


# -- connecting to PostgreSQL -------------------------------------------------------------------

@pytest.mark.postgres
def test_an_unreachable_server_is_a_store_error_without_the_password(run, home, monkeypatch):
    from pg_server import free_port

    url = f"postgresql://coflow:hunter2-secret@127.0.0.1:{free_port()}/coflow"
    monkeypatch.setenv("COFLOW_STORE", url)
    result = run("status")
    assert result.exit_code == 5, result
    assert "cannot connect to the PostgreSQL store at 127.0.0.1" in result.stderr
    assert "hunter2" not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "PGPASSWORD" in result.stderr  # the hint says where a password goes


@pytest.mark.postgres
def test_a_wrong_password_is_refused_plainly_and_a_password_from_the_environment_works(pg_target, pg_url, monkeypatch):
    from pg_server import PASSWORD, PASSWORD_ROLE

    if pg_target.local is None:
        pytest.skip("needs the server these tests start (COFLOW_TEST_PG_URL is set)")
    schema = re.search(r"search_path%3D(\w+)", pg_url).group(1)
    bare = pg_target.local.password_url()
    options = f"?options=-csearch_path%3D{schema}"
    monkeypatch.delenv("PGPASSWORD", raising=False)
    wrong = pg_target.local.password_url("not-the-Pa55word") + options
    with pytest.raises(StoreError) as caught:
        open_store(wrong)
    text = f"{caught.value.message} {caught.value.hint}"
    assert "password authentication failed" in text and PASSWORD_ROLE in text
    assert "not-the-Pa55word" not in text
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    store = open_store(bare + options)
    assert store.schema == schema and store.projects() == []
    store.close()


@pytest.mark.postgres
def test_a_broken_url_is_a_store_error_that_hides_the_password(monkeypatch):
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://me:topsecret@127.0.0.1:notaport/db")
    assert "topsecret" not in f"{caught.value.message} {caught.value.hint}"
    assert caught.value.exit_code == 5


def test_the_sqlite_path_never_imports_psycopg(home):
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "coflow", "--home", str(home), "status"],
                          capture_output=True, text=True, env={**os.environ, "COFLOW_ACTOR": "tester"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "psycopg" not in proc.stderr
    assert "coflow.storage.sqlite" in proc.stderr  # the trace did cover opening the store
