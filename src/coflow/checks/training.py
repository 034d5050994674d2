"""The `training` check type: everyone of a kind has a training or induction date.

A date later than today is booked, not done. Nobody in the group at all fails: add the
people first. Erased participants are never listed as missing (nobody can follow them up).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

if TYPE_CHECKING:
    from coflow.project import ProjectView

PARAMS = ("who", "what", "role")
WHO = ("staff", "partners", "all")
WHAT = ("training", "induction")
FIELD = {"training": "trained", "induction": "inducted"}
OPTION = {"training": "--training", "induction": "--induction"}
GROUP = {"staff": ("staff member", "staff members"), "partners": ("partner", "partners"), "all": ("person", "people")}


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS),
            *common.choice(params, "who", WHO, required=True),
            *common.choice(params, "what", WHAT, required=True),
            *common.text(params, "role", example='"co-facilitator"')]


def in_group(person: Any, who: str) -> bool:
    if who == "all":
        return True
    return common.is_staff(person) == (who == "staff")


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    who, what = params["who"], params["what"]
    field = FIELD[what]
    group = [p for p in project.participants if in_group(p, who)]
    one, many = GROUP[who]
    if params.get("role"):
        group = [p for p in group if common.field(p, "role") == params["role"]]
        one, many = (f"{word} with the role {params['role']!r}" for word in (one, many))
    if not group:
        role = params.get("role") or ("staff" if who == "staff" else "")
        # partners are usually people with lived experience; `participant add` assumes not
        lived = "" if who == "staff" else " --lived-experience"
        add = f"{lived} --role {role}" if role else lived
        return CheckResult(False, f"no {many} are recorded on this project yet, so nobody can be shown to have had {what}",
                           hint=f"coflow participant add PROJECT{add}")
    now = common.today()
    missing, booked = [], []
    for p in group:
        if common.erased(p):
            continue
        when = common.as_date(common.field(p, field))
        pid = common.field(p, "id", "?")
        if when is None:
            missing.append(pid)
        elif when > now:
            booked.append(f"{pid} ({when.isoformat()})")
    if not missing and not booked:
        if len(group) == 1:
            return CheckResult(True, f"the one {one} recorded has had {what}")
        return CheckResult(True, f"all {len(group)} {many} have had {what}")
    parts = []
    if missing:
        parts.append(f"{common.listing(missing)} {common.verb(missing, 'has', 'have')} no {what} date")
    if booked:
        parts.append(f"{common.listing(booked)} {common.verb(booked, 'is', 'are')} booked but not yet done")
    first = (missing or [booked[0].split(' ')[0]])[0]
    return CheckResult(False, "; ".join(parts),
                       hint=f"coflow participant update PROJECT {first} {OPTION[what]} {now.isoformat()}")
