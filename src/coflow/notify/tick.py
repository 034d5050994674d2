"""`coflow tick`: the notices that come with time, each sent exactly once.

Three come from stage deadlines (coflow.deadlines): a `reminder` before a stage is due, an
`overdue` notice once it is past due, and an `escalation` some days after that. The
`overdue` reminders for payments pending too long and stages past their time limit
(coflow.notify.overdue) come too. `[[notify]]` entries choose them by name in `events`.

None of them is an event in a project's log: nothing happened. Each is an outbox row with a
key (the notice, the stage visit and its due date, or the overdue item); a notice whose key
an entry already has is not queued again. The look-up and the queueing happen in one write
transaction that holds the project's lock (SQLite's write lock, PostgreSQL's advisory lock
on the project), so a rerun, or two ticks racing from cron and a person, never queue a
notice twice. Each tick then sends only the rows it queued itself.
"""

from __future__ import annotations

import datetime as _dt

from coflow.dates import today_utc
from coflow.deadlines import NOTICES, notices
from coflow.events import utc_now
from coflow.notify.outbox import Delivery, deliver, require_valid
from coflow.notify.overdue import _key as overdue_key
from coflow.notify.overdue import overdue_items
from coflow.project import fold

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter


def entries_for(engine: ProjectWriter, kinds: tuple[str, ...] = NOTICES) -> list[tuple[int, dict[str, Any]]]:
    """The [[notify]] entries (with their index) that ask for any of `kinds`."""
    return [(i, e) for i, e in enumerate(engine.config.notify)
            if any(kind in (e.get("events") or []) for kind in kinds)]


def _candidates(state: Any, workflow: Any, entries: list[tuple[int, dict[str, Any]]],
                today: _dt.date, kinds: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every notice of `kinds` due for one project, per entry that wants it: {entry, key, type, data}."""
    found = []
    due = notices(state, workflow, today)
    for index, entry in entries:
        wanted = [kind for kind in entry.get("events") or [] if kind in kinds]
        for notice in due:
            if notice["type"] in wanted:
                found.append({"entry": index, "key": notice["key"], "type": notice["type"], "data": notice["data"]})
        if "overdue" in wanted:
            for item in overdue_items(state, workflow, entry, today):
                found.append({"entry": index, "key": overdue_key(item), "type": "overdue", "data": item})
    return found


def _sent_keys(engine: ProjectWriter, project_id: str) -> set[tuple[Any, str]]:
    """(entry index, key) of every notice already queued for the project (any status)."""
    return {(o.payload.get("notify_index"), str(o.payload["overdue_key"])) for o in engine.store.outbox()
            if o.project == project_id and o.payload.get("overdue_key")}


def tick(engine: ProjectWriter, today: _dt.date | None = None, dry_run: bool = False,
         kinds: tuple[str, ...] = NOTICES) -> tuple[list[dict[str, Any]], list[Delivery]]:
    """Queue every notice not sent before, then send them; `dry_run` lists them, sending nothing.

    Returns what was found new ({entry, key, event}) and the delivery results.
    """
    entries = entries_for(engine, kinds)
    if not entries:
        return [], []
    require_valid(engine)
    today = today or today_utc()
    found: list[dict[str, Any]] = []
    ids: list[int] = []
    for project_id in engine.project_ids():
        state = engine.get(project_id)
        if not _candidates(state, engine.pinned_workflow(state), entries, today, kinds):
            continue  # most projects, on most days: no lock taken
        if dry_run:
            sent = _sent_keys(engine, project_id)
            found += [_found(project_id, state.seq, c) for c in _candidates(state, engine.pinned_workflow(state),
                                                                           entries, today, kinds)
                      if (c["entry"], c["key"]) not in sent]
            continue
        with engine.store.transaction() as tx:
            state = fold(project_id, tx.events(project_id), engine.record_kinds.reducers)  # locked: ticks queue here
            sent = _sent_keys(engine, project_id)  # read inside the lock, on the same connection
            for candidate in _candidates(state, engine.pinned_workflow(state), entries, today, kinds):
                if (candidate["entry"], candidate["key"]) in sent:
                    continue
                item = _found(project_id, state.seq, candidate)
                found.append(item)
                notifier = str(engine.config.notify[candidate["entry"]]["notifier"])
                ids.append(tx.add_outbox(project_id, state.seq, notifier,
                                         {"event": item["event"], "notify_index": candidate["entry"],
                                          "overdue_key": candidate["key"]}))
    if dry_run or not ids:
        return found, []
    wanted = set(ids)
    return found, deliver(engine, [o for o in engine.store.outbox("pending") if o.id in wanted])


def _found(project_id: str, seq: int, candidate: dict[str, Any]) -> dict[str, Any]:
    event = {"project": project_id, "seq": seq, "ts": utc_now(), "actor": "coflow",
             "type": candidate["type"], "data": candidate["data"]}
    return {"entry": candidate["entry"], "key": candidate["key"], "event": event}
