"""One plain dict per project report, built from the folded state and its events.

Every format (Markdown, HTML, JSON) renders this dict and nothing else, so the formats
cannot disagree. It holds pseudonymous ids only; names are added solely when the caller
passes the personal table (`--include-names`). Everything here is derived: the event log
stays the truth, and a record missing an optional field must never stop a report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from coflow.dates import as_utc as utc
from coflow.dates import format_timestamp as iso
from coflow.report.basics import (
    CRITERIA,
    FILE_CHECK_WORDS,
    LEVELS,
    OVERDUE_DAYS,
    REPORT_VERSION,
    SETTLED_PAYMENTS,
    _by_date,
    _check,
    _counts,
    _in_order,
    _lived_role,
    _number,
    _role_title,
    _stage_title,
    days_since,
    seconds_between,
)
from coflow.report.people import (
    participation_section,
)

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectState
    from coflow.workflow.model import Workflow

# -- sections -----------------------------------------------------------------------------

def timeline_section(state: ProjectState, workflow: Workflow, now: dt.datetime) -> tuple[list[dict], list[dict]]:
    """Each visit to a stage with its time there, and the total time per stage."""
    visits = []
    for index, entry in enumerate(state.timeline):
        current = index == len(state.timeline) - 1 and entry.get("left") is None
        end = entry.get("left") or iso(now)
        visits.append({"stage": entry["stage"], "title": _stage_title(workflow, entry["stage"]),
                       "entered": entry.get("entered"), "left": entry.get("left"),
                       "seconds": seconds_between(entry.get("entered"), end), "how": entry.get("how"),
                       "current": current})
    totals: dict[str, dict] = {}
    for visit in visits:
        total = totals.setdefault(visit["stage"], {"stage": visit["stage"], "title": visit["title"],
                                                   "seconds": 0.0, "visits": 0})
        total["seconds"] += visit["seconds"] or 0.0
        total["visits"] += 1
    order = list(getattr(workflow, "stage_order", []) or [])
    ranked = sorted(totals.values(), key=lambda t: order.index(t["stage"]) if t["stage"] in order else len(order))
    return visits, ranked


def gates_section(state: ProjectState, workflow: Workflow) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Walk the log once: each gate passed (checks as they stood, sign-offs for that visit,
    attempts blocked before it), the overrides, the reopenings and the workflow migrations."""
    gates: list[dict] = []
    overrides: list[dict] = []
    reopenings: list[dict] = []
    migrations: list[dict] = []
    visit_start = 0  # seq at which the current visit to a stage began
    blocked = 0
    for event in state.events:
        data = event.data or {}
        if event.type == "created":
            visit_start, blocked = event.seq, 0
        elif event.type == "blocked":
            blocked += 1
        elif event.type == "advanced":
            source, dest = data.get("from"), data.get("to")
            checks = [_check(c) for c in data.get("checks", [])]
            titles = {c["id"]: c for c in checks}
            override = None
            if data.get("override"):
                failing = [{"id": cid, "title": titles.get(cid, {}).get("title") or cid,
                            "message": titles.get(cid, {}).get("message", "")}
                           for cid in data["override"].get("failing", [])]
                override = {"reason": data["override"].get("reason") or "", "failing": failing}
                overrides.append({"seq": event.seq, "ts": event.ts, "actor": event.actor, "recorded_by": _recorded_by(event), "stage": source,
                                  "stage_title": _stage_title(workflow, source), "to": dest,
                                  "to_title": _stage_title(workflow, dest), **override})
            signoffs = [{"role": s.get("role"), "role_title": _role_title(workflow, s.get("role")),
                         "lived_experience": _lived_role(workflow, s.get("role")),
                         "actor": s.get("actor"), "ts": s.get("ts"),
                         "recorded_by": s.get("recorded_by") or _recorded_by(_event_at(state, s.get("seq"))),
                         "on_behalf_of": s.get("for"), "how": s.get("how"), "evidence": s.get("evidence"),
                         "own_account": _own_account(_event_at(state, s.get("seq")), s)}
                        for s in state.signoffs
                        if s.get("stage") == source and visit_start < int(s.get("seq", 0)) < event.seq]
            gates.append({"seq": event.seq, "ts": event.ts, "actor": event.actor, "recorded_by": _recorded_by(event), "from": source,
                          "from_title": _stage_title(workflow, source), "to": dest,
                          "to_title": _stage_title(workflow, dest), "override": override,
                          "checks": checks, "signoffs": signoffs, "blocked_attempts": blocked})
            visit_start, blocked = event.seq, 0
        elif event.type == "reopened":
            reopenings.append({"seq": event.seq, "ts": event.ts, "actor": event.actor, "recorded_by": _recorded_by(event),
                               "from": data.get("from"), "from_title": _stage_title(workflow, data.get("from")),
                               "to": data.get("to"), "to_title": _stage_title(workflow, data.get("to")),
                               "reason": data.get("reason") or ""})
            visit_start, blocked = event.seq, 0
        elif event.type == "migrated":
            old, new = data.get("from") or {}, data.get("workflow") or {}
            migrations.append({"seq": event.seq, "ts": event.ts, "actor": event.actor, "recorded_by": _recorded_by(event),
                               "from_version": old.get("version"), "to_version": new.get("version"),
                               "workflow": new.get("id"), "now_failing": list(data.get("now_failing", []))})
    return gates, overrides, reopenings, migrations


