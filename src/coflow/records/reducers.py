"""How each record event changes a project's state: the reducers of coflow's record kinds.

Reducers only derive: they trust the log (the service layer checked the input before it
was written) and never raise on a record they do not know, so an old or odd log still folds.
`KINDS` lists them by record kind; coflow.records.builtin registers it (nothing happens on
import). Loaded whenever a project is folded, so it must stay light.
"""

from __future__ import annotations

from coflow.events import Event
from coflow.project import ProjectState, Reducer

PARTICIPANT_ADDED = "participant_added"
PARTICIPANT_UPDATED = "participant_updated"
PARTICIPANT_FORGOTTEN = "participant_forgotten"
SESSION_RECORDED = "session_recorded"
SESSION_UPDATED = "session_updated"
ATTENDANCE_RECORDED = "attendance_recorded"
PAYMENT_RECORDED = "payment_recorded"
PAYMENT_UPDATED = "payment_updated"
EVIDENCE_ADDED = "evidence_added"
EVIDENCE_UPDATED = "evidence_updated"
EVIDENCE_WITHDRAWN = "evidence_withdrawn"
FEEDBACK_RECORDED = "feedback_recorded"
FEEDBACK_UPDATED = "feedback_updated"
SIGNED_OFF = "signed_off"
ASSESSED = "assessed"
GROUP_NAMED = "group_named"
GROUP_ACTION = "group_action_recorded"



def _data(event: Event) -> dict:
    return dict(event.data)


def _participant_added(state: ProjectState, event: Event) -> None:
    record = _data(event)
    record.update({"erased": False, "added": event.ts})
    state.participants[record["id"]] = record


def _merge(records: dict[str, dict], event: Event) -> None:
    record = records.get(event.data.get("id", ""))
    if record is not None:
        record.update(event.data.get("changes", {}))
        record["updated"] = event.ts


def _participant_forgotten(state: ProjectState, event: Event) -> None:
    record = state.participants.get(event.data.get("id", ""))
    if record is not None:
        record["erased"] = True
        record["forgotten"] = event.ts


def _session_recorded(state: ProjectState, event: Event) -> None:
    record = _data(event)
    record["attendance"] = list(record.get("attendance") or [])
    record["recorded"] = event.ts
    state.sessions[record["id"]] = record


def _attendance_recorded(state: ProjectState, event: Event) -> None:
    session = state.sessions.get(event.data.get("session", ""))
    if session is None:
        return
    present = session.setdefault("attendance", [])
    for pid in event.data.get("participants", []):
        if pid not in present:
            present.append(pid)


def _evidence_corrected(state: ProjectState, event: Event) -> None:
    """A correction keeps what it replaced: the record lists each one, old and new values."""
    record = state.evidence.get(event.data.get("id", ""))
    if record is None:
        return
    changes = dict(event.data.get("changes", {}))
    record.setdefault("corrections", []).append(
        {"seq": event.seq, "ts": event.ts, "actor": event.actor, "reason": event.data.get("reason"),
         "before": {k: record.get(k) for k in changes}, "after": changes})
    record.update(changes)
    record["updated"] = event.ts


def _evidence_withdrawn(state: ProjectState, event: Event) -> None:
    record = state.evidence.get(event.data.get("id", ""))
    if record is not None:
        record["withdrawn"] = {"seq": event.seq, "ts": event.ts, "actor": event.actor,
                               "reason": event.data.get("reason")}


def _signed_off(state: ProjectState, event: Event) -> None:
    record = {"stage": event.data["stage"], "role": event.data["role"],
              "actor": event.actor, "ts": event.ts, "seq": event.seq}
    if event.data.get("for"):  # given outside coflow: the signer is who gave it, kept with who recorded it
        record.update(actor=event.data["for"], recorded_by=event.actor, how=event.data.get("how"),
                      evidence=event.data.get("evidence"))
        record["for"] = event.data["for"]
    if "parts" in event.data:  # what was signed: a digest of the records the gate judges
        record.update(digest=event.data.get("digest"), parts=dict(event.data["parts"]))
    state.signoffs.append(record)


def _group_named(state: ProjectState, event: Event) -> None:
    groups = state.records.setdefault("groups", {})
    name = event.data.get("name")
    groups.setdefault(name, {"name": name, "label": event.data.get("label", name), "named": event.ts,
                             "actions": []})


def _group_action(state: ProjectState, event: Event) -> None:
    group = state.records.get("groups", {}).get(event.data.get("group"))
    if group is not None:
        group["actions"].append({"date": event.data.get("date"), "action": event.data.get("action")})


def _assessed(state: ProjectState, event: Event) -> None:
    state.assessment = {**_data(event), "actor": event.actor, "ts": event.ts, "seq": event.seq}


def _keep(collection: str, with_actor: bool = False) -> Reducer:
    """A reducer that files a newly recorded item under its id in `collection`."""

    def apply(state: ProjectState, event: Event) -> None:
        record = _data(event)
        record["recorded"] = event.ts
        if with_actor:
            record["actor"] = event.actor
        getattr(state, collection)[record["id"]] = record

    return apply


def _merge_into(collection: str) -> Reducer:
    """A reducer that applies an `*_updated` event's changes to the item in `collection`."""

    def apply(state: ProjectState, event: Event) -> None:
        _merge(getattr(state, collection), event)

    return apply


# record kind -> {event type: reducer}: what coflow.records.builtin registers
KINDS: dict[str, dict[str, Reducer]] = {
    "participant": {PARTICIPANT_ADDED: _participant_added, PARTICIPANT_UPDATED: _merge_into("participants"),
                    PARTICIPANT_FORGOTTEN: _participant_forgotten},
    "session": {SESSION_RECORDED: _session_recorded, SESSION_UPDATED: _merge_into("sessions"),
                ATTENDANCE_RECORDED: _attendance_recorded},
    "payment": {PAYMENT_RECORDED: _keep("payments"), PAYMENT_UPDATED: _merge_into("payments")},
    "evidence": {EVIDENCE_ADDED: _keep("evidence", with_actor=True), EVIDENCE_UPDATED: _evidence_corrected,
                 EVIDENCE_WITHDRAWN: _evidence_withdrawn},
    "feedback": {FEEDBACK_RECORDED: _keep("feedback"), FEEDBACK_UPDATED: _merge_into("feedback")},
    "signoff": {SIGNED_OFF: _signed_off},
    "assessment": {ASSESSED: _assessed},
    "group": {GROUP_NAMED: _group_named, GROUP_ACTION: _group_action},
}
RECORD_EVENTS = tuple(event_type for events in KINDS.values() for event_type in events)
