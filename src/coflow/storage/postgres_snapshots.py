"""Snapshots in the PostgreSQL store: the same table and statements as SQLite's, and the
seal that says whether the events table's triggers are as coflow left them.

PostgreSQL has no schema cookie. The seal is each trigger on the events table with its
object id, the transaction that last wrote its catalogue row and whether it is enabled:
dropping, re-creating, disabling or re-enabling the append-only trigger changes it, so a
snapshot is not trusted after someone could have edited events behind coflow's back.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from coflow.events import Event
from coflow.storage import common
from coflow.storage.base import Snapshot
from coflow.storage.common import row_event

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

SNAPSHOT_TABLE = ("CREATE TABLE IF NOT EXISTS snapshots (project TEXT PRIMARY KEY, seq INTEGER NOT NULL, "
                  "head_hash TEXT NOT NULL, fold TEXT NOT NULL, state TEXT NOT NULL)")
SEAL = ("SELECT coalesce(string_agg(t.tgname || ':' || t.oid::text || ':' || t.xmin::text || ':' || "
        "t.tgenabled::text, ',' ORDER BY t.tgname), '') FROM pg_trigger t WHERE t.tgrelid = to_regclass('events')")
SEALED = f"SELECT coalesce((SELECT value FROM meta WHERE key = 'schema_seal') = ({SEAL}), false)"
WRITE_SEAL = ("INSERT INTO meta (key, value) VALUES ('schema_seal', (" + SEAL + ")) "
              "ON CONFLICT (key) DO UPDATE SET value = excluded.value")


def _pg(statement: str) -> str:
    return common.placeholders(statement, "%s")


class PgSnapshotTransaction:
    """The snapshot part of a write transaction (mixed into the store's transaction)."""

    store: Any
    lock: Callable[[str], None]  # the transaction's own: queue behind the project's other writers

    def events_from(self, project: str, seq: int) -> list[Event]:
        self.lock(project)
        return [row_event(r) for r in self.store._run(_pg(common.EVENTS_FROM), (project, seq), fetch=True)]

    def snapshot(self, project: str) -> Snapshot | None:
        return self.store.snapshot(project)

    def save_snapshot(self, snapshot: Snapshot) -> None:
        if self.store.has_snapshots:
            self.store._run(_pg(common.SAVE_SNAPSHOT), common.snapshot_params(snapshot))


class PgSnapshots:
    """The snapshot part of the store (mixed into PostgresStore)."""

    has_snapshots = False
    _run: Callable[..., list[tuple]]  # the store's own
    _transaction_block: Callable[[], AbstractContextManager[None]]

    def _add_snapshots(self, tables: set[str]) -> None:
        """Stores made before snapshots gain the table and the seal (needs the tables' owner;
        another role's commands then fold every project from its first event)."""
        from coflow.errors import StoreError

        if "snapshots" in tables:
            self.has_snapshots = True
            return
        try:
            with self._transaction_block():
                self._run(SNAPSHOT_TABLE)
                self._run(WRITE_SEAL)
            self.has_snapshots = True
        except StoreError:
            self.has_snapshots = False

    def events_from(self, project: str, seq: int) -> list[Event]:
        """The project's events from `seq` on: what came after a snapshot, and its own head."""
        return [row_event(r) for r in self._run(_pg(common.EVENTS_FROM), (project, seq), fetch=True)]

    def snapshot(self, project: str) -> Snapshot | None:
        if not self.has_snapshots:
            return None
        rows = self._run(_pg(common.READ_SNAPSHOT), (project,), fetch=True)
        return common.row_snapshot(rows[0]) if rows else None

    def offer_snapshot(self, snapshot: Snapshot) -> bool:
        """Save a snapshot a read rebuilt, if its seq is still the head; waits for no lock."""
        from coflow.errors import CoflowError

        if not self.has_snapshots:
            return False
        try:
            with self._transaction_block():
                self._run("SET LOCAL lock_timeout = '50ms'")
                self._run(_pg(common.OFFER_SNAPSHOT), common.offer_params(snapshot))
            return True
        except CoflowError:
            return False  # busy, or this role may not write: the snapshot is only a cache

    def schema_sealed(self) -> bool:
        from coflow.errors import CoflowError

        try:
            return bool(self._run(SEALED, fetch=True)[0][0])
        except CoflowError:
            return False

    def seal_schema(self) -> None:
        """After `coflow verify` found every history intact: note the triggers as they are,
        if they are all there and enabled (otherwise snapshots stay untrusted)."""
        from coflow.errors import CoflowError

        if self.schema_sealed():
            return
        try:
            [(enabled,)] = self._run("SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass('events') "
                                     "AND tgname IN ('events_append_only', 'events_no_truncate') "
                                     "AND tgenabled <> 'D'", fetch=True)
            if enabled == 2:
                with self._transaction_block():
                    self._run("SET LOCAL lock_timeout = '50ms'")
                    self._run(WRITE_SEAL)
        except CoflowError:
            pass
