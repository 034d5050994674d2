"""A sample project with every kind of record, for the report tests.

Its events follow the record schemas of notes/preamble.md and carry chosen timestamps, so
durations and overdue items are known exactly. They are chained and hashed by
coflow.events like any other events and written through the store, so a report built from
them goes through the same fold as a real project's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from coflow.engine import fold  # the engine's fold knows the record reducers
from coflow.events import GENESIS_HASH, Event
from coflow.storage.base import ProjectRow
from coflow.workflow.model import Role, Stage, Workflow

XSS = "<script>alert(1)</script>"
NOW = dt.datetime(2026, 6, 30, 12, 0, tzinfo=dt.timezone.utc)
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
NAMES = {"P-001": "Amara Okafor", "P-002": "Bea Li", "P-003": "Chris Doe", "P-004": "Dee Evans",
         "P-005": "Eli Ford"}


def ts(day: str, hour: int = 10) -> str:
    return f"{day}T{hour:02d}:00:00.000000Z"


def mini_checks(stage: str, passing: bool = True) -> list[dict[str, Any]]:
    """Check results as the mini workflow's gate would have recorded them."""
    if stage == "planning":
        return [
            {"id": "sponsor-named", "title": "A senior sponsor is named", "status": "pass", "severity": "required",
             "message": "sponsor is recorded: 'Dr A. Mensah'", "hint": None, "source": None},
            {"id": "budget", "title": "Budget for payments", "status": "pass", "severity": "required",
             "message": "budget is at least 500 (recorded: 900)", "hint": None, "source": None},
            {"id": "dpia", "title": "DPIA reference", "status": "fail", "severity": "advisory",
             "message": "no 'dpia_ref' recorded yet", "hint": None, "source": None},
        ]
    return [{"id": "report", "title": "Board report", "status": "pass" if passing else "fail",
             "severity": "required", "message": "report_ref is recorded" if passing else "no 'report_ref' recorded yet",
             "hint": None, "source": None}]


def participant(pid: str, role: str, lived: bool, category: str | None = None, groups: list | None = None,
                route: str | None = None, **extra: Any) -> dict[str, Any]:
    data = {"id": pid, "role": role, "lived_experience": lived, "category": category, "groups": groups or [],
            "route": route, "access_needs": False, "access_needs_met": False, "credit": "name",
            "future_contact": True, "inducted": "2026-01-20", "trained": None, "payment_info": "2026-01-20"}
    data.update(extra)
    return data


