"""Small numbers in reports: roles, groups, recruitment routes and lived-experience categories
reached by fewer than report_min_count people (coflow.toml, default 3; `--min-count N`
overrides) are shown as "fewer than N" in every format, with a sentence saying why; totals
stay exact. When only one item of a list is small, the next smallest is hidden with it
("not shown") so that it cannot be worked out from the total."""

from __future__ import annotations

import html

import pytest

NOTE = "so that nobody can be identified from them; the totals are exact."


@pytest.fixture
def hub(run):
    """Five people: three young carers through the carers centre, one rural person via a GP,
    one traveller through the library (two small items per list, so nothing is paired)."""
    assert run("new", "hub", "--workflow", "mini").exit_code == 0
    for groups, route in ((["young-carers"], "carers-centre"), (["young-carers"], "carers-centre"),
                          (["young-carers"], "carers-centre"), (["rural"], "gp-surgery"),
                          (["travellers"], "library")):
        args = [a for g in groups for a in ("--group", g)]
        assert run("participant", "add", "hub", "--lived-experience", *args, "--route", route).exit_code == 0
    return "hub"


def participation(run, *args) -> dict:
    result = run("report", "hub", "--format", "json", *args)
    assert result.exit_code == 0, result
    return result.json()["participation"]


def set_min_count(home, value: str) -> None:
    """Change the line `coflow init` wrote (report_min_count = 3)."""
    config = home / "coflow.toml"
    text = config.read_text(encoding="utf-8")
    assert text.count("report_min_count = 3 ") == 1
    config.write_text(text.replace("report_min_count = 3 ", f"report_min_count = {value} "), encoding="utf-8")


def test_json_hides_counts_below_3_by_default_and_keeps_totals_exact(run, hub):
    part = participation(run)
    assert part["groups"] == [{"group": "young-carers", "count": 3}, {"group": "rural", "count": "fewer than 3"},
                              {"group": "travellers", "count": "fewer than 3"}]
    assert part["routes"] == [{"route": "carers-centre", "count": 3}, {"route": "gp-surgery", "count": "fewer than 3"},
                              {"route": "library", "count": "fewer than 3"}]
    assert part["total"] == 5 and part["lived_experience"] == 5
    assert part["by_role"] == [{"role": "partner", "title": "partner", "count": 5}]
    assert part["min_count"] == 3 and NOTE in part["small_numbers_note"]
    assert 'shown as "fewer than 3"' in part["small_numbers_note"]


def test_markdown_and_html_show_fewer_than_and_say_why(run, hub):
    markdown = run("report", "hub").stdout
    assert "| rural | fewer than 3 |" in markdown and "| gp-surgery | fewer than 3 |" in markdown
    assert "| young-carers | 3 |" in markdown and NOTE in markdown
    assert "5 people recorded" in markdown
    page = html.unescape(run("report", "hub", "--format", "html").stdout)
    assert '<th scope="row">rural</th><td class="num">fewer than 3</td>' in page
    assert '<th scope="row">gp-surgery</th><td class="num">fewer than 3</td>' in page
    assert NOTE in page and "5 people recorded" in page


def test_min_count_option_overrides_the_setting(run, home, hub):
    set_min_count(home, "2")
    assert participation(run)["groups"][1] == {"group": "rural", "count": "fewer than 2"}
    part = participation(run, "--min-count", "4")
    assert [g["count"] for g in part["groups"]] == ["fewer than 4"] * 3
    assert 'shown as "fewer than 4"' in part["small_numbers_note"]
    assert "fewer than 4" in run("report", "hub", "--min-count", "4").stdout
    assert "fewer than 4" in run("report", "hub", "--min-count", "4", "--format", "html").stdout


@pytest.mark.parametrize("value", ["0", "1"])
def test_min_count_0_or_1_shows_exact_numbers_with_no_note(run, home, hub, value):
    set_min_count(home, value)
    part = participation(run)
    assert part["groups"] == [{"group": "young-carers", "count": 3}, {"group": "rural", "count": 1},
                              {"group": "travellers", "count": 1}]
    assert part["min_count"] is None and part["small_numbers_note"] is None
    for fmt in ("md", "html"):
        text = run("report", "hub", "--format", fmt).stdout
        assert "fewer than" not in text and NOTE not in text
    assert participation(run, "--min-count", "3")["groups"][1]["count"] == "fewer than 3"  # option still wins


def test_no_note_when_nothing_is_small(run, hub):
    part = participation(run, "--min-count", "1")
    assert part["small_numbers_note"] is None
    assert NOTE not in run("report", "hub", "--min-count", "0").stdout


@pytest.mark.parametrize("value, shown", [("-1", "-1"), ('"three"', "'three'"), ("2.5", "2.5"), ("true", "True")])
def test_a_bad_report_min_count_is_a_config_error_naming_the_key(run, home, hub, value, shown):
    set_min_count(home, value)
    result = run("report", "hub")
    assert result.exit_code == 3, result
    assert "report_min_count" in result.stderr and f"found {shown}" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_negative_min_count_option_is_a_usage_error(run, hub):
    result = run("report", "hub", "--min-count", "-2")
    assert result.exit_code == 2 and "--min-count" in result.stderr


