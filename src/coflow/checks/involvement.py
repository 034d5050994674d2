"""The `involvement_level` check type: the work is called by its right name.

The suitability assessment recommends a level on the involvement continuum. A project
may claim a lower level freely; a higher one only with a recorded justification. When the
assessment records no claim, the project claims the workflow's `level`, if set: running
the co-production workflow is itself a claim to co-produce.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

if TYPE_CHECKING:
    from coflow.project import ProjectView

PARAMS = ("level",)
LEVELS = common.LEVELS


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS), *common.choice(params, "level", LEVELS)]


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    assessment = getattr(project, "assessment", None)
    if not assessment:
        return CheckResult(False, "no suitability assessment has been recorded yet", hint="coflow assess PROJECT --interactive")
    recommended = common.field(assessment, "recommended")
    if recommended not in LEVELS:
        return CheckResult(False, f"the assessment's recommended level {recommended!r} is not one coflow knows",
                           hint="coflow assess PROJECT --interactive")
    claimed = common.field(assessment, "claimed") or params.get("level") or recommended
    # as `coflow assess` shows them: "shared aims", not the key shared_aims
    held_back = [str(c).replace("_", " ") for c in common.field(assessment, "held_back_by", ()) or ()]
    because = f" (held back by: {common.listing(held_back)})" if held_back else ""
    if claimed not in LEVELS:
        return CheckResult(False, f"the level claimed, {claimed!r}, is not one coflow knows",
                           hint="coflow assess PROJECT --interactive")
    if LEVELS.index(claimed) <= LEVELS.index(recommended):
        lower = "" if claimed == recommended else f", below the {recommended} the assessment recommends"
        return CheckResult(True, f"the project claims {claimed}{lower}")
    justification = str(common.field(assessment, "justification", "") or "").strip()
    if justification:
        return CheckResult(True, f"the project claims {claimed}, above the {recommended} the assessment "
                                 f"recommends{because}; the justification is recorded")
    return CheckResult(False, f"the project claims {claimed}, but the assessment recommends {recommended}{because}; "
                              "claiming more needs a recorded justification, or a lighter workflow",
                       hint=f"say why {claimed} is right here although the assessment recommends {recommended}, or "
                            f"use a lighter workflow: coflow assess PROJECT --claimed {claimed} --justification \"...\"")
