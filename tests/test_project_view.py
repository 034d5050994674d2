"""Checks see read-only data all the way down: neither the view's events nor a check's
nested parameters can be changed by one check for the next."""

from __future__ import annotations

import json

import pytest

from coflow import config
from coflow.engine import Engine


def test_view_events_cannot_be_changed_by_a_check(home):
    from coflow.project import ProjectView

    engine = Engine(config.load(home))
    engine.create("p1", "mini", "tester")
    state = engine.get("p1")
    view = ProjectView(state)
    data = view.events[0]["data"]
    with pytest.raises(TypeError):
        data["stage"] = "closed"
    with pytest.raises(TypeError):
        data["workflow"]["id"] = "other"
    with pytest.raises(TypeError):
        view.events[0]._data["type"] = "advanced"
    assert state.events[0].data["stage"] == "planning" and state.events[0].data["workflow"]["id"] == "mini"


PARAMS_WORKFLOW = {
    "schema": 1, "workflow": {"id": "w", "version": "1"},
    "stages": {"planning": {"checks": [
        {"id": "meddler", "type": "meddle", "limits": {"max": 1}, "roles": ["sponsor"]},
        {"id": "observer", "type": "observe", "limits": {"max": 1}, "roles": ["sponsor"]}]},
        "closed": {"final": True}},
}


def test_a_check_cannot_change_nested_params_for_later_checks():
    from coflow.checks.base import CheckResult, CheckType
    from coflow.gate import evaluate
    from coflow.project import ProjectState, ProjectView
    from coflow.workflow.model import Workflow

    workflow = Workflow.from_definition(json.loads(json.dumps(PARAMS_WORKFLOW)), "params-test")
    seen = {}

    def meddle(project, params):
        params["limits"]["max"] = 99  # must raise: the workflow is pinned
        return CheckResult(True)

    def observe(project, params):
        seen.update(max=params["limits"]["max"], roles=list(params["roles"]))
        return CheckResult(True)

    types = {"meddle": CheckType("meddle", meddle, None, "meddling-plugin"),
             "observe": CheckType("observe", observe, None, "observing-plugin")}
    view = ProjectView(ProjectState("p1", workflow_id="w", stage="planning"), workflow)
    report = evaluate(view, workflow, types, None, timeout=5)
    outcomes = {c.id: c for c in report.checks}
    assert outcomes["meddler"].status == "error" and "TypeError" in outcomes["meddler"].message  # fail closed
    assert seen == {"max": 1, "roles": ["sponsor"]}
    assert workflow.stages["planning"].checks[0].params["limits"] == {"max": 1}