def sample_events() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(ts, actor, type, data) for the whole sample project, oldest first."""
    wf = {"id": "mini", "version": "1", "hash": "", "title": "Mini workflow", "path": None}
    return [
        (ts("2026-01-05"), "lead", "created", {"workflow": wf, "stage": "planning"}),
        (ts("2026-01-06"), "lead", "fact_recorded", {"key": "sponsor", "value": "Dr A. Mensah"}),
        (ts("2026-01-07"), "lead", "blocked", {"stage": "planning", "failing": ["budget"], "checks": []}),
        (ts("2026-01-08"), "lead", "fact_recorded", {"key": "budget", "value": 900}),
        (ts("2026-01-09"), "lead", "assessed", {
            "scores": {"authority": 2, "shared_aims": 1, "scale": 2, "outcomes": 1, "resources": 1, "delivery_role": 0},
            "notes": {"delivery_role": "no budget for partners in delivery " + XSS},
            "recommended": "engage", "held_back_by": ["delivery_role"], "claimed": "co-design",
            "justification": "partners chair every session"}),
        (ts("2026-01-10"), "lead", "participant_added", participant(
            "P-001", "partner", True, "carer", ["young carers", "South Asian communities"], "carers centre",
            access_needs=True, access_needs_met=True)),
        (ts("2026-01-10", 11), "lead", "participant_added", participant(
            "P-002", "co-chair", True, "service user", ["young carers"], "open advert", credit="initials")),
        (ts("2026-01-10", 12), "lead", "participant_added", participant("P-003", "staff", False, trained="2026-01-12")),
        (ts("2026-01-11"), "lead", "participant_added", participant(
            "P-004", "partner", True, "carer", ["older people"], "GP surgery", credit="anonymous",
            access_needs=True, access_needs_met=False)),
        (ts("2026-01-11", 11), "lead", "participant_added", participant(
            "P-005", "partner", True, "carer", [], "carers centre")),
        (ts("2026-01-14"), "amensah", "signed_off", {"stage": "planning", "role": "sponsor"}),
        (ts("2026-01-14", 11), "p002", "signed_off", {"stage": "planning", "role": "co-chair"}),
        (ts("2026-01-15"), "lead", "advanced", {"from": "planning", "to": "delivery", "checks": mini_checks("planning")}),
        (ts("2026-01-20"), "lead", "session_recorded", {
            "id": "S-001", "date": "2026-01-20", "title": "Kick-off " + XSS, "format": "in-person", "hours": 2,
            "agenda_coauthors": ["P-002"], "attendance": ["P-001", "P-002", "P-003"], "decisions": True, "paid": True}),
        (ts("2026-02-03"), "lead", "session_recorded", {
            "id": "S-002", "date": "2026-02-03", "title": "Ideas | priorities", "format": "virtual", "hours": 1.5,
            "agenda_coauthors": [], "attendance": ["P-001", "P-004"], "decisions": False, "paid": True}),
        (ts("2026-02-04"), "lead", "attendance_recorded", {"session": "S-002", "participants": ["P-002"]}),
        (ts("2026-02-05"), "lead", "payment_recorded", {
            "id": "PAY-001", "participant": "P-001", "session": "S-001", "amount": 50, "status": "paid",
            "finance_ref": "FIN-1", "date": "2026-01-25", "expenses": 12.5, "expenses_status": "settled",
            "expenses_reason": None}),
        (ts("2026-02-05", 11), "lead", "payment_recorded", {
            "id": "PAY-002", "participant": "P-002", "session": "S-001", "amount": 50, "status": "voucher",
            "finance_ref": None, "date": "2026-01-25", "expenses": 0, "expenses_status": "none",
            "expenses_reason": None}),
        (ts("2026-02-05", 12), "lead", "payment_recorded", {
            "id": "PAY-003", "participant": "P-004", "session": "S-002", "amount": 37.5, "status": "pending",
            "finance_ref": None, "date": "2026-02-05", "expenses": 8, "expenses_status": "claimed",
            "expenses_reason": None}),
        (ts("2026-02-06"), "lead", "payment_recorded", {
            "id": "PAY-004", "participant": "P-001", "session": "S-002", "amount": 37.5, "status": "pending",
            "finance_ref": None, "date": "2026-06-20", "expenses": 0, "expenses_status": "none",
            "expenses_reason": None}),
        (ts("2026-02-07"), "lead", "payment_updated", {"id": "PAY-002", "changes": {"finance_ref": "FIN-2"}}),
        (ts("2026-02-10"), "lead", "feedback_recorded", {
            "id": "F-001", "said": "Meet in the evening, not at 2pm", "response": "Sessions moved to 6pm",
            "status": "adopted", "reason": None, "date": "2026-02-10"}),
        (ts("2026-02-11"), "lead", "feedback_recorded", {
            "id": "F-002", "said": "Hold sessions at the library " + XSS, "response": None,
            "status": "not-adopted", "reason": "the library closes at 5pm", "date": "2026-02-11"}),
        (ts("2026-02-12"), "lead", "feedback_recorded", {
            "id": "F-003", "said": "Pay on the day", "response": None, "status": "open", "reason": None,
            "date": "2026-02-12"}),
        (ts("2026-02-13"), "lead", "feedback_recorded", {
            "id": "F-004", "said": "Send papers a week ahead", "response": None, "status": "open", "reason": None,
            "date": "2026-06-25"}),
        (ts("2026-02-14"), "lead", "feedback_updated", {"id": "F-001", "changes": {"response": "Sessions moved to 6pm on Tuesdays"}}),
        (ts("2026-02-20"), "lead", "evidence_added", {
            "id": "E-001", "kind": "minutes", "title": "Kick-off minutes", "file": "minutes-2026-01-20.pdf",
            "sha256": SHA, "stored": ".coflow/evidence/" + SHA, "ref": None, "date": "2026-01-21"}),
        (ts("2026-02-21"), "lead", "evidence_added", {
            "id": "E-002", "kind": "board-report", "title": "Board paper", "file": None, "sha256": None,
            "stored": None, "ref": "https://example.org/board/2026-02", "date": "2026-02-21"}),
        (ts("2026-02-22"), "lead", "evidence_added", {
            "id": "E-003", "kind": "note", "title": None, "file": None, "sha256": None, "stored": None,
            "ref": "javascript:alert(1)", "date": "2026-02-22"}),
        (ts("2026-03-01"), "amensah", "advanced", {
            "from": "delivery", "to": "closed", "checks": mini_checks("delivery", passing=False),
            "override": {"reason": "board meets before the report is due", "failing": ["report"]}}),
        (ts("2026-03-10"), "p002", "reopened", {"from": "closed", "to": "delivery",
                                                "reason": "the board report was never written"}),
        (ts("2026-03-12"), "lead", "participant_forgotten", {"id": "P-005", "reason": "asked to be forgotten"}),
        (ts("2026-04-01"), "lead", "fact_recorded", {"key": "report_ref", "value": "BOARD-2026-04"}),
        (ts("2026-04-02"), "amensah", "signed_off", {"stage": "delivery", "role": "sponsor"}),
        (ts("2026-04-03"), "lead", "advanced", {"from": "delivery", "to": "closed", "checks": mini_checks("delivery")}),
    ]


def chain(project: str, rows: list[tuple[str, str, str, dict]], workflow_hash: str = "") -> list[Event]:
    events, prev = [], GENESIS_HASH
    for seq, (when, actor, kind, data) in enumerate(rows, start=1):
        if kind == "created" and workflow_hash:
            data = {**data, "workflow": {**data["workflow"], "hash": workflow_hash}}
        event = Event.make(project, seq, actor, kind, data, prev, ts=when)
        events.append(event)
        prev = event.hash
    return events


def sample_state(project: str = "carers-hub", rows: list | None = None) -> Any:
    """The folded state of the sample project, without a store."""
    return fold(project, chain(project, rows if rows is not None else sample_events()))


def store_sample(engine: Any, project: str = "carers-hub", rows: list | None = None,
                 names: bool = True) -> Any:
    """Write the sample project into the engine's store (pinned to the mini workflow)."""
    workflow = engine.load_workflow("mini")
    events = chain(project, rows if rows is not None else sample_events(), workflow.content_hash)
    state = fold(project, events)
    with engine.store.transaction() as tx:
        tx.save_workflow(workflow.content_hash, workflow.id, workflow.version, workflow.definition)
        for event in events:
            tx.append(event)
        tx.save_project(ProjectRow(project, state.workflow_id, state.workflow_hash, state.stage, state.seq,
                                   state.head_hash, events[-1].ts))
        if names:
            for pid, name in NAMES.items():
                if pid in state.participants and not state.participants[pid].get("erased"):
                    tx.put_personal(project, pid, {"name": name, "email": f"{pid.lower()}@example.org"})
    return state


def mini_workflow() -> Workflow:
    """The shape of tests/conftest.py's mini workflow, enough for titles and roles."""
    def stage(sid: str, title: str, nxt: str | None, final: bool = False) -> Stage:
        return Stage(sid, title, "", (), nxt, final, True)

    return Workflow("mini", "1", "Mini workflow", "", {
        "planning": stage("planning", "Planning", "delivery"),
        "delivery": stage("delivery", "Delivery", "closed"),
        "closed": stage("closed", "Closed", None, final=True),
    }, {"sponsor": Role("sponsor", "Senior sponsor", False),
        "co-chair": Role("co-chair", "Lived-experience co-chair", True)}, "hash", {})
