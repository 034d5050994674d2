"""`coflow migrate-store`: what older stores need for today's rules, added without
rewriting history.

Projects pinned before coflow recorded a workflow's canonical fingerprint
(`definition_hash`) get one `store_upgraded` event recording it for each workflow they
pinned, so `verify` can check the stored definitions from then on. A definition whose
workflow file still holds the pinned bytes is checked against that file first (a mismatch
is refused, exit 5); one whose file has gone is taken as stored, and the event says so.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


STORE_UPGRADED = "store_upgraded"


def needed(engine: Any, project: str) -> list[tuple[str, str | None]]:
    """(file hash, workflow path) of each workflow the project pinned without a fingerprint."""
    from coflow.pinning import pins

    seen: dict[str, str | None] = {}
    for _seq, file_hash, recorded, path in pins(engine.store.events(project)):
        if recorded is None:
            seen.setdefault(file_hash, path)
    return list(seen.items())


def upgrade(engine: Any, project: str, actor: str, dry_run: bool = False) -> dict[str, Any] | None:
    """Record the fingerprints one project lacks; None when it lacks none."""
    from coflow.errors import StoreError
    from coflow.pinning import _from_file, definition_hash

    missing = needed(engine, project)
    if not missing:
        return None
    hashes: dict[str, str] = {}
    checked: list[str] = []
    as_stored: list[str] = []
    for file_hash, path in missing:
        definition = engine.store.workflow_definition(file_hash)
        if definition is None:
            raise StoreError(f"project {project}: the store has lost the workflow {file_hash[:12]} it pinned",
                             hint="restore the store from a backup")
        digest = definition_hash(definition)
        from_file = _from_file(path, file_hash)
        if from_file is not None and from_file != digest:
            raise StoreError(f"project {project}: the stored workflow {file_hash[:12]} does not match the file "
                             f"{path} it was pinned from (its stored copy was changed); nothing was recorded",
                             hint="restore the store from a backup, then run coflow migrate-store again")
        hashes[file_hash] = digest
        (checked if from_file is not None else as_stored).append(file_hash)
    data = {"definition_hashes": hashes, "checked_against_file": checked, "taken_as_stored": as_stored}
    if not dry_run:
        engine.change(project, actor, STORE_UPGRADED, lambda state, view, tx: data)
    return data
