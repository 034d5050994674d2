"""`coflow migrate --all [--workflow ID] [--dry-run]`, through the CLI: a table of every
project's move, renamed stages followed, and a project that cannot move named, not fatal."""

from __future__ import annotations

from test_workflow_extends import write

V1 = """\
schema = 1
[workflow]
id = "renaming"
version = "{version}"
{renamed}
[stages.{first}]
title = "Working together"
[[stages.{first}.checks]]
id = "aims"
type = "fact"
key = "aims_agreed"
[stages.review]
[[stages.review.checks]]
id = "reviewed"
type = "fact"
key = "reviewed_on"
{extra}
[stages.closed]
final = true
"""


def workflow(version: str = "1", first: str = "design", renamed: str = "", extra: str = "") -> str:
    return V1.format(version=version, first=first, renamed=renamed, extra=extra)


def setup(run, home):
    path = write(home, "renaming.toml", workflow())
    for project in ("a1", "a2"):
        assert run("new", project, "--workflow", "renaming").exit_code == 0
    assert run("record", "a2", "aims_agreed", "yes").exit_code == 0
    assert run("advance", "a2").exit_code == 0
    assert run("new", "m1", "--workflow", "mini").exit_code == 0
    return path


def histories(run, *projects):
    return {p: len(run("history", p, "--json").json()) for p in projects}


def test_dry_run_tables_every_project_and_names_the_one_that_cannot_move(run, home):
    path = setup(run, home)
    path.write_text(workflow("2", first="implementation",
                             extra='[[stages.review.checks]]\nid = "signed"\ntype = "fact"\nkey = "signed_on"\n'),
                    encoding="utf-8")
    before = histories(run, "a1", "a2", "m1")
    result = run("migrate", "--all", "--dry-run")
    assert result.exit_code == 1, result  # a1 cannot move: its stage is gone and no rename says where
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["PROJECT", "WORKFLOW", "VERSION", "STAGE", "RESULT", "CHECKS", "THAT", "WOULD", "FAIL"]
    a2 = next(line for line in lines if line.startswith("a2 "))
    assert "1 -> 2" in a2 and "would move" in a2 and "reviewed, signed" in a2
    assert "up to date" in next(line for line in lines if line.startswith("m1 "))
    assert "a1: the current renaming workflow has no stage 'design'" in result.stdout
    assert 'renamed = { design = "NEW-NAME" }' in result.stdout
    assert "Nothing was changed" in result.stdout
    assert histories(run, "a1", "a2", "m1") == before


def test_migrate_all_moves_every_project_it_can_and_follows_renamed_stages(run, home):
    path = setup(run, home)
    path.write_text(workflow("2", first="implementation"), encoding="utf-8")
    partly = run("migrate", "--all")
    assert partly.exit_code == 1  # a2 moved; a1 could not, and is named
    assert run("history", "a2", "--json").json()[-1]["type"] == "migrated"
    assert run("history", "a1", "--json").json()[-1]["type"] != "migrated"

    path.write_text(workflow("2", first="implementation", renamed='renamed = { design = "implementation" }'),
                    encoding="utf-8")
    moved = run("migrate", "--all", "--json")
    assert moved.exit_code == 0, moved
    rows = {r["project"]: r for r in moved.json()["projects"]}
    assert rows["a1"]["result"] == "moved" and rows["a1"]["to_stage"] == "implementation"
    assert rows["a1"]["now_failing"] == ["aims"]
    assert rows["m1"]["result"] == "up to date"
    assert run("status", "a1", "--json").json()["stage"] == "implementation"
    again = run("migrate", "--all")
    assert again.exit_code == 0 and "0 projects moved" in again.stdout
    assert all(run("verify", p).exit_code == 0 for p in ("a1", "a2", "m1"))


def test_workflow_limits_the_run_to_projects_on_it_or_built_on_it(run, home):
    base = home / "shared" / "base.toml"
    base.parent.mkdir()
    base.write_text(workflow().replace('id = "renaming"', 'id = "base"'), encoding="utf-8")
    write(home, "local.toml", 'schema = 1\n[workflow]\nid = "local"\nversion = "1"\n'
                              'extends = "../shared/base.toml"\n')
    assert run("new", "l1", "--workflow", "local").exit_code == 0
    assert run("new", "m1", "--workflow", "mini").exit_code == 0
    base.write_text(workflow("2").replace('id = "renaming"', 'id = "base"'), encoding="utf-8")
    result = run("migrate", "--all", "--workflow", "base", "--json")
    assert result.exit_code == 0, result
    assert [r["project"] for r in result.json()["projects"]] == ["l1"]
    assert result.json()["projects"][0]["result"] == "moved"
    assert run("history", "m1", "--json").json()[-1]["type"] == "created"


def test_an_invalid_workflow_file_stops_only_its_projects(run, home):
    path = setup(run, home)
    write(home, "other.toml", workflow().replace('id = "renaming"', 'id = "other"'))
    assert run("new", "o1", "--workflow", "other").exit_code == 0
    path.write_text(workflow("2").replace("[stages.closed]", "[stages.closed]\nbogus = 1"), encoding="utf-8")
    write(home, "other.toml", workflow("2").replace('id = "renaming"', 'id = "other"'))
    result = run("migrate", "--all")
    assert result.exit_code == 1
    assert "a1: " in result.stdout and "workflow validate" in result.stdout and "Traceback" not in result.stderr
    assert run("history", "o1", "--json").json()[-1]["type"] == "migrated"


def test_bad_requests_are_usage_errors_and_write_nothing(run, home):
    setup(run, home)
    assert run("migrate").exit_code == 2
    both = run("migrate", "a1", "--all")
    assert both.exit_code == 2 and "not both" in both.stderr
    alone = run("migrate", "--workflow", "renaming")
    assert alone.exit_code == 2 and "--all" in alone.stderr
    unknown = run("migrate", "--all", "--workflow", "renamng")
    assert unknown.exit_code == 2 and "no workflow with id 'renamng'" in unknown.stderr
    assert all(run("history", p, "--json").json()[-1]["type"] != "migrated" for p in ("a1", "a2", "m1"))
