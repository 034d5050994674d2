"""Every store behaves alike: SQLite and PostgreSQL pass one set of tests (the hash rule of docs/security.md).

The store-independent tests are the conformance suite coflow ships (coflow.testing's
StoreConformance, which a store plugin runs the same way); the tests here add what only
coflow's own stores can be asked (SQL triggers, schema versions, the engine, processes racing).
Tests taking `store_url` run once per store; PostgreSQL runs on a real server on 127.0.0.1
(tests/pg_server.py) and skips, with the reason shown, when no server can be had.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from coflow.errors import StoreError
from coflow.events import first_break
from coflow.store_conformance import TRICKY, account_of, append_all, chain, hold_transaction
from coflow.testing import SnapshotConformance, StoreConformance

STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def open_store(url: str, **options):
    if url.startswith("sqlite:"):
        from coflow.storage.sqlite import SqliteStore

        return SqliteStore(url, **options)
    from coflow.storage.postgres import PostgresStore

    return PostgresStore(url, **options)


class TestSqliteStore(StoreConformance, SnapshotConformance):
    """coflow's SQLite store passes the conformance suite coflow ships."""

    @pytest.fixture
    def store_url(self, tmp_path) -> str:
        return f"sqlite:///{tmp_path}/store/coflow.db"


@pytest.mark.postgres
class TestPostgresStore(StoreConformance, SnapshotConformance):
    """coflow's PostgreSQL store passes the conformance suite, on a real server."""

    @pytest.fixture
    def store_url(self, pg_url) -> str:
        return pg_url


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


# -- the seal that lets a snapshot be trusted ---------------------------------------------------


def test_dropping_or_disabling_the_append_only_trigger_breaks_the_seal_and_verify_restores_it(store):
    assert store.schema_sealed() is True
    disable_append_only(store)
    assert store.schema_sealed() is False  # someone could have edited events since
    if not store.url.startswith("sqlite:"):
        raw(store, "ALTER TABLE events ENABLE TRIGGER events_append_only")
        assert store.schema_sealed() is False  # put back, but not by coflow: still not trusted
    store.seal_schema()
    assert store.schema_sealed() is True
    [event] = chain("p1", [{"key": "a", "value": 1}], account=account_of(store))
    append_all(store, [event])
    if store.url.startswith("sqlite:"):  # and the history is append-only again
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw(store, "UPDATE events SET actor = 'x'")
    else:
        with pytest.raises(StoreError, match="append-only"):
            store._run("UPDATE events SET actor = 'x'")


def test_verify_does_not_seal_a_postgres_store_whose_trigger_is_still_disabled(store_url, tmp_path):
    store = open_store(store_url, busy_timeout=5)
    try:
        if store.url.startswith("sqlite:"):
            raw(store, "DROP TRIGGER events_append_only_update")
            store.seal_schema()  # SQLite: coflow puts the dropped trigger back, then seals
            assert store.schema_sealed() is True
            assert {r[0] for r in raw(store, "SELECT name FROM sqlite_master WHERE type = 'trigger'")} >= {
                "events_append_only_update", "events_append_only_delete"}
        else:
            raw(store, "ALTER TABLE events DISABLE TRIGGER events_append_only")
            store.seal_schema()
            assert store.schema_sealed() is False
    finally:
        store.close()


# -- the event log -----------------------------------------------------------------------------



def test_fixed_events_have_the_same_hashes_in_every_store(tmp_path, pg_url):
    role = open_store(pg_url)
    events = chain("p1", TRICKY, account=role.account)  # the account PostgreSQL will record
    role.close()
    hashes = {}
    for url in (f"sqlite:///{tmp_path}/coflow.db", pg_url):
        store = open_store(url)
        append_all(store, events)
        hashes[url.split(":", 1)[0]] = [(e.seq, e.hash) for e in store.events("p1")]
        assert first_break(store.events("p1")) is None
        store.close()
    assert hashes["sqlite"] == hashes["postgresql"] == [(e.seq, e.hash) for e in events]






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











# -- opening ------------------------------------------------------------------------------------



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
    from coflow.storage.sqlite import SqliteStore

    role = open_store(pg_url)
    account = role.account
    role.close()
    # The same operations by the same account: the SQLite store records the operating-system
    # account, so it is set here to the database role's name (the hashes include it).
    monkeypatch.setattr(SqliteStore, "account", property(lambda store: account))
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


VAULT_PLUGIN_TESTS = '''
import pytest
import coflow
from coflow.storage.sqlite import SqliteStore
from coflow.testing import StoreConformance


class VaultPlugin:
    """A store plugin: vault:///path keeps the log in a SQLite file at path."""

    @staticmethod
    def open_vault(url, busy_timeout=30.0, create=False):
        return SqliteStore("sqlite://" + url.split("://", 1)[1], busy_timeout=busy_timeout, create=create)

    @coflow.hookimpl
    def coflow_register_storage(self, register):
        register("vault", self.open_vault)


@pytest.fixture(autouse=True)
def vault(coflow_plugin):
    coflow_plugin(VaultPlugin(), "vault")


class TestVaultStore(StoreConformance):
    @pytest.fixture
    def store_url(self, tmp_path):
        return f"vault:///{tmp_path}/vault/coflow.db"
'''


@pytest.mark.slow
def test_a_store_plugin_runs_the_shipped_conformance_suite_from_its_own_tests(tmp_path):
    from plugin_helpers import run_pytest

    (tmp_path / "test_vault.py").write_text(VAULT_PLUGIN_TESTS, encoding="utf-8")
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "12 passed" in result.stdout
