"""A project's folded state kept at its head, so reads and writes cost the same at 10 events
and at 10,000.

The snapshot is a cache, never a source of truth: it is written in the same transaction as
the events it follows, only from a history that verified, and is used only while its seq
and hash are still the head of the project's chain (events after it are folded on top) and
the store's tables are as coflow left them (`schema_sealed`). `coflow verify` and every
report fold the whole history again and compare. A snapshot made by other reducers (another
coflow version, a changed plugin) is not used: `fingerprint` names the reducers that made it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from coflow.events import Event
from coflow.project import ProjectState, Reducer
from coflow.sha import sha256_hex

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1
# One encoder for every snapshot (json.dumps with options builds a new one on each call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_SKIP = frozenset({"id", "events"})  # the id is the row's key; the events stay in the log


def fingerprint(reducers: Mapping[str, Reducer]) -> str:
    """Which fold made a snapshot: coflow's version, the format, and each event type's
    reducer (its module, name and compiled code), so a changed reducer is never trusted."""
    import coflow

    parts = [f"coflow {coflow.__version__}", f"format {FORMAT}"]
    for event_type in sorted(reducers):
        func = reducers[event_type]
        code = getattr(func, "__code__", None)
        body = sha256_hex(_code_text(code).encode("utf-8", "replace")) if code is not None else "-"
        parts.append(f"{event_type}={getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', '?')}:{body}")
    return sha256_hex("\n".join(parts).encode("utf-8"))


def _code_text(code: Any) -> str:
    """A compiled function's instructions, names and constants (nested functions' too), the
    same in every process (no memory addresses)."""
    consts = [_code_text(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts]
    return f"{code.co_code.hex()}|{code.co_names}|{consts}"


def encode(state: ProjectState, faithful: bool = False) -> str | None:
    """The state (without its events) as JSON text, or None when it does not survive the
    round trip exactly (a plugin's reducer keeping a tuple or a date, say): such a project
    is folded from its events instead. `faithful` says every reducer is coflow's own, which
    keep only JSON values (tested), so the round trip need not be checked on each write."""
    fields = {name: getattr(state, name) for name in state._fields if name not in _SKIP}
    try:
        text = _ENCODER.encode(fields)
    except (TypeError, ValueError):
        return None
    return text if faithful or json.loads(text) == fields else None


def coflow_only(reducers: Mapping[str, Reducer]) -> bool:
    """Whether every reducer is one of coflow's own (none a plugin's)."""
    return all(getattr(func, "__module__", "").startswith("coflow.") for func in reducers.values())


def decode(project_id: str, text: str, head: Event, earlier: Callable[[], list[Event]]) -> ProjectState | None:
    """The state a snapshot holds; `head` is its last event and `earlier` reads every event up
    to it when someone asks for the whole history. None when the text is not a state."""
    try:
        fields = json.loads(text)
        state = ProjectState(project_id, **fields)
    except (ValueError, TypeError):
        return None
    state._earlier = earlier
    state._head = head
    return state


def same(state: ProjectState, text: str) -> bool:
    """Whether a snapshot's text holds exactly this state (what `verify` compares)."""
    mine = encode(state)
    try:
        return mine is not None and json.loads(mine) == json.loads(text)
    except ValueError:
        return False


def usable(snapshot: Any, fold: str, tail: list[Event], row: Any) -> bool:
    """Whether a snapshot may stand for the history under it: made by this fold, its head
    still the event at its seq, the events after it chained and intact, and the store's
    project row at the last of them."""
    from coflow.events import first_break_from

    if snapshot is None or snapshot.fold != fold or not tail:
        return False
    head = tail[0]
    if head.seq != snapshot.seq or head.hash != snapshot.head_hash:
        return False
    if first_break_from(tail) is not None:
        return False
    last = tail[-1]
    return row is not None and row.seq == last.seq and row.head_hash == last.hash