def _recorded_by(event: Any) -> str | None:
    """The account that recorded an event for someone else (None when they acted themselves)."""
    return event.account if event is not None and getattr(event, "recorded_for", False) else None


def _own_account(event: Any, signoff: Mapping[str, Any]) -> bool:
    """A sign-off written by the signer's own platform account (not recorded for them)."""
    return bool(event is not None and event.account and not event.recorded_for and not signoff.get("for"))


def _event_at(state: Any, seq: Any) -> Any:
    try:
        return state.events[int(seq) - 1]
    except (TypeError, ValueError, IndexError):
        return None


def sessions_section(state: ProjectState) -> dict:
    lived_ids = {pid for pid, p in state.participants.items() if p.get("lived_experience")}
    items = []
    for s in _by_date(state.sessions.values()):
        present = list(dict.fromkeys(s.get("attendance") or []))
        items.append({"id": s.get("id"), "date": s.get("date"), "title": s.get("title") or "",
                      "format": s.get("format"), "hours": _number(s.get("hours")),
                      "attended": len(present), "lived_experience_attended": sum(1 for p in present if p in lived_ids),
                      "coauthors": len(s.get("agenda_coauthors") or []), "decisions": bool(s.get("decisions")),
                      "paid": bool(s.get("paid"))})
    return {"count": len(items), "hours": sum(i["hours"] for i in items),
            "formats": _counts((i["format"] for i in items), "format"),
            "with_decisions": sum(1 for i in items if i["decisions"]),
            "coauthored": sum(1 for i in items if i["coauthors"]),
            "paid": sum(1 for i in items if i["paid"]), "items": items}


def overdue_items(state: ProjectState, now: dt.datetime, days: int = OVERDUE_DAYS) -> list[dict]:
    """Payments waiting, expenses unsettled and feedback unanswered for more than `days` days."""
    found = []
    for p in state.payments.values():
        waited = days_since(p.get("date"), now)
        if p.get("status") == "pending" and waited is not None and waited > days:
            found.append({"kind": "payment", "id": p.get("id"), "participant": p.get("participant"),
                          "what": "payment waiting to be made", "since": p.get("date"), "days": waited})
        if p.get("expenses_status") == "claimed" and waited is not None and waited > days:
            found.append({"kind": "expenses", "id": p.get("id"), "participant": p.get("participant"),
                          "what": "expenses claimed but not settled", "since": p.get("date"), "days": waited})
    for f in state.feedback.values():
        waited = days_since(f.get("date"), now)
        if f.get("status", "open") == "open" and waited is not None and waited > days:
            found.append({"kind": "feedback", "id": f.get("id"), "participant": None,
                          "what": "feedback waiting for a response", "since": f.get("date"), "days": waited})
    return sorted(found, key=lambda item: (-item["days"], item["kind"], str(item["id"])))