def test_a_coflow_toml_without_the_setting_still_hides_below_3(run, home, hub):
    config = home / "coflow.toml"
    config.write_text("\n".join(line for line in config.read_text(encoding="utf-8").splitlines()
                                if not line.startswith("report_min_count")) + "\n", encoding="utf-8")
    assert "report_min_count" not in config.read_text(encoding="utf-8")
    assert participation(run)["routes"][1] == {"route": "gp-surgery", "count": "fewer than 3"}


# -- roles and lived-experience categories, and the one-small-item case ------------------------

PAIRED = "the next smallest is hidden too"


@pytest.fixture
def team(run):
    """Three carers and one stroke survivor (partners), and one member of staff."""
    assert run("new", "hub", "--workflow", "mini").exit_code == 0
    for category in ("carer", "carer", "carer", "stroke survivor"):
        assert run("participant", "add", "hub", "--lived-experience", "--category", category).exit_code == 0
    assert run("participant", "add", "hub", "--role", "staff").exit_code == 0
    return "hub"


def test_one_small_category_or_role_hides_the_next_smallest_too_in_json(run, team):
    part = participation(run)
    assert part["categories"] == [{"category": "carer", "count": "not shown"},
                                  {"category": "stroke-survivor", "count": "not shown"}]
    assert part["by_role"] == [{"role": "partner", "title": "partner", "count": "not shown"},
                               {"role": "staff", "title": "staff", "count": "not shown"}]
    assert part["total"] == 5 and part["lived_experience"] == 4  # totals stay exact
    assert NOTE in part["small_numbers_note"] and PAIRED in part["small_numbers_note"]
    assert 'shown as "not shown"' in part["small_numbers_note"]


def test_one_small_category_or_role_is_hidden_with_its_neighbour_in_markdown_and_html(run, team):
    markdown = run("report", "hub").stdout
    for row in ("| carer | not shown |", "| stroke-survivor | not shown |", "| partner | not shown |",
                "| staff | not shown |"):
        assert row in markdown
    assert "| carer | 3 |" not in markdown and "| staff | 1 |" not in markdown and PAIRED in markdown
    page = html.unescape(run("report", "hub", "--format", "html").stdout)
    for name in ("carer", "stroke-survivor", "partner", "staff"):
        assert f'<th scope="row">{name}</th><td class="num">not shown</td>' in page
    assert '<th scope="row">carer</th><td class="num">3</td>' not in page and PAIRED in page


def test_two_small_categories_are_each_fewer_than_and_the_larger_ones_stay_exact(run, team):
    for category in ("carer", "young carer"):
        assert run("participant", "add", "hub", "--lived-experience", "--category", category).exit_code == 0
    for _ in range(2):
        assert run("participant", "add", "hub", "--role", "staff").exit_code == 0
    part = participation(run)
    assert part["categories"] == [{"category": "carer", "count": 4},
                                  {"category": "stroke-survivor", "count": "fewer than 3"},
                                  {"category": "young-carer", "count": "fewer than 3"}]
    assert [(r["role"], r["count"]) for r in part["by_role"]] == [("partner", 6), ("staff", 3)]
    assert PAIRED not in part["small_numbers_note"]
    markdown = run("report", "hub").stdout
    assert "| carer | 4 |" in markdown and "| young-carer | fewer than 3 |" in markdown
    page = html.unescape(run("report", "hub", "--format", "html").stdout)
    assert '<th scope="row">young-carer</th><td class="num">fewer than 3</td>' in page


def test_the_paired_item_is_the_next_smallest_and_hidden_items_come_in_name_order(run, team):
    for category in ("carer", "stroke survivor", "stroke survivor", "young carer"):
        assert run("participant", "add", "hub", "--lived-experience", "--category", category).exit_code == 0
    part = participation(run)  # carer 4, stroke survivor 3, young carer 1
    assert part["categories"] == [{"category": "carer", "count": 4},
                                  {"category": "stroke-survivor", "count": "not shown"},
                                  {"category": "young-carer", "count": "not shown"}]
    shown = participation(run, "--min-count", "5")["categories"]  # all three small: none paired
    assert [c["count"] for c in shown] == ["fewer than 5"] * 3
    assert [c["category"] for c in shown] == ["carer", "stroke-survivor", "young-carer"]


@pytest.mark.parametrize("value", ["0", "1"])
def test_categories_and_roles_are_exact_when_min_count_is_0_or_1(run, team, value):
    part = participation(run, "--min-count", value)
    assert part["categories"] == [{"category": "carer", "count": 3}, {"category": "stroke-survivor", "count": 1}]
    assert [r["count"] for r in part["by_role"]] == [4, 1] and part["small_numbers_note"] is None
    assert "not shown" not in run("report", "hub", "--min-count", value).stdout
