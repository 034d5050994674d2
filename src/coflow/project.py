"""Project state as a fold of its events, and the read-only view checks are given.

The log is the truth; this module only derives. Each event type has one reducer. The core's
(created, advanced, ...) are here, marked with @reducer; every other kind of record brings its
own through the record-kind registry (coflow.kinds), which the fold is given explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType

from coflow.events import BLOCKED, Event
from coflow.plain import Plain

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

Reducer = Callable[["ProjectState", Event], None]
# The core's event types and their reducers (None: the event changes no state). Registered as
# the record kind "project" by coflow.records.builtin, like every other kind.
CORE_EVENTS: dict[str, Reducer | None] = {BLOCKED: None, "history_break_noted": None, "override_requested": None,
                                          "store_upgraded": None}


def reducer(event_type: str) -> Callable[[Reducer], Reducer]:
    """Mark a reducer of a core event type (other kinds register theirs through coflow.kinds)."""

    def wrap(func: Reducer) -> Reducer:
        CORE_EVENTS[event_type] = func
        return func

    return wrap


class ProjectState(Plain):
    """Everything known about a project at its latest event (mutable only while folding)."""

    _fields = ("id", "workflow_id", "workflow_version", "workflow_hash", "workflow_path", "stage",
               "stage_entered", "stage_entered_seq", "created", "seq", "head_hash", "facts", "participants",
               "sessions", "payments", "evidence", "feedback", "signoffs", "assessment", "records", "timeline",
               "transitions", "due_dates", "events", "workflow_file_hash", "workflow_parents", "pins")

    def __init__(self, id: str, workflow_id: str = "", workflow_version: str = "", workflow_hash: str = "",
                 workflow_path: str | None = None, stage: str = "", stage_entered: str = "",
                 stage_entered_seq: int = 0, created: str = "", seq: int = 0, head_hash: str = "",
                 facts: dict[str, Any] | None = None, participants: dict[str, dict] | None = None,
                 sessions: dict[str, dict] | None = None, payments: dict[str, dict] | None = None,
                 evidence: dict[str, dict] | None = None, feedback: dict[str, dict] | None = None,
                 signoffs: list[dict] | None = None, assessment: dict | None = None,
                 records: dict[str, Any] | None = None, timeline: list[dict] | None = None,
                 transitions: list[dict] | None = None, due_dates: dict[str, dict] | None = None,
                 events: list[Event] | None = None, workflow_file_hash: str | None = None,
                 workflow_parents: list[dict] | None = None, pins: dict[str, Any] | None = None):
        self.id = id
        self.workflow_id = workflow_id
        self.workflow_version = workflow_version
        self.workflow_hash = workflow_hash
        self.workflow_path = workflow_path
        # with `extends`: the hash of the workflow's own file, and the workflows it is built on
        self.workflow_file_hash = workflow_file_hash
        self.workflow_parents: list[dict] = [] if workflow_parents is None else workflow_parents
        self.stage = stage
        self.stage_entered = stage_entered  # when (for days in a stage); never to decide what belongs to the visit
        self.stage_entered_seq = stage_entered_seq  # the event that began this visit: later seqs belong to it
        self.created = created
        self.seq = seq
        self.head_hash = head_hash
        self.facts: dict[str, Any] = {} if facts is None else facts
        # co-production records, keyed by their ids (filled by coflow.records reducers)
        self.participants: dict[str, dict] = {} if participants is None else participants
        self.sessions: dict[str, dict] = {} if sessions is None else sessions
        self.payments: dict[str, dict] = {} if payments is None else payments
        self.evidence: dict[str, dict] = {} if evidence is None else evidence
        self.feedback: dict[str, dict] = {} if feedback is None else feedback
        self.signoffs: list[dict] = [] if signoffs is None else signoffs
        self.assessment = assessment
        self.records: dict[str, Any] = {} if records is None else records  # plugins' record kinds, by kind name
        # what happened to the project as a whole
        self.timeline: list[dict] = [] if timeline is None else timeline  # {"stage", "entered", "left", "how"}
        self.transitions: list[dict] = [] if transitions is None else transitions  # advanced/reopened/migrated/relabelled data
        # stage -> the due date `coflow due` set for the project's visit to it (until it leaves)
        self.due_dates: dict[str, dict] = {} if due_dates is None else due_dates
        # the workflows the history pinned (coflow.pinning), kept so no command re-reads the history for them
        self.pins: dict[str, Any] = {"pinned": [], "upgraded": {}} if pins is None else pins
        self._events: list[Event] = [] if events is None else events
        # A state restored from a snapshot holds only the events applied since; the earlier
        # ones are read from the store the first time someone asks for `events`.
        self._earlier: Callable[[], list[Event]] | None = None
        self._head: Event | None = None  # with _earlier: the snapshot's last event, already read
        self.unverified = False  # folded from a history that does not verify (written with --force)

    def shallow_copy(self) -> ProjectState:
        """A copy sharing the records, for judging a gate as if the stage or workflow were
        another (set those on the copy; change nothing inside it)."""
        twin = object.__new__(ProjectState)
        twin.__dict__.update(self.__dict__)
        return twin

    @property
    def events(self) -> list[Event]:
        """Every event of the project, in order (read from the store on first use when the
        state was restored from a snapshot)."""
        if self._earlier is not None:
            load, self._earlier = self._earlier, None
            self._events[:0] = load()
        return self._events

    @events.setter
    def events(self, value: list[Event]) -> None:
        self._events, self._earlier = value, None

    @property
    def latest(self) -> Event | None:
        """The project's last event, without reading the whole history."""
        if self._events:
            return self._events[-1]
        if self._head is not None:
            return self._head
        return self.events[-1] if self.events else None

    def applied_after(self, seq: int) -> list[Event]:
        """The events after `seq` that this state has applied (those a command just wrote)."""
        return [e for e in self._events if e.seq > seq]

    def apply(self, event: Event, reducers: Mapping[str, Reducer] | None = None) -> None:
        """Fold one event in, with the reducers of the registered record kinds (coflow's own
        when none are given); an event type no kind knows only moves the seq and hash."""
        if reducers is None:
            from coflow.kinds import builtin

            reducers = builtin().reducers
        handler = reducers.get(event.type)
        if handler is not None:
            handler(self, event)
        if event.type in _PINNING:
            _note_pin(self.pins, event)
        self.seq = event.seq
        self.head_hash = event.hash
        self._events.append(event)

    def enter(self, stage: str, ts: str, how: str, seq: int) -> None:
        """Begin a visit to `stage` at event `seq`. What belongs to a visit is decided by seq,
        never by clock time, which can step back or differ between machines."""
        if self.timeline and self.timeline[-1]["left"] is None:
            self.timeline[-1]["left"] = ts
        self.due_dates.pop(self.stage, None)  # a due date set for a stage ends with the visit
        self.timeline.append({"stage": stage, "entered": ts, "left": None, "how": how})
        self.stage = stage
        self.stage_entered = ts
        self.stage_entered_seq = seq


