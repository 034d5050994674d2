"""How each record event changes a project's state (registered with coflow.project.reducer).

Reducers only derive: they trust the log (the service layer checked the input before it
was written) and never raise on a record they do not know, so an old or odd log still folds.
Loaded with coflow.records (by the engine before it folds), so it must stay light.
"""

from __future__ import annotations

from typing import Any

from coflow.project import ProjectState, reducer

PARTICIPANT_ADDED = "participant_added"
PARTICIPANT_UPDATED = "participant_updated"
PARTICIPANT_FORGOTTEN = "participant_forgotten"
SESSION_RECORDED = "session_recorded"
SESSION_UPDATED = "session_updated"
ATTENDANCE_RECORDED = "attendance_recorded"
PAYMENT_RECORDED = "payment_recorded"
PAYMENT_UPDATED = "payment_updated"
EVIDENCE_ADDED = "evidence_added"
FEEDBACK_RECORDED = "feedback_recorded"
FEEDBACK_UPDATED = "feedback_updated"
SIGNED_OFF = "signed_off"
ASSESSED = "assessed"

RECORD_EVENTS = (PARTICIPANT_ADDED, PARTICIPANT_UPDATED, PARTICIPANT_FORGOTTEN, SESSION_RECORDED,
                 SESSION_UPDATED, ATTENDANCE_RECORDED, PAYMENT_RECORDED, PAYMENT_UPDATED, EVIDENCE_ADDED,
                 FEEDBACK_RECORDED, FEEDBACK_UPDATED, SIGNED_OFF, ASSESSED)


def _data(event: Any) -> dict:
    return dict(event.data)


@reducer(PARTICIPANT_ADDED)
def _participant_added(state: ProjectState, event: Any) -> None:
    record = _data(event)
    record.update({"erased": False, "added": event.ts})
    state.participants[record["id"]] = record


def _merge(records: dict[str, dict], event: Any) -> None:
    record = records.get(event.data.get("id"))
    if record is not None:
        record.update(event.data.get("changes", {}))
        record["updated"] = event.ts


@reducer(PARTICIPANT_FORGOTTEN)
def _participant_forgotten(state: ProjectState, event: Any) -> None:
    record = state.participants.get(event.data.get("id"))
    if record is not None:
        record["erased"] = True
        record["forgotten"] = event.ts


@reducer(SESSION_RECORDED)
def _session_recorded(state: ProjectState, event: Any) -> None:
    record = _data(event)
    record["attendance"] = list(record.get("attendance") or [])
    record["recorded"] = event.ts
    state.sessions[record["id"]] = record


@reducer(ATTENDANCE_RECORDED)
def _attendance_recorded(state: ProjectState, event: Any) -> None:
    session = state.sessions.get(event.data.get("session"))
    if session is None:
        return
    present = session.setdefault("attendance", [])
    for pid in event.data.get("participants", []):
        if pid not in present:
            present.append(pid)


@reducer(SIGNED_OFF)
def _signed_off(state: ProjectState, event: Any) -> None:
    state.signoffs.append({"stage": event.data["stage"], "role": event.data["role"],
                           "actor": event.actor, "ts": event.ts, "seq": event.seq})


@reducer(ASSESSED)
def _assessed(state: ProjectState, event: Any) -> None:
    state.assessment = {**_data(event), "actor": event.actor, "ts": event.ts, "seq": event.seq}


def _keep(collection: str, with_actor: bool = False) -> Any:
    """A reducer that files a newly recorded item under its id in `collection`."""

    def apply(state: ProjectState, event: Any) -> None:
        record = _data(event)
        record["recorded"] = event.ts
        if with_actor:
            record["actor"] = event.actor
        getattr(state, collection)[record["id"]] = record

    return apply


def _merge_into(collection: str) -> Any:
    """A reducer that applies an `*_updated` event's changes to the item in `collection`."""

    def apply(state: ProjectState, event: Any) -> None:
        _merge(getattr(state, collection), event)

    return apply


reducer(PAYMENT_RECORDED)(_keep("payments"))
reducer(FEEDBACK_RECORDED)(_keep("feedback"))
reducer(EVIDENCE_ADDED)(_keep("evidence", with_actor=True))
for _type, _collection in ((PARTICIPANT_UPDATED, "participants"), (SESSION_UPDATED, "sessions"),
                           (PAYMENT_UPDATED, "payments"), (FEEDBACK_UPDATED, "feedback")):
    reducer(_type)(_merge_into(_collection))
