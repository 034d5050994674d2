"""The registry of record kinds: every event type the log may hold, its reducer and its check.

A record kind (participants, sessions, ..., or a plugin's own, such as filming consent) is
registered through the `coflow_register_records` hook, as check types and stores are:
coflow's own kinds by the built-in plugin `coflow.records.builtin`, others by plugins. The
fold, the write path and the notification settings all take their event types from here,
so there is one list, and nothing depends on which module happened to be imported first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.events import Event
    from coflow.project import ProjectState

Reducer = Callable[["ProjectState", "Event"], None]
# validate(event_type, data) -> the problems with an event's data, each "key: what is wrong"
Validate = Callable[[str, "dict[str, Any]"], "list[str] | None"]


class RecordKind:
    """One kind of record: its event types (each with a reducer, or None for an event that
    changes no state) and an optional check of each event's data before it is written."""

    __slots__ = ("name", "events", "validate", "plugin")

    def __init__(self, name: str, events: Mapping[str, Reducer | None], validate: Validate | None = None,
                 plugin: str = "coflow"):
        self.name = name
        self.events = dict(events)
        self.validate = validate
        self.plugin = plugin


class RecordKinds:
    """Record kinds by name, and which kind owns each event type."""

    def __init__(self) -> None:
        self.kinds: dict[str, RecordKind] = {}
        self.by_event: dict[str, RecordKind] = {}
        self.reducers: dict[str, Reducer] = {}

    def add(self, kind: RecordKind) -> None:
        """Add a kind; a name or event type already taken is a ValueError saying by whom."""
        if kind.name in self.kinds:
            raise ValueError(f"the record kind {kind.name!r} is already registered by {self.kinds[kind.name].plugin!r}")
        for event_type in kind.events:
            owner = self.by_event.get(event_type)
            if owner is not None:
                raise ValueError(f"the event type {event_type!r} already belongs to the record kind "
                                 f"{owner.name!r} of {owner.plugin!r}")
        self.kinds[kind.name] = kind
        for event_type, reducer in kind.events.items():
            self.by_event[event_type] = kind
            if reducer is not None:
                self.reducers[event_type] = reducer

    @property
    def event_types(self) -> list[str]:
        """Every event type the log may hold, in registration order."""
        return list(self.by_event)

    def problems(self, event_type: str, data: dict[str, Any]) -> list[str]:
        """Why an event may not be written: an unregistered type, or its kind's check."""
        kind = self.by_event.get(event_type)
        if kind is None:
            return [f"{event_type!r} is not an event type any record kind registers"]
        if kind.validate is None:
            return []
        return list(kind.validate(event_type, data) or [])


def register_into(kinds: RecordKinds, plugin: str) -> Callable[..., None]:
    """The `register(kind, events, validate=None)` a plugin's coflow_register_records gets."""

    def register(kind: str, events: Mapping[str, Reducer | None], validate: Validate | None = None) -> None:
        kinds.add(RecordKind(kind, events, validate, plugin))

    return register


_BUILTIN: RecordKinds | None = None


def builtin() -> RecordKinds:
    """coflow's own record kinds, without building a plugin manager (for a fold outside a
    coflow home: tests, reports of sample events). Built once, on first use."""
    global _BUILTIN
    if _BUILTIN is None:
        from coflow.records import builtin as records_builtin

        kinds = RecordKinds()
        records_builtin.coflow_register_records(register_into(kinds, "coflow.records.builtin"))
        _BUILTIN = kinds
    return _BUILTIN

