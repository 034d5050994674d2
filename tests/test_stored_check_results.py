"""An `advanced` or `blocked` event keeps each check's id, title, status and message (and
severity when advisory), not its hint or source: what reports and `history` show, in about
half the bytes. Reports read the gates passed from these events, so they show the same."""

from __future__ import annotations

import json

import pytest


def last_event(run, project: str) -> dict:
    return run("history", project, "--json").json()[-1]


@pytest.fixture
def project(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    return "p1"


def test_a_blocked_advance_keeps_what_each_check_said_without_hints(run, project):
    assert run("advance", project).exit_code == 1
    event = last_event(run, project)
    assert event["type"] == "blocked" and event["data"]["failing"] == ["sponsor-named", "budget"]
    checks = {c["id"]: c for c in event["data"]["checks"]}
    assert checks["sponsor-named"] == {"id": "sponsor-named", "title": "A senior sponsor is named",
                                       "status": "fail", "message": checks["sponsor-named"]["message"]}
    assert checks["sponsor-named"]["message"]  # what the check said, as status showed it
    assert checks["dpia"]["severity"] == "advisory"
    assert "severity" not in checks["budget"]  # required is what a result without severity means
    for check in checks.values():
        assert "hint" not in check and "source" not in check
    assert "blocked by sponsor-named, budget" in run("history", project).stdout


def test_the_report_of_a_passed_gate_shows_each_check_as_it_stood(run, project):
    status = {c["id"]: c for c in run("status", project, "--json").json()["checks"]}
    run("record", project, "sponsor", "Dr A. Example")
    run("record", project, "budget", "750")
    assert run("advance", project).exit_code == 0
    gate = run("report", project, "--json").json()["gates"][0]
    shown = {c["id"]: c for c in gate["checks"]}
    assert shown["sponsor-named"]["title"] == "A senior sponsor is named"
    assert shown["sponsor-named"]["status"] == "pass" and shown["sponsor-named"]["severity"] == "required"
    assert shown["dpia"]["status"] == "fail" and shown["dpia"]["severity"] == "advisory"
    assert shown["dpia"]["message"] == status["dpia"]["message"]
    markdown = run("report", project).stdout
    assert "A senior sponsor is named" in markdown and "DPIA reference" in markdown


def test_a_blocked_advance_with_the_shipped_co_production_workflow_stays_small(run):
    assert run("new", "big", "--workflow", "coproduction").exit_code == 0
    assert run("advance", "big").exit_code == 1
    data = last_event(run, "big")["data"]
    assert len(data["checks"]) >= 10
    assert len(json.dumps(data)) < 2600  # the full results (hints, sources) were over 5,000 bytes
