"""Erasure on PostgreSQL: forgotten personal data leaves the table files, a role that cannot
compact the table still erases (and is warned), and no statistics keep samples of it."""

from __future__ import annotations

import pytest

from coflow import config
from coflow.engine import Engine


@pytest.mark.postgres
def test_forgotten_personal_data_leaves_the_postgres_table_files(home, pg_url, pg_target):
    import uuid

    import psycopg

    from coflow.records import participants

    if pg_target.local is None:
        pytest.skip("needs the test's own PostgreSQL server, to read its data files")
    name = f"Zebedee {uuid.uuid4().hex}"
    cfg = config.load(home)
    cfg.store = pg_url
    engine = Engine(cfg)
    engine.create("p1", "mini", "tester")
    for n in range(3):  # the erased row is the newest, so a plain VACUUM would not move other rows over it
        participants.add(engine, "p1", "tester", lived_experience=True, name=f"{name} {n}")
    data_dir = pg_target.local.folder / "data"

    def in_table_files(text: str) -> bool:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")  # shared buffers to disk, so the files show what is stored
            oid = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]
        folder = data_dir / "base" / str(oid)
        return any(text.encode() in f.read_bytes() for f in folder.iterdir() if f.is_file())

    assert in_table_files(f"{name} 2")  # the check below can fail
    participants.forget(engine, "p1", "tester", "P-003", "asked to be forgotten")
    assert engine.store.get_personal("p1", "P-003") is None
    assert not in_table_files(f"{name} 2")
    assert in_table_files(f"{name} 1")  # the others are kept
    engine.store.close()


@pytest.mark.postgres
def test_a_role_that_cannot_compact_the_table_still_erases_and_is_warned(home, pg_url, pg_target, monkeypatch):
    import psycopg
    from pg_server import PASSWORD, PASSWORD_ROLE

    from coflow import log
    from coflow.records import participants

    if pg_target.local is None:
        pytest.skip("needs the test's own PostgreSQL server, with its password role")
    owner_cfg = config.load(home)
    owner_cfg.store = pg_url
    owner = Engine(owner_cfg)
    owner.create("p1", "mini", "tester")
    participants.add(owner, "p1", "tester", lived_experience=True, name="Yara Example")
    owner.store.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # docs/storage.md: least privilege
        conn.execute(f"GRANT SELECT, INSERT ON events, workflows, meta TO {PASSWORD_ROLE}")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON projects, personal, outbox TO {PASSWORD_ROLE}")
        conn.execute(f"GRANT USAGE ON SEQUENCE outbox_id_seq TO {PASSWORD_ROLE}")
    warnings = []
    monkeypatch.setattr(log, "warning", lambda event, **fields: warnings.append((event, fields)))
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    app_cfg = config.load(home)
    app_cfg.store = pg_target.local.password_url() + "?" + pg_url.split("?", 1)[1]
    app = Engine(app_cfg)
    participants.forget(app, "p1", "tester", "P-001", "asked to be forgotten")
    assert app.store.get_personal("p1", "P-001") is None
    assert [event for event, _ in warnings] == ["erasure_not_compacted"]
    assert "VACUUM FULL personal" in warnings[0][1]["hint"]
    app.store.close()


@pytest.mark.postgres
def test_postgres_keeps_no_statistics_samples_of_personal_data(home, pg_url):
    import psycopg

    from coflow.records import participants

    cfg = config.load(home)
    cfg.store = pg_url
    engine = Engine(cfg)
    engine.create("p1", "mini", "tester")
    for n in range(5):
        participants.add(engine, "p1", "tester", lived_experience=True, name=f"Sample Person {n}")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
        sampled = conn.execute("SELECT attname FROM pg_stats WHERE schemaname = current_schema() "
                               "AND tablename = 'personal'").fetchall()
    assert sampled and ("data",) not in sampled  # other columns are analysed; the personal data is not
    engine.store.close()