def recognition_section(state: ProjectState, now: dt.datetime, overdue_days: int) -> dict:
    payments = _by_date(state.payments.values())
    statuses: dict[str, dict] = {}
    expenses: dict[str, dict] = {}
    for p in payments:
        entry = statuses.setdefault(p.get("status") or "unknown", {"count": 0, "amount": 0.0})
        entry["count"] += 1
        entry["amount"] += _number(p.get("amount"))
        if _number(p.get("expenses")) or p.get("expenses_status") not in (None, "none"):
            spent = expenses.setdefault(p.get("expenses_status") or "unknown", {"count": 0, "amount": 0.0})
            spent["count"] += 1
            spent["amount"] += _number(p.get("expenses"))
    order = ["paid", "voucher", "pending", "declined"]
    rank = lambda name: (order.index(name) if name in order else len(order), name)  # noqa: E731
    return {
        "count": len(payments),
        "by_status": [{"status": s, **statuses[s]} for s in sorted(statuses, key=rank)],
        "total_recognised": sum(_number(p.get("amount")) for p in payments if p.get("status") in SETTLED_PAYMENTS),
        "total_pending": sum(_number(p.get("amount")) for p in payments if p.get("status") == "pending"),
        "people_recognised": len({p.get("participant") for p in payments if p.get("status") in SETTLED_PAYMENTS}),
        "expenses": {"total": sum(e["amount"] for e in expenses.values()),
                     "by_status": [{"status": s, **expenses[s]} for s in sorted(expenses)]},
        "overdue": [o for o in overdue_items(state, now, overdue_days) if o["kind"] in ("payment", "expenses")],
        "items": [{"id": p.get("id"), "participant": p.get("participant"), "session": p.get("session"),
                   "date": p.get("date"), "amount": _number(p.get("amount")), "status": p.get("status"),
                   "expenses": _number(p.get("expenses")), "expenses_status": p.get("expenses_status") or "none",
                   # how long a payment still to be made has waited: pending is never read as paid
                   "waiting_days": days_since(p.get("date"), now) if p.get("status") == "pending" else None,
                   "declined_on": p.get("declined_on")}
                  for p in payments],
    }


def feedback_section(state: ProjectState, now: dt.datetime, overdue_days: int) -> dict:
    items = []
    for f in _by_date(state.feedback.values()):
        status = f.get("status") or "open"
        waited = days_since(f.get("date"), now) if status == "open" else None
        items.append({"id": f.get("id"), "date": f.get("date"), "said": f.get("said") or "",
                      "response": f.get("response") or "", "status": status, "reason": f.get("reason") or "",
                      "days_open": waited, "overdue": waited is not None and waited > overdue_days})
    return {"count": len(items), "by_status": _counts((i["status"] for i in items), "status"),
            "open": sum(1 for i in items if i["status"] == "open"),
            "overdue": sum(1 for i in items if i["overdue"]), "items": items}


def evidence_section(state: ProjectState, file_checks: Mapping[str, str] | None = None) -> dict:
    """Every piece of evidence; `file_checks` ({id: "matches"|"missing"|"changed"|"unreadable"})
    says whether each stored copy still has the fingerprint recorded when it was added."""
    checks = file_checks or {}
    items = []
    for e in _by_date(state.evidence.values()):
        status = checks.get(str(e.get("id"))) if e.get("sha256") else None
        items.append({"id": e.get("id"), "date": e.get("date"), "kind": e.get("kind") or "",
                      "title": e.get("title") or "", "file": e.get("file"), "sha256": e.get("sha256"),
                      "stored": e.get("stored"), "ref": e.get("ref"), "file_check": status,
                      "file_check_text": FILE_CHECK_WORDS.get(status) if status else None,
                      "withdrawn": _withdrawn(e.get("withdrawn")), "corrections": len(e.get("corrections") or [])})
    return {"count": len(items), "with_hash": sum(1 for i in items if i["sha256"]),
            "withdrawn": sum(1 for i in items if i["withdrawn"]),
            "files_not_matching": sum(1 for i in items if i["file_check"] not in (None, "matches")), "items": items}


def _withdrawn(mark: Any) -> dict | None:
    """When and why a piece of evidence was withdrawn (it counts for no check since)."""
    if not isinstance(mark, Mapping):
        return None
    return {"ts": mark.get("ts"), "actor": mark.get("actor"), "reason": mark.get("reason") or ""}


def involvement_section(state: ProjectState) -> dict | None:
    a = state.assessment
    if not a:
        return None
    recommended, claimed = a.get("recommended"), a.get("claimed")
    if claimed is None:
        comparison = "not claimed"
    elif claimed == recommended:
        comparison = "matches"
    elif claimed in LEVELS and recommended in LEVELS:
        comparison = "higher" if LEVELS.index(claimed) > LEVELS.index(recommended) else "lower"
    else:
        comparison = "different"
    since = int(a.get("seq") or 0)
    # who signed off after the assessment (and so after its justification): the approval a
    # claim above the recommendation needs where the workflow asks for it
    approved = [{"role": o.get("role"), "actor": o.get("actor"), "ts": o.get("ts")}
                for o in state.signoffs if int(o.get("seq") or 0) > since]
    return {"recommended": recommended, "claimed": claimed, "comparison": comparison,
            "fixed_options": bool(a.get("fixed_options")), "signed_after_justification": approved,
            "justification": a.get("justification") or "", "held_back_by": list(a.get("held_back_by") or []),
            "scores": _in_order(a.get("scores") or {}, CRITERIA), "notes": dict(a.get("notes") or {}),
            "levels": list(LEVELS)}


