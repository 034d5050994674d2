"""Who acted is known, not claimed: every event records the account that wrote it, from the
platform (the operating-system account with SQLite, the database role with PostgreSQL),
never from --actor or COFLOW_ACTOR. Run on both stores, through the real command line.
"""

from __future__ import annotations

import json
import os
import pwd
import sqlite3
import subprocess
import sys

import pytest
from other_user import NOBODY, other_user_prefix, shared_folder
from test_store_conformance import open_store, raw, store_url  # noqa: F401

from coflow.events import GENESIS_HASH, Event


def os_account() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def plain_config(home) -> None:
    """coflow.toml as `coflow init` writes it: nobody may record for anyone else."""
    from coflow.config import TEMPLATE

    (home / "coflow.toml").write_text(TEMPLATE, encoding="utf-8")


@pytest.fixture
def on_store(store_url, home, run, monkeypatch):  # noqa: F811 - the fixture imported above
    """`home` using each store in turn; returns the account that store records."""
    monkeypatch.setenv("COFLOW_STORE", store_url)
    if store_url.startswith("sqlite:"):
        assert run("init", str(home)).exit_code == 0
        return os_account()
    store = open_store(store_url)
    (role,) = raw(store, "SELECT session_user")[0]
    store.close()
    return role


def test_every_event_records_the_platform_account_not_the_name_given(on_store, run, home, monkeypatch):
    monkeypatch.delenv("COFLOW_ACTOR")
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("record", "p1", "sponsor", "Dr A. Mensah", actor="amensah").exit_code == 0
    events = run("history", "p1", "--json").json()
    assert [(e["actor"], e["account"]) for e in events] == [(on_store, on_store), ("amensah", on_store)]
    text = run("history", "p1").stdout
    assert f"amensah (recorded by {on_store})" in text
    assert run("verify").exit_code == 0


def test_naming_someone_else_is_refused_without_record_for_others(on_store, run, home, monkeypatch):
    plain_config(home)
    monkeypatch.delenv("COFLOW_ACTOR")
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    flag = run("record", "p1", "sponsor", "Dr A. Mensah", actor="amensah")
    assert flag.exit_code == 2, flag
    assert f"signed in as {on_store!r}" in flag.stderr and "record_for_others" in flag.stderr
    monkeypatch.setenv("COFLOW_ACTOR", "amensah")
    env = run("record", "p1", "sponsor", "Dr A. Mensah")
    assert env.exit_code == 2 and "record_for_others" in env.stderr
    monkeypatch.setenv("COFLOW_ACTOR", on_store)  # naming yourself is fine
    assert run("record", "p1", "budget", "750").exit_code == 0
    assert [e["type"] for e in run("history", "p1", "--json").json()] == ["created", "fact_recorded"]


def test_an_edited_account_breaks_the_chain(on_store, run, home):
    from test_store_conformance import disable_append_only

    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    store = open_store(os.environ["COFLOW_STORE"], base=home)
    disable_append_only(store)
    raw(store, "UPDATE events SET account = 'someone-else' WHERE project = 'p1' AND seq = 1")
    if not store.url.startswith("sqlite:"):
        store.conn.commit()
    store.close()
    result = run("verify")
    assert result.exit_code == 5 and "p1" in result.stderr


@pytest.mark.postgres
def test_postgres_fills_in_the_account_itself_whatever_the_client_sends(pg_url):
    store = open_store(pg_url)
    (role,) = raw(store, "SELECT session_user")[0]
    claimed = Event.make("p1", 1, "amensah", "created", {}, GENESIS_HASH, account="amensah")
    raw(store, "INSERT INTO events (project, seq, ts, actor, type, data, prev_hash, hash, account) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (claimed.project, claimed.seq, claimed.ts, claimed.actor, claimed.type, "{}", claimed.prev_hash,
         claimed.hash, "amensah"))
    [(account,)] = raw(store, "SELECT account FROM events WHERE project = 'p1'")
    assert account == role != "amensah"
    from coflow.events import first_break

    assert first_break(store.events("p1")) is not None  # the claimed hash does not fit the real account
    store.close()


def test_a_command_run_by_another_operating_system_account_records_that_account():
    prefix = other_user_prefix()
    folder = shared_folder()
    home = folder / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("COFLOW_ACTOR", "COFLOW_STORE", "COFLOW_HOME")}
    assert subprocess.run([sys.executable, "-m", "coflow", "init", str(home)], env=env).returncode == 0
    for path in (home, home / ".coflow", *(home / ".coflow").iterdir(), home / "workflows"):
        path.chmod(0o777 if path.is_dir() else 0o666)
    other = pwd.getpwuid(NOBODY).pw_name if prefix else os_account()
    done = subprocess.run([*prefix, sys.executable, "-m", "coflow", "--home", str(home), "new", "p1",
                           "--workflow", "coproduction"], env={**env, "HOME": str(folder)},
                          capture_output=True, text=True, cwd=str(folder))
    assert done.returncode == 0, done.stderr
    mine = subprocess.run([sys.executable, "-m", "coflow", "--home", str(home), "history", "p1", "--json"],
                          env=env, capture_output=True, text=True)
    [created] = json.loads(mine.stdout)
    assert created["account"] == created["actor"] == other


def test_a_store_written_before_accounts_is_upgraded_and_keeps_verifying(home, run, monkeypatch):
    """A store as coflow wrote it before accounts: events without the column, schema 1."""
    monkeypatch.delenv("COFLOW_ACTOR")
    db = home / ".coflow" / "coflow.db"
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    old = home / ".coflow" / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("VACUUM INTO ?", (str(old),))
    conn.close()
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("DROP TRIGGER events_append_only_update")
    conn.execute("DROP TRIGGER events_append_only_delete")
    conn.execute("DELETE FROM events")
    conn.execute("ALTER TABLE events DROP COLUMN account")
    prev = GENESIS_HASH
    created = json.loads(run("history", "p1", "--json").stdout)[0]
    for seq, (kind, data) in enumerate([("created", created["data"]),
                                        ("fact_recorded", {"key": "sponsor", "value": "Dr A"})], start=1):
        event = Event.make("p1", seq, "tester", kind, data, prev, ts=f"2026-01-0{seq}T10:00:00.000000Z")
        assert event.account is None and event.format == 1
        conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     (event.project, event.seq, event.ts, event.actor, event.type,
                      json.dumps(event.data, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                      event.prev_hash, event.hash))
        prev = event.hash
    conn.execute("UPDATE projects SET seq = 2, head_hash = ? WHERE id = 'p1'", (prev,))
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events "
                 "BEGIN SELECT RAISE(ABORT, 'coflow events are append-only'); END")
    conn.close()
    os.replace(old, db)
    for suffix in ("-wal", "-shm"):
        (home / ".coflow" / f"coflow.db{suffix}").unlink(missing_ok=True)
    assert run("verify").exit_code == 0  # opening upgrades the store; the old events keep their rule
    assert run("record", "p1", "budget", "750").exit_code == 0
    events = run("history", "p1", "--json").json()
    assert [e["account"] for e in events] == [None, None, os_account()]
    assert run("verify").exit_code == 0
    conn = sqlite3.connect(db)
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    conn.close()
    assert meta["schema_version"] == "2" and meta["upgraded_to_2"].endswith(f" by {os_account()}")
