"""Feedback, "you said, we did": what people said, what was done, and why not if not."""

from __future__ import annotations

from collections.abc import Mapping

from coflow.errors import NotFound
from coflow.records.ids import Ids
from coflow.records.reducers import FEEDBACK_RECORDED, FEEDBACK_UPDATED
from coflow.records.updates import update_record
from coflow.records.values import FieldProblem, about, blank, choice, day, text

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction

STATUSES = ("open", "adopted", "adapted", "not-adopted")
STATUS_WORDS = {"not adopted": "not-adopted", "not_adopted": "not-adopted", "rejected": "not-adopted"}


def status(value: Any, default: str | None = None) -> str | None:
    if not blank(value):
        value = STATUS_WORDS.get(str(value).strip().lower(), value)
    return choice(value, "status", STATUSES, default=default)


def check_answer(record: Mapping[str, Any]) -> None:
    """An answered item says what was done; "not adopted" also says why."""
    if record.get("status") in ("adopted", "adapted") and blank(record.get("response")):
        raise FieldProblem("response", f"is missing: {record['status']} feedback needs the response (\"we did\")",
                           hint='add --response "Sessions moved to 6pm"')
    if record.get("status") == "not-adopted" and blank(record.get("reason")):
        raise FieldProblem("reason", "is missing: feedback that was not adopted needs a reason",
                           hint='add --reason "the building closes at 5pm; we are looking for another venue"')


def make_feedback(fields: Mapping[str, Any], ids: Ids) -> dict[str, Any]:
    data = {
        "id": ids.given_or_new(fields.get("id")),
        "said": text(fields.get("said"), "said", required=True, max_len=1000),
        "response": text(fields.get("response"), "response", max_len=1000),
        "status": status(fields.get("status"), default="open"),
        "reason": text(fields.get("reason"), "reason", max_len=1000),
        "date": day(fields.get("date"), "date", default_today=True),
    }
    check_answer(data)
    return data


def add(engine: ProjectWriter, project: str, actor: str, **fields: Any) -> dict[str, Any]:
    def build(state: Any, view: Any, tx: Transaction) -> dict:
        with about("new feedback"):
            return make_feedback(fields, Ids("F", state.feedback))

    event, state = engine.change(project, actor, FEEDBACK_RECORDED, build)
    return dict(state.feedback[event.data["id"]])


def find(state: Any, item: str) -> dict[str, Any]:
    record = state.feedback.get(item)
    if record is None:
        raise NotFound(f"project {state.id} has no feedback {item!r}", hint=f"see `coflow feedback list {state.id}`")
    return record


def make_changes(record: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    given = {k: v for k, v in fields.items() if v is not None}
    changes: dict[str, Any] = {}
    for key in ("said", "response", "reason"):
        if key in given:
            changes[key] = text(given[key], key, required=key == "said", max_len=1000)
    if "status" in given:
        changes["status"] = status(given["status"])
    if "date" in given:
        changes["date"] = day(given["date"], "date", required=True)
    check_answer({**record, **changes})
    return {k: v for k, v in changes.items() if record.get(k) != v}


def update(engine: ProjectWriter, project: str, actor: str, item: str, **fields: Any) -> tuple[dict[str, Any], bool]:
    """Answer or change a feedback item; returns (item, changed)."""
    return update_record(engine, project, actor, kind="feedback", item=item, event_type=FEEDBACK_UPDATED,
                         collection="feedback", fields=fields, find=find,
                         make_changes=lambda state, record, given: make_changes(record, given),
                         example='--status adopted --response "Moved to 6pm"')


def listing_for(engine: ProjectWriter, project: str, status_filter: str | None = None) -> list[dict[str, Any]]:
    state = engine.get(project)
    if status_filter is not None:
        with about("feedback list"):
            status_filter = status(status_filter)
    return [dict(f) for f in state.feedback.values() if status_filter is None or f["status"] == status_filter]
