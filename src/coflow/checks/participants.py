"""The `participants` check type: enough of the right people are taking part.

Everyone recorded counts, including people whose details were later erased at their
request: they did take part.
"""

from __future__ import annotations

from typing import Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

PARAMS = ("min", "lived_experience", "min_groups", "min_routes", "role")


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS),
            *common.whole(params, "min", 0), *common.flag(params, "lived_experience"),
            *common.whole(params, "min_groups", 0), *common.whole(params, "min_routes", 0),
            *common.text(params, "role", example='"co-facilitator"')]


def _who(params: dict[str, Any]) -> str:
    who = "people with lived experience" if params.get("lived_experience") else "people"
    if params.get("role"):
        who += f" with the role {params['role']!r}"
    return who


def _hint(params: dict[str, Any], extra: str = "") -> str:
    if params.get("role"):
        return f"coflow participant update PROJECT P-001 --role {params['role']}"
    flags = " --lived-experience" if params.get("lived_experience") else ""
    return f"coflow participant add PROJECT{flags}{extra}"


def check(project: Any, params: dict[str, Any]) -> CheckResult:
    people = list(project.participants)
    if params.get("lived_experience"):
        people = [p for p in people if common.field(p, "lived_experience", False)]
    if params.get("role"):
        people = [p for p in people if common.field(p, "role") == params["role"]]
    who = _who(params)
    wanted = params.get("min", 1)
    problems, hints, found = [], [], [f"{common.plural(len(people), 'person', 'people')} taking part"]
    if len(people) < wanted:
        if people:
            problems.append(f"{len(people)} {who} taking part; at least {wanted} needed ({wanted - len(people)} more)")
        else:
            problems.append(f"no {who} taking part yet; at least {wanted} needed")
        hints.append(_hint(params, " --category carer" if params.get("lived_experience") else ""))
    for key, label, flag in (("min_groups", "group", "--group"), ("min_routes", "recruitment route", "--route")):
        needed = params.get(key, 0)
        if not needed:
            continue
        field = "groups" if key == "min_groups" else "route"
        values: set[str] = set()
        for p in people:
            value = common.field(p, field)
            values.update(v for v in (value if isinstance(value, (list, tuple)) else [value]) if v)
        shown = f" ({common.listing(sorted(values))})" if values else ""
        if len(values) < needed:
            problems.append(f"{common.plural(len(values), label)} recorded among the {who}{shown}; "
                            f"at least {needed} needed")
            hints.append(f"coflow participant update PROJECT P-001 {flag} NAME")
        else:
            found.append(f"{common.plural(len(values), label)}{shown}")
    if problems:
        return CheckResult(False, "; ".join(problems), hint=hints[0])
    return CheckResult(True, f"{who}: " + ", ".join(found))
