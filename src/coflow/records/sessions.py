"""Sessions: when people met, how, for how long, who came and who wrote the agenda."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coflow.errors import NotFound, UsageError
from coflow.records.ids import Ids
from coflow.records.reducers import ATTENDANCE_RECORDED, SESSION_RECORDED
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

FORMATS = ("in-person", "virtual", "hybrid", "phone", "home-visit")
# other words people use for the same formats
FORMAT_WORDS = {"online": "virtual", "video": "virtual", "in person": "in-person",
                "face-to-face": "in-person", "telephone": "phone", "home visit": "home-visit"}
ADD_PEOPLE_HINT = "add them first with `coflow participant add PROJECT`; see `coflow participant list PROJECT`"


def session_format(value: Any) -> str | None:
    if not blank(value):
        value = FORMAT_WORDS.get(str(value).strip().lower(), value)
    return choice(value, "format", FORMATS)


def make_session(state: Any, fields: Mapping[str, Any], ids: Ids) -> dict[str, Any]:
    """The session_recorded data from raw fields, checked against the project's participants."""
    hint = ADD_PEOPLE_HINT.replace("PROJECT", state.id)
    return {
        "id": ids.given_or_new(fields.get("id")),
        "date": day(fields.get("date"), "date", required=True),
        "title": text(fields.get("title"), "title", max_len=120),
        "format": session_format(fields.get("format")),
        "hours": hours(fields.get("hours"), "hours", required=True),
        "agenda_coauthors": known_ids(fields.get("agenda_coauthors"), "agenda_coauthors",
                                      state.participants, "participant", hint),
        "attendance": known_ids(fields.get("attendance"), "attendance", state.participants, "participant", hint),
        "decisions": bool(flag(fields.get("decisions"), "decisions", default=False)),
        "paid": bool(flag(fields.get("paid"), "paid", default=False)),
    }


def add(engine: Any, project: str, actor: str, **fields: Any) -> dict[str, Any]:
    """Record a session that was held (its date cannot be in the future)."""

    def build(state: Any, view: Any, tx: Any) -> dict:
        with about("new session"):
            return make_session(state, fields, Ids("S", state.sessions))

    event, state = engine.change(project, actor, SESSION_RECORDED, build)
    return dict(state.sessions[event.data["id"]])


def find(state: Any, session: str, field: str = "session") -> dict[str, Any]:
    record = state.sessions.get(session)
    if record is None:
        known = ", ".join(list(state.sessions)[-8:]) or "none yet"
        raise NotFound(f"project {state.id} has no session {session!r}",
                       hint=f"sessions: {known}; see `coflow session list {state.id}`")
    return record


def new_attendees(state: Any, session: str, participants: Any) -> list[str]:
    """Who of `participants` is not yet recorded at `session` (all must be participants)."""
    record = find(state, session)
    hint = ADD_PEOPLE_HINT.replace("PROJECT", state.id)
    ids = known_ids(participants, "participants", state.participants, "participant", hint)
    if not ids:
        raise FieldProblem("participants", "none given", hint="name at least one participant id, such as P-001")
    return [p for p in ids if p not in record.get("attendance", [])]


def attend(engine: Any, project: str, actor: str, session: str, participants: Any) -> tuple[dict[str, Any], list[str]]:
    """Add people to a session's attendance; returns (session, who was newly added)."""
    state = engine.get(project)
    with about(f"attendance at session {session}"):
        fresh = new_attendees(state, session, participants)
    if not fresh:
        return dict(state.sessions[session]), []

    def build(state: Any, view: Any, tx: Any) -> dict:
        with about(f"attendance at session {session}"):
            fresh = new_attendees(state, session, participants)
        if not fresh:
            raise UsageError(f"everyone given is already recorded at session {session}")
        return {"session": session, "participants": fresh}

    event, state = engine.change(project, actor, ATTENDANCE_RECORDED, build)
    return dict(state.sessions[session]), list(event.data["participants"])


def listing_for(engine: Any, project: str) -> list[dict[str, Any]]:
    state = engine.get(project)
    return sorted((dict(s) for s in state.sessions.values()), key=lambda s: (s["date"], s["id"]))
