"""The one shape of every record update: decide inside the write transaction, and write
nothing when nothing would change (a racing identical change leaves no empty event)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from coflow.errors import UsageError
from coflow.records.values import about

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction


def nothing_given(fields: Mapping[str, Any]) -> bool:
    return all(v is None or v == () or v == [] for v in fields.values())


def update_record(engine: ProjectWriter, project: str, actor: str, *, kind: str, item: str, event_type: str,
                  collection: str, fields: Mapping[str, Any], example: str,
                  find: Callable[[Any, str], dict[str, Any]],
                  make_changes: Callable[[Any, dict[str, Any], Mapping[str, Any]], dict[str, Any]],
                  ) -> tuple[dict[str, Any], bool]:
    """Change one record of `collection` (payments, sessions, ...); returns (record, changed)."""
    if nothing_given(fields):
        raise UsageError(f"nothing to change for {kind} {item}", hint=f"give what changes, such as {example}")

    def build(state: Any, view: Any, tx: Transaction) -> dict | None:
        record = find(state, item)
        with about(f"{kind} {item}"):
            changes = make_changes(state, record, fields)
        return {"id": item, "changes": changes} if changes else None

    event, state = engine.change(project, actor, event_type, build)
    return dict(getattr(state, collection)[item]), event is not None
