"""Hints a new user follows from the command line: each must be safe to do as written."""

from __future__ import annotations

from coflow import toml  # tomllib is missing on Python 3.10

ACTORS = '\n[actors.rlead]\nroles = ["lead"]\n'


def test_signoff_hint_extends_an_existing_actor_table_instead_of_repeating_it(run, home):
    (home / "coflow.toml").write_text((home / "coflow.toml").read_text() + ACTORS)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    refused = run("signoff", "p1", "--role", "sponsor", actor="rlead")
    assert refused.exit_code == 2, refused
    assert ('Add "sponsor" to the roles list of [actors.rlead] in coflow.toml, so the line reads: '
            'roles = ["lead", "sponsor"]') in refused.stderr
    # doing what the hint says leaves a file that still reads
    text = (home / "coflow.toml").read_text().replace('roles = ["lead"]', 'roles = ["lead", "sponsor"]')
    (home / "coflow.toml").write_text(text)
    toml.loads(text)
    assert run("signoff", "p1", "--role", "sponsor", actor="rlead").exit_code == 0


def test_signoff_hint_offers_a_new_table_for_an_actor_not_in_coflow_toml(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    refused = run("signoff", "p1", "--role", "sponsor", actor="newbie")
    assert refused.exit_code == 2
    lines = refused.stderr.split("Add these two lines to coflow.toml:\n", 1)[1].splitlines()[:2]
    assert [line.strip() for line in lines] == ["[actors.newbie]", 'roles = ["sponsor"]']
    with open(home / "coflow.toml", "a", encoding="utf-8") as config_file:  # pasted as printed
        config_file.write("\n" + "\n".join(line.strip() for line in lines) + "\n")
    assert run("signoff", "p1", "--role", "sponsor", actor="newbie").exit_code == 0


def test_lived_experience_role_hint_names_the_partner_not_the_current_actor(run, home):
    (home / "coflow.toml").write_text((home / "coflow.toml").read_text() + ACTORS)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    refused = run("signoff", "p1", "--role", "co-chair", actor="rlead")
    assert refused.exit_code == 2
    err = refused.stderr
    assert "signed by the partner with lived experience themselves, not by rlead" in err
    assert "coflow participant update p1 ID --signs-as NAME" in err
    assert "[actors.rlead]" not in err


HINTS_WORKFLOW = """\
schema = 1
[workflow]
id = "hints"
version = "1"
title = "Hints workflow"
[stages.planning]
title = "Planning"
[[stages.planning.checks]]
id = "space"
type = "evidence"
kind = "decision-space"
title = "What can change is written down"
hint = "coflow evidence add PROJECT --kind decision-space --file decision-space.pdf"
[[stages.planning.checks]]
id = "partners-deliver"
type = "fact"
key = "partners_in_delivery"
op = "=="
value = true
title = "Partners help deliver"
[[stages.planning.checks]]
id = "budget"
type = "fact"
key = "budget_payments"
op = ">"
value = 0
title = "Budget for payments"
[[stages.planning.checks]]
id = "planned"
type = "fact"
key = "sessions_planned"
title = "Sessions planned"
[stages.closed]
title = "Closed"
final = true
"""


def hints_project(run, home) -> str:
    (home / "workflows" / "hints.toml").write_text(HINTS_WORKFLOW, encoding="utf-8")
    assert run("new", "h1", "--workflow", "hints").exit_code == 0
    return "h1"


def test_evidence_hint_offers_a_file_of_your_own_or_a_reference(run, home):
    project = hints_project(run, home)
    shown = run("status", project).stdout
    assert ("To fix: coflow evidence add h1 --kind decision-space --file PATH-TO-YOUR-FILE, "
            "or --ref a link or document reference instead of --file") in shown
    assert "decision-space.pdf" not in shown
    # scripts get the command as written in the workflow, with the project's id
    hints = {c["id"]: c["hint"] for c in run("status", project, "--json").json()["checks"]}
    assert hints["space"] == f"coflow evidence add {project} --kind decision-space --file decision-space.pdf"


def test_evidence_add_with_a_missing_file_suggests_a_reference(run, home):
    project = hints_project(run, home)
    missing = run("evidence", "add", project, "--kind", "decision-space", "--file", str(home / "nope.pdf"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    assert '--ref "https://..."' in missing.stderr and "Traceback" not in missing.stderr
    assert run("evidence", "add", project, "--kind", "decision-space", "--ref", "Board minutes, item 5").exit_code == 0


def test_fact_messages_show_values_as_people_write_them(run, home):
    project = hints_project(run, home)
    assert run("record", project, "partners_in_delivery", "true").exit_code == 0
    assert run("record", project, "budget_payments", "0").exit_code == 0
    assert run("record", project, "sessions_planned", "2026-03-04").exit_code == 0
    shown = run("status", project).stdout
    checks = {c["id"]: c["message"] for c in run("status", project, "--json").json()["checks"]}
    assert checks["partners-deliver"] == "partners_in_delivery is yes (recorded: yes)"
    assert checks["budget"] == "budget_payments is 0; this workflow asks for more than 0"
    assert checks["planned"] == "sessions_planned is recorded: 2026-03-04"
    assert "True" not in shown and "(recorded: True)" not in shown


def test_a_missing_yes_no_fact_hint_leaves_the_answer_to_the_person(run, home):
    """The hint says what the workflow asks for, never the `true` that would pass: typed as
    it stands it is refused; the real answer recorded then meets the check."""
    project = hints_project(run, home)
    hint = {c["id"]: c["hint"] for c in run("status", project, "--json").json()["checks"]}["partners-deliver"]
    assert hint == ("once it is so, record what is true (this workflow asks for yes): "
                    f"coflow record {project} partners_in_delivery VALUE")
    assert run("record", project, "partners_in_delivery", "VALUE").exit_code == 2
    assert run("record", project, "partners_in_delivery", "yes").exit_code == 0
    status = {c["id"]: c["status"] for c in run("status", project, "--json").json()["checks"]}
    assert status["partners-deliver"] == "pass"


def test_recording_a_misspelt_fact_key_keeps_it_and_suggests_the_one_a_check_uses(run, home):
    project = hints_project(run, home)
    typo = run("record", project, "sesions_planned", "6")
    assert typo.exit_code == 0 and "Recorded sesions_planned = 6" in typo.stdout
    assert ("No check of this workflow uses 'sesions_planned'. Did you mean 'sessions_planned'?"
            in typo.stderr)
    facts = run("history", project, "--json").json()
    assert any(e["type"] == "fact_recorded" and e["data"]["key"] == "sesions_planned" for e in facts)
    # a key no check uses and nothing like one: recorded quietly; a used key: no note
    quiet = run("record", project, "room_booked", "yes")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    right = run("record", project, "sessions_planned", "6")
    assert right.exit_code == 0 and right.stderr == ""


def test_status_says_in_plain_words_whether_the_project_can_move_on(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    shown = run("status", "p1").stdout
    assert "Not ready to move on to 'Delivery' yet: 2 required checks not met." in shown
    assert "gate to" not in shown
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    assert run("record", "p1", "budget", "900").exit_code == 0
    ready = run("status", "p1").stdout
    assert "Ready to move on to 'Delivery': `coflow advance p1` moves the project there." in ready


def test_forget_at_a_terminal_asks_first_and_a_no_erases_nothing(run, home, monkeypatch):
    import coflow.cli.records_participants as cli_participants

    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("participant", "add", "p1", "--name", "Ann Example").exit_code == 0
    monkeypatch.setattr(cli_participants, "stdin_is_terminal", lambda: True)
    declined = run("participant", "forget", "p1", "P-001", "--reason", "asked", input="n\n")
    assert declined.exit_code == 0
    assert "Erase the personal details of P-001? This cannot be undone. [y/N]" in declined.stderr
    assert declined.stdout == ""
    assert "Nothing erased" in declined.stderr
    assert "Ann Example" in run("participant", "list", "p1", "--personal").stdout
    confirmed = run("participant", "forget", "p1", "P-001", "--reason", "asked", input="y\n")
    assert confirmed.exit_code == 0 and "Forgot participant P-001" in confirmed.stdout
    assert "Ann Example" not in run("participant", "list", "p1", "--personal").stdout


def test_forget_json_at_a_terminal_keeps_stdout_one_json_document(run, home, monkeypatch):
    import coflow.cli.records_participants as cli_participants

    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("participant", "add", "p1", "--name", "Ann Example").exit_code == 0
    monkeypatch.setattr(cli_participants, "stdin_is_terminal", lambda: True)
    result = run("participant", "forget", "p1", "P-001", "--reason", "asked", "--json", input="y\n")
    assert result.exit_code == 0
    assert result.json()["erased"] is True and "[y/N]" in result.stderr


def test_forget_with_yes_or_from_a_script_does_not_ask(run, home, monkeypatch):
    import coflow.cli.records_participants as cli_participants

    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    for _ in range(2):
        assert run("participant", "add", "p1", "--name", "Ann Example").exit_code == 0
    scripted = run("participant", "forget", "p1", "P-001", "--reason", "asked")  # stdin is not a terminal
    assert scripted.exit_code == 0 and "[y/N]" not in scripted.stdout + scripted.stderr
    monkeypatch.setattr(cli_participants, "stdin_is_terminal", lambda: True)
    told = run("participant", "forget", "p1", "P-002", "--reason", "asked", "--yes")
    assert told.exit_code == 0 and "[y/N]" not in told.stdout + told.stderr


PEOPLE_WORKFLOW = """\
schema = 1
[workflow]
id = "people"
version = "1"
title = "People workflow"
[stages.planning]
title = "Planning"
[[stages.planning.checks]]
id = "routes"
type = "participants"
min_routes = 2
title = "Recruited more than one way"
[[stages.planning.checks]]
id = "spread"
type = "sessions"
min = 1
min_span_weeks = 12
title = "Sessions spread out"
[stages.closed]
title = "Closed"
final = true
"""


def test_route_and_session_hints_work_on_the_people_already_recorded(run, home):
    (home / "workflows" / "people.toml").write_text(PEOPLE_WORKFLOW, encoding="utf-8")
    assert run("new", "w1", "--workflow", "people").exit_code == 0
    assert run("participant", "add", "w1", "--route", "open-call").exit_code == 0
    assert run("participant", "add", "w1").exit_code == 0
    assert run("session", "add", "w1", "--date", "2026-01-05", "--format", "in-person", "--hours", "2").exit_code == 0
    checks = {c["id"]: c for c in run("status", "w1", "--json").json()["checks"]}
    assert checks["routes"]["hint"] == ("record how P-002 was recruited (such as community-partner, if that is true): "
                                        "coflow participant update w1 P-002 --route ROUTE")
    assert "record how P-002 was recruited" in checks["routes"]["message"]
    assert checks["spread"]["hint"].endswith("--attendee ID") and "(such as P-001, if they take part)" in checks["spread"]["hint"]
    assert checks["spread"]["message"].startswith(
        "the sessions so far all fall on one day; this workflow asks for them to spread over at least 12 weeks")
    assert run("participant", "update", "w1", "P-002", "--route", "community-partner").exit_code == 0
    assert {c["id"]: c["status"] for c in run("status", "w1", "--json").json()["checks"]}["routes"] == "pass"
