"""The `elapsed` check type: long enough (or not too long) in the current stage.

Days are counted between the date the project entered its stage and today, both in UTC.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

if TYPE_CHECKING:
    from coflow.project import ProjectView

PARAMS = ("min_days", "max_days")


def validate(params: dict[str, Any]) -> list[str]:
    problems = [*unknown_params(params, PARAMS), *common.whole(params, "min_days", 0),
                *common.whole(params, "max_days", 0)]
    if "min_days" not in params and "max_days" not in params:
        problems.append("min_days: missing; give min_days, max_days, or both")
    elif not problems and "min_days" in params and "max_days" in params and params["min_days"] > params["max_days"]:
        problems.append(f"max_days: {params['max_days']} is less than min_days {params['min_days']}, "
                        "so the check could never pass")
    return problems


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    entered = common.as_date(project.stage_entered)
    if entered is None:
        return CheckResult(False, "the date this stage began is not known", hint="coflow history PROJECT")
    days = (common.today() - entered).days
    stay = f"in this stage for {common.plural(days, 'day')} (since {entered.isoformat()})"
    low, high = params.get("min_days"), params.get("max_days")
    if low is not None and days < low:
        ready = entered + _dt.timedelta(days=low)
        return CheckResult(False, f"{stay}; at least {low} needed, so not before {ready.isoformat()}",
                           hint="wait, then run: coflow advance PROJECT")
    if high is not None and days > high:
        return CheckResult(False, f"{stay}; at most {high} expected",
                           hint="finish this stage's work, or record why it is taking longer")
    return CheckResult(True, stay)
