"""The `access_needs` check type: every recorded access need is met, and (with `asked`)
every partner was asked what they need.

The needs themselves are personal data kept apart from the log; the check sees only
whether someone has needs, whether they are met and when they were asked, and names people
by id. "Nobody has recorded access needs" proves nothing when nobody was asked, so with
`asked = true` a partner passes only with a date they were asked (`participant update
--access-asked DATE`) or needs on record. People who withdrew, or whose details were
erased, are not expected to have needs met any more.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, ("asked",)), *common.flag(params, "asked")]


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    with_needs = [p for p in project.participants if common.field(p, "access_needs", False)]
    unmet = [str(common.field(p, "id", "?")) for p in with_needs
             if not common.gone(p) and not common.field(p, "access_needs_met", False)]
    problems, hint = [], None
    if unmet:
        problems.append(f"{common.listing(unmet)} {common.verb(unmet, 'has', 'have')} "
                        "access needs not yet marked as met")
        hint = (f"meet what {unmet[0]} told you they need, before their next session; once it is met, record it "
                f"for them (ID is {unmet[0]}): coflow participant update PROJECT ID --access-needs-met")
    never = []
    if params.get("asked"):
        partners = [p for p in project.participants if not common.is_staff(p) and not common.gone(p)]
        never = [str(common.field(p, "id", "?")) for p in partners
                 if not common.field(p, "access_asked") and not common.field(p, "access_needs", False)]
        if never:
            problems.append(f"{common.listing(never)} {common.verb(never, 'has', 'have')} not been asked what "
                            "they need in order to take part; ask them, "
                            "then record the day you asked (and any needs they tell you with --access-needs)")
            hint = hint or f"coflow participant update PROJECT {never[0]} --access-asked DATE"
        elif not any(not common.is_staff(p) for p in project.participants):
            problems.append("no partners are recorded yet, so nobody can be shown to have been asked about access needs")
            hint = hint or ("when partners join, record each of them: "
                            "coflow participant add PROJECT --lived-experience --category CATEGORY")
    if problems:
        return CheckResult(False, "; ".join(problems), hint=hint)
    asked = " (every partner was asked)" if params.get("asked") else ""
    if not with_needs:
        return CheckResult(True, f"nobody has recorded access needs{asked}")
    return CheckResult(True, f"access needs met for {common.plural(len(with_needs), 'person', 'people')}{asked}")
