"""The Store and Transaction Protocols every storage backend follows (docs/storage.md).

Only type checkers need them, so they live apart from coflow.storage.base's row classes and
load on first use (coflow.storage.base.Store still names them for plugin authors).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol

from coflow.events import Event
from coflow.storage.base import OutboxItem, ProjectRow


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
