"""Payments and recognition: what each person was paid, offered or chose not to take.

A finance reference points at the organisation's own finance record; bank details never
belong here, and text that looks like a sort code, account number or IBAN is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import InvalidOperation

from coflow.errors import NotFound
from coflow.records.ids import Ids
from coflow.records.reducers import PAYMENT_RECORDED, PAYMENT_UPDATED
from coflow.records.updates import update_record
from coflow.records.values import FieldProblem, about, blank, choice, day, known_ids, money, text

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction

STATUSES = ("paid", "voucher", "pending", "declined")
# No single payment (or expenses claim) to one person for their time is this large: a bigger
# number is a typing slip (an extra zero, 1e30), refused before it reaches the history.
LIMIT = 100_000
EXPENSES_STATUSES = ("none", "claimed", "settled", "refused")
BANK_DETAILS = (
    re.compile(r"(?<![\d-])\d{2}[- ]\d{2}[- ]\d{2}(?![\d-])"),  # a sort code
    re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}\s?\d{4}"),           # an IBAN
    re.compile(r"\b(sort ?code|account (no|number)|iban)\b", re.IGNORECASE),
)


def finance_ref(value: Any) -> str | None:
    ref = text(value, "finance_ref", max_len=60)
    if ref and any(p.search(ref) for p in BANK_DETAILS):
        raise FieldProblem("finance_ref", "looks like bank details, which coflow must never hold",
                           hint="give your finance team's reference instead, such as PO-2026-0142")
    return ref


def _check_expenses(record: Mapping[str, Any]) -> None:
    """Rules that look at several fields together (after defaults and updates)."""
    expenses, status = record.get("expenses") or 0, record.get("expenses_status")
    if status in ("claimed", "settled") and not expenses:
        raise FieldProblem("expenses", f"is 0 but the expenses are {status}",
                           hint="give the amount claimed, such as --expenses 6.40")
    if status == "refused" and blank(record.get("expenses_reason")):
        raise FieldProblem("expenses_reason", "is missing: refused expenses need a reason",
                           hint='add --expenses-reason "taxi not agreed in advance"')


def _check_declined(record: Mapping[str, Any]) -> None:
    """The day a person told you they choose not to be paid belongs to a declined payment only."""
    if record.get("declined_on") and record.get("status") != "declined":
        raise FieldProblem("declined_on", f"goes with --status declined, but this payment is {record.get('status')}",
                           hint="give --status declined as well, if the person chose not to be paid")


def amount(value: Any, field: str, *, required: bool = False, default: int | float | None = None) -> int | float | None:
    """An amount in pounds (see values.money), at most LIMIT."""
    try:
        number = money(value, field, required=required, default=default)
    except InvalidOperation:  # too many digits to round to pence: far above LIMIT anyway
        raise FieldProblem(field, f"{str(value).strip()!r} is more than £{LIMIT:,}, the most coflow takes for "
                                  "one payment", hint="check for a typing slip, such as an extra zero") from None
    if number is not None and number > LIMIT:
        raise FieldProblem(field, f"{number:,} is more than £{LIMIT:,}, the most coflow takes for one payment",
                           hint="check for a typing slip; a larger sum is recorded as several payments")
    return number


def _participant(state: Any, value: Any) -> str:
    hint = f"add them first with `coflow participant add {state.id}`"
    if blank(value):
        raise FieldProblem("participant", "is missing", hint="give the participant id, such as P-001")
    return known_ids([value], "participant", state.participants, "participant", hint)[0]


def _session(state: Any, value: Any) -> str | None:
    if blank(value):
        return None
    hint = f"record it first with `coflow session add {state.id}`; see `coflow session list {state.id}`"
    return known_ids([value], "session", state.sessions, "session", hint)[0]


def make_payment(state: Any, fields: Mapping[str, Any], ids: Ids) -> dict[str, Any]:
    """The payment_recorded data from raw fields, checked against the project."""
    expenses = amount(fields.get("expenses"), "expenses", default=0)
    data = {
        "id": ids.given_or_new(fields.get("id")),
        "participant": _participant(state, fields.get("participant")),
        "session": _session(state, fields.get("session")),
        "amount": amount(fields.get("amount"), "amount", required=True),
        "status": choice(fields.get("status"), "status", STATUSES),
        "finance_ref": finance_ref(fields.get("finance_ref")),
        "date": day(fields.get("date"), "date", default_today=True),
        "expenses": expenses,
        "expenses_status": choice(fields.get("expenses_status"), "expenses_status", EXPENSES_STATUSES,
                                  default="claimed" if expenses else "none"),
        "expenses_reason": text(fields.get("expenses_reason"), "expenses_reason", max_len=200),
    }
    declined_on = day(fields.get("declined_on"), "declined_on")
    if declined_on is not None:
        data["declined_on"] = declined_on
    _check_expenses(data)
    _check_declined(data)
    return data


def add(engine: ProjectWriter, project: str, actor: str, **fields: Any) -> dict[str, Any]:
    def build(state: Any, view: Any, tx: Transaction) -> dict:
        with about("new payment"):
            return make_payment(state, fields, Ids("PAY", state.payments))

    event, state = engine.change(project, actor, PAYMENT_RECORDED, build)
    return dict(state.payments[event.data["id"]])


def find(state: Any, payment: str) -> dict[str, Any]:
    record = state.payments.get(payment)
    if record is None:
        raise NotFound(f"project {state.id} has no payment {payment!r}",
                       hint=f"see `coflow payment list {state.id}`")
    return record


def make_changes(state: Any, record: Mapping[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    given = {k: v for k, v in fields.items() if v is not None}
    parsers = {
        "session": lambda v: _session(state, v),
        "amount": lambda v: amount(v, "amount", required=True),
        "status": lambda v: choice(v, "status", STATUSES),
        "finance_ref": finance_ref,
        "date": lambda v: day(v, "date", required=True),
        "expenses": lambda v: amount(v, "expenses", required=True),
        "expenses_status": lambda v: choice(v, "expenses_status", EXPENSES_STATUSES),
        "expenses_reason": lambda v: text(v, "expenses_reason", max_len=200),
        "declined_on": lambda v: day(v, "declined_on", required=True),
    }
    unknown = set(given) - set(parsers)
    if unknown:
        raise FieldProblem(sorted(unknown)[0], "cannot be changed on a payment",
                           hint="record a new payment instead")
    changes = {k: parsers[k](v) for k, v in given.items()}
    merged = {**record, **changes}
    if "expenses" in changes and changes["expenses"] and merged.get("expenses_status") == "none":
        changes["expenses_status"] = merged["expenses_status"] = "claimed"
    _check_expenses(merged)
    _check_declined(merged)
    return {k: v for k, v in changes.items() if record.get(k) != v}


def update(engine: ProjectWriter, project: str, actor: str, payment: str, **fields: Any) -> tuple[dict[str, Any], bool]:
    """Change a payment (pending to paid, say); returns (payment, changed)."""
    return update_record(engine, project, actor, kind="payment", item=payment, event_type=PAYMENT_UPDATED,
                         collection="payments", fields=fields, find=find, make_changes=make_changes,
                         example="--status paid --date 2026-04-20")


def listing_for(engine: ProjectWriter, project: str, participant: str | None = None,
                status: str | None = None) -> list[dict[str, Any]]:
    state = engine.get(project)
    if status is not None:
        with about("payment list"):
            status = choice(status, "status", STATUSES)
    return [dict(p) for p in state.payments.values()
            if (participant is None or p["participant"] == participant) and (status is None or p["status"] == status)]
