"""The portfolio overview (`coflow report --all`) as one plain dict.

For someone looking after many projects: where each one is, which gates are blocked and
by what, what is overdue, and when anything last happened. A project that cannot be read
is listed with its problem rather than hiding the rest.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from coflow.report.data import (
    OVERDUE_DAYS,
    REPORT_VERSION,
    added_after_finish,
    days_since,
    integrity_section,
    iso,
    overdue_items,
    utc,
)

if TYPE_CHECKING:
    from coflow.project import ProjectState
    from coflow.workflow.model import Workflow


def project_row(state: ProjectState, workflow: Workflow, gate: Any, now: dt.datetime, overdue_days: int = OVERDUE_DAYS,
                workflow_changed: bool = False) -> dict:
    """One project's line in the overview; `workflow_changed`: its workflow file now holds
    something other than the version the project is pinned to (`coflow migrate` would move it)."""
    last = state.latest.ts if state.latest else None
    stage = workflow.stages.get(state.stage) if workflow is not None else None
    final = bool(getattr(stage, "final", False))
    failing = [] if gate is None or final else [
        {"id": c.id, "title": c.title, "status": c.status, "message": c.message} for c in gate.failing]
    return {
        "id": state.id,
        "workflow": state.workflow_id,
        "workflow_title": getattr(workflow, "title", None) or state.workflow_id,
        "stage": state.stage,
        "stage_title": getattr(stage, "title", None) or state.stage,
        "final": final,
        "added_after_finish": len(added_after_finish(state, workflow)) if final else 0,
        "next_stage": None if gate is None else gate.next_stage,
        "deadline": None if gate is None or final else getattr(gate, "deadline", None),
        "blocked": bool(failing),
        "failing": failing,
        "overdue": overdue_items(state, now, overdue_days),
        "open_feedback": sum(1 for f in state.feedback.values() if f.get("status", "open") == "open"),
        "pending_payments": sum(1 for p in state.payments.values() if p.get("status") == "pending"),
        "last_activity": last,
        "days_since_activity": days_since(last, now),
        "intact": integrity_section(state)["intact"],
        "workflow_changed": bool(workflow_changed),
        "error": None,
    }


def error_row(project_id: str, message: str) -> dict:
    """A project that could not be read: listed, with why, so it is not silently missing."""
    return {"id": project_id, "workflow": None, "workflow_title": None, "stage": None, "stage_title": None,
            "final": False, "next_stage": None, "deadline": None, "blocked": False, "failing": [], "overdue": [],
            "open_feedback": 0, "pending_payments": 0, "last_activity": None, "days_since_activity": None,
            "intact": None, "workflow_changed": False, "added_after_finish": 0, "error": message}


def build_portfolio(rows: list[dict], now: dt.datetime | None = None, overdue_days: int = OVERDUE_DAYS) -> dict:
    now = utc(now)
    rows = sorted(rows, key=lambda r: r["id"])
    groups: dict[tuple, dict] = {}
    for row in rows:
        if row["error"]:
            continue
        key = (row["workflow"], row["stage"])
        group = groups.setdefault(key, {"workflow": row["workflow"], "workflow_title": row["workflow_title"],
                                        "stage": row["stage"], "title": row["stage_title"],
                                        "final": row["final"], "projects": []})
        group["projects"].append(row["id"])
    by_stage = sorted(groups.values(), key=lambda g: (g["final"], str(g["workflow"]), -len(g["projects"]),
                                                      str(g["stage"])))
    return {
        "kind": "coflow-portfolio",
        "report_version": REPORT_VERSION,
        "generated": iso(now),
        "overdue_days": overdue_days,
        "totals": {
            "projects": len(rows),
            "finished": sum(1 for r in rows if r["final"]),
            "blocked": sum(1 for r in rows if r["blocked"]),
            "with_overdue": sum(1 for r in rows if r["overdue"]),
            "unreadable": sum(1 for r in rows if r["error"]),
            "broken_history": sum(1 for r in rows if r["intact"] is False),
            "workflow_changed": sum(1 for r in rows if r.get("workflow_changed")),
        },
        # stages past their due date (coflow.deadlines), beside the totals
        "deadlines": {
            "past_due": sum(1 for r in rows if (r.get("deadline") or {}).get("standing") in ("overdue", "escalated")),
            "escalated": sum(1 for r in rows if (r.get("deadline") or {}).get("standing") == "escalated"),
        },
        "by_stage": by_stage,
        "projects": rows,
    }
