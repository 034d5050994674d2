"""One spelling for one thing (routes, groups, lived-experience categories), and `record`
reading yes/no words as yes or no: two ways of typing one name never make a check pass."""

from __future__ import annotations

ROUTES_WORKFLOW = """\
schema = 1
[workflow]
id = "routes"
version = "1"
[stages.participation]
title = "Who took part"
[[stages.participation.checks]]
id = "recruitment-routes"
type = "participants"
min_routes = 2
title = "People were reached through more than one route"
[[stages.participation.checks]]
id = "groups-reached"
type = "participants"
min_groups = 2
title = "Partners come from a range of groups"
[[stages.participation.checks]]
id = "venue"
type = "fact"
key = "venue_accessible"
op = "=="
value = true
title = "The venue is accessible"
hint = "coflow record PROJECT venue_accessible VALUE"
[stages.closed]
final = true
"""


def setup(run, home) -> None:
    (home / "workflows" / "routes.toml").write_text(ROUTES_WORKFLOW, encoding="utf-8")
    assert run("new", "p1", "--workflow", "routes").exit_code == 0


def check(run, check_id: str) -> dict:
    checks = run("check", "p1", "--json").json()["checks"]
    return next(c for c in checks if c["id"] == check_id)


def test_two_spellings_of_one_route_are_one_route(run, home):
    setup(run, home)
    for route in ("open-call", "Open Call"):
        assert run("participant", "add", "p1", "--lived-experience", "--route", route).exit_code == 0
    routes = check(run, "recruitment-routes")
    assert routes["status"] == "fail"
    assert "1 recruitment route" in routes["message"] and "(open-call)" in routes["message"]
    people = run("participant", "list", "p1", "--json").json()
    assert [p["route"] for p in people] == ["open-call", "open-call"]


def test_report_shows_one_name_per_route_group_and_category(run, home):
    setup(run, home)
    for route, group, category in (("community partner", "Young Men", "Carer"),
                                   ("community-partner", "young men", "carer"),
                                   ("Community_Partner", "YOUNG-MEN", " CARER ")):
        assert run("participant", "add", "p1", "--route", route, "--group", group,
                   "--category", category).exit_code == 0
    part = run("report", "p1", "--format", "json", "--min-count", "0").json()["participation"]
    assert part["routes"] == [{"route": "community-partner", "count": 3}]
    assert part["groups"] == [{"group": "young-men", "count": 3}]
    assert part["categories"] == [{"category": "carer", "count": 3}]


def test_route_spellings_in_a_spreadsheet_are_one_route(run, home, tmp_path):
    setup(run, home)
    sheet = tmp_path / "people.csv"
    sheet.write_text("Lived Experience,Route,Groups\nyes,Open Call,Rural;rural\nyes,open_call,RURAL\n",
                     encoding="utf-8")
    assert run("import", "p1", str(sheet), "--kind", "participants").exit_code == 0
    people = run("participant", "list", "p1", "--json").json()
    assert [(p["route"], p["groups"]) for p in people] == [("open-call", ["rural"]), ("open-call", ["rural"])]
    assert check(run, "recruitment-routes")["status"] == "fail"
    assert check(run, "groups-reached")["status"] == "fail"


def test_a_route_with_no_letters_is_refused(run, home):
    setup(run, home)
    result = run("participant", "add", "p1", "--route", "--- ")
    assert result.exit_code == 2
    assert "route" in result.stderr and "no letters or digits" in result.stderr
    assert "Traceback" not in result.stderr
    assert run("participant", "list", "p1", "--json").json() == []


def test_record_reads_yes_and_no_in_any_case(run, home):
    setup(run, home)
    for typed, stored in (("yes", True), ("YES", True), ("True", True), ("no", False), ("FALSE", False)):
        result = run("record", "p1", "venue_accessible", typed)
        assert result.exit_code == 0
        assert run("history", "p1", "--json").json()[-1]["data"]["value"] is stored
        assert check(run, "venue")["status"] == ("pass" if stored else "fail")


def test_record_keeps_the_word_when_quoted(run, home):
    setup(run, home)
    assert run("record", "p1", "venue_accessible", '"yes"').exit_code == 0
    assert run("history", "p1", "--json").json()[-1]["data"]["value"] == "yes"
    venue = check(run, "venue")
    assert venue["status"] == "fail" and "recorded as the text" in venue["message"]
    assert "VALUE" in venue["hint"]
