"""Small numbers in reports: groups and recruitment routes reached by fewer than
report_min_count people (coflow.toml, default 3; `--min-count N` overrides) are shown as
"fewer than N" in every format, with a sentence saying why; totals stay exact."""

from __future__ import annotations

import html

import pytest

NOTE = "so that nobody can be identified from them; the totals are exact."


@pytest.fixture
def hub(run):
    """Four people: three young carers through the carers centre, one rural person via a GP."""
    assert run("new", "hub", "--workflow", "mini").exit_code == 0
    for groups, route in ((["young-carers"], "carers-centre"), (["young-carers"], "carers-centre"),
                          (["young-carers"], "carers-centre"), (["rural"], "gp-surgery")):
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
    assert part["groups"] == [{"group": "young-carers", "count": 3}, {"group": "rural", "count": "fewer than 3"}]
    assert part["routes"] == [{"route": "carers-centre", "count": 3}, {"route": "gp-surgery", "count": "fewer than 3"}]
    assert part["total"] == 4 and part["lived_experience"] == 4
    assert part["min_count"] == 3 and NOTE in part["small_numbers_note"]
    assert 'shown as "fewer than 3"' in part["small_numbers_note"]


def test_markdown_and_html_show_fewer_than_and_say_why(run, hub):
    markdown = run("report", "hub").stdout
    assert "| rural | fewer than 3 |" in markdown and "| gp-surgery | fewer than 3 |" in markdown
    assert "| young-carers | 3 |" in markdown and NOTE in markdown
    assert "4 people recorded" in markdown
    page = html.unescape(run("report", "hub", "--format", "html").stdout)
    assert '<th scope="row">rural</th><td class="num">fewer than 3</td>' in page
    assert '<th scope="row">gp-surgery</th><td class="num">fewer than 3</td>' in page
    assert NOTE in page and "4 people recorded" in page


def test_min_count_option_overrides_the_setting(run, home, hub):
    set_min_count(home, "2")
    assert participation(run)["groups"][1] == {"group": "rural", "count": "fewer than 2"}
    part = participation(run, "--min-count", "4")
    assert [g["count"] for g in part["groups"]] == ["fewer than 4", "fewer than 4"]
    assert 'shown as "fewer than 4"' in part["small_numbers_note"]
    assert "fewer than 4" in run("report", "hub", "--min-count", "4").stdout
    assert "fewer than 4" in run("report", "hub", "--min-count", "4", "--format", "html").stdout


@pytest.mark.parametrize("value", ["0", "1"])
def test_min_count_0_or_1_shows_exact_numbers_with_no_note(run, home, hub, value):
    set_min_count(home, value)
    part = participation(run)
    assert part["groups"] == [{"group": "young-carers", "count": 3}, {"group": "rural", "count": 1}]
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
