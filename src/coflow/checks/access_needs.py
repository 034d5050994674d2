"""The `access_needs` check type: every recorded access need is met.

The needs themselves are personal data kept apart from the log; the check sees only
whether someone has needs and whether they are met, and names people by id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

if TYPE_CHECKING:
    from coflow.project import ProjectView


def validate(params: dict[str, Any]) -> list[str]:
    return unknown_params(params, ())


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    with_needs = [p for p in project.participants if common.field(p, "access_needs", False)]
    unmet = [str(common.field(p, "id", "?")) for p in with_needs
             if not common.erased(p) and not common.field(p, "access_needs_met", False)]
    if unmet:
        return CheckResult(False, f"{common.listing(unmet)} {common.verb(unmet, 'has', 'have')} "
                                  "access needs not yet marked as met",
                           hint=f"coflow participant update PROJECT {unmet[0]} --access-needs-met")
    if not with_needs:
        return CheckResult(True, "nobody has recorded access needs")
    return CheckResult(True, f"access needs met for {common.plural(len(with_needs), 'person', 'people')}")
