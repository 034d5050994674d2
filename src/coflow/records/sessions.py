"""Sessions: when people met, how, for how long, who came and who wrote the agenda."""

from __future__ import annotations

from collections.abc import Mapping

from coflow.errors import NotFound
from coflow.records.ids import Ids, known
from coflow.records.reducers import ATTENDANCE_RECORDED, SESSION_RECORDED, SESSION_UPDATED
from coflow.records.updates import update_record
from coflow.records.values import (
    FieldProblem,
    about,
    blank,
    choice,
    day,
    flag,
    hours,
    known_ids,
    text,
)

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction

FORMATS = ("in-person", "virtual", "hybrid", "phone", "home-visit")
# other words people use for the same formats
FORMAT_WORDS = {"online": "virtual", "video": "virtual", "in person": "in-person",
                "face-to-face": "in-person", "telephone": "phone", "home visit": "home-visit"}
ADD_PEOPLE_HINT = "add them first with `coflow participant add PROJECT`; see `coflow participant list PROJECT`"


def session_format(value: Any) -> str | None:
    if not blank(value):
        value = FORMAT_WORDS.get(str(value).strip().lower(), value)
    return choice(value, "format", FORMATS)


def session_kind(value: Any) -> str | None:
    """What the session was for, in one spelling ("Delivery" -> "delivery"): planning,
    design, delivery, evaluation or any short name; the `shared_work` check reads it."""
    from coflow.spelling import one_spelling

    typed = text(value, "kind", max_len=60)
    if typed is None:
        return None
    kind = one_spelling(typed)
    if not kind:
        raise FieldProblem("kind", f"{typed!r} has no letters or digits",
                           hint="give what the session was for, such as planning, design, delivery or evaluation")
    return kind


def make_session(state: Any, fields: Mapping[str, Any], ids: Ids) -> dict[str, Any]:
    """The session_recorded data from raw fields, checked against the project's participants."""
    hint = ADD_PEOPLE_HINT.replace("PROJECT", state.id)
    return {
        "id": ids.given_or_new(fields.get("id")),
        "date": day(fields.get("date"), "date", required=True),
        "title": text(fields.get("title"), "title", max_len=120),
        "kind": session_kind(fields.get("kind")),
        "format": session_format(fields.get("format")),
        "hours": hours(fields.get("hours"), "hours", required=True),
        "agenda_coauthors": known_ids(fields.get("agenda_coauthors"), "agenda_coauthors",
                                      state.participants, "participant", hint),
        "attendance": known_ids(fields.get("attendance"), "attendance", state.participants, "participant", hint),
        "decisions": bool(flag(fields.get("decisions"), "decisions", default=False)),
        "paid": bool(flag(fields.get("paid"), "paid", default=False)),
    }


def add(engine: ProjectWriter, project: str, actor: str, **fields: Any) -> dict[str, Any]:
    """Record a session that was held (its date cannot be in the future)."""

    def build(state: Any, view: Any, tx: Transaction) -> dict:
        with about("new session"):
            return make_session(state, fields, Ids("S", state.sessions))

    event, state = engine.change(project, actor, SESSION_RECORDED, build)
    return dict(state.sessions[event.data["id"]])


def find(state: Any, session: str, field: str = "session") -> dict[str, Any]:
    record = state.sessions.get(session)
    if record is None:
        raise NotFound(f"project {state.id} has no session {session!r}",
                       hint=f"known ids: {known(state.sessions)}; see `coflow session list {state.id}`")
    return record


# What `update` may change: the plain fields, and the two lists of people. A list is
# replaced when given (--attendee, --agenda-by) or added to (--add-attendee, --add-agenda-by).
PEOPLE_LISTS = {"attendance": "add_attendance", "agenda_coauthors": "add_agenda_coauthors"}


def make_changes(state: Any, record: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """The session_updated changes from raw fields (None or () means "not given");
    only what differs from the record."""
    given = {k: v for k, v in fields.items() if v is not None and v != () and v != []}
    hint = ADD_PEOPLE_HINT.replace("PROJECT", state.id)
    parsers = {
        "date": lambda v: day(v, "date", required=True),
        "title": lambda v: text(v, "title", max_len=120),
        "kind": session_kind,
        "format": session_format,
        "hours": lambda v: hours(v, "hours", required=True),
        "decisions": lambda v: bool(flag(v, "decisions")),
        "paid": lambda v: bool(flag(v, "paid")),
    }
    unknown = set(given) - set(parsers) - set(PEOPLE_LISTS) - set(PEOPLE_LISTS.values())
    if unknown:
        raise FieldProblem(sorted(unknown)[0], "cannot be changed on a session",
                           hint="record a new session instead")
    changes: dict[str, Any] = {k: parsers[k](v) for k, v in given.items() if k in parsers}
    for key, add_key in PEOPLE_LISTS.items():
        if key in given and add_key in given:
            raise FieldProblem(key, "give either the whole list or people to add, not both",
                               hint="--attendee and --agenda-by replace the list; "
                                    "--add-attendee and --add-agenda-by add to it")
        if key in given:
            changes[key] = known_ids(given[key], key, state.participants, "participant", hint)
        elif add_key in given:
            extra = known_ids(given[add_key], key, state.participants, "participant", hint)
            current = list(record.get(key) or [])
            changes[key] = current + [p for p in extra if p not in current]
    return {k: v for k, v in changes.items() if record.get(k) != v}


def update(engine: ProjectWriter, project: str, actor: str, session: str, **fields: Any) -> tuple[dict[str, Any], bool]:
    """Correct a recorded session (its date, format, who came, who wrote the agenda, ...).

    Returns (session, changed): asking for what is already recorded writes nothing.
    """
    return update_record(engine, project, actor, kind="session", item=session, event_type=SESSION_UPDATED,
                         collection="sessions", fields=fields, find=find, make_changes=make_changes,
                         example=f"coflow session update {project} {session} --add-agenda-by P-001")


def new_attendees(state: Any, session: str, participants: Any) -> list[str]:
    """Who of `participants` is not yet recorded at `session` (all must be participants)."""
    record = find(state, session)
    hint = ADD_PEOPLE_HINT.replace("PROJECT", state.id)
    ids = known_ids(participants, "participants", state.participants, "participant", hint)
    if not ids:
        raise FieldProblem("participants", "none given", hint="name at least one participant id, such as P-001")
    return [p for p in ids if p not in record.get("attendance", [])]


def attend(engine: ProjectWriter, project: str, actor: str, session: str, participants: Any) -> tuple[dict[str, Any], list[str]]:
    """Add people to a session's attendance; returns (session, who was newly added)."""

    def build(state: Any, view: Any, tx: Transaction) -> dict | None:
        with about(f"attendance at session {session}"):
            fresh = new_attendees(state, session, participants)
        return {"session": session, "participants": fresh} if fresh else None

    event, state = engine.change(project, actor, ATTENDANCE_RECORDED, build)
    return dict(state.sessions[session]), list(event.data["participants"]) if event else []


def listing_for(engine: ProjectWriter, project: str) -> list[dict[str, Any]]:
    state = engine.get(project)
    return sorted((dict(s) for s in state.sessions.values()), key=lambda s: (s["date"], s["id"]))
