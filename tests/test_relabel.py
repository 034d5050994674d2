"""`coflow relabel`: the honest way down from co-production to co-design, through the CLI.

A project keeps its whole history; the event names the old and new workflow and the reason;
history, status and reports show it; verify still passes; only people with the relabel
permission may do it; bad requests are refused with exit 2 and nothing written.
"""

from __future__ import annotations

import pytest

ACTORS = """
[actors.tester]
permissions = ["override", "relabel"]
[actors.sponsor-1]
roles = ["sponsor"]
[actors.viewer]
roles = []
"""


@pytest.fixture
def lead(run, home, add_to_config):
    add_to_config(ACTORS)
    return run


def at_accountability(run, project: str = "p1") -> str:
    """A co-production project moved to its accountability gate (by override: only the
    accountability gate matters here)."""
    assert run("new", project, "--workflow", "coproduction").exit_code == 0
    for _ in range(6):
        assert run("advance", project, "--override", "--reason", "testing relabel").exit_code == 0
    assert run("status", project, "--json").json()["stage"] == "accountability"
    return project


def events(run, project: str) -> list[dict]:
    return run("history", project, "--json").json()


def test_the_co_production_test_offers_relabel_when_it_fails(lead):
    project = at_accountability(lead)
    check = {c["id"]: c for c in lead("status", project, "--json").json()["checks"]}["partners-in-delivery"]
    assert check["status"] == "fail"
    assert f"coflow relabel {project} --workflow codesign" in check["hint"].replace("PROJECT", project)


def test_relabel_moves_a_project_to_codesign_keeping_its_history(lead, home):
    project = at_accountability(lead)
    before = events(lead, project)
    result = lead("relabel", project, "--workflow", "codesign", "--stage", "report-back",
                  "--reason", "partners did not help deliver the result")
    assert result.exit_code == 0, result
    assert "codesign" in result.stdout and "report-back" in result.stdout
    after = events(lead, project)
    assert after[:len(before)] == before  # nothing rewritten
    event = after[-1]
    assert event["type"] == "relabelled"
    assert event["data"]["from"]["id"] == "coproduction" and event["data"]["from"]["stage"] == "accountability"
    assert event["data"]["workflow"]["id"] == "codesign" and event["data"]["stage"] == "report-back"
    assert event["data"]["reason"] == "partners did not help deliver the result"
    status = lead("status", project, "--json").json()
    assert status["workflow"] == "codesign" and status["stage"] == "report-back"
    assert status["relabelled"]["from"] == "coproduction" and status["relabelled"]["to"] == "codesign"
    assert "Relabelled from the coproduction workflow to codesign" in lead("status", project).stdout
    assert "relabelled from the coproduction workflow" in lead("history", project).stdout
    assert lead("verify", project).exit_code == 0
    report = lead("report", project, "--format", "json").json()
    assert [r["to"] for r in report["relabellings"]] == ["codesign"]
    assert report["project"]["workflow"]["id"] == "codesign"
    md = lead("report", project, "--format", "md").stdout
    assert "### Relabelled" in md and "partners did not help deliver the result" in md
    html = lead("report", project, "--format", "html").stdout
    assert "Relabelled" in html and "partners did not help deliver the result" in html
    # the gate is now codesign's, and the project can go on from there
    ids = {c["id"] for c in status["checks"]}
    assert "partners-in-delivery" not in ids and "dual-signoff" not in ids


def test_the_new_workflow_is_pinned_as_migrate_pins_it(lead, home):
    """The codesign definition is stored under its hash, so the project runs it even after
    the file it came from is gone."""
    import shutil

    from coflow.workflow.loader import shipped_dir

    project = at_accountability(lead)
    local = home / "workflows" / "codesign.toml"
    shutil.copy(shipped_dir() / "codesign.toml", local)
    assert lead("relabel", project, "--workflow", str(local), "--stage", "design",
                "--reason", "scale too large for co-production").exit_code == 0
    local.unlink()
    status = lead("status", project, "--json")
    assert status.exit_code == 0 and status.json()["workflow"] == "codesign"
    assert status.json()["stage"] == "design"


SIGNED = """\
schema = 1
[workflow]
id = "{id}"
version = "1"
[roles]
sponsor = {{ title = "Senior sponsor" }}
[stages.planning]
[[stages.planning.checks]]
id = "sponsor-signed"
type = "signoff"
roles = ["sponsor"]
[stages.closed]
final = true
"""


