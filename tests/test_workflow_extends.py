"""`extends`: an organisation's workflow built on a shipped one, through the CLI.

The organisation changes one threshold, adds a local check, drops an advisory check, and
adds a stage; a fictional project is walked through every gate of the merged workflow.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from test_workflows import ACTORS, REPO, Gate, Step, coproduction_gates, walk

from coflow import toml

NORTHVALE = """\
schema = 1

[workflow]
id = "northvale"
version = "2026.1"
title = "Co-production project (Northvale ICB)"
extends = "coproduction"

[stages.planning]
title = "Planning (Northvale)"

# Northvale's payment policy: a budget of at least 2000 before any work starts.
[[stages.planning.checks]]
id = "budget-payments"
op = ">="
value = 2000
hint = "set aside at least 2000 to pay people for their time and expenses, then record the amount: coflow record PROJECT budget_payments AMOUNT"

[[stages.planning.checks]]
id = "safeguarding-lead"
type = "fact"
key = "safeguarding_lead"
title = "A safeguarding lead is named for the sessions"
hint = "agree who leads on safeguarding for the sessions, then record their job title: coflow record PROJECT safeguarding_lead \\"...\\""

[stages.training]
drop_checks = ["jargon-buster"]

[stages.local-review]
after = "training"
title = "Local review panel"
guidance = "Northvale's review panel sees the plan before sessions start."

