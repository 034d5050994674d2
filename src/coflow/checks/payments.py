"""The `payments` check type: everyone at a paid session was paid, and nobody waits too long.

An attendee of a paid session is settled by a payment for that session (or one recorded
without a session, dated on or after it: a lump sum) that is paid, a voucher, declined,
or pending for no more than `max_pending_days`. A pending payment older than that fails
wherever it is. With `expenses`, every claim is settled, or refused with a reason.
Erased participants count for what they did: an erased attendee of a paid session still
needs a payment record (paid, a voucher, or declined), or the check would pass with nobody
paid. `require_paid_sessions` (off unless set) also fails while no paid session with
attendees is recorded.
"""

from __future__ import annotations

from typing import Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

PARAMS = ("max_pending_days", "expenses", "require_paid_sessions")
SETTLED = ("paid", "voucher", "declined")


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS), *common.whole(params, "max_pending_days", 0),
            *common.flag(params, "expenses"), *common.flag(params, "require_paid_sessions")]


def _payable(people: dict[str, Any], session: Any) -> list[str]:
    """Who at a session is due payment: attendees who are not staff."""
    return [pid for pid in dict.fromkeys(common.field(session, "attendance", ()) or ())
            if not common.is_staff(people.get(pid))]


def _no_paid_sessions(project: Any, people: dict[str, Any]) -> CheckResult:
    """Nobody can be shown to be paid: say which record is missing, and how to add it."""
    held = common.held(project.sessions)
    with_partners = [s for s in held if _payable(people, s)]
    partners = common.pick(people)
    if with_partners:
        hint = f"coflow session update PROJECT {common.field(with_partners[-1], 'id')} --paid"
    elif held and partners:
        hint = f"coflow session update PROJECT {common.field(held[-1], 'id')} --add-attendee {partners[0]} --paid"
    elif partners:
        hint = common.session_add_hint(common.today().isoformat(), partners[0], extra="--paid")
    else:
        hint = "coflow participant add PROJECT --lived-experience --category carer"
    return CheckResult(False, "no paid sessions with attendees recorded yet, so nobody can be shown to have been "
                              "paid (a session where people are paid for their time is recorded with --paid)",
                       hint=hint)


def _covers(payment: Any, person: str, session: Any) -> bool:
    if common.field(payment, "participant") != person:
        return False
    for_session = common.field(payment, "session")
    if for_session:
        return for_session == common.field(session, "id")
    paid_on = common.as_date(common.field(payment, "date"))
    held_on = common.as_date(common.field(session, "date"))
    return paid_on is not None and held_on is not None and paid_on >= held_on


def _pending_too_long(payments: list[Any], limit: int) -> list[str]:
    now = common.today()
    late = []
    for p in payments:
        if common.field(p, "status") != "pending":
            continue
        since = common.as_date(common.field(p, "date"))
        if since is not None and (now - since).days > limit:
            who = common.field(p, "participant", "?")
            late.append(f"{common.field(p, 'id', '?')} ({who}, {(now - since).days} days)")
    return late


def _expenses(payments: list[Any]) -> tuple[list[str], list[str]]:
    claimed, unexplained = [], []
    for p in payments:
        state = common.field(p, "expenses_status", "none")
        if state == "claimed":
            claimed.append(str(common.field(p, "id", "?")))
        elif state == "refused" and not str(common.field(p, "expenses_reason", "")).strip():
            unexplained.append(str(common.field(p, "id", "?")))
    return claimed, unexplained


def check(project: Any, params: dict[str, Any]) -> CheckResult:
    limit = params.get("max_pending_days", 30)
    payments = list(project.payments)
    people = common.by_id(project.participants)
    problems, hints = [], []
    owed = []
    paid_sessions = [s for s in common.held(project.sessions) if common.field(s, "paid", False)]
    if params.get("require_paid_sessions", False) and not any(_payable(people, s) for s in paid_sessions):
        return _no_paid_sessions(project, people)
    for s in paid_sessions:
        for pid in _payable(people, s):
            if not any(_covers(p, pid, s) for p in payments):
                owed.append((pid, str(common.field(s, "id", "?"))))
    if owed:
        shown = [f"{pid} for {sid}" for pid, sid in owed]
        problems.append(f"no payment recorded for {common.listing(shown)}")
        pid, sid = owed[0]
        hints.append(f"coflow payment add PROJECT --participant {pid} --session {sid} --amount 25 --status paid")
    late = _pending_too_long(payments, limit)
    if late:
        problems.append(f"pending for more than {limit} days: {common.listing(late)}")
        hints.append(f"coflow payment update PROJECT {late[0].split(' ')[0]} --status paid")
    if params.get("expenses"):
        claimed, unexplained = _expenses(payments)
        if claimed:
            problems.append(f"expenses claimed but not yet settled: {common.listing(claimed)}")
            hints.append(f"coflow payment update PROJECT {claimed[0]} --expenses-status settled")
        if unexplained:
            problems.append(f"expenses refused without a reason: {common.listing(unexplained)}")
            hints.append(f'coflow payment update PROJECT {unexplained[0]} --expenses-status refused --expenses-reason "..."')
    if problems:
        return CheckResult(False, "; ".join(problems), hint=hints[0])
    attendees = {pid for s in paid_sessions for pid in (common.field(s, "attendance", ()) or ())}
    if not paid_sessions:
        return CheckResult(True, f"no paid sessions held yet (this check does not require any); "
                                 f"{common.plural(len(payments), 'payment')} recorded")
    return CheckResult(True, f"everyone at {common.plural(len(paid_sessions), 'paid session')} "
                             f"({common.plural(len(attendees), 'person', 'people')}) is paid, given a voucher, "
                             "or chose not to be paid" + (", expenses settled" if params.get("expenses") else ""))