def test_a_relabelled_stage_is_a_new_visit_so_earlier_signoffs_do_not_count(lead, home):
    for wid in ("signed-a", "signed-b"):
        (home / "workflows" / f"{wid}.toml").write_text(SIGNED.format(id=wid), encoding="utf-8")
    assert lead("new", "p2", "--workflow", "signed-a").exit_code == 0
    assert lead("signoff", "p2", "--role", "sponsor", actor="sponsor-1").exit_code == 0
    assert lead("check", "p2").exit_code == 0
    assert lead("relabel", "p2", "--workflow", "signed-b", "--reason", "another name fits").exit_code == 0
    status = lead("status", "p2", "--json").json()
    assert status["stage"] == "planning" and status["workflow"] == "signed-b"
    assert [c["status"] for c in status["checks"]] == ["fail"]


def test_relabel_needs_the_relabel_permission(lead):
    project = at_accountability(lead)
    before = len(events(lead, project))
    result = lead("relabel", project, "--workflow", "codesign", "--stage", "report-back", "--reason", "x",
                  actor="viewer")
    assert result.exit_code == 2
    assert "relabel permission" in result.stderr and 'permissions = ["relabel"]' in result.stderr
    assert len(events(lead, project)) == before


@pytest.mark.parametrize("args, words", [
    (["--workflow", "coproduction", "--reason", "x"], "already runs the coproduction workflow"),
    (["--workflow", "codesign", "--reason", "x"], "has no stage 'accountability'"),
    (["--workflow", "codesign", "--stage", "nowhere", "--reason", "x"], "no stage called 'nowhere'"),
    (["--workflow", "codesign", "--stage", "closed", "--reason", "x"], "final stage"),
    (["--workflow", "no-such-workflow", "--stage", "design", "--reason", "x"], "no-such-workflow"),
    (["--workflow", "codesign", "--stage", "design", "--reason", "   "], "needs a reason"),
    (["--workflow", "codesign", "--stage", "design", "--reason", "..."], "stands for"),
])
def test_bad_relabels_are_refused_and_write_nothing(lead, args, words):
    project = at_accountability(lead)
    before = events(lead, project)
    result = lead("relabel", project, *args)
    assert result.exit_code == 2, result
    assert words in result.stderr
    assert "Hint:" in result.stderr and "Traceback" not in result.stderr
    assert events(lead, project) == before


def test_a_workflow_without_the_stage_names_the_stages_to_choose(lead):
    project = at_accountability(lead)
    result = lead("relabel", project, "--workflow", "codesign", "--reason", "x")
    assert "--stage" in result.stderr and "report-back" in result.stderr


def test_relabel_of_an_unknown_project_is_refused(lead):
    result = lead("relabel", "nobody", "--workflow", "codesign", "--reason", "x")
    assert result.exit_code == 2 and "no project called 'nobody'" in result.stderr


SCORES_CODESIGN = ["--authority", "2", "--shared-aims", "2", "--scale", "2", "--outcomes", "2",
                   "--resources", "1", "--delivery-role", "1"]


def test_relabelling_up_needs_what_claiming_the_level_needs(lead):
    assert lead("new", "p3", "--workflow", "codesign").exit_code == 0
    assert lead("assess", "p3", "--no-interactive", *SCORES_CODESIGN).exit_code == 0
    refused = lead("relabel", "p3", "--workflow", "coproduction", "--reason", "we want to")
    assert refused.exit_code == 2
    assert "higher level" in refused.stderr and "justification" in refused.stderr
    assert events(lead, "p3")[-1]["type"] == "assessed"


def test_relabelling_down_claims_the_lower_level(lead):
    assert lead("new", "p4", "--workflow", "coproduction").exit_code == 0
    assert lead("assess", "p4", "--no-interactive", *SCORES_CODESIGN, "--claimed", "co-production",
                "--justification", "partners will run the pilot").exit_code == 0
    assert lead("relabel", "p4", "--workflow", "codesign", "--reason", "partners will not run the pilot").exit_code == 0
    check = {c["id"]: c for c in lead("status", "p4", "--json").json()["checks"]}["suitability-assessed"]
    assert check["status"] == "pass" and "claims co-design" in check["message"]
    report = lead("report", "p4", "--format", "json").json()
    assert report["involvement"]["claimed"] == "co-design"
