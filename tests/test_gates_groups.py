"""Reaching who is missing: a project names the groups it means to reach (`coflow group
add`), and the shipped co-production and co-design gates before the design sign-off fail,
naming the group, until something was done to reach it or someone from it takes part."""

from __future__ import annotations

import datetime as dt

import pytest
from shipped import check, use_shipped

TODAY = dt.datetime.now(dt.timezone.utc).date()


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def events(run) -> int:
    return len(run("history", "p1", "--json").json())


@pytest.mark.parametrize("workflow", ["coproduction", "codesign"])
def test_a_named_group_with_no_recruitment_action_blocks_the_gate(run, home, workflow):
    use_shipped(run, home, workflow, "under-represented-groups")
    none = check(run, "under-represented-groups")
    assert none["status"] == "fail" and "no group named yet" in none["message"]
    assert run("group", "add", "p1", "young men").exit_code == 0
    groups = check(run, "under-represented-groups")
    assert groups["status"] == "fail" and "nothing recorded yet to reach young-men" in groups["message"]
    assert groups["hint"] == 'coflow group action p1 young-men --date DATE --what "..."'
    assert run("advance", "p1").exit_code == 1
    result = run("group", "action", "p1", "Young Men", "--date", ago(3), "--what", "asked the youth football club")
    assert result.exit_code == 0, result
    groups = check(run, "under-represented-groups")
    assert groups["status"] == "pass" and "young-men (1 action)" in groups["message"]
    assert run("advance", "p1").exit_code == 0


def test_a_participant_from_the_group_counts_as_reaching_it(run, home):
    use_shipped(run, home, "coproduction", "under-represented-groups")
    assert run("group", "add", "p1", "Young Men").exit_code == 0
    pid = run("participant", "add", "p1", "--lived-experience", "--group", "young men", "--json").json()["id"]
    groups = check(run, "under-represented-groups")
    assert groups["status"] == "pass" and f"{pid} taking part" in groups["message"]


def test_naming_a_group_twice_in_another_spelling_changes_nothing(run, home):
    use_shipped(run, home, "coproduction", "under-represented-groups")
    assert run("group", "add", "p1", "young men").exit_code == 0
    before = events(run)
    again = run("group", "add", "p1", "YOUNG-MEN")
    assert again.exit_code == 0 and "Nothing to change" in again.stdout
    assert events(run) == before
    assert [g["name"] for g in run("group", "list", "p1", "--json").json()] == ["young-men"]


@pytest.mark.parametrize("args, says", [
    (("action", "p1", "older people", "--date", "TODAY", "--what", "x"), "has not named the group"),
    (("action", "p1", "young men", "--date", "2999-01-01", "--what", "leaflets"), "in the future"),
    (("action", "p1", "young men", "--date", "DATE", "--what", "leaflets"), "stands for the real"),
    (("action", "p1", "young men", "--date", "2026-01-01", "--what", "..."), "stands for the real"),
    (("add", "p1", "+ +"), "no letters or digits"),
    (("add", "p1", "GROUP"), "stands for the real"),
    (("add", "nope", "young men"), "nope"),
])
def test_bad_group_input_is_refused_with_a_hint_and_nothing_written(run, home, args, says):
    use_shipped(run, home, "coproduction", "under-represented-groups")
    assert run("group", "add", "p1", "young men").exit_code == 0
    before = events(run)
    args = tuple(ago(1) if a == "TODAY" else a for a in args)
    result = run("group", *args)
    assert result.exit_code == 2, result
    assert says in result.stderr and "Traceback" not in result.stderr
    assert events(run) == before


def test_the_action_words_are_kept_but_no_personal_table_is_touched(run, home):
    use_shipped(run, home, "coproduction", "under-represented-groups")
    assert run("group", "add", "p1", "young men").exit_code == 0
    assert run("group", "action", "p1", "young men", "--date", ago(2), "--what", "stall at the match").exit_code == 0
    listed = run("group", "list", "p1").stdout
    assert "young-men: 1 action(s)" in listed and "stall at the match" in listed
