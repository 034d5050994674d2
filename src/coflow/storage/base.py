"""The Store protocol every storage backend implements (docs/storage.md).

Stores know events, pinned workflow definitions, personal data and the notification
outbox; they know nothing of workflows' meaning. Hashes are computed by coflow.events, so
every store produces the same chain for the same events.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from coflow.events import Event
from coflow.plain import Frozen, _set


class ProjectRow(Frozen):
    """The cached head of a project, kept in the same transaction as its events."""

    __slots__ = ("id", "workflow_id", "workflow_hash", "stage", "seq", "head_hash", "updated")
    _fields = __slots__
    id: str
    workflow_id: str
    workflow_hash: str
    stage: str
    seq: int
    head_hash: str
    updated: str

    def __init__(self, id: str, workflow_id: str, workflow_hash: str, stage: str, seq: int, head_hash: str,
                 updated: str):
        _set(self, "id", id)
        _set(self, "workflow_id", workflow_id)
        _set(self, "workflow_hash", workflow_hash)
        _set(self, "stage", stage)
        _set(self, "seq", seq)
        _set(self, "head_hash", head_hash)
        _set(self, "updated", updated)


class Snapshot(Frozen):
    """A project's folded state at event `seq` (whose hash is `head_hash`): a cache beside the
    log, never a source of truth. `fold` names the reducers that made it (coflow.snapshot);
    `state` is the JSON text of the state without its events."""

    __slots__ = ("project", "seq", "head_hash", "fold", "state")
    _fields = __slots__
    project: str
    seq: int
    head_hash: str
    fold: str
    state: str

    def __init__(self, project: str, seq: int, head_hash: str, fold: str, state: str):
        _set(self, "project", project)
        _set(self, "seq", seq)
        _set(self, "head_hash", head_hash)
        _set(self, "fold", fold)
        _set(self, "state", state)


class OutboxItem(Frozen):
    __slots__ = ("id", "project", "seq", "notifier", "payload", "status", "attempts", "last_error", "created",
                 "delivered")
    _fields = __slots__
    id: int
    project: str
    seq: int
    notifier: str
    payload: dict[str, Any]
    status: str  # "pending", "delivered", "failed"
    attempts: int
    last_error: str | None
    created: str
    delivered: str | None

    def __init__(self, id: int, project: str, seq: int, notifier: str, payload: dict[str, Any], status: str,
                 attempts: int, last_error: str | None, created: str, delivered: str | None):
        _set(self, "id", id)
        _set(self, "project", project)
        _set(self, "seq", seq)
        _set(self, "notifier", notifier)
        _set(self, "payload", payload)
        _set(self, "status", status)
        _set(self, "attempts", attempts)
        _set(self, "last_error", last_error)
        _set(self, "created", created)
        _set(self, "delivered", delivered)


class Transaction(Protocol):
    """One write transaction: reads inside it see a locked, current project."""

    def events(self, project: str) -> list[Event]: ...

    def append(self, event: Event) -> None:
        """Append one event; raises ConcurrentChange if its seq is already taken."""

    def save_project(self, row: ProjectRow) -> None: ...

    def save_workflow(self, content_hash: str, workflow_id: str, version: str, definition: dict) -> None: ...

    def put_personal(self, project: str, participant: str, data: dict) -> None: ...

    def delete_personal(self, project: str, participant: str) -> bool: ...

    def add_outbox(self, project: str, seq: int, notifier: str, payload: dict) -> int: ...

    # Optional (coflow.snapshot): a store without these folds every project from its first event.
    # def events_from(self, project: str, seq: int) -> list[Event]: the events from `seq` on
    # def snapshot(self, project: str) -> Snapshot | None
    # def save_snapshot(self, snapshot: Snapshot) -> None


class Store(Protocol):
    url: str

    def transaction(self) -> AbstractContextManager[Transaction]:
        """A write transaction that queues behind other writers (SQLite BEGIN IMMEDIATE,
        PostgreSQL a row lock) and waits up to busy_timeout before raising StoreBusy."""

    def events(self, project: str) -> list[Event]: ...

    def iter_all_events(self) -> Iterator[Event]: ...

    def project(self, project: str) -> ProjectRow | None: ...

    def projects(self) -> list[ProjectRow]: ...

    def workflow_definition(self, content_hash: str) -> dict | None: ...

    def get_personal(self, project: str, participant: str) -> dict | None: ...

    def personal_for_project(self, project: str) -> dict[str, dict]:
        """{participant id: personal details} for one project ({} when none): what reports
        with names, participant lists and the redaction of notifications read."""

    def outbox(self, status: str | None = None) -> list[OutboxItem]: ...

    def mark_outbox(self, item_id: int, delivered: bool, error: str | None = None) -> None: ...

    def close(self) -> None: ...

    # Optional (coflow.snapshot), as on Transaction, plus:
    # def offer_snapshot(self, snapshot: Snapshot) -> bool: save it if its seq is still the
    #     project's head, without waiting for a lock (False when busy or stale)
    # def schema_sealed(self) -> bool: the tables are as coflow last left them (no trigger
    #     dropped or disabled since), so a snapshot may be trusted
    # def seal_schema(self) -> None: after a full verify, trust the tables as they are now


def event_projects(store: Any) -> list[str]:
    """The ids of every project with events: the store's own query, or a pass over the log."""
    finder = getattr(store, "event_projects", None)
    if callable(finder):
        return list(finder())
    return sorted({event.project for event in store.iter_all_events()})
