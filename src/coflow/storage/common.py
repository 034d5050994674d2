"""What the SQLite and PostgreSQL stores share: the store's identity, columns, statements
and how rows become coflow's objects, so both keep the same tables the same way.

Statements are written with `?` placeholders; a store whose driver wants another style
converts them with `placeholders()`.
"""

from __future__ import annotations

import json

from coflow.events import Event, utc_now
from coflow.storage.base import OutboxItem, ProjectRow, Snapshot

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

APP_ID = "coflow"
SCHEMA_VERSION = 2  # 2: events carry the account that wrote them

EVENT_COLUMNS = "project, seq, ts, actor, type, data, prev_hash, hash, account"
PROJECT_COLUMNS = "id, workflow_id, workflow_hash, stage, seq, head_hash, updated"
OUTBOX_COLUMNS = "id, project, seq, notifier, payload, status, attempts, last_error, created, delivered"

APPEND_EVENT = f"INSERT INTO events ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
SAVE_PROJECT = (f"INSERT INTO projects ({PROJECT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET workflow_id = excluded.workflow_id, "
                "workflow_hash = excluded.workflow_hash, stage = excluded.stage, seq = excluded.seq, "
                "head_hash = excluded.head_hash, updated = excluded.updated")
# A pinned workflow never changes: the same content hash keeps what was first written.
SAVE_WORKFLOW = ("INSERT INTO workflows (hash, id, version, definition) VALUES (?, ?, ?, ?) "
                 "ON CONFLICT (hash) DO NOTHING")
PUT_PERSONAL = ("INSERT INTO personal (project, participant, data) VALUES (?, ?, ?) "
                "ON CONFLICT (project, participant) DO UPDATE SET data = excluded.data")
ADD_OUTBOX = "INSERT INTO outbox (project, seq, notifier, payload, created) VALUES (?, ?, ?, ?, ?)"
SNAPSHOT_COLUMNS = "project, seq, head_hash, fold, state"
# A snapshot never moves back: a slower writer's older state does not replace a newer one.
SAVE_SNAPSHOT = (f"INSERT INTO snapshots ({SNAPSHOT_COLUMNS}) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT (project) DO UPDATE SET seq = excluded.seq, head_hash = excluded.head_hash, "
                 "fold = excluded.fold, state = excluded.state WHERE excluded.seq >= snapshots.seq")
# Outside a write transaction (rebuilt by a read): only while `seq` is still the project's head.
OFFER_SNAPSHOT = (f"INSERT INTO snapshots ({SNAPSHOT_COLUMNS}) SELECT ?, ?, ?, ?, ? "
                  "WHERE EXISTS (SELECT 1 FROM events WHERE project = ? AND seq = ? AND hash = ?) "
                  "AND NOT EXISTS (SELECT 1 FROM events WHERE project = ? AND seq > ?) "
                  "ON CONFLICT (project) DO UPDATE SET seq = excluded.seq, head_hash = excluded.head_hash, "
                  "fold = excluded.fold, state = excluded.state WHERE excluded.seq >= snapshots.seq")
READ_SNAPSHOT = f"SELECT {SNAPSHOT_COLUMNS} FROM snapshots WHERE project = ?"
EVENTS_FROM = f"SELECT {EVENT_COLUMNS} FROM events WHERE project = ? AND seq >= ? ORDER BY seq"
MARK_DELIVERED = ("UPDATE outbox SET status = 'delivered', attempts = attempts + 1, "
                  "last_error = NULL, delivered = ? WHERE id = ?")
MARK_FAILED = "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?"


def placeholders(sql: str, style: str) -> str:
    """A statement with its `?` placeholders in another driver's style (such as "%s")."""
    return sql.replace("?", style)


def outbox_query(status: str | None) -> tuple[str, tuple]:
    """The outbox rows with one status (or all), oldest first."""
    sql = f"SELECT {OUTBOX_COLUMNS} FROM outbox"
    return (sql + " WHERE status = ? ORDER BY id", (status,)) if status else (sql + " ORDER BY id", ())


# -- objects to rows ----------------------------------------------------------------------------


def event_params(event: Event) -> tuple:
    """An event's row; the data is canonical JSON, the exact text its hash was taken over."""
    return (event.project, event.seq, event.ts, event.actor, event.type, event.data_json(),
            event.prev_hash, event.hash, event.account)


def project_params(row: ProjectRow) -> tuple:
    return (row.id, row.workflow_id, row.workflow_hash, row.stage, row.seq, row.head_hash, row.updated)


def snapshot_params(snapshot: Snapshot) -> tuple:
    return (snapshot.project, snapshot.seq, snapshot.head_hash, snapshot.fold, snapshot.state)


def offer_params(snapshot: Snapshot) -> tuple:
    return (*snapshot_params(snapshot), snapshot.project, snapshot.seq, snapshot.head_hash, snapshot.project,
            snapshot.seq)


def row_snapshot(row: Any) -> Snapshot:
    return Snapshot(row[0], int(row[1]), row[2], row[3], row[4])


def workflow_params(content_hash: str, workflow_id: str, version: str, definition: dict) -> tuple:
    # key order kept: the order of stages in a workflow means something
    return (content_hash, workflow_id, version, json.dumps(definition, ensure_ascii=False))


def personal_params(project: str, participant: str, data: dict) -> tuple:
    return (project, participant, json.dumps(data, ensure_ascii=False, sort_keys=True))


def outbox_params(project: str, seq: int, notifier: str, payload: dict) -> tuple:
    return (project, seq, notifier, json.dumps(payload, ensure_ascii=False, sort_keys=True), utc_now())


def mark_params(item_id: int, delivered: bool, error: str | None) -> tuple[str, tuple]:
    """The statement and parameters that record one delivery attempt."""
    return (MARK_DELIVERED, (utc_now(), item_id)) if delivered else (MARK_FAILED, (error, item_id))


# -- rows to objects ----------------------------------------------------------------------------


def row_event(row: Any) -> Event:
    return Event(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6], row[7], row[8])


def row_outbox(row: Any) -> OutboxItem:
    return OutboxItem(int(row[0]), row[1], row[2], row[3], json.loads(row[4]), row[5], row[6], row[7], row[8],
                      row[9])


def personal_rows(rows: Any) -> dict[str, dict]:
    """{participant: details} from (participant, data) rows."""
    return {r[0]: json.loads(r[1]) for r in rows}
