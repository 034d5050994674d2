"""The portfolio overview (`coflow report --all`) as one plain dict.

For someone looking after many projects: where each one is, which gates are blocked and
by what, what is overdue, and when anything last happened. A project that cannot be read
is listed with its problem rather than hiding the rest.
"""

from __future__ import annotations

import datetime as dt

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

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

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
    """The whole overview as one dict (`coflow report --all` writes the same a project at a time)."""
    tally = Tally()
    rows = sorted(rows, key=lambda r: r["id"])
    for row in rows:
        tally.add(row)
    return {**tally.head(now, overdue_days), "projects": rows}


class Tally:
    """The overview's totals and stage groups, counted one project row at a time."""

    def __init__(self) -> None:
        self.totals = dict.fromkeys(("projects", "finished", "blocked", "with_overdue", "unreadable",
                                     "broken_history", "workflow_changed"), 0)
        self.deadlines = {"past_due": 0, "escalated": 0}
        self.groups: dict[tuple, dict] = {}

    def add(self, row: dict) -> None:
        totals = self.totals
        totals["projects"] += 1
        totals["finished"] += bool(row["final"])
        totals["blocked"] += bool(row["blocked"])
        totals["with_overdue"] += bool(row["overdue"])
        totals["unreadable"] += bool(row["error"])
        totals["broken_history"] += row["intact"] is False
        totals["workflow_changed"] += bool(row.get("workflow_changed"))
        standing = (row.get("deadline") or {}).get("standing")
        self.deadlines["past_due"] += standing in ("overdue", "escalated")
        self.deadlines["escalated"] += standing == "escalated"
        if row["error"]:
            return
        key = (row["workflow"], row["stage"])
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = {"workflow": row["workflow"], "workflow_title": row["workflow_title"],
                                        "stage": row["stage"], "title": row["stage_title"],
                                        "final": row["final"], "projects": []}
        group["projects"].append(row["id"])

    def head(self, now: dt.datetime | None = None, overdue_days: int = OVERDUE_DAYS) -> dict:
        """Everything in the overview but the "projects" list, which comes last."""
        by_stage = sorted(self.groups.values(), key=lambda g: (g["final"], str(g["workflow"]), -len(g["projects"]),
                                                               str(g["stage"])))
        return {
            "kind": "coflow-portfolio",
            "report_version": REPORT_VERSION,
            "generated": iso(utc(now)),
            "overdue_days": overdue_days,
            "totals": dict(self.totals),
            # stages past their due date (coflow.deadlines), beside the totals
            "deadlines": dict(self.deadlines),
            "by_stage": by_stage,
        }
