"""Branches: `next` as a list of choices, tried in order; the first that holds is taken, and
`advance --to` chooses among those that hold. The state machine decides; bad branches are
refused by validation, and a `--to` that is not a way on writes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent.parent / "docs" / "examples" / "dpia-branch.toml"


@pytest.fixture
def branchy(run, home):
    """p1 on the docs' DPIA example, its screening done (the DPIA not yet said to be needed)."""
    shutil.copy(EXAMPLE, home / "workflows" / "dpia-branch.toml")
    assert run("new", "p1", "--workflow", "dpia-branch").exit_code == 0
    assert run("record", "p1", "dpia_screening", "2026-01-02").exit_code == 0
    return run


def events(run, project: str = "p1") -> list[dict]:
    return run("history", project, "--json").json()


def test_the_first_way_on_that_holds_is_taken(branchy):
    status = branchy("status", "p1", "--json").json()
    assert status["next_stage"] == "delivery"
    assert [(w["stage"], w["holds"]) for w in status["ways"]] == [("dpia", False), ("delivery", True)]
    assert branchy("record", "p1", "dpia_needed", "true").exit_code == 0
    status = branchy("status", "p1", "--json").json()
    assert status["next_stage"] == "dpia"
    assert [(w["stage"], w["holds"]) for w in status["ways"]] == [("dpia", True), ("delivery", True)]
    moved = branchy("advance", "p1", "--json")
    assert moved.exit_code == 0 and moved.json()["to"] == "dpia" and moved.json()["stage"] == "dpia"
    assert events(branchy)[-1]["data"]["to"] == "dpia"


def test_without_the_screening_saying_so_the_dpia_stage_is_skipped(branchy):
    assert branchy("record", "p1", "dpia_needed", "false").exit_code == 0
    moved = branchy("advance", "p1", "--json")
    assert moved.exit_code == 0 and moved.json()["to"] == "delivery"


def test_a_typed_yes_is_not_a_true_and_does_not_open_the_dpia_branch(branchy):
    """`when` names a check: its own rules decide, so "yes" typed as text does not count as true."""
    assert branchy("record", "p1", "dpia_needed", "maybe").exit_code == 0
    assert branchy("status", "p1", "--json").json()["next_stage"] == "delivery"


def test_advance_to_chooses_among_the_ways_that_hold(branchy):
    assert branchy("record", "p1", "dpia_needed", "true").exit_code == 0
    moved = branchy("advance", "p1", "--to", "delivery", "--json")
    assert moved.exit_code == 0 and moved.json()["to"] == "delivery"
    assert branchy("status", "p1", "--json").json()["stage"] == "delivery"


def test_advance_to_a_way_that_does_not_hold_is_blocked_and_recorded(branchy):
    result = branchy("advance", "p1", "--to", "dpia")
    assert result.exit_code == 1
    assert "The way on to 'dpia' does not hold now" in result.stdout
    assert branchy("status", "p1", "--json").json()["stage"] == "screening"
    last = events(branchy)[-1]
    assert last["type"] == "blocked" and last["data"]["to"] == "dpia"


@pytest.mark.parametrize("target", ["closed", "nowhere", "screening"])
def test_advance_to_a_stage_that_is_not_a_way_on_is_refused_writing_nothing(branchy, target):
    before = events(branchy)
    result = branchy("advance", "p1", "--to", target)
    assert result.exit_code == 2, result
    assert f"{target!r} is not a way on from 'screening'" in result.stderr
    assert "the ways on from 'screening' are: dpia, delivery" in result.stderr
    assert "Traceback" not in result.stderr
    assert events(branchy) == before
    dry = branchy("advance", "p1", "--to", target, "--dry-run")
    assert dry.exit_code == 2 and events(branchy) == before