def integrity_section(state: ProjectState) -> dict:
    from coflow.events import first_break

    broken = first_break(list(state.events))
    return {"intact": broken is None, "first_bad_seq": broken[0] if broken else None,
            "why": broken[1] if broken else None, "events": len(state.events), "head_seq": state.seq,
            "head_hash": state.head_hash}


def added_after_finish(state: ProjectState, workflow: Workflow) -> list[dict]:
    """What was recorded while the project stood at its final stage (after it finished):
    coflow keeps it, says so when it is recorded, and the report lists it so "finished"
    never hides later changes. Empty while the project is not at a final stage."""
    stage = getattr(workflow, "stages", {}).get(state.stage) if workflow is not None else None
    if not getattr(stage, "final", False):
        return []
    since = getattr(state, "stage_entered_seq", None) or 0
    return [{"seq": e.seq, "ts": e.ts, "actor": e.actor, "type": e.type, "what": _what(e)}
            for e in state.events if e.seq > since]


def _what(event: Any) -> str:
    """An event in a few words: "fact 'sponsor' recorded", "payment updated PAY-002"."""
    data = event.data if isinstance(event.data, Mapping) else {}
    if event.type == "fact_recorded":
        return f"fact {data.get('key')!r} recorded"
    words = event.type.replace("_", " ")
    return f"{words} {data['id']}" if isinstance(data.get("id"), str) else words


def current_gate_section(gate: Any) -> dict | None:
    if gate is None:
        return None
    return {"stage": gate.stage, "title": gate.stage_title, "next": gate.next_stage, "final": gate.final,
            "passes": gate.passes, "checks": [_check(c.to_dict()) for c in gate.checks],
            "failing": [c.id for c in gate.failing], "next_title": gate.next_stage_title,
            "ways": getattr(gate, "ways", None), "deadline": getattr(gate, "deadline", None)}


# -- the whole report ---------------------------------------------------------------------

def path_section(state: ProjectState, workflow: Workflow) -> dict:
    from coflow.report.path import path_section as section

    return section(state, workflow)


def relabellings(state: ProjectState) -> list[dict]:
    from coflow.relabel import section

    return section(state)


def build_report(state: ProjectState, workflow: Workflow, *, gate: Any = None, personal: Mapping[str, Mapping] | None = None,
                 now: dt.datetime | None = None, overdue_days: int = OVERDUE_DAYS, currency: str = "GBP",
                 evidence_files: Mapping[str, str] | None = None, min_count: int = 0) -> dict:
    """The report of one project as plain data (what `--format json` prints).

    `personal` is the personal table ({participant id: {"name": ...}}); pass it only when
    names were asked for. `gate` is the current gate evaluation, if the caller has one.
    `evidence_files` is what re-checking each stored evidence file found ({id: status}).
    `min_count`: roles, groups, routes and categories with fewer people are shown as "fewer than N"
    (0 or 1: exact); see hide_small for when "not shown" is used instead.
    """
    now = utc(now)
    visits, by_stage = timeline_section(state, workflow, now)
    gates, overrides, reopenings, migrations = gates_section(state, workflow)
    last = state.latest.ts if state.latest else None
    stage = getattr(workflow, "stages", {}).get(state.stage) if workflow is not None else None
    return {
        "kind": "coflow-project-report",
        "report_version": REPORT_VERSION,
        "generated": iso(now),
        "names_included": personal is not None,
        "overdue_days": overdue_days,
        "currency": currency,  # of every amount (amounts stay plain numbers)
        "project": {
            "id": state.id,
            "workflow": {"id": state.workflow_id, "version": state.workflow_version,
                         "title": getattr(workflow, "title", None) or state.workflow_id, "hash": state.workflow_hash},
            "stage": {"id": state.stage, "title": _stage_title(workflow, state.stage),
                      "final": bool(getattr(stage, "final", False)), "entered": state.stage_entered},
            "created": state.created,
            "last_activity": last,
        },
        "integrity": integrity_section(state),
        "timeline": visits,
        "time_by_stage": by_stage,
        "path": path_section(state, workflow),
        "current_gate": current_gate_section(gate),
        "gates": gates,
        "overrides": overrides,
        "reopenings": reopenings,
        "migrations": migrations,
        "relabellings": relabellings(state),
        "added_after_finish": added_after_finish(state, workflow),
        "participation": participation_section(state, workflow, personal, min_count),
        "sessions": sessions_section(state),
        "recognition": recognition_section(state, now, overdue_days),
        "feedback": feedback_section(state, now, overdue_days),
        "evidence": evidence_section(state, evidence_files),
        "involvement": involvement_section(state),
    }