_PINNING = frozenset({"created", "migrated", "relabelled", "store_upgraded"})


def _note_pin(pins: dict[str, Any], event: Event) -> None:
    """Keep what coflow.pinning.pins() would find in the events: every pinned workflow, and
    the definition fingerprints a store upgrade filled in."""
    data = event.data if isinstance(event.data, dict) else {}
    if event.type == "store_upgraded":
        pins["upgraded"].update({str(k): str(v) for k, v in (data.get("definition_hashes") or {}).items()})
        return
    workflow = data.get("workflow")
    if isinstance(workflow, dict) and workflow.get("hash"):
        pins["pinned"].append([event.seq, str(workflow["hash"]), workflow.get("definition_hash"), workflow.get("path")])


def fold(project_id: str, events: Iterable[Event], reducers: Mapping[str, Reducer] | None = None) -> ProjectState:
    """A project's state from its events. `reducers` are the registered record kinds'
    (RecordKinds.reducers); without them, coflow's own kinds fold and a plugin's do not."""
    if reducers is None:
        from coflow.kinds import builtin

        reducers = builtin().reducers
    state = ProjectState(project_id)
    for event in events:
        state.apply(event, reducers)
    return state


@reducer("created")
def _created(state: ProjectState, event: Event) -> None:
    wf = event.data["workflow"]
    state.workflow_id = wf["id"]
    state.workflow_version = wf["version"]
    state.workflow_hash = wf["hash"]
    state.workflow_path = wf.get("path")
    state.workflow_file_hash = wf.get("file_hash")
    state.workflow_parents = list(wf.get("parents", []))
    state.created = event.ts
    state.enter(event.data["stage"], event.ts, "created", event.seq)


@reducer("fact_recorded")
def _fact(state: ProjectState, event: Event) -> None:
    state.facts[event.data["key"]] = event.data["value"]


@reducer("fact_unset")
def _fact_unset(state: ProjectState, event: Event) -> None:
    """A fact withdrawn (a mistyped key, say): gone from the facts, kept in the history."""
    state.facts.pop(str(event.data.get("key")), None)


@reducer("advanced")
def _advanced(state: ProjectState, event: Event) -> None:
    state.transitions.append({"type": "advanced", "seq": event.seq, "ts": event.ts, "actor": event.actor, **event.data})
    state.enter(event.data["to"], event.ts, "override" if event.data.get("override") else "advanced", event.seq)