def test_a_fact_condition_chooses_the_way(run, home):
    (home / "workflows" / "fact-branch.toml").write_text("""\
schema = 1
[workflow]
id = "fact-branch"
version = "1"
[stages.start]
next = [
  { stage = "big", when = { key = "budget", op = ">=", value = 10000 } },
  { stage = "small", when = { key = "budget", op = "<", value = 10000 } },
]
[stages.big]
next = "closed"
[stages.small]
next = "closed"
[stages.closed]
final = true
""", encoding="utf-8")
    assert run("new", "f1", "--workflow", "fact-branch").exit_code == 0
    nowhere = run("advance", "f1", "--json")
    assert nowhere.exit_code == 1 and nowhere.json()["no_way_on"] is True
    assert "none of the ways on from here holds yet" in run("status", "f1").stdout
    assert "f1: start (fact-branch) - none of the ways on holds yet" in run("status").stdout
    assert run("check", "f1").exit_code == 1
    assert events(run, "f1")[-1]["data"]["no_way_on"] is True
    assert run("record", "f1", "budget", "12000").exit_code == 0
    assert run("advance", "f1", "--json").json()["to"] == "big"


def test_the_graph_shows_the_way_taken_and_where_the_project_is(branchy):
    assert branchy("advance", "p1").exit_code == 0
    chart = branchy("workflow", "graph", "dpia-branch", "--project", "p1")
    assert chart.exit_code == 0, chart
    text = chart.stdout
    assert "s_screening ==>|taken: otherwise| s_delivery" in text
    assert "s_screening -->|when 'dpia-needed' passes| s_dpia" in text
    assert 's_screening["Data protection screening<br/>passed"]' in text
    assert 's_delivery["Delivery<br/>here now: ready to move on"]' in text
    assert "class s_screening passed" in text and "class s_delivery current" in text
    assert "class s_dpia,s_closed notreached" in text


def test_the_graph_counts_the_required_checks_not_met_at_the_current_stage(run, home):
    assert run("new", "m1", "--workflow", "mini").exit_code == 0
    text = run("workflow", "graph", "mini", "--project", "m1").stdout
    assert 's_planning["Planning<br/>here now: 2 required checks not met"]' in text
    assert "class s_delivery,s_closed notreached" in text


def test_the_graph_of_another_workflow_for_a_project_is_refused(branchy):
    result = branchy("workflow", "graph", "mini", "--project", "p1")
    assert result.exit_code == 2 and "follows the dpia-branch workflow, not 'mini'" in result.stderr


def test_reopening_goes_back_the_way_the_project_came(branchy):
    assert branchy("record", "p1", "dpia_needed", "true").exit_code == 0
    assert branchy("advance", "p1").exit_code == 0  # to the DPIA
    assert branchy("record", "p1", "dpia_ref", "DPIA-1").exit_code == 0
    assert branchy("advance", "p1").exit_code == 0  # to delivery
    assert branchy("reopen", "p1", "--to", "screening", "--reason", "screening redone").exit_code == 0
    assert branchy("record", "p1", "dpia_needed", "false").exit_code == 0
    assert branchy("advance", "p1", "--json").json()["to"] == "delivery"
    before = events(branchy)
    refused = branchy("reopen", "p1", "--to", "dpia", "--reason", "back to the DPIA")
    assert refused.exit_code == 2
    assert "has not passed through 'dpia' on its way to 'delivery'" in refused.stderr
    assert "p1 can return to: screening" in refused.stderr
    assert events(branchy) == before


def test_the_machine_carries_the_branches_as_conditional_transitions():
    """transitions holds one `advance` per way on, in the workflow's order, and decides."""
    from coflow import toml
    from coflow.machine import _machine_at, advance_to, open_choices
    from coflow.workflow.model import Workflow

    wf = Workflow.from_definition(toml.loads(EXAMPLE.read_text(encoding="utf-8")), "example-hash")
    machine, _model = _machine_at(wf, "screening")
    assert [t.dest for t in machine.events["advance"].transitions["screening"]] == ["dpia", "delivery"]
    assert advance_to(wf, "screening", True, {"dpia-needed": True}) == "dpia"
    assert advance_to(wf, "screening", True, {"dpia-needed": False}) == "delivery"
    assert advance_to(wf, "screening", False, {"dpia-needed": True}) is None
    assert advance_to(wf, "screening", True, {"dpia-needed": True}, to="delivery") == "delivery"
    assert open_choices(wf, "screening", {"dpia-needed": False}) == ["delivery"]
    assert advance_to(wf, "closed", True) is None


