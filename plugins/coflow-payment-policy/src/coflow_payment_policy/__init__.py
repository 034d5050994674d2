"""coflow plugin: the `payment_policy` check type, a typical local payment policy.

Every payment recorded for a session must come to at least the organisation's hourly rate
times the session's hours (several payments to one person for one session are added up),
and no payment may stay pending for more than `max_pending_days`. Declined payments (the
person chose not to be paid) are respected, never counted as owed.

It uses only coflow's public plugin API: `coflow.hookimpl` and `coflow.CheckResult`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import coflow

__version__ = "0.1.0"

CHECK_TYPE = "payment_policy"
PARAMS = ("hourly_rate", "max_pending_days", "currency")
DEFAULT_PENDING_DAYS = 28
SHOW_AT_MOST = 5


@coflow.hookimpl
def coflow_register_checks(register):
    register(CHECK_TYPE, check, validate=validate)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate(params: dict[str, Any]) -> list[str]:
    """Problems with a payment_policy check's parameters, each as "key: what is wrong"."""
    problems = [f"{key}: unknown parameter; payment_policy takes: {', '.join(PARAMS)}"
                for key in params if key not in PARAMS]
    rate = params.get("hourly_rate")
    if rate is None:
        problems.append("hourly_rate: missing; expected the hourly rate in pounds, such as 25")
    elif not _is_number(rate) or rate <= 0:
        problems.append(f"hourly_rate: expected a number of pounds above 0, such as 25, found {rate!r}")
    days = params.get("max_pending_days", DEFAULT_PENDING_DAYS)
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        problems.append(f"max_pending_days: expected a whole number of days, 0 or more, found {days!r}")
    currency = params.get("currency", "£")
    if not isinstance(currency, str) or not currency.strip() or len(currency) > 4:
        problems.append(f"currency: expected a short symbol such as \"£\", found {currency!r}")
    return problems


def _date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _today() -> _dt.date:
    return _dt.datetime.now(_dt.timezone.utc).date()


def _listing(items: list[str]) -> str:
    shown = "; ".join(items[:SHOW_AT_MOST])
    more = len(items) - SHOW_AT_MOST
    return shown + (f"; and {more} more" if more > 0 else "")


def _money(currency: str, amount: float) -> str:
    return f"{currency}{amount:,.2f}"


def underpaid(project: Any, rate: float, currency: str = "£") -> list[str]:
    """Each (person, session) paid less than rate x hours, in plain words."""
    hours = {}
    for session in project.sessions:
        value = session.get("hours")
        if _is_number(value) and value > 0:
            hours[session.get("id")] = float(value)
    totals: dict[tuple[str, str], float] = {}
    for payment in project.payments:
        session = payment.get("session")
        if not session or payment.get("status") == "declined":
            continue
        amount = payment.get("amount")
        key = (str(payment.get("participant", "?")), str(session))
        totals[key] = totals.get(key, 0.0) + (float(amount) if _is_number(amount) else 0.0)
    short = []
    for (person, session), paid in sorted(totals.items()):
        if session not in hours:
            if session not in {s.get("id") for s in project.sessions}:
                short.append(f"{person} for {session}: that session is not recorded, so the rate cannot be checked")
            continue
        due = round(rate * hours[session], 2)
        if paid + 0.005 < due:
            short.append(f"{person} for {session}: {_money(currency, paid)} for {hours[session]:g} h, "
                         f"the rate gives {_money(currency, due)}")
    return short


def pending_too_long(project: Any, max_days: int, today: _dt.date | None = None) -> list[str]:
    """Each pending payment older than max_days, or pending with no usable date."""
    today = today or _today()
    late = []
    for payment in project.payments:
        if payment.get("status") != "pending":
            continue
        since = _date(payment.get("date"))
        pid = payment.get("id", "?")
        if since is None:
            late.append(f"{pid} has no date, so how long it has waited cannot be told")
        elif (today - since).days > max_days:
            late.append(f"{pid} ({(today - since).days} days)")
    return late


def check(project: Any, params: dict[str, Any]) -> coflow.CheckResult:
    """Payments meet the hourly rate and none is pending for too long."""
    rate = float(params["hourly_rate"])
    max_days = int(params.get("max_pending_days", DEFAULT_PENDING_DAYS))
    currency = str(params.get("currency", "£"))
    short = underpaid(project, rate, currency)
    late = pending_too_long(project, max_days)
    if not short and not late:
        count = len(project.payments)
        if not count:
            return coflow.CheckResult(True, "no payments recorded yet, so none falls short of the policy")
        return coflow.CheckResult(True, f"all {count} payment{'s' if count != 1 else ''} meet the "
                                        f"{_money(currency, rate)} hourly rate; none pending over {max_days} days")
    parts, hints = [], []
    if short:
        parts.append(f"below the {_money(currency, rate)} hourly rate: {_listing(short)}")
        hints.append("record a top-up payment for the difference (coflow payment add PROJECT "
                     "--participant P-... --session S-... --amount ...)")
    if late:
        parts.append(f"pending more than {max_days} days: {_listing(late)}")
        hints.append("pay them, then coflow payment update PROJECT PAY-... --status paid")
    return coflow.CheckResult(False, "; ".join(parts), hint="; ".join(hints))
