"""PostgreSQL as the lock: each person logs in as their own role, which may add events but
never change history or stored workflows, and the database records which role wrote each
event. A real server, two login roles, the real command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.postgres

ROLES = {"alice_trust": "alice-Pa55word", "bob_trust": "bob-Pa55word"}


@pytest.fixture
def roles(pg_target, pg_url):
    """Two login roles (dropped afterwards), and the URL each uses for the test's schema."""
    import psycopg

    if pg_target.local is None:
        pytest.skip("needs the test's own PostgreSQL server, to create login roles")
    schema_options = pg_url.split("?", 1)[1]
    with psycopg.connect(pg_target.url, autocommit=True) as conn:
        for role, password in ROLES.items():
            conn.execute(f"DROP ROLE IF EXISTS {role}")
            conn.execute(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
            conn.execute(f"GRANT CONNECT ON DATABASE {pg_target.url.rsplit('/', 1)[1]} TO {role}")
    urls = {role: f"postgresql://{role}:{quote(password)}@127.0.0.1:{pg_target.local.port}/"
                  f"{pg_target.url.rsplit('/', 1)[1]}?{schema_options}" for role, password in ROLES.items()}
    yield urls
    with psycopg.connect(pg_target.url, autocommit=True) as conn:
        for role in ROLES:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


def coflow(home, url: str, *args: str, password: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("COFLOW_ACTOR", "PGPASSWORD")}
    env["COFLOW_STORE"] = url
    if password:  # the password by environment, as docs/storage.md says, never in the URL
        env["COFLOW_STORE"] = url.replace(f":{quote(password)}@", "@")
        env["PGPASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "coflow", "--home", str(home), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_a_granted_role_adds_events_under_its_own_name_and_cannot_rewrite_anything(home, pg_url, roles):
    import psycopg

    owner = coflow(home, pg_url, "new", "p1", "--workflow", "mini")  # the owner creates the tables
    assert owner.returncode == 0, owner.stderr
    printed = coflow(home, pg_url, "store", "grant", "alice_trust", "--print")
    assert printed.returncode == 0 and "GRANT SELECT, INSERT ON events TO \"alice_trust\"" in printed.stdout
    assert "UPDATE" not in [line for line in printed.stdout.splitlines() if " ON events " in line][0]
    for role in ROLES:
        granted = coflow(home, pg_url, "store", "grant", role)
        assert granted.returncode == 0, granted.stderr

    alice, bob = (roles[r] for r in ROLES)
    assert coflow(home, alice, "record", "p1", "sponsor", "Dr A. Mensah", password=ROLES["alice_trust"]).returncode == 0
    made = coflow(home, bob, "record", "p1", "budget", "750", password=ROLES["bob_trust"])
    assert made.returncode == 0, made.stderr
    history = json.loads(coflow(home, alice, "history", "p1", "--json", password=ROLES["alice_trust"]).stdout)
    assert [(e["actor"], e["account"]) for e in history] == [
        ("postgres", "postgres"), ("alice_trust", "alice_trust"), ("bob_trust", "bob_trust")]
    # naming someone else is refused: alice has no record_for_others
    claimed = coflow(home, alice, "--actor", "bob_trust", "record", "p1", "dpia_ref", "D-1",
                     password=ROLES["alice_trust"])
    assert claimed.returncode == 2 and "record_for_others" in claimed.stderr

    with psycopg.connect(alice, autocommit=True) as conn:
        for statement in ("UPDATE events SET data = '{}' WHERE project = 'p1'",
                          "DELETE FROM events WHERE project = 'p1'",
                          "TRUNCATE events",
                          "ALTER TABLE events DISABLE TRIGGER events_append_only",
                          "ALTER TABLE events DISABLE TRIGGER events_account",
                          "UPDATE workflows SET definition = '{}'",
                          "DELETE FROM workflows"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        # a client cannot write another account: the database fills in who logged in
        conn.execute("INSERT INTO events (project, seq, ts, actor, type, data, prev_hash, hash, account) "
                     "VALUES ('p9', 1, '2026-03-04T10:00:00.000000Z', 'bob_trust', 'created', '{}', "
                     "repeat('0', 64), repeat('0', 64), 'bob_trust')")
        (account,) = conn.execute("SELECT account FROM events WHERE project = 'p9'").fetchone()
    assert account == "alice_trust"
    assert coflow(home, pg_url, "verify", "p1").returncode == 0
    assert coflow(home, pg_url, "verify").returncode == 5  # the hand-made p9 event does not verify


def test_grant_is_refused_for_an_sqlite_store_and_a_bad_role_name(run, home):
    refused = run("store", "grant", "alice")
    assert refused.exit_code == 2 and "PostgreSQL" in refused.stderr
    bad = run("store", "grant", "alice; DROP TABLE events")
    assert bad.exit_code == 2 and "role name" in bad.stderr