def test_a_machine_of_ten_thousand_stages_is_built_and_answers_quickly():
    """Building grows with the stages and ways, not their square; one advance and a reopening
    all the way back are each well under a second."""
    import time

    from coflow import machine
    from coflow.workflow.model import Workflow

    n = 10_000
    stages = {f"s{i}": {} for i in range(n)}
    stages[f"s{n - 1}"] = {"final": True}
    wf = Workflow.from_definition({"schema": 1, "workflow": {"id": "big", "version": "1"}, "stages": stages},
                                  "big-hash")
    started = time.perf_counter()
    assert machine.advance_to(wf, "s0", True) == "s1"
    built = time.perf_counter() - started
    mach, _model = machine._machine_at(wf, "s0")
    assert sum(len(t) for e in mach.events.values() for t in e.transitions.values()) == n - 1
    started = time.perf_counter()
    assert machine.advance_to(wf, "s5000", True) == "s5001"
    assert time.perf_counter() - started < 0.05
    started = time.perf_counter()
    assert machine.can_reopen(wf, f"s{n - 1}", "s0")
    assert time.perf_counter() - started < 1.0
    assert sum(len(t) for e in mach.events.values() for t in e.transitions.values()) == 2 * (n - 1)
    assert built < 1.5  # measured about 0.4 s; generous for a busy machine


def test_a_workflow_of_ten_thousand_stages_advances_through_the_cli_in_well_under_a_second(run, home):
    import time

    n = 10_000
    text = 'schema = 1\n[workflow]\nid = "big"\nversion = "1"\n'
    text += "".join(f"[stages.s{i}]\n" for i in range(n - 1)) + f"[stages.s{n - 1}]\nfinal = true\n"
    (home / "workflows" / "big.toml").write_text(text, encoding="utf-8")
    assert run("new", "big1", "--workflow", "big").exit_code == 0
    started = time.perf_counter()
    moved = run("advance", "big1", "--json")
    took = time.perf_counter() - started
    assert moved.exit_code == 0 and moved.json()["to"] == "s1"
    assert took < 1.5, took  # measured about 0.3 s; it took over 200 s when the machine was quadratic
    assert run("reopen", "big1", "--to", "s0", "--reason", "again").exit_code == 0


def test_reports_show_the_path_and_the_branch_taken(branchy, tmp_path):
    assert branchy("advance", "p1").exit_code == 0  # the screening did not ask for a DPIA
    data = branchy("report", "p1", "--format", "json").json()
    path = data["path"]
    assert path["route"] == ["screening", "delivery"]
    assert [(s["stage"], s["state"]) for s in path["stages"]] == [
        ("screening", "passed"), ("dpia", "not_reached"), ("delivery", "current"), ("closed", "not_reached")]
    assert path["taken"] == [{"from": "screening", "from_title": "Data protection screening", "to": "delivery",
                              "to_title": "Delivery", "branch": True, "when": "otherwise", "others": ["Full DPIA"]}]
    text = branchy("report", "p1", "--format", "md").stdout
    assert "## The way through the workflow" in text and "2. Full DPIA: not reached" in text
    assert "From Data protection screening the project went to Delivery (otherwise); the other ways: Full DPIA." in text
    out = tmp_path / "p1.html"
    assert branchy("report", "p1", "--format", "html", "--output", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<h2 id="path">The way through the workflow</h2>' in html
    assert "the project went to <strong>Delivery</strong> (otherwise); the other ways: Full DPIA" in html


def test_reports_list_the_ways_on_from_a_branching_stage(branchy):
    data = branchy("report", "p1", "--format", "json").json()
    assert [(w["stage"], w["holds"]) for w in data["current_gate"]["ways"]] == [("dpia", False), ("delivery", True)]
    text = branchy("report", "p1", "--format", "md").stdout
    assert "- Full DPIA, when 'dpia-needed' passes: does not hold yet" in text
    assert "- Delivery, otherwise: holds" in text


def test_history_says_why_a_branching_advance_was_stopped(branchy):
    assert branchy("advance", "p1", "--to", "dpia").exit_code == 1
    text = branchy("history", "p1").stdout
    assert "tried to move on from 'screening'; blocked: the way on to 'dpia' did not hold" in text
