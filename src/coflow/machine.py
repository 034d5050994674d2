"""The workflow's state machine (pytransitions): stages as states, no automatic transitions.

`advance` moves only to the stage's `next`, and only when the gate allows it; `reopen`
returns to an earlier stage. With auto_transitions=False there is no way to jump a gate.
"""

from __future__ import annotations

from typing import Any

from coflow.workflow.model import Workflow


class _ProjectModel:
    """The object transitions drives; coflow's truth stays in the event log."""


def _gate_open(allowed: bool) -> bool:
    return allowed


def build_machine(workflow: Workflow, initial: str) -> Any:
    from transitions import Machine

    model = _ProjectModel()
    stages = list(workflow.stages)
    transitions = [
        {"trigger": "advance", "source": s.id, "dest": s.next, "conditions": _gate_open}
        for s in workflow.stages.values() if s.next
    ]
    transitions += [{"trigger": "reopen_to_" + dest, "source": stages, "dest": dest} for dest in stages]
    Machine(model=model, states=stages, transitions=transitions, initial=initial, auto_transitions=False,
            ignore_invalid_triggers=False)

    def reopen(dest: str) -> bool:
        return getattr(model, "reopen_to_" + dest)()

    model.reopen = reopen
    return model
