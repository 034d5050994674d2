"""The workflow's state machine (pytransitions): stages as states, and every move between them.

`advance` has one conditional transition per way on from a stage (its `next` choices, in
the workflow's order). Each carries two conditions: the gate is open (or overridden), and
the choice holds (its `when` check passed, or its fact condition is true; a choice without
`when` always holds). transitions tries a trigger's transitions in the order they were
added and takes the first whose conditions all hold, which is exactly "the first choice
that holds is where the project goes". `advance --to STAGE` adds a third condition: the
transition goes to STAGE. So the engine asks the machine whether a move is allowed and
where it goes, and repeats none of these rules.

`reopen` goes back the way the project came: one transition per way on, reversed (from a
stage to each stage that leads to it), with the condition that the project really came from
there. Reopening several stages back is that many steps, each one the machine's move. A
transition per pair of stages ("any earlier stage") would be quadratic: 10,000 stages
would need 50 million transitions. Which way the project came is its history, not the
workflow, so it is passed in as the route (see `route`), computed from the timeline here.

With auto_transitions=False there is no other way between stages. A machine is built once
per workflow content (its hash) and kept for the process; each question sets the stage it
is asked from. Where no way on from a stage depends on a fact (each `when` is absent or a
check id), the machine's answer to `advance` depends only on the stage, `--to` and which
of those checks passed, so it is kept with the machine and given again for the same
question (a process advancing thousands of projects asks the machine once per answer). Building takes time linear in the stages and ways (the `reopen` transitions
are added the first time a reopening is asked about, as advancing never needs them).
transitions is imported only when a project may move (its gate is open or overridden).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from coflow.workflow.model import Choice, Workflow

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

# workflow content hash -> (the stages' shape, machine, model, its kept answers to `advance`)
_MACHINES: dict[str, tuple[tuple, Any, Any, dict[tuple, str | None]]] = {}
_MOST_ANSWERS = 1024  # per machine; a workflow asked more distinct questions starts afresh
# workflow content hash -> the Workflow last checked against that shape (skips the check)
_CHECKED: dict[str, Workflow] = {}


class _ProjectModel:
    """The object transitions drives; coflow's truth stays in the event log."""


def _advance_condition(choice: Choice) -> Callable[..., bool]:
    """The conditions of one way on, in one callable (one condition object per transition keeps
    a machine of 10,000 stages quick to build): the gate is open, the choice holds, and
    `--to`, when given, names this choice's stage."""

    def condition(gate: bool = False, passed: Mapping[str, bool] | None = None, view: Any = None,
                  to: str | None = None, **_: Any) -> bool:
        return gate and (to is None or to == choice.stage) and choice_holds(choice, passed or {}, view)

    return condition


def _came_from(source: str) -> Callable[..., bool]:
    """The condition of a step back: the project came to this stage from `source`."""

    def condition(route: Sequence[str] = (), **_: Any) -> bool:
        return len(route) >= 2 and route[-2] == source

    return condition


def choice_holds(choice: Choice, passed: Mapping[str, bool], view: Any) -> bool:
    """A choice without `when` always holds; a check id holds when that check passed; a fact
    condition holds when a `fact` check with those parameters would pass."""
    if choice.when is None:
        return True
    if isinstance(choice.when, str):
        return bool(passed.get(choice.when, False))
    if view is None:
        return False
    from coflow.checks.fact import check

    try:
        return check(view, dict(choice.when)).ok is True
    except Exception:  # a condition that cannot be judged does not hold (fail closed)
        return False


def _build(workflow: Workflow) -> tuple[Any, Any]:
    from transitions import Machine

    class _StageMachine(Machine):
        """A Machine that does not give the model an `is_<stage>` method and enter/exit
        callbacks per stage: coflow asks only through triggers, and for 10,000 stages those
        methods were a third of the time to build. (If transitions renames this hook, the
        methods come back and the machine is only slower.)"""

        def _add_model_to_state(self, state: Any, model: Any) -> None:
            return None

    transitions = [{"trigger": "advance", "source": stage.id, "dest": choice.stage,
                    "conditions": _advance_condition(choice)}
                   for stage in workflow.stages.values() if not stage.final for choice in stage.choices]
    model = _ProjectModel()
    machine = _StageMachine(model=model, states=list(workflow.stages), transitions=transitions,
                      initial=workflow.first_stage, auto_transitions=False, ignore_invalid_triggers=False)
    return machine, model


def _shape(workflow: Workflow) -> tuple:
    return tuple((s.id, s.final, tuple((c.stage, repr(c.when)) for c in s.choices))
                 for s in workflow.stages.values())


