"""The `elapsed` check type: long enough (or not too long) in the current stage.

Days are counted between the date the project entered its stage and today, both in UTC.
With `from_fact` (and `until_fact`), the project's own dates count instead, when they are
recorded: work recorded after it happened (a consultation that ran before anyone typed it
into coflow) is judged by when it happened, not by when coflow heard of it. Without them
recorded, the time in the stage is used, as before.
"""

from __future__ import annotations

import datetime as _dt

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("min_days", "max_days", "from_fact", "until_fact")


def validate(params: dict[str, Any]) -> list[str]:
    problems = [*unknown_params(params, PARAMS), *common.whole(params, "min_days", 0),
                *common.whole(params, "max_days", 0),
                *common.text(params, "from_fact", example='"consultation_opened"'),
                *common.text(params, "until_fact", example='"consultation_closed"')]
    if "min_days" not in params and "max_days" not in params:
        problems.append("min_days: missing; give min_days, max_days, or both")
    elif not problems and "min_days" in params and "max_days" in params and params["min_days"] > params["max_days"]:
        problems.append(f"max_days: {params['max_days']} is less than min_days {params['min_days']}, "
                        "so the check could never pass")
    if "until_fact" in params and "from_fact" not in params:
        problems.append("until_fact: goes with from_fact (the day it began), which is missing")
    return problems


def _recorded_day(project: ProjectView, key: str | None) -> tuple[_dt.date | None, str | None]:
    """(the day a fact records, a problem with it); (None, None) when it is not recorded."""
    if not key or project.facts.get(key) in (None, ""):
        return None, None
    value = project.facts[key]
    day = common.as_date(value) if not isinstance(value, bool) else None
    if day is None:
        shown = ("yes" if value else "no") if isinstance(value, bool) else repr(value)
        return None, f"{key} is recorded as {shown}, which is not a date"
    if day > common.today():
        return None, f"{key} is {day.isoformat()}, which is after today"
    return day, None


def _span(project: ProjectView, params: dict[str, Any]) -> tuple[_dt.date | None, _dt.date, str, str | None]:
    """(first day, last day, how they are described, a problem) for the time to judge."""
    start_key, end_key = params.get("from_fact"), params.get("until_fact")
    start, problem = _recorded_day(project, start_key)
    if problem:
        return None, common.today(), "", problem
    if start is None:
        entered = common.as_date(project.stage_entered)
        return entered, common.today(), f"in this stage for {{days}} (since {entered})", None
    end, problem = _recorded_day(project, end_key)
    if problem:
        return None, common.today(), "", problem
    if end is not None and end < start:
        return None, common.today(), "", f"{end_key} ({end.isoformat()}) is before {start_key} ({start.isoformat()})"
    if end is None:
        return start, common.today(), f"{{days}} since {start_key} ({start.isoformat()})", None
    return start, end, f"{{days}} from {start_key} ({start.isoformat()}) to {end_key} ({end.isoformat()})", None


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    start_key = params.get("from_fact")
    start, end, how, problem = _span(project, params)
    if problem:
        return CheckResult(False, problem + "; record the real day, as year-month-day",
                           hint=f"coflow record PROJECT {problem.split(' ')[0]} DATE")
    if start is None:
        return CheckResult(False, "the date this stage began is not known", hint="coflow history PROJECT")
    days = (end - start).days
    stay = how.format(days=common.plural(days, "day"))
    low, high = params.get("min_days"), params.get("max_days")
    ours = "this workflow asks for"
    if low is not None and days < low:
        if start_key and start_key not in project.facts:
            return CheckResult(False, f"{stay}; {ours} at least {common.plural(low, 'day')}, and {start_key} "
                                      "is not recorded",
                               hint=f"if it began before this stage, record the day it really began: "
                                    f"coflow record PROJECT {start_key} DATE")
        ready = start + _dt.timedelta(days=low)
        return CheckResult(False, f"{stay}; {ours} at least {common.plural(low, 'day')}, so not before "
                                  f"{ready.isoformat()}",
                           hint="wait, then run: coflow advance PROJECT")
    if high is not None and days > high:
        return CheckResult(False, f"{stay}; {ours} at most {common.plural(high, 'day')}",
                           hint="finish this stage's work, or record why it is taking longer")
    return CheckResult(True, stay)
