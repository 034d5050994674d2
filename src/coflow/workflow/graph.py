"""A workflow as a Mermaid flowchart, for documents and board papers.

With a project's progress (`Progress`), the chart is live: the stages it passed through, the
stage it is at with the number of required checks not met, the ways it took (thick arrows),
and the stages it has not reached, each coloured (and named in words, for those who cannot
see the colours).
"""

from __future__ import annotations

from collections.abc import Sequence

from coflow.plain import Frozen, _set
from coflow.workflow.model import Workflow

STYLES = (
    "    classDef passed fill:#d8f0dc,stroke:#2e7d32,color:#1b3d1f",
    "    classDef current fill:#fff1c2,stroke:#9a5b00,stroke-width:3px,color:#3d2600",
    "    classDef notreached fill:#f0f0f0,stroke:#8a8a8a,color:#555555,stroke-dasharray:4 3",
)


class Progress(Frozen):
    """Where a project stands: the way it came (its route, ending at its stage) and the
    number of required checks of its stage not met now."""

    __slots__ = ("route", "failing")
    _fields = __slots__
    route: Sequence[str]
    failing: int

    def __init__(self, route: Sequence[str], failing: int = 0):
        _set(self, "route", route)
        _set(self, "failing", failing)


def _label(text: str) -> str:
    return text.replace('"', "'")


def to_mermaid(workflow: Workflow, progress: Progress | None = None) -> str:
    lines = ["flowchart TD"]
    route = list(progress.route) if progress else []
    current = route[-1] if route else None
    passed = set(route[:-1])
    taken = set(zip(route, route[1:], strict=False))
    for stage in workflow.stages.values():
        required = sum(1 for c in stage.checks if c.required)
        detail = "finish" if stage.final else f"{required} required check{'s' if required != 1 else ''}"
        if progress is not None:
            detail = _progress_detail(stage.id, stage.final, current, passed, progress) or detail
        shape = ('(["', '"])') if stage.final else ('["', '"]')
        lines.append(f"    {_node(stage.id)}{shape[0]}{_label(stage.title)}<br/>{detail}{shape[1]}")
    for stage in workflow.stages.values():
        for choice in stage.choices:
            label = "gate" if not stage.branches else _label(choice.describe())
            arrow = "==>" if (stage.id, choice.stage) in taken else "-->"
            if (stage.id, choice.stage) in taken:
                label = f"taken: {label}" if stage.branches else "taken"
            lines.append(f"    {_node(stage.id)} {arrow}|{label}| {_node(choice.stage)}")
    if progress is not None:
        lines.extend(STYLES)
        groups = {"passed": [s for s in workflow.stages if s in passed and s != current],
                  "current": [current] if current in workflow.stages else [],
                  "notreached": [s for s in workflow.stages if s not in passed and s != current]}
        for name, members in groups.items():
            if members:
                lines.append(f"    class {','.join(_node(s) for s in members)} {name}")
    return "\n".join(lines) + "\n"


def _progress_detail(stage: str, final: bool, current: str | None, passed: set[str],
                     progress: Progress) -> str | None:
    if stage == current:
        if final:
            return "finished: the project is here"
        count = progress.failing
        return ("here now: ready to move on" if not count else
                f"here now: {count} required check{'s' if count != 1 else ''} not met")
    if stage in passed:
        return "passed"
    return "not reached"


def _node(stage_id: str) -> str:
    return "s_" + "".join(ch if ch.isalnum() else "_" for ch in stage_id)
