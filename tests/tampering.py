"""Playing an attacker with write access to the SQLite file, for the verify and anchor tests."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path


def open_db(home: Path) -> sqlite3.Connection:
    """The store with its append-only triggers dropped, as an attacker would."""
    conn = sqlite3.connect(home / ".coflow" / "coflow.db", isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS events_append_only_update")
    conn.execute("DROP TRIGGER IF EXISTS events_append_only_delete")
    return conn


def tamper(home: Path, *statements: str) -> None:
    conn = open_db(home)
    conn.execute("BEGIN")
    for sql in statements:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.close()


def rewrite_with_recomputed_hashes(home: Path, project: str, seq: int, data: dict) -> None:
    """Replace event `seq`'s data, recompute every later hash and the store's head: a
    careful attacker the chain alone cannot catch."""
    from coflow.events import compute_hash

    conn = open_db(home)
    rows = conn.execute("SELECT seq, ts, actor, type, data, account FROM events WHERE project = ? ORDER BY seq",
                        (project,)).fetchall()
    conn.execute("BEGIN")
    prev = "0" * 64
    for number, ts, actor, kind, raw, account in rows:
        body = data if number == seq else json.loads(raw)
        digest = compute_hash(prev, project, number, ts, actor, kind, body, account)
        conn.execute("UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE project = ? AND seq = ?",
                     (json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")), prev, digest,
                      project, number))
        prev = digest
    conn.execute("UPDATE projects SET head_hash = ? WHERE id = ?", (prev, project))
    conn.execute("COMMIT")
    conn.close()