def _entry(workflow: Workflow) -> tuple[tuple, Any, Any, dict[tuple, str | None]]:
    """The workflow's machine entry, built on first use."""
    cached = _MACHINES.get(workflow.content_hash)
    if cached is None or _CHECKED.get(workflow.content_hash) is not workflow:
        shape = _shape(workflow)
        if cached is None or cached[0] != shape:  # the shape guards against a reused hash
            cached = _MACHINES[workflow.content_hash] = (shape, *_build(workflow), {})
        _CHECKED[workflow.content_hash] = workflow
    return cached


def _machine_at(workflow: Workflow, stage: str) -> tuple[Any, Any]:
    """The workflow's machine (built on first use) and its model, set to `stage`."""
    _shape_, machine, model, _answers = _entry(workflow)
    machine.set_state(stage, model=model)
    return machine, model


def advance_to(workflow: Workflow, stage: str, gate: bool, passed: Mapping[str, bool] | None = None,
               view: Any = None, to: str | None = None) -> str | None:
    """Where `advance` goes from `stage`: the first way on whose conditions hold (only `to`,
    when given), or None when the gate is closed, no way holds, or the stage is final."""
    if not gate or stage not in workflow.stages:
        return None  # every advance transition's first condition is the open gate: none can hold
    passed = passed or {}
    choices = workflow.stages[stage].choices
    question: tuple | None = None
    if all(c.when is None or isinstance(c.when, str) for c in choices):  # no fact condition
        question = (stage, to, tuple(bool(passed.get(c.when, False)) for c in choices if isinstance(c.when, str)))
        answers = _entry(workflow)[3]
        if question in answers:
            return answers[question]
    answer = _ask(workflow, stage, passed, view, to)
    if question is not None:
        if len(answers) >= _MOST_ANSWERS:
            answers.clear()
        answers[question] = answer
    return answer


def _ask(workflow: Workflow, stage: str, passed: Mapping[str, bool], view: Any, to: str | None) -> str | None:
    """The machine's own answer: trigger `advance` from `stage` with the gate open."""
    from transitions import MachineError

    _machine, model = _machine_at(workflow, stage)
    try:
        moved = model.trigger("advance", gate=True, passed=passed, view=view, to=to)
    except MachineError:  # no advance from here (a final stage)
        return None
    return str(model.state) if moved else None


def open_choices(workflow: Workflow, stage: str, passed: Mapping[str, bool] | None = None,
                 view: Any = None) -> list[str]:
    """The stages `advance --to` may choose from `stage` (each way on whose condition holds),
    in the workflow's order; the machine's may_advance answers for each."""
    if stage not in workflow.stages or workflow.stages[stage].final:
        return []
    _machine, model = _machine_at(workflow, stage)
    return [c.stage for c in workflow.stages[stage].choices
            if model.may_advance(gate=True, passed=passed or {}, view=view, to=c.stage)]


def can_advance(workflow: Workflow, stage: str, allowed: bool) -> bool:
    """Whether `advance` moves from `stage` when nothing but the gate is known: False when
    the gate is closed, there is no way on, or every way on has a condition."""
    return advance_to(workflow, stage, allowed) is not None


def route(timeline: Iterable[Mapping[str, Any]]) -> list[str]:
    """The way a project came to its stage: each advance adds the stage it went to, and each
    reopening goes back along the way to the stage it returned to (the rest is left). Any other
    way of entering a stage (created, or moved to another workflow) starts the way afresh."""
    way: list[str] = []
    for visit in timeline:
        stage, how = visit["stage"], visit.get("how")
        if how == "reopened" and stage in way:
            del way[len(way) - way[::-1].index(stage):]
        elif how in ("advanced", "override"):
            way.append(stage)
        else:
            way = [stage]
    return way


def can_reopen(workflow: Workflow, stage: str, dest: str, way: Sequence[str] | None = None) -> bool:
    """Whether `reopen` goes from `stage` back to `dest` along `way` (the project's route; by
    default the workflow's own order up to `stage`): step by step, each step the machine's."""
    from transitions import MachineError

    if way is None:
        order = workflow.stage_order
        way = order[:order.index(stage) + 1] if stage in order else [stage]
    way = list(way)
    if dest not in workflow.stages or stage not in workflow.stages or not way or way[-1] != stage:
        return False
    if dest not in way[:-1]:
        return False
    machine, model = _machine_at(workflow, stage)
    if "reopen" not in machine.events:  # added on the first reopening: advancing never needs them
        machine.add_transitions([{"trigger": "reopen", "source": choice.stage, "dest": s.id,
                                  "conditions": _came_from(s.id)}
                                 for s in workflow.stages.values() if not s.final for choice in s.choices])
    while way[-1] != dest:
        try:
            if not model.trigger("reopen", route=way):
                return False
        except MachineError:  # no way back from here (the first stage)
            return False
        way.pop()
        if model.state != way[-1]:
            return False
    return True
