"""The `evidence` check type: enough documents of one kind have been added."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

if TYPE_CHECKING:
    from coflow.project import ProjectView

PARAMS = ("kind", "min")


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS),
            *common.text(params, "kind", required=True, example='"ground-rules"'),
            *common.whole(params, "min", minimum=1)]


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    kind = params["kind"]
    wanted = params.get("min", 1)
    found = [e for e in project.evidence if common.field(e, "kind") == kind]
    ids = [common.field(e, "id", "?") for e in found]
    hint = f"coflow evidence add PROJECT --kind {kind} --file PATH-TO-YOUR-FILE"
    if len(found) >= wanted:
        return CheckResult(True, f"{common.plural(len(found), 'piece')} of {kind!r} evidence: {common.listing(ids)}")
    if not found:
        return CheckResult(False, f"no {kind!r} evidence has been added yet"
                                  + (f" ({wanted} needed)" if wanted > 1 else ""), hint=hint)
    return CheckResult(False, f"{common.plural(len(found), 'piece')} of {kind!r} evidence ({common.listing(ids)}); "
                              f"{wanted} needed", hint=hint)
