"""Deadlines: when a project's current stage is due, and whether it is overdue or escalated.

A stage's `due_days` count from the day the project entered it; `coflow due` sets or moves
a project's own due date for a stage, recorded as a `due_set` event with a reason. A date set
for a stage applies to the project's visit to it (the current one, or the next) and ends
when the project leaves that stage. `remind_days` (before) and `escalate_days` (after) count
from whichever due date applies. Dates are UTC days, as everywhere in coflow.

`notices` says which of the three notices (`reminder`, `overdue`, `escalation`) are due on a
day; `coflow tick` sends each once (coflow.notify.tick).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from coflow.dates import parse_date, parse_day, today_utc
from coflow.errors import UsageError
from coflow.plain import Frozen, _set

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.storage.base import Transaction

NOTICES = ("reminder", "overdue", "escalation")


class Deadline(Frozen):
    __slots__ = ("stage", "due", "source", "visit", "remind_on", "escalate_on", "reason")
    _fields = __slots__
    stage: str
    due: _dt.date
    source: str  # "workflow" (the stage's due_days) or "set" (coflow due)
    visit: int  # the seq of the event that began the visit: a new visit is a new deadline
    remind_on: _dt.date | None
    escalate_on: _dt.date | None
    reason: str | None

    def __init__(self, stage: str, due: _dt.date, source: str, visit: int, remind_on: _dt.date | None = None,
                 escalate_on: _dt.date | None = None, reason: str | None = None):
        _set(self, "stage", stage)
        _set(self, "due", due)
        _set(self, "source", source)
        _set(self, "visit", visit)
        _set(self, "remind_on", remind_on)
        _set(self, "escalate_on", escalate_on)
        _set(self, "reason", reason)

    def standing(self, today: _dt.date) -> str:
        """"due" (not yet), "overdue" (after the due date) or "escalated" (on or after the
        escalation date)."""
        if self.escalate_on is not None and today >= self.escalate_on:
            return "escalated"
        return "overdue" if today > self.due else "due"

    def to_dict(self, today: _dt.date | None = None) -> dict[str, Any]:
        today = today or today_utc()
        return {"stage": self.stage, "due": self.due.isoformat(), "source": self.source,
                "remind_on": self.remind_on.isoformat() if self.remind_on else None,
                "escalate_on": self.escalate_on.isoformat() if self.escalate_on else None,
                "standing": self.standing(today), "days_left": (self.due - today).days,
                "reason": self.reason}


def deadline(state: Any, workflow: Any) -> Deadline | None:
    """The deadline of the project's current stage, or None (no due date, or a final stage)."""
    stage = workflow.stages.get(state.stage)
    if stage is None or stage.final:
        return None
    own = (getattr(state, "due_dates", None) or {}).get(state.stage)
    due = parse_date(own.get("date")) if own else None
    source = "set"
    if due is None:
        entered = parse_date(state.stage_entered)
        if stage.due_days is None or entered is None:
            return None
        due, source = entered + _dt.timedelta(days=stage.due_days), "workflow"
    return Deadline(state.stage, due, source, state.stage_entered_seq,
                    due - _dt.timedelta(days=stage.remind_days) if stage.remind_days else None,
                    due + _dt.timedelta(days=stage.escalate_days) if stage.escalate_days else None,
                    own.get("reason") if own else None)


def notices(state: Any, workflow: Any, today: _dt.date) -> list[dict[str, Any]]:
    """The notices due on `today` for the project's current stage: (kind, data) items with a
    key that is the same on every run for the same visit and due date, so each goes once.

    A reminder is only worth sending before the due date passes; once it has, the overdue
    notice says more. An escalation comes on top of the overdue notice.
    """
    found = deadline(state, workflow)
    if found is None:
        return []
    base = {"kind": "due", "stage": found.stage, "due": found.due.isoformat(), "source": found.source}
    items = []
    if found.remind_on is not None and found.remind_on <= today <= found.due:
        items.append(("reminder", {**base, "days_left": (found.due - today).days}))
    if today > found.due:
        items.append(("overdue", {**base, "days": (today - found.due).days}))
    if found.escalate_on is not None and today >= found.escalate_on:
        items.append(("escalation", {**base, "days": (today - found.due).days}))
    return [{"type": kind, "data": data, "key": f"{kind}:{found.stage}:{found.visit}:{found.due.isoformat()}"}
            for kind, data in items]


def build_due(project_id: str, date_text: str, stage: str | None, reason: str | None,
              workflow_of: Callable[[Any], Any]) -> Callable[[Any, Any, Any], dict[str, Any]]:
    """The `build` for `coflow due`: checks the input against the locked project and returns
    the `due_set` event data (raising UsageError, so nothing is written, when it is wrong).
    `workflow_of(state)` gives the project's pinned workflow."""
    if not reason or not reason.strip():
        raise UsageError("setting a due date needs a reason, and it is kept in the history",
                         hint="add --reason \"why the project needs this date\" (no names or personal details)")
    try:
        day = parse_day(date_text.strip())
    except ValueError:
        raise UsageError(f"--date {date_text!r} is not a date", hint="write it as YYYY-MM-DD, such as 2026-03-04") from None

    def build(state: Any, view: Any, tx: Transaction) -> dict[str, Any]:
        workflow = workflow_of(state)
        target = stage or state.stage
        usable = [s for s in workflow.stage_order if not workflow.stages[s].final]
        if target not in workflow.stages:
            raise UsageError(f"the {workflow.id} workflow has no stage called {target!r}",
                             hint=f"its stages with a gate are: {', '.join(usable)}")
        if workflow.stages[target].final:
            raise UsageError(f"{target!r} is the final stage: there is nothing left to be due",
                             hint=f"choose one of {', '.join(usable)} with --stage")
        entered = parse_date(state.stage_entered)
        if target == state.stage and entered is not None and day < entered:
            raise UsageError(f"{day.isoformat()} is before project {project_id} reached {target!r} "
                             f"(on {entered.isoformat()})",
                             hint=f"give a date on or after {entered.isoformat()}")
        previous = deadline(state, workflow) if target == state.stage else None
        data: dict[str, Any] = {"stage": target, "date": day.isoformat(), "reason": reason.strip()}
        if previous is not None:
            data["was"] = previous.due.isoformat()
        return data

    return build


def apply(state: Any, event: Any) -> None:
    """Fold a `due_set` event: the date applies to the stage until the project leaves it."""
    state.due_dates[event.data["stage"]] = {"date": event.data["date"], "reason": event.data.get("reason"),
                                            "seq": event.seq}
