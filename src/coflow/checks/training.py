"""The `training` check type: everyone of a kind has a training, induction or payment
information date, and (with `before_first_session`) had it before it mattered.

A date later than today is booked, not done. Nobody in the group at all fails: add the
people first. Erased participants are never listed as missing (nobody can follow them up);
nor are people who withdrew without attending a session (they are no longer expected).

`before_first_session` compares dates: an induction or training on or before the first
session the person attended, and payment information on or before the first *paid*
session they attended. A date recorded afterwards does not make up for it, and the message
names each person and the session they came to first.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("who", "what", "role", "before_first_session")
WHO = ("staff", "partners", "all")
WHAT = ("training", "induction", "payment_info")
FIELD = {"training": "trained", "induction": "inducted", "payment_info": "payment_info"}
OPTION = {"training": "--training", "induction": "--induction", "payment_info": "--payment-info"}
WORDS = {"training": "training", "induction": "induction", "payment_info": "information about payment"}
GROUP = {"staff": ("staff member", "staff members"), "partners": ("partner", "partners"), "all": ("person", "people")}


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS),
            *common.choice(params, "who", WHO, required=True),
            *common.choice(params, "what", WHAT, required=True),
            *common.text(params, "role", example='"co-facilitator"'),
            *common.flag(params, "before_first_session")]


def in_group(person: Any, who: str) -> bool:
    if who == "all":
        return True
    return common.is_staff(person) == (who == "staff")


def _out_of_order(people: list[Any], what: str, sessions: list[Any]) -> list[str]:
    """"P-003 (induction 2026-03-10, after S-001 on 2026-03-01)" for everyone whose date
    came after the first (paid, for payment information) session they attended."""
    late = []
    for p in people:
        pid = common.field(p, "id", "?")
        when = common.as_date(common.field(p, FIELD[what]))
        first = common.attended(pid, sessions, paid_only=what == "payment_info")[:1]
        held_on = common.as_date(common.field(first[0], "date")) if first else None
        if when is not None and held_on is not None and when > held_on:
            late.append(f"{pid} ({when.isoformat()}, after {common.field(first[0], 'id', '?')} "
                        f"on {held_on.isoformat()})")
    return late


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    who, what = params["who"], params["what"]
    field, words = FIELD[what], WORDS[what]
    sessions = common.held(project.sessions)
    group = [p for p in project.participants if in_group(p, who)]
    one, many = GROUP[who]
    if params.get("role"):
        group = [p for p in group if common.field(p, "role") == params["role"]]
        one, many = (f"{word} with the role {params['role']!r}" for word in (one, many))
    if not group:
        role = params.get("role") or ("staff" if who == "staff" else "")
        # partners are usually people with lived experience; `participant add` assumes not
        lived = "" if who == "staff" else " --lived-experience --category CATEGORY"
        add = f"{lived} --role {role}" if role else lived
        return CheckResult(False, f"no {many} are recorded on this project yet, so nobody can be shown to have had {words}",
                           hint=f"record each of the {many} taking part: coflow participant add PROJECT{add}")
    now = common.today()
    missing, booked, left = [], [], []
    for p in group:
        pid = common.field(p, "id", "?")
        if common.erased(p):
            continue
        if common.withdrawn(p) and not common.attended(pid, sessions):
            left.append(pid)  # stopped before taking part: no longer expected
            continue
        when = common.as_date(common.field(p, field))
        if when is None:
            missing.append(pid)
        elif when > now:
            booked.append(f"{pid} ({when.isoformat()})")
    late = _out_of_order(group, what, sessions) if params.get("before_first_session") else []
    if not missing and not booked and not late:
        counted = len(group) - len(left)
        gone = (f" ({common.listing(left)} withdrew before taking part and {common.verb(left, 'is', 'are')} "
                "not expected)") if left else ""
        if counted == 1:
            return CheckResult(True, f"the one {one} recorded has had {words}{gone}")
        return CheckResult(True, f"all {counted} {many} have had {words}{gone}")
    parts = []
    if missing:
        parts.append(f"{common.listing(missing)} {common.verb(missing, 'has', 'have')} no {words} date")
    if booked:
        parts.append(f"{common.listing(booked)} {common.verb(booked, 'is', 'are')} booked but not yet done")
    if late:
        first = "paid session" if what == "payment_info" else "session"
        parts.append(f"{words} came after the first {first} they attended for {common.listing(late)}; "
                     f"it has to come first, so a later date does not count")
    if missing or booked:
        first = (missing or [booked[0].split(' ')[0]])[0]
        return CheckResult(False, "; ".join(parts) + f"; once {first} has had {words}, record the day it happened",
                           hint=f"coflow participant update PROJECT {first} {OPTION[what]} DATE")
    pid = late[0].split(" ")[0]
    return CheckResult(False, "; ".join(parts) + ". If a date was recorded wrongly, correct it to the real date; "
                       "if it really came later, this gate can only be passed by an override with the reason "
                       "recorded", hint=f"coflow participant update PROJECT {pid} {OPTION[what]} DATE")
