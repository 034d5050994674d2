"""The workflow's state machine (pytransitions): stages as states, and the only two moves.

`advance` goes from a stage that is not final to its `next`, and only when the gate allows
it; `reopen` goes only to a stage earlier in the workflow's stage order than the current one.
With auto_transitions=False there is no other way between stages, so the engine asks the
machine and never repeats these rules itself.

A machine is built once per workflow content (its hash) and kept for the process; each
question sets the stage it is asked from. transitions is imported only when a project moves.
"""

from __future__ import annotations

from typing import Any

from coflow.workflow.model import Workflow

# workflow content hash -> (the stages' shape, machine, model)
_MACHINES: dict[str, tuple[tuple, Any, Any]] = {}


class _ProjectModel:
    """The object transitions drives; coflow's truth stays in the event log."""


def _gate_open(allowed: bool) -> bool:
    return allowed


def _reopen_trigger(dest: str) -> str:
    return "reopen_to_" + dest


def _build(workflow: Workflow) -> tuple[Any, Any]:
    from transitions import Machine

    order = workflow.stage_order
    transitions = [
        {"trigger": "advance", "source": s.id, "dest": s.next, "conditions": _gate_open}
        for s in workflow.stages.values() if s.next and not s.final
    ]
    # reopen_to_X exists only from the stages after X: reopening never goes forward or stays
    transitions += [{"trigger": _reopen_trigger(dest), "source": order[index + 1:], "dest": dest}
                    for index, dest in enumerate(order) if order[index + 1:]]
    model = _ProjectModel()
    machine = Machine(model=model, states=list(workflow.stages), transitions=transitions,
                      initial=workflow.first_stage, auto_transitions=False, ignore_invalid_triggers=False)
    return machine, model


def _machine_at(workflow: Workflow, stage: str) -> tuple[Any, Any]:
    """The workflow's machine (built on first use) and its model, set to `stage`."""
    shape = tuple((s.id, s.next, s.final) for s in workflow.stages.values())
    cached = _MACHINES.get(workflow.content_hash)
    if cached is None or cached[0] != shape:  # the shape guards against a reused hash
        cached = _MACHINES[workflow.content_hash] = (shape, *_build(workflow))
    _shape, machine, model = cached
    machine.set_state(stage, model=model)
    return machine, model


def can_advance(workflow: Workflow, stage: str, allowed: bool) -> bool:
    """Whether `advance` moves from `stage`: False when the gate is closed or there is no `next`."""
    from transitions import MachineError

    _machine, model = _machine_at(workflow, stage)
    try:
        return bool(model.trigger("advance", allowed))
    except MachineError:  # no advance from here (a final stage)
        return False


def can_reopen(workflow: Workflow, stage: str, dest: str) -> bool:
    """Whether `reopen` goes from `stage` to `dest`: only to a stage earlier in the order."""
    from transitions import MachineError

    machine, model = _machine_at(workflow, stage)
    trigger = _reopen_trigger(dest)
    if trigger not in machine.events:  # an unknown stage, or the last: no way back to it
        return False
    try:
        return bool(model.trigger(trigger))
    except MachineError:  # not from this stage: it is not earlier
        return False