[[stages.local-review.checks]]
id = "panel-date"
type = "fact"
key = "panel_reviewed"
op = "past_date"
title = "The local review panel has seen the plan"
"""


def northvale_gates() -> list[Gate]:
    gates = coproduction_gates()
    planning = gates[0]
    planning.blocked_by = planning.blocked_by | {"safeguarding-lead"}
    steps = []
    for step in planning.steps:
        if step.what == "payments budgeted":  # 1800 meets the shipped rule, not Northvale's
            steps.append(Step("1800 is below Northvale's threshold", step.do))
            steps.append(Step("payments budgeted to Northvale's policy",
                              lambda w: w.fact("budget_payments", "2500"), {"budget-payments"}))
        else:
            steps.append(step)
    # named before the sponsor signs the whole plan (the last step): a fact the gate judges,
    # recorded after the sign-off, would make it out of date
    steps.insert(len(steps) - 1, Step("safeguarding lead named",
                                      lambda w: w.fact("safeguarding_lead", "Head of Safeguarding"),
                                      {"safeguarding-lead"}))
    planning.steps = steps
    review = Gate("local-review", {"panel-date"}, [
        Step("the panel has seen the plan", lambda w: w.fact("panel_reviewed", "2026-01-10"), {"panel-date"}),
    ])
    at = next(i for i, g in enumerate(gates) if g.stage == "training") + 1
    return [*gates[:at], review, *gates[at:]]


def write(home: Path, name: str, text: str) -> Path:
    path = home / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_organisation_workflow_extending_coproduction_is_walked_end_to_end(run, home, monkeypatch):
    import test_workflows

    # what someone following the local check's hint really records
    monkeypatch.setitem(test_workflows.REAL_FACTS, "safeguarding_lead", "Head of Safeguarding")
    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        fh.write(ACTORS)
    write(home, "northvale.toml", NORTHVALE)
    assert run("workflow", "validate", str(home / "workflows" / "northvale.toml")).exit_code == 0
    shown = run("workflow", "show", "northvale", "--json").json()
    stages = {s["id"]: s for s in shown["stages"]}
    assert [s["id"] for s in shown["stages"]][:3] == ["planning", "training", "local-review"]
    assert stages["training"]["next"] == "local-review" and stages["local-review"]["next"] == "implementation"
    assert "jargon-buster" not in {c["id"] for c in stages["training"]["checks"]}
    budget = next(c for c in stages["planning"]["checks"] if c["id"] == "budget-payments")
    assert budget["params"] == {"key": "budget_payments", "op": ">=", "value": 2000}
    assert budget["title"].startswith("Money is set aside")  # the keys not given stay the parent's
    assert stages["planning"]["title"] == "Planning (Northvale)"

    w = walk(run, home, "northvale", "nv-carers", northvale_gates(), monkeypatch)
    history = run("history", w.project, "--json").json()
    pinned = history[0]["data"]["workflow"]
    parent = pinned["parents"][0]
    assert (pinned["id"], parent["id"], parent["version"]) == ("northvale", "coproduction", "2026.1")
    assert Path(parent["path"]) == (REPO / "workflows" / "coproduction.toml").resolve()
    assert parent["hash"] == hashlib.sha256((REPO / "workflows" / "coproduction.toml").read_bytes()).hexdigest()
    assert pinned["hash"] == shown["hash"] != pinned["file_hash"]
    status = run("status", w.project)
    assert "changed" not in status.stdout


def test_show_resolved_prints_toml_that_reads_back_as_the_merged_workflow(run, home):
    write(home, "northvale.toml", NORTHVALE)
    printed = run("workflow", "show", "--resolved", "northvale")
    assert printed.exit_code == 0, printed
    assert printed.stdout.startswith("# The northvale workflow")
    data = toml.loads(printed.stdout)
    assert "extends" not in data["workflow"] and "drop_checks" not in data["stages"]["training"]
    assert data == run("workflow", "show", "--resolved", "northvale", "--json").json()
    standalone = home / "resolved.toml"
    standalone.write_text(printed.stdout, encoding="utf-8")
    assert run("workflow", "validate", str(standalone)).exit_code == 0
    plain = run("workflow", "show", str(standalone), "--json").json()
    merged = run("workflow", "show", "northvale", "--json").json()
    assert plain["stages"] == merged["stages"] and plain["roles"] == merged["roles"]


def test_a_chain_of_extends_by_path_records_every_parent(run, home):
    base = home / "shared" / "trust-base.toml"
    base.parent.mkdir()
    shutil.copy(REPO / "workflows" / "coproduction.toml", base)
    write(home, "region.toml", 'schema = 1\n[workflow]\nid = "region"\nversion = "3"\n'
                               'extends = "../shared/trust-base.toml"\n'
                               '[stages.review]\ntitle = "Regional review"\n')
    write(home, "team.toml", 'schema = 1\n[workflow]\nid = "team"\nversion = "1"\nextends = "region"\n'
                             'drop_stages = ["recognition"]\n')
    shown = run("workflow", "show", "team", "--json").json()
    stages = {s["id"]: s for s in shown["stages"]}
    assert "recognition" not in stages
    assert stages["participation"]["next"] == "review"  # the chain mended round the dropped stage
    assert stages["review"]["title"] == "Regional review"  # the middle of the chain still counts
    assert run("new", "t1", "--workflow", "team").exit_code == 0
    pinned = run("history", "t1", "--json").json()[0]["data"]["workflow"]
    assert [(p["id"], p["version"]) for p in pinned["parents"]] == [("region", "3"), ("coproduction", "2026.1")]
    assert Path(pinned["parents"][1]["path"]) == base.resolve()


def test_dropping_the_first_stage_starts_projects_at_the_one_after_it(run, home):
    write(home, "short.toml", 'schema = 1\n[workflow]\nid = "short"\nversion = "1"\nextends = "coproduction"\n'
                              'drop_stages = ["planning"]\n')
    assert run("new", "s1", "--workflow", "short").exit_code == 0
    assert run("status", "s1", "--json").json()["stage"] == "training"


def test_a_workflow_may_extend_the_shipped_one_whose_id_it_takes_over(run, home):
    write(home, "coproduction.toml", 'schema = 1\n[workflow]\nid = "coproduction"\nversion = "2026.1-local"\n'
                                     'extends = "coproduction"\n[stages.planning]\ntitle = "Our planning"\n')
    shown = run("workflow", "show", "coproduction", "--json").json()
    assert shown["version"] == "2026.1-local" and shown["stages"][0]["title"] == "Our planning"


def test_a_problem_in_the_parent_names_the_parent_file_and_its_key_path(run, home):
    parent = write(home, "parent.toml", 'schema = 1\n[workflow]\nid = "parent"\nversion = "1"\n'
                                        '[stages.a]\n[[stages.a.checks]]\nid = "c"\ntype = "fact"\nkey = "k"\n'
                                        'severity = "sometimes"\n[stages.end]\nfinal = true\n')
    child = write(home, "child.toml", 'schema = 1\n[workflow]\nid = "child"\nversion = "1"\n'
                                      'extends = "parent.toml"\n')
    result = run("workflow", "validate", str(child))
    assert result.exit_code == 3
    assert f"{parent}: stages.a.checks[0].severity" in result.stderr
    assert str(child) in result.stderr and "Traceback" not in result.stderr


def test_problems_in_merged_checks_name_the_file_that_gave_the_key(run, home):
    """A key the child changed is the child's problem; the keys it left are the parent's."""
    parent = write(home, "parent.toml", 'schema = 1\n[workflow]\nid = "parent"\nversion = "1"\n'
                                        '[stages.a]\n[[stages.a.checks]]\nid = "first"\ntype = "fact"\nkey = "k"\n'
                                        '[[stages.a.checks]]\nid = "held"\ntype = "sessions"\nmin = 2\n'
                                        '[stages.end]\nfinal = true\n')
    child = write(home, "child.toml", 'schema = 1\n[workflow]\nid = "child"\nversion = "1"\n'
                                      'extends = "parent.toml"\n[stages.a]\ndrop_checks = ["first"]\n'
                                      '[[stages.a.checks]]\nid = "new"\ntype = "fact"\nkey = "x"\nop = "sometimes"\n'
                                      '[[stages.a.checks]]\nid = "held"\nmin_span_weeks = -1\n')
    result = run("workflow", "validate", str(child))
    assert result.exit_code == 3
    assert f"{child}: stages.a.checks[0].op" in result.stderr  # the child's new check, its own index
    assert f"{child}: stages.a.checks[1].min_span_weeks" in result.stderr  # the child's change
    assert str(parent) + ":" not in result.stderr  # nothing wrong in the parent itself


def test_status_notes_a_changed_parent_and_migrate_takes_it_up(run, home):
    base = home / "shared" / "base.toml"
    base.parent.mkdir()
    shutil.copy(REPO / "workflows" / "coproduction.toml", base)
    write(home, "local.toml", 'schema = 1\n[workflow]\nid = "local"\nversion = "1"\n'
                              'extends = "../shared/base.toml"\n')
    assert run("new", "p1", "--workflow", "local").exit_code == 0
    assert "changed" not in run("status", "p1").stdout
    text = base.read_text(encoding="utf-8")
    base.write_text(text.replace('title = "Planning"', 'title = "Planning and budget"', 1), encoding="utf-8")
    status = run("status", "p1")
    assert "the coproduction workflow this project's workflow is built on changed" in status.stdout
    assert "coflow migrate p1" in status.stdout
    assert run("status", "p1", "--json").json()["workflow_parents_changed"] == ["coproduction"]
    moved = run("migrate", "p1", "--json")
    assert moved.exit_code == 0 and moved.json()["migrated"] is True
    assert "changed" not in run("status", "p1").stdout
    assert run("status", "p1", "--json").json()["stage_title"] == "Planning and budget"
    events = run("history", "p1", "--json").json()
    assert events[-1]["type"] == "migrated"
    assert events[-1]["data"]["workflow"]["parents"][0]["hash"] != events[0]["data"]["workflow"]["parents"][0]["hash"]


def test_a_child_that_only_changes_nothing_is_the_parent_under_its_own_id(run, home):
    write(home, "same.toml", 'schema = 1\n[workflow]\nid = "same"\nversion = "1"\nextends = "mini"\n')
    mine = run("workflow", "show", "same", "--json").json()
    theirs = run("workflow", "show", "mini", "--json").json()
    assert mine["stages"] == theirs["stages"] and mine["id"] == "same"


def test_bad_extends_writes_nothing_and_names_the_key(run, home):
    write(home, "bad.toml", 'schema = 1\n[workflow]\nid = "bad"\nversion = "1"\nextends = "mini"\n'
                            '[stages.planning]\ndrop_checks = ["no-such"]\n'
                            '[[stages.planning.checks]]\nid = "budget"\nvalue = "lots"\n')
    result = run("new", "b1", "--workflow", "bad")
    assert result.exit_code == 3
    assert "stages.planning.drop_checks[0]" in result.stderr and "its checks are: sponsor-named" in result.stderr
    assert run("status", "--json").json() == []
    listed = {r["path"]: r for r in run("workflow", "list", "--json").json()}
    assert listed[str(home / "workflows" / "bad.toml")]["valid"] is False


RENAMING = """\
schema = 1
[workflow]
id = "renaming"
version = "{version}"
{renamed}
[stages.{stage}]
title = "Working together"
[[stages.{stage}.checks]]
id = "aims"
type = "fact"
key = "aims_agreed"
[stages.closed]
final = true
"""


def test_migrate_moves_a_project_at_a_renamed_stage_only_when_the_file_says_so(run, home):
    path = write(home, "renaming.toml", RENAMING.format(version="1", renamed="", stage="design"))
    assert run("new", "r1", "--workflow", "renaming").exit_code == 0
    assert run("record", "r1", "aims_agreed", "yes").exit_code == 0
    path.write_text(RENAMING.format(version="2", renamed="", stage="implementation"), encoding="utf-8")
    refused = run("migrate", "r1")
    assert refused.exit_code == 1 and "renamed = { design = " in refused.stderr
    assert run("status", "r1", "--json").json()["stage"] == "design"

    path.write_text(RENAMING.format(version="2", renamed='renamed = { design = "implementation" }',
                                    stage="implementation"), encoding="utf-8")
    moved = run("migrate", "r1", "--json")
    assert moved.exit_code == 0, moved
    status = run("check", "r1", "--json")
    assert status.exit_code == 0  # the fact recorded at `design` still counts at its new name
    assert status.json()["stage"] == "implementation"
    event = run("history", "r1", "--json").json()[-1]
    assert event["type"] == "migrated" and event["data"]["renamed"] == {"from": "design", "to": "implementation"}
    assert run("advance", "r1").exit_code == 0
    assert run("verify", "r1").exit_code == 0


def test_relabel_to_a_workflow_built_with_extends_pins_its_parents(run, home):
    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[actors.tester]\npermissions = ["relabel"]\n')
    write(home, "same.toml", 'schema = 1\n[workflow]\nid = "same"\nversion = "1"\nextends = "mini"\n')
    assert run("new", "m1", "--workflow", "mini").exit_code == 0
    moved = run("relabel", "m1", "--workflow", "same", "--reason", "our own version of the workflow")
    assert moved.exit_code == 0, moved
    pinned = run("history", "m1", "--json").json()[-1]["data"]["workflow"]
    assert [p["id"] for p in pinned["parents"]] == ["mini"]
    status = run("status", "m1", "--json").json()
    assert status["workflow"] == "same" and status["workflow_changed"] is False


BRANCHING = REPO / "docs" / "examples" / "dpia-branch.toml"


def test_dropping_a_stage_a_branch_leads_to_mends_the_choice(run, home):
    write(home, "no-dpia.toml", f'schema = 1\n[workflow]\nid = "no-dpia"\nversion = "1"\n'
                                f'extends = "{BRANCHING.as_posix()}"\ndrop_stages = ["dpia"]\n')
    shown = run("workflow", "show", "no-dpia", "--json")
    assert shown.exit_code == 0, shown
    stages = {s["id"]: s for s in shown.json()["stages"]}
    assert "dpia" not in stages and stages["screening"]["next"] == "delivery"


def test_a_new_stage_cannot_be_placed_after_a_branching_stage(run, home):
    path = write(home, "after-branch.toml", f'schema = 1\n[workflow]\nid = "after-branch"\nversion = "1"\n'
                                            f'extends = "{BRANCHING.as_posix()}"\n[stages.extra]\nafter = "screening"\n')
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3
    assert f"{path}: stages.extra.after" in result.stderr and "branches" in result.stderr


def test_list_and_show_say_what_a_workflow_is_built_on(run, home):
    write(home, "northvale.toml", NORTHVALE)
    listed = {r["id"]: r for r in run("workflow", "list", "--json").json() if r["valid"]}
    assert listed["northvale"]["extends"] == ["coproduction"] and listed["mini"]["extends"] == []
    assert "built on coproduction" in run("workflow", "list").stdout
    shown = run("workflow", "show", "northvale")
    assert "Built on coproduction version 2026.1" in shown.stdout
    assert [p["id"] for p in run("workflow", "show", "northvale", "--json").json()["parents"]] == ["coproduction"]
