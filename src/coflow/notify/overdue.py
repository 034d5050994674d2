"""`coflow notify overdue`: reminders for what has waited too long.

Two things are overdue:
- a payment still "pending" more than `payment_days` after its date (the entry's setting,
  else the smallest `max_pending_days` of the workflow's `payments` checks, else 30 days:
  people who give their time should not wait to be paid);
- a project still at one stage more than `stage_days` after it got there (the entry's
  setting, else the `max_days` of an `elapsed` check of that stage; no limit, no reminder).

A reminder is not an event: nothing happened, so nothing is added to the project's log. It
goes through the outbox like any notification, once per overdue item and entry (a payment
that becomes pending again, or a stage entered again, is a new item). `coflow tick` sends
them with the deadline notices; `coflow notify overdue` is its "overdue" part alone.
"""

from __future__ import annotations

import datetime as _dt

from coflow.dates import parse_date
from coflow.errors import ConfigError

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.notify.outbox import Delivery
    from coflow.project_writer import ProjectWriter

DEFAULT_PAYMENT_DAYS = 30


def payment_limit(entry: dict[str, Any], workflow: Any) -> int:
    if "payment_days" in entry:
        return int(entry["payment_days"])
    limits = [int(c.params.get("max_pending_days", DEFAULT_PAYMENT_DAYS))
              for stage in workflow.stages.values() for c in stage.checks if c.type == "payments"]
    return min(limits) if limits else DEFAULT_PAYMENT_DAYS


def stage_limit(entry: dict[str, Any], stage: Any) -> int | None:
    if "stage_days" in entry:
        return int(entry["stage_days"])
    limits = [int(c.params["max_days"]) for c in stage.checks if c.type == "elapsed" and "max_days" in c.params]
    return min(limits) if limits else None


def overdue_items(state: Any, workflow: Any, entry: dict[str, Any], today: _dt.date) -> list[dict[str, Any]]:
    """What is overdue in one project for one entry: event data, ids only."""
    items = []
    limit = payment_limit(entry, workflow)
    for pay in state.payments.values():
        since = parse_date(pay.get("date"))
        if pay.get("status") == "pending" and since is not None and (today - since).days > limit:
            items.append({"kind": "payment", "id": pay.get("id"), "participant": pay.get("participant"),
                          "since": since.isoformat(), "days": (today - since).days, "limit": limit})
    stage = workflow.stages.get(state.stage)
    entered = parse_date(state.stage_entered)
    if stage is not None and not stage.final and entered is not None:
        days_limit = stage_limit(entry, stage)
        if days_limit is not None and (today - entered).days > days_limit:
            items.append({"kind": "stage", "stage": state.stage, "since": entered.isoformat(),
                          "entered": state.stage_entered, "days": (today - entered).days, "limit": days_limit})
    return items


def _key(item: dict[str, Any]) -> str:
    """Same key, same overdue item: the payment (or stage visit) and the date it began."""
    if item["kind"] == "payment":
        return f"payment:{item['id']}:{item['since']}"
    return f"stage:{item['stage']}:{item['entered']}"


def sweep(engine: ProjectWriter, today: _dt.date | None = None, dry_run: bool = False) -> tuple[list[dict], list[Delivery]]:
    """Find what is newly overdue, queue one reminder per item and entry, and send them: the
    "overdue" part of `coflow tick` (coflow.notify.tick), which keeps each to once."""
    from coflow.notify.tick import entries_for, tick

    if not entries_for(engine, ("overdue",)):
        raise ConfigError("no [[notify]] entry in coflow.toml asks for \"overdue\" reminders, so there is no one to tell",
                          hint="add \"overdue\" to the events of an entry, such as events = [\"blocked\", \"overdue\"]")
    return tick(engine, today, dry_run, kinds=("overdue",))
