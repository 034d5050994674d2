"""The state machine: it only advances to the next stage and only reopens backwards, is built
once per workflow content, really decides (the engine takes its answer), and is imported only
by commands that move a project."""

from __future__ import annotations

import re

from cli_helpers import history


def mini_workflow(content_hash: str = "mini-hash"):
    from conftest import MINI_WORKFLOW

    from coflow import toml
    from coflow.workflow.model import Workflow

    return Workflow.from_definition(toml.loads(MINI_WORKFLOW), content_hash)


def test_the_machine_only_advances_to_next_and_only_reopens_backwards():
    from coflow.machine import can_advance, can_reopen

    wf = mini_workflow()
    assert can_advance(wf, "planning", True) and can_advance(wf, "delivery", True)
    assert not can_advance(wf, "planning", False)  # gate closed
    assert not can_advance(wf, "closed", True)  # final: nowhere to go
    allowed = {(s, d) for s in wf.stage_order for d in [*wf.stage_order, "nowhere"] if can_reopen(wf, s, d)}
    assert allowed == {("delivery", "planning"), ("closed", "planning"), ("closed", "delivery")}


def test_the_machine_is_built_once_per_workflow_content(monkeypatch):
    import transitions

    from coflow import machine

    built = []

    class Counting(transitions.Machine):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(transitions, "Machine", Counting)
    monkeypatch.setattr(machine, "_MACHINES", {})
    wf = mini_workflow("hash-a")
    for _ in range(3):
        machine.can_advance(wf, "planning", True)
        machine.can_reopen(wf, "closed", "planning")
    assert len(built) == 1
    machine.can_advance(mini_workflow("hash-b"), "planning", True)
    assert len(built) == 2


def test_the_engine_takes_the_machines_answer_on_reopening(run, p1, monkeypatch):
    for key, value in (("sponsor", "Dr A"), ("budget", "750")):
        assert run("record", "p1", key, value).exit_code == 0
    assert run("advance", "p1").exit_code == 0
    monkeypatch.setattr("coflow.machine.can_reopen", lambda workflow, stage, dest, way=None: False)
    before = history(run)
    refused = run("reopen", "p1", "--to", "planning", "--reason", "budget cut")
    assert refused.exit_code == 2 and "reopening only goes back" in refused.stderr
    assert history(run) == before
    monkeypatch.undo()
    assert run("reopen", "p1", "--to", "planning", "--reason", "budget cut").exit_code == 0


def test_only_moving_a_project_imports_transitions(run_process):
    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    profile = {"PYTHONPROFILEIMPORTTIME": "1"}

    def imported(*args) -> bool:
        result = run_process(*args, env=profile)
        return bool(re.search(r"\|\s+transitions$", result.stderr, re.MULTILINE))

    assert not imported("status", "p1") and not imported("check", "p1")
    assert not imported("advance", "p1")  # the gate is closed: nothing can move
    for key, value in (("sponsor", "Dr A"), ("budget", "750")):
        assert run_process("record", "p1", key, value).exit_code == 0
    assert imported("advance", "p1")  # the check above can fail


def test_the_machines_answer_to_advance_is_kept_for_the_same_question(monkeypatch):
    """Ways on that depend only on checks: the machine is asked once per distinct question
    (stage, --to, which of those checks passed), and its answer is given again after."""
    from test_branches import EXAMPLE

    from coflow import machine, toml
    from coflow.workflow.model import Workflow

    asked = []
    real = machine._ask

    def counting(*args, **kwargs):
        asked.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(machine, "_ask", counting)
    wf = Workflow.from_definition(toml.loads(EXAMPLE.read_text(encoding="utf-8")), "kept-answers-hash")
    for _ in range(3):
        assert machine.advance_to(wf, "screening", True, {"dpia-needed": True, "other": False}) == "dpia"
    assert len(asked) == 1
    assert machine.advance_to(wf, "screening", True, {"dpia-needed": False}) == "delivery"  # another question
    assert machine.advance_to(wf, "screening", True, {"dpia-needed": True}, to="delivery") == "delivery"
    assert machine.advance_to(wf, "screening", True, {"dpia-needed": True}) == "dpia"  # the kept answer
    assert len(asked) == 3
    assert machine.advance_to(wf, "screening", False, {"dpia-needed": True}) is None  # gate shut: nothing asked
    assert len(asked) == 3


def test_a_way_on_that_depends_on_a_fact_is_asked_every_time(monkeypatch):
    from coflow import machine, toml
    from coflow.project import ProjectState, ProjectView
    from coflow.workflow.model import Workflow

    text = """\
schema = 1
[workflow]
id = "facts"
version = "1"
[stages.start]
next = [{ stage = "big", when = { key = "size", op = ">=", value = 10 } }, { stage = "small" }]
[stages.big]
final = true
[stages.small]
final = true
"""
    wf = Workflow.from_definition(toml.loads(text), "fact-branch-hash")
    asked = []
    real = machine._ask
    monkeypatch.setattr(machine, "_ask", lambda *a, **k: asked.append(1) or real(*a, **k))

    def view(size: int) -> ProjectView:
        state = ProjectState("p1")
        state.stage, state.facts = "start", {"size": size}
        return ProjectView(state, wf)

    assert machine.advance_to(wf, "start", True, {}, view(12)) == "big"
    assert machine.advance_to(wf, "start", True, {}, view(3)) == "small"
    assert machine.advance_to(wf, "start", True, {}, view(12)) == "big"
    assert len(asked) == 3
