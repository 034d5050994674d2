"""The rules are part of the record: a stored workflow must be the one its project pinned.

A project pins the workflow it runs by two fingerprints kept in its history (the `created`,
`migrated` and `relabelled` events): `hash`, the SHA-256 of the workflow file's bytes, and
`definition_hash`, the SHA-256 of the stored definition in canonical form (docs/security.md).
The store keeps the definition itself beside the log, where someone with write access could
edit it (remove a gate's checks); the fingerprint in the chain catches that, so verify
reports it and no gate is evaluated with such a definition.

Projects pinned before definition fingerprints were recorded are checked against the
workflow file when it still has the pinned bytes; `coflow migrate-store` records the
fingerprint for them.
"""

from __future__ import annotations

from collections.abc import Iterable

from coflow.events import Event
from coflow.sha import sha256_hex

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def definition_hash(definition: Any) -> str:
    """SHA-256 of the canonical form: compact JSON (separators `,` and `:`), keys in the
    order of the workflow file (the order of stages means something), non-ASCII kept."""
    import json

    text = json.dumps(definition, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return sha256_hex(text.encode("utf-8"))


def pins(events: Iterable[Event]) -> list[tuple[int, str, str | None, str | None]]:
    """(seq, file hash, recorded definition hash or None, workflow file path) of every
    event that pinned a workflow; a store upgrade's event fills in an older pin's fingerprint."""
    found: list[tuple[int, str, str | None, str | None]] = []
    upgraded: dict[str, str] = {}
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        if event.type == "store_upgraded":
            upgraded.update({str(k): str(v) for k, v in (data.get("definition_hashes") or {}).items()})
            continue
        workflow = data.get("workflow")
        if event.type in ("created", "migrated", "relabelled") and isinstance(workflow, dict) and workflow.get("hash"):
            found.append((event.seq, str(workflow["hash"]), workflow.get("definition_hash"), workflow.get("path")))
    return [(seq, h, recorded or upgraded.get(h), path) for seq, h, recorded, path in found]


def pins_of(state: Any) -> list[tuple[int, str, str | None, str | None]]:
    """What pins() finds, from a folded project state (which keeps them), without its events."""
    upgraded = state.pins["upgraded"]
    return [(int(seq), str(h), recorded or upgraded.get(h), path) for seq, h, recorded, path in state.pins["pinned"]]


def problem(store: Any, file_hash: str, recorded: str | None, path: str | None) -> str | None:
    """Why the stored definition for `file_hash` cannot be trusted (None when it can)."""
    definition = store.workflow_definition(file_hash)
    name = f"the stored workflow {file_hash[:12]}"
    if definition is None:
        return f"{name} is missing from the store"
    if isinstance(definition, dict) and isinstance(definition.get("workflow"), dict):
        meta = definition["workflow"]
        name = f"the stored workflow {meta.get('id')} {meta.get('version')} ({file_hash[:12]})"
    if recorded is not None:
        if definition_hash(definition) != recorded:
            return (f"{name} does not match the fingerprint recorded in the history when it was pinned "
                    "(its stored copy was changed)")
        return None
    expected = _from_file(path, file_hash)
    if expected is not None and definition_hash(definition) != expected:
        return f"{name} does not match the workflow file {path} it was pinned from (its stored copy was changed)"
    return None


def _from_file(path: str | None, file_hash: str) -> str | None:
    """The canonical fingerprint of the workflow file, if it still holds the pinned bytes."""
    if not path:
        return None
    from pathlib import Path

    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None
    if sha256_hex(raw) != file_hash:
        return None
    from coflow.errors import CoflowError
    from coflow.workflow.loader import parse_file

    try:
        data, _ = parse_file(Path(path))
    except CoflowError:
        return None
    return definition_hash(data)


def first_problem(store: Any, events: list[Event]) -> tuple[int, str] | None:
    """(seq of the pinning event, why) for the first pinned workflow that fails, or None."""
    checked: set[tuple[str, str | None]] = set()
    for seq, file_hash, recorded, path in pins(events):
        if (file_hash, recorded) in checked:
            continue
        checked.add((file_hash, recorded))
        why = problem(store, file_hash, recorded, path)
        if why:
            return seq, why
    return None
