"""The `payments` check type: everyone at a paid session was paid, and nobody waits too long.

An attendee of a paid session is settled by a payment for that session (or one recorded
without a session, dated on or after it: a lump sum) that is paid, a voucher, declined,
or pending for no more than `max_pending_days`. A pending payment older than that fails
wherever it is. With `expenses`, every claim is settled, or refused with a reason.
Erased participants count for what they did: an erased attendee of a paid session still
needs a payment record (paid, a voucher, or declined), or the check would pass with nobody
paid. `require_paid_sessions` (off unless set) also fails while no paid session with
attendees is recorded.

Three stricter rules are off unless a workflow sets them (so a pinned project keeps its
meaning; the shipped co-production and co-design workflows switch the first two on):
`late_from_session` counts `max_pending_days` from the session, so a payment made (or still
pending) more than that many days after the session is late whatever its status, and
changing a late payment to paid does not make it on time; `declined_needs_choice` counts a
declined payment only when the date the person told you their choice is recorded
(`--declined-on`), never a zero amount on its own; `hourly_rate` asks that each payment
for a session (paid or a voucher) is at least that rate for the session's hours.
A payment still pending within the limit settles the check, and the message names it with
its age, so nobody reads "paid" where it is not.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("max_pending_days", "expenses", "require_paid_sessions", "late_from_session", "declined_needs_choice",
          "hourly_rate")
SETTLED = ("paid", "voucher", "declined")


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS), *common.whole(params, "max_pending_days", 0),
            *common.flag(params, "expenses"), *common.flag(params, "require_paid_sessions"),
            *common.flag(params, "late_from_session"), *common.flag(params, "declined_needs_choice"),
            *common.number(params, "hourly_rate", 0)]


def _payable(people: dict[str, Any], session: Any) -> list[str]:
    """Who at a session is due payment: attendees who are not staff."""
    return [pid for pid in dict.fromkeys(common.field(session, "attendance", ()) or ())
            if not common.is_staff(people.get(pid))]


def _no_paid_sessions(project: ProjectView, people: dict[str, Any]) -> CheckResult:
    """Nobody can be shown to be paid: say which record is missing, and how to add it."""
    held = common.held(project.sessions)
    with_partners = [s for s in held if _payable(people, s)]
    partners = common.pick(people)
    if with_partners:
        sid = common.field(with_partners[-1], "id")
        hint = (f"if people were paid for their time at {sid}, mark it as a paid session: "
                f"coflow session update PROJECT {sid} --paid")
    elif partners:
        hint = common.session_add_hint(who=partners[0], extra="--paid")
    else:
        hint = ("once people with lived experience have joined, record each of them: "
                "coflow participant add PROJECT --lived-experience")
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


def _owed_since(payment: Any, sessions: dict[str, Any], from_session: bool) -> Any:
    """The day a payment's waiting is counted from: its session's date with
    `late_from_session` (a payment's own date can be set later), else the payment's date."""
    session = sessions.get(common.field(payment, "session")) if from_session else None
    return common.as_date(common.field(session or payment, "date"))


def _late(payments: list[Any], sessions: dict[str, Any], limit: int, from_session: bool) -> list[str]:
    """Payments pending for more than `limit` days; with `from_session`, also those paid (or
    given as a voucher) more than `limit` days after their session, whatever their status now."""
    now = common.today()
    late = []
    for p in payments:
        status = common.field(p, "status")
        since = _owed_since(p, sessions, from_session)
        if since is None:
            continue
        who = f"{common.field(p, 'id', '?')} ({common.field(p, 'participant', '?')}"
        if status == "pending" and (now - since).days > limit:
            late.append(f"{who}, pending {common.plural((now - since).days, 'day')})")
        elif from_session and status in ("paid", "voucher") and common.field(p, "session"):
            paid_on = common.as_date(common.field(p, "date"))
            if paid_on is not None and (paid_on - since).days > limit:
                late.append(f"{who}, {status} {common.plural((paid_on - since).days, 'day')} after "
                            f"{common.field(p, 'session')})")
    return late


def _pending(payments: list[Any], sessions: dict[str, Any], from_session: bool) -> list[str]:
    """Payments still waiting to be made, with how long they have waited."""
    now = common.today()
    found = []
    for p in payments:
        if common.field(p, "status") != "pending":
            continue
        since = _owed_since(p, sessions, from_session)
        age = f", waiting {common.plural((now - since).days, 'day')}" if since is not None else ""
        found.append(f"{common.field(p, 'id', '?')} ({common.field(p, 'participant', '?')}{age})")
    return found


def _expenses(payments: list[Any]) -> tuple[list[str], list[str]]:
    claimed, unexplained = [], []
    for p in payments:
        state = common.field(p, "expenses_status", "none")
        if state == "claimed":
            claimed.append(str(common.field(p, "id", "?")))
        elif state == "refused" and not str(common.field(p, "expenses_reason", "")).strip():
            unexplained.append(str(common.field(p, "id", "?")))
    return claimed, unexplained


def _counts(payment: Any, needs_choice: bool) -> bool:
    """Whether a payment settles what someone is owed: a declined one only with the person's
    choice recorded, when the workflow asks for that."""
    if common.field(payment, "status") == "declined" and needs_choice:
        return bool(common.field(payment, "declined_on"))
    return True


def _below_rate(payments: list[Any], sessions: dict[str, Any], rate: float) -> tuple[list[str], list[str]]:
    """(payments below `rate` for their session's hours, sessions paid for with no hours recorded)."""
    low, no_hours = [], []
    for p in payments:
        session = sessions.get(common.field(p, "session"))
        if session is None or common.field(p, "status") not in ("paid", "voucher"):
            continue
        hours = common.field(session, "hours")
        if not hours:
            no_hours.append(str(common.field(session, "id", "?")))
            continue
        due = round(float(rate) * float(hours), 2)
        if float(common.field(p, "amount", 0) or 0) < due:
            low.append(f"{common.field(p, 'id', '?')} ({common.field(p, 'amount', 0)} for "
                       f"{common.plural(hours, 'hour')} at {common.field(session, 'id', '?')}, "
                       f"where {due:g} is due)")
    return low, sorted(set(no_hours))


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    limit = params.get("max_pending_days", 30)
    from_session = bool(params.get("late_from_session", False))
    needs_choice = bool(params.get("declined_needs_choice", False))
    payments = list(project.payments)
    people = common.by_id(project.participants)
    sessions = common.by_id(project.sessions)
    problems, hints = [], []
    owed: list[tuple[str, str, list[Any]]] = []  # (participant, session, payments covering it)
    unchosen: list[tuple[str, str, list[Any]]] = []
    paid_sessions = [s for s in common.held(project.sessions) if common.field(s, "paid", False)]
    if params.get("require_paid_sessions", False) and not any(_payable(people, s) for s in paid_sessions):
        return _no_paid_sessions(project, people)
    for s in paid_sessions:
        for pid in _payable(people, s):
            covering = [p for p in payments if _covers(p, pid, s)]
            if not any(_counts(p, needs_choice) for p in covering):
                (unchosen if covering else owed).append((pid, str(common.field(s, "id", "?")), covering))
    if owed:
        shown = [f"{pid} for {sid}" for pid, sid, _ in owed]
        problems.append(f"no payment recorded for {common.listing(shown)}")
        pid, sid, _ = owed[0]
        hints.append(f"pay {pid} for {sid} (or give a voucher, or ask whether they choose not to be paid), then "
                     f"record it with the real amount and date: coflow payment add PROJECT --participant {pid} "
                     f"--session {sid} --amount AMOUNT --status paid --date DATE")
    if unchosen:
        ids = [str(common.field(c[0], "id", "?")) for _, _, c in unchosen]
        problems.append(f"declined without the person's choice recorded: {common.listing(ids)} "
                        "(a declined payment counts only when the person chose not to be paid)")
        hints.append(f"ask {unchosen[0][0]} whether they want to be paid; if they choose not to be, record the day "
                     f"they told you: coflow payment update PROJECT {ids[0]} --declined-on DATE")
    late = _late(payments, sessions, limit, from_session)
    if late:
        since = "after the session" if from_session else "since they were recorded"
        problems.append(f"late (this workflow asks for payment within {common.plural(limit, 'day')} {since}): "
                        f"{common.listing(late)}")
        first = late[0].split(" ")[0]
        hints.append("pay what is still owed (a payment made late stays late, and the report shows it), then record "
                     f"the day it was paid: coflow payment update PROJECT {first} --status paid --date DATE")
    rate = params.get("hourly_rate")
    if rate is not None:
        low, no_hours = _below_rate(payments, sessions, rate)
        if low:
            problems.append(f"below this workflow's rate of {rate:g} an hour: {common.listing(low)}")
            hints.append(f"pay the difference and record the full amount: coflow payment update PROJECT "
                         f"{low[0].split(' ')[0]} --amount AMOUNT")
        if no_hours:
            problems.append(f"the rate cannot be checked without the hours of {common.listing(no_hours)}")
            hints.append(f"record how long {no_hours[0]} lasted: coflow session update PROJECT {no_hours[0]} --hours HOURS")
    if params.get("expenses"):
        claimed, unexplained = _expenses(payments)
        if claimed:
            problems.append(f"expenses claimed but not yet settled: {common.listing(claimed)}")
            hints.append(f"settle the expenses, then record it: coflow payment update PROJECT {claimed[0]} "
                         "--expenses-status settled")
        if unexplained:
            problems.append(f"expenses refused without a reason: {common.listing(unexplained)}")
            hints.append(f'coflow payment update PROJECT {unexplained[0]} --expenses-status refused --expenses-reason "..."')
    if problems:
        return CheckResult(False, "; ".join(problems), hint=hints[0])
    attendees = {pid for s in paid_sessions for pid in (common.field(s, "attendance", ()) or ())}
    waiting = _pending(payments, sessions, from_session)
    still = f"; still waiting to be paid: {common.listing(waiting)}" if waiting else ""
    if not paid_sessions:
        return CheckResult(True, f"no paid sessions held yet (this check does not require any); "
                                 f"{common.plural(len(payments), 'payment')} recorded{still}")
    if waiting:
        return CheckResult(True, f"everyone at {common.plural(len(paid_sessions), 'paid session')} "
                                 f"({common.plural(len(attendees), 'person', 'people')}) has a payment, a voucher or "
                                 f"their choice not to be paid recorded, but some are still waiting to be paid: "
                                 f"{common.listing(waiting)} (this workflow allows up to "
                                 f"{common.plural(limit, 'day')})" + (", expenses settled" if params.get("expenses") else ""))
    return CheckResult(True, f"everyone at {common.plural(len(paid_sessions), 'paid session')} "
                             f"({common.plural(len(attendees), 'person', 'people')}) is paid, given a voucher, "
                             "or chose not to be paid" + (", expenses settled" if params.get("expenses") else ""))
