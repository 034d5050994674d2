"""The `involvement_level` check type: the work is called by its right name.

The suitability assessment recommends a level on the involvement continuum. A project
may claim a lower level freely; a higher one only with a recorded justification. When the
assessment records no claim, the project claims the workflow's `level`, if set: running
the co-production workflow is itself a claim to co-produce.

With `approval_role` (off unless set; the shipped workflows set "sponsor"), a claim above
the recommendation also needs a sign-off by someone in that role given after the
justification was recorded: a justification nobody accountable has read is not approval.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("level", "approval_role")
LEVELS = common.LEVELS


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS), *common.choice(params, "level", LEVELS),
            *common.text(params, "approval_role", example='"sponsor"')]


def _approved(project: ProjectView, assessment: Any, role: str) -> bool:
    """A sign-off by `role` after the assessment holding the justification was recorded."""
    since = int(common.field(assessment, "seq", 0) or 0)
    return any(common.field(s, "role") == role and int(common.field(s, "seq", 0) or 0) > since
               for s in project.signoffs)


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
    approver = params.get("approval_role")
    if justification and approver and not _approved(project, assessment, approver):
        title = getattr(project.roles.get(approver), "title", None) or approver
        return CheckResult(False, f"the project claims {claimed}, above the {recommended} the assessment "
                                  f"recommends{because}; the justification is recorded, but the {title} has not "
                                  "signed off since it was, and claiming more than recommended needs their approval",
                           hint=f"ask the {title} to read the recorded justification and, if they agree, to sign: "
                                f"coflow signoff PROJECT --role {approver}")
    if justification:
        approved = f", and the {approver} signed off after it" if approver else ""
        return CheckResult(True, f"the project claims {claimed}, above the {recommended} the assessment "
                                 f"recommends{because}; the justification is recorded{approved}")
    return CheckResult(False, f"the project claims {claimed}, but the assessment recommends {recommended}{because}; "
                              "claiming more needs a recorded justification, or a lighter workflow",
                       hint=f"say why {claimed} is right here although the assessment recommends {recommended}, or "
                            f"use a lighter workflow: coflow assess PROJECT --claimed {claimed} --justification \"...\"")
