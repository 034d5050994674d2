"""What every storage backend reads and writes: the rows (ProjectRow, Snapshot, OutboxItem),
and by name the Store and Transaction Protocols they follow (coflow.storage.protocols,
docs/storage.md).

Stores know events, pinned workflow definitions, personal data and the notification
outbox; they know nothing of workflows' meaning. Hashes are computed by coflow.events, so
every store produces the same chain for the same events.
"""

from __future__ import annotations

from coflow.plain import Frozen, _set

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.storage.protocols import Store as Store
    from coflow.storage.protocols import Transaction as Transaction


def __getattr__(name: str) -> Any:
    """Store and Transaction (the Protocols, in coflow.storage.protocols) load on first use."""
    if name in ("Store", "Transaction"):
        from coflow.storage import protocols

        return getattr(protocols, name)
    raise AttributeError(f"module 'coflow.storage.base' has no attribute {name!r}")


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


def event_projects(store: Any) -> list[str]:
    """The ids of every project with events: the store's own query, or a pass over the log."""
    finder = getattr(store, "event_projects", None)
    if callable(finder):
        return list(finder())
    return sorted({event.project for event in store.iter_all_events()})
