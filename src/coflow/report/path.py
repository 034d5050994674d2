"""The project's path through its workflow, for reports: every stage passed, where it is, the
branches it took, and the stages it has not reached, in the workflow's order.

The way the project came is the state machine's (coflow.machine.route): a reopening goes
back along it, so a branch left behind by a reopening is no longer part of the path.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any



def path_section(state: Any, workflow: Any) -> dict[str, Any]:
    """{"route": the stages the project came through to its stage, "stages": every stage with
    "passed", "current" or "not_reached", "taken": each step with the branch chosen}."""
    from coflow.machine import route

    way = route(state.timeline)
    stages = getattr(workflow, "stages", {}) or {}
    current = way[-1] if way else state.stage
    passed = set(way[:-1])
    order = list(getattr(workflow, "stage_order", []) or []) or list(stages)
    listed = [{"stage": s, "title": _title(stages, s), "final": bool(getattr(stages.get(s), "final", False)),
               "state": "current" if s == current else "passed" if s in passed else "not_reached"}
              for s in order]
    taken = []
    for source, dest in zip(way, way[1:], strict=False):
        stage = stages.get(source)
        choice = next((c for c in getattr(stage, "choices", ()) if c.stage == dest), None)
        branches = bool(getattr(stage, "branches", False))
        taken.append({"from": source, "from_title": _title(stages, source), "to": dest,
                      "to_title": _title(stages, dest), "branch": branches,
                      "when": choice.describe() if (choice is not None and branches) else None,
                      "others": [_title(stages, c.stage) for c in getattr(stage, "choices", ()) if c.stage != dest]
                      if branches else []})
    return {"route": way, "stages": listed, "taken": taken}


def _title(stages: Any, stage_id: str) -> str:
    stage = stages.get(stage_id)
    return getattr(stage, "title", None) or stage_id
