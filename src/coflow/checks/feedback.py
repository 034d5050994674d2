"""The `feedback` check type: "you said, we did" -- every item answered, refusals explained."""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("min",)


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS), *common.whole(params, "min", 0)]


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    items = list(project.feedback)
    wanted = params.get("min", 1)
    problems, hints = [], []
    if len(items) < wanted:
        problems.append(f"{common.plural(len(items), 'item')} of \"you said, we did\" recorded; this workflow asks for at least {wanted}")
        hints.append("ask people what they think, and answer each thing they say; record each one with their "
                     'words and what was done: coflow feedback add PROJECT --said "..." --response "..." --status adopted')
    open_ = [str(common.field(f, "id", "?")) for f in items if common.field(f, "status", "open") == "open"]
    if open_:
        problems.append(f"{common.listing(open_)} {common.verb(open_, 'has', 'have')} no answer yet")
        hints.append(f"decide what to do about {open_[0]} and tell people; record the answer (adopted, adapted "
                     f'or not-adopted): coflow feedback update PROJECT {open_[0]} --status adopted --response "..."')
    unexplained = [str(common.field(f, "id", "?")) for f in items
                   if common.field(f, "status") == "not-adopted" and not str(common.field(f, "reason", "")).strip()]
    if unexplained:
        problems.append(f"{common.listing(unexplained)} {common.verb(unexplained, 'is', 'are')} "
                        "marked not adopted without a reason")
        hints.append(f"tell people why {unexplained[0]} was not adopted, and record the reason: "
                     f'coflow feedback update PROJECT {unexplained[0]} --reason "..."')
    if problems:
        return CheckResult(False, "; ".join(problems), hint=hints[0])
    counts: dict[str, int] = {}
    for f in items:
        counts[common.field(f, "status")] = counts.get(common.field(f, "status"), 0) + 1
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return CheckResult(True, f"every one of {common.plural(len(items), 'item')} answered ({summary})"
                       if items else "no items recorded, and none are needed")