@reducer("reopened")
def _reopened(state: ProjectState, event: Event) -> None:
    state.transitions.append({"type": "reopened", "seq": event.seq, "ts": event.ts, "actor": event.actor, **event.data})
    state.enter(event.data["to"], event.ts, "reopened", event.seq)


@reducer("migrated")
def _migrated(state: ProjectState, event: Event) -> None:
    wf = event.data["workflow"]
    state.workflow_id = wf["id"]
    state.workflow_version = wf["version"]
    state.workflow_hash = wf["hash"]
    state.workflow_path = wf.get("path", state.workflow_path)
    state.workflow_file_hash = wf.get("file_hash")
    state.workflow_parents = list(wf.get("parents", []))
    renamed = event.data.get("renamed")
    if renamed:  # the same visit, under the stage's new name
        state.stage = renamed["to"]
        if state.timeline and state.timeline[-1]["left"] is None:
            state.timeline[-1]["stage"] = renamed["to"]
    state.transitions.append({"type": "migrated", "seq": event.seq, "ts": event.ts, "actor": event.actor, **event.data})


@reducer("due_set")
def _due_set(state: ProjectState, event: Event) -> None:
    from coflow.deadlines import apply

    apply(state, event)


@reducer("relabelled")
def _relabelled(state: ProjectState, event: Event) -> None:
    from coflow.relabel import apply

    apply(state, event)


class Record(Mapping):
    """A read-only record: mapping access and attribute access (`p.lived_experience`)."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any]):
        # a proxy, so not even record._data can be changed by a check
        object.__setattr__(self, "_data", MappingProxyType(dict(data)))

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("project records are read-only in checks")

    def __repr__(self) -> str:
        return f"Record({dict(self._data)!r})"

    def __reduce__(self) -> tuple:
        """Copying (copy.deepcopy) and pickling give an equal, still read-only, Record."""
        return (Record, (dict(self._data),))


def _freeze(value: Any) -> Any:
    """A deep read-only copy: dicts become Records, lists tuples, all the way down."""
    if isinstance(value, Mapping):
        return Record({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


# What a view holds beyond the stage and workflow, each built (read-only, all the way down)
# the first time a check asks for it: most checks read one or two of these, and none need
# the whole history copied on every gate.
_LAZY: dict[str, Callable[[ProjectState], Any]] = {
    "facts": lambda s: MappingProxyType({k: _freeze(v) for k, v in s.facts.items()}),
    "participants": lambda s: tuple(_freeze(p) for p in s.participants.values()),
    "sessions": lambda s: tuple(_freeze(x) for x in s.sessions.values()),
    "payments": lambda s: tuple(_freeze(p) for p in s.payments.values()),
    # withdrawn evidence stays in the history and the report, but counts for no check
    "evidence": lambda s: tuple(_freeze(e) for e in s.evidence.values() if not e.get("withdrawn")),
    "feedback": lambda s: tuple(_freeze(f) for f in s.feedback.values()),
    "signoffs": lambda s: tuple(_freeze(x) for x in s.signoffs),
    "assessment": lambda s: _freeze(s.assessment) if s.assessment else None,
    "records": lambda s: MappingProxyType({k: _freeze(v) for k, v in s.records.items()}),
    "timeline": lambda s: tuple(_freeze(t) for t in s.timeline),
    "events": lambda s: tuple(_freeze(e.as_dict()) for e in s.events),
}


class ProjectView:
    """What a check sees: read-only, nothing that could change the log.

    The stage and workflow are set at once; facts, records, the timeline and the events
    are frozen when a check first reads them (so a gate whose checks never read the events
    does not copy the history). A view is for one evaluation: it reads the state as it is
    when each part is first asked for.
    """

    def __init__(self, state: ProjectState, workflow: Any = None):
        object.__setattr__(self, "_source", state)
        self.id = state.id
        self.stage = state.stage
        self.stage_entered = state.stage_entered
        self.stage_entered_seq = state.stage_entered_seq
        self.created = state.created
        self.workflow = Record({"id": state.workflow_id, "version": state.workflow_version,
                                "title": getattr(workflow, "title", state.workflow_id),
                                "hash": state.workflow_hash})
        self.roles = MappingProxyType(dict(getattr(workflow, "roles", {}) or {}))

    def __getattr__(self, key: str) -> Any:  # only for what is not built yet
        make = _LAZY.get(key)
        if make is None:
            raise AttributeError(key)
        value = make(self.__dict__["_source"])
        object.__setattr__(self, key, value)
        return value

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *_LAZY})

    def __setattr__(self, key: str, value: Any) -> None:
        if key in self.__dict__ or key in _LAZY:
            raise AttributeError("the project view is read-only")
        object.__setattr__(self, key, value)

