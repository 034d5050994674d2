"""Sign-offs (roles from coflow.toml and the workflow, one role per person per gate visit) and
the suitability assessment (scores, recommendation, what held it back, claims)."""

from __future__ import annotations

import pytest

from coflow.records.assessment import recommend

ACTORS = """
[actors.amensah]
roles = ["sponsor", "co-chair"]
[actors.p003]
roles = ["co-chair"]
[actors.wizard]
roles = ["wizard"]
"""


@pytest.fixture
def p1(run, home, add_to_config):
    add_to_config(ACTORS)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    # the mini workflow's co-chair role is marked lived_experience: its signers are partners
    for actor in ("p003", "amensah"):
        assert run("participant", "add", "p1", "--lived-experience", "--signs-as", actor).exit_code == 0
    return "p1"


@pytest.fixture
def bare(run, home, add_to_config):
    """A project where nobody is linked to a participant yet."""
    add_to_config(ACTORS)
    assert run("new", "p2", "--workflow", "mini").exit_code == 0
    return "p2"


def test_a_lived_experience_role_needs_an_actor_linked_to_a_participant_with_lived_experience(run, bare):
    count = lambda: len(run("history", bare, "--json").json())  # noqa: E731
    before = count()
    refused = run("signoff", bare, "--role", "co-chair", actor="p003")
    assert refused.exit_code == 2, refused
    assert ("p003 cannot sign as 'co-chair': the Lived-experience co-chair role is for someone with lived "
            "experience, and p003 is not linked to a participant of p2 with lived experience") in refused.stderr
    assert "coflow participant add p2 --lived-experience --signs-as p003" in refused.stderr
    assert "Traceback" not in refused.stderr and count() == before
    # linked, but not recorded as having lived experience: the hint says how to mark them
    assert run("participant", "add", bare, "--signs-as", "p003").exit_code == 0
    unmarked = run("signoff", bare, "--role", "co-chair", actor="p003")
    assert unmarked.exit_code == 2 and "coflow participant update p2 P-001 --lived-experience" in unmarked.stderr
    assert run("participant", "update", bare, "P-001", "--lived-experience").exit_code == 0
    assert run("signoff", bare, "--role", "co-chair", actor="p003").exit_code == 0
    assert run("signoff", bare, "--role", "sponsor", actor="amensah").exit_code == 0, "other roles need no link"


def test_a_forgotten_participant_no_longer_vouches_for_their_actor(run, bare):
    assert run("participant", "add", bare, "--lived-experience", "--signs-as", "p003").exit_code == 0
    assert run("participant", "forget", bare, "P-001", "--reason", "asked").exit_code == 0
    assert run("signoff", bare, "--role", "co-chair", actor="p003").exit_code == 2


def history_length(run) -> int:
    return len(run("history", "p1", "--json").json())


def test_signoff_records_stage_role_and_actor(run, p1):
    result = run("signoff", "p1", "--role", "sponsor", "--json", actor="amensah")
    assert result.exit_code == 0, result
    assert {k: result.json()[k] for k in ("stage", "role", "actor")} == {
        "stage": "planning", "role": "sponsor", "actor": "amensah"}
    event = run("history", "p1", "--json").json()[-1]
    assert event["type"] == "signed_off"
    assert {k: event["data"][k] for k in ("stage", "role")} == {"stage": "planning", "role": "sponsor"}
    # what was signed: one fingerprint per part of the records the gate judges
    assert set(event["data"]["parts"]) == {"fact:sponsor", "fact:budget", "fact:dpia_ref"}
    assert event["actor"] == "amensah"
    assert run("signoff", "p1", "--role", "co-chair", "--stage", "planning", actor="p003").exit_code == 0


@pytest.mark.parametrize("actor, args, named", [
    ("p003", ("--role", "sponsor"), "may not sign off"),
    ("tester", ("--role", "sponsor"), "may not sign off"),
    ("wizard", ("--role", "wizard"), "no role 'wizard'"),
    ("amensah", ("--role", "sponsor", "--stage", "delivery"), "at stage 'planning'"),
])
def test_signoff_without_the_role_or_for_another_stage_exits_2_and_writes_nothing(run, p1, actor, args, named):
    before = history_length(run)
    result = run("signoff", "p1", *args, actor=actor)
    assert result.exit_code == 2, result
    assert named in result.stderr
    assert history_length(run) == before


def test_one_person_cannot_fill_two_roles_of_the_same_gate_visit(run, p1):
    assert run("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0
    before = history_length(run)
    second_role = run("signoff", "p1", "--role", "co-chair", actor="amensah")
    assert second_role.exit_code == 2 and "cannot also sign" in second_role.stderr
    same_role = run("signoff", "p1", "--role", "sponsor", actor="amensah")
    assert same_role.exit_code == 2 and "already signed" in same_role.stderr
    assert history_length(run) == before


def test_a_new_visit_to_the_stage_is_a_new_gate(run, p1):
    assert run("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0
    run("record", "p1", "sponsor", "Dr A. Mensah")
    run("record", "p1", "budget", "750")
    assert run("advance", "p1").exit_code == 0
    assert run("reopen", "p1", "--to", "planning", "--reason", "budget cut").exit_code == 0
    assert run("signoff", "p1", "--role", "co-chair", actor="amensah").exit_code == 0


def test_no_signoff_at_the_final_stage(run, p1):
    for key, value in (("sponsor", "Dr A. Mensah"), ("budget", "750")):
        run("record", "p1", key, value)
    run("advance", "p1")
    run("record", "p1", "report_ref", "QSC-7")
    assert run("advance", "p1").exit_code == 0
    before = history_length(run)
    result = run("signoff", "p1", "--role", "sponsor", actor="amensah")
    assert result.exit_code == 1 and "final stage" in result.stderr
    assert history_length(run) == before


# -- the suitability assessment -------------------------------------------------------------

def scores(**changed: int) -> dict[str, int]:
    base = dict.fromkeys(("authority", "shared_aims", "scale", "outcomes", "resources", "delivery_role"), 2)
    return {**base, **changed}


@pytest.mark.parametrize("given, level, held", [
    (scores(), "co-production", []),
    (scores(authority=0), "inform", ["authority"]),
    # without shared aims the work is engagement, not consultation
    (scores(authority=1, shared_aims=0), "engage", ["shared_aims"]),
    # partial authority with shared aims can still be co-design
    (scores(authority=1), "co-design", ["authority"]),
    (scores(delivery_role=1), "co-design", ["delivery_role"]),
    # no way to measure the change is not co-production
    (scores(outcomes=0), "co-design", ["outcomes"]),
    (scores(resources=0), "engage", ["resources"]),
    (scores(scale=0), "co-design", ["scale"]),
    (scores(scale=1, outcomes=1, resources=1), "co-design", ["scale", "outcomes", "resources"]),
    (scores(shared_aims=1, resources=0), "engage", ["resources"]),
    (dict.fromkeys(scores(), 1), "engage", list(scores())),
    (dict.fromkeys(scores(), 0), "inform", ["authority"]),
])
def test_recommendation_rules(given, level, held):
    assert recommend(given) == (level, held)


def test_a_choice_between_fixed_options_is_consultation_at_most():
    assert recommend(scores(), fixed_options=True) == ("consult", ["fixed_options"])
    assert recommend(scores(authority=0), fixed_options=True) == ("inform", ["authority"])


def assess_args(**changed: int) -> list[str]:
    return [x for key, value in scores(**changed).items() for x in (f"--{key.replace('_', '-')}", str(value))]


def test_assess_by_options_records_scores_notes_and_the_recommendation(run, p1):
    result = run("assess", "p1", *assess_args(delivery_role=1), "--note", "scale=one neighbourhood",
                 "--claimed", "co-design", "--json")
    assert result.exit_code == 0, result
    data = run("history", "p1", "--json").json()[-1]["data"]
    assert data == {"scores": scores(delivery_role=1), "fixed_options": False, "notes": {"scale": "one neighbourhood"},
                    "recommended": "co-design", "held_back_by": ["delivery_role"], "claimed": "co-design",
                    "justification": None}
    shown = run("assess", "p1", "--show")
    assert "co-design" in shown.stdout and "delivery role" in shown.stdout


def test_claiming_above_the_recommendation_needs_a_justification(run, p1):
    before = history_length(run)
    refused = run("assess", "p1", *assess_args(resources=0), "--claimed", "co-production")
    assert refused.exit_code == 2 and "justification" in refused.stderr
    assert history_length(run) == before
    allowed = run("assess", "p1", *assess_args(resources=0), "--claimed", "co-production",
                  "--justification", "the board has since agreed a payments budget", "--json")
    assert allowed.exit_code == 0, allowed
    assert allowed.json()["recommended"] == "engage" and allowed.json()["claimed"] == "co-production"


@pytest.mark.parametrize("args, named", [
    (["--authority", "2"], "give the missing scores as options, each 0, 1 or 2: --shared-aims, --scale"),
    (assess_args(scale=3), "scale"),
    (assess_args(outcomes="x"), "outcomes"),
    (assess_args() + ["--claimed", "partnership"], "claimed"),
    (assess_args() + ["--note", "budget=none"], "notes"),
    (assess_args() + ["--note", "no equals sign"], "CRITERION=TEXT"),
])
def test_bad_assessment_input_exits_2_and_writes_nothing(run, p1, args, named):
    before = history_length(run)
    result = run("assess", "p1", *args)
    assert result.exit_code == 2, result
    assert named in result.stderr
    assert history_length(run) == before


def test_assess_interactive_asks_every_missing_question(run, p1):
    answers = "\n".join(["2", "the director chairs it", "2", "", "2", "", "1", "", "2", "", "1", "", "no",
                         "co-design"]) + "\n"
    result = run("assess", "p1", "--interactive", input=answers)
    assert result.exit_code == 0, result
    assert "Can the people involved change how things are done?" in result.stdout
    assert "Can people only choose between options that are already fixed" in result.stdout
    assert "Recommended level: co-design" in result.stdout
    data = run("history", "p1", "--json").json()[-1]["data"]
    assert data["scores"] == scores(outcomes=1, delivery_role=1)
    assert data["notes"] == {"authority": "the director chairs it"}
    assert data["recommended"] == "co-design" and data["held_back_by"] == ["delivery_role"]
    assert data["claimed"] == "co-design"


def test_assess_without_a_terminal_names_every_option_to_give_with_an_example(run, p1):
    """`coflow assess PROJECT` (the check's hint) run from a script or pipe cannot ask."""
    before = history_length(run)
    result = run("assess", "p1", input="")
    assert result.exit_code == 2, result
    assert ("Error: input is not coming from a terminal, so coflow cannot ask the questions: give all six scores "
            "as options, each 0, 1 or 2: --authority, --shared-aims, --scale, --outcomes, --resources, "
            "--delivery-role") in result.stderr
    example = result.stderr.split("for example, with your own scores: ")[1].split(" (`coflow")[0]
    assert example == ("coflow assess p1 --authority 2 --shared-aims 1 --scale 2 --outcomes 2 --resources 1 "
                       "--delivery-role 2")
    assert history_length(run) == before
    assert run(*example.split()[1:]).exit_code == 0, "the example line itself works"


def test_assess_out_of_range_answer_is_asked_again_in_plain_words(run, p1):
    answers = "\n".join(["3", "2", "", "2", "", "2", "", "2", "", "2", "", "2", "", "", ""]) + "\n"
    result = run("assess", "p1", "--interactive", input=answers)
    assert result.exit_code == 0, result
    assert "Please answer 0, 1 or 2." in result.stdout and "range" not in result.stdout
    assert run("history", "p1", "--json").json()[-1]["data"]["scores"] == scores()


def test_piped_scores_without_note_lines_are_refused_not_recorded_as_notes(run, p1):
    """Each score is followed by its note line (empty for none); six bare scores run out early."""
    before = history_length(run)
    result = run("assess", "p1", "--interactive", input="2\n2\n2\n2\n2\n2\n")
    assert result.exit_code == 2, result
    assert "the answers ended before every question was answered; nothing was recorded" in result.stderr
    assert "an empty line for no note" in result.stderr
    assert history_length(run) == before


def test_assess_asks_only_for_what_the_options_left_out(run, p1):
    answers = "\n".join(["0", "", "", ""]) + "\n"
    given = assess_args()[:-2]  # every score but delivery role
    result = run("assess", "p1", *given, "--interactive", input=answers)
    assert result.exit_code == 0, result
    assert "Will people with lived experience help deliver" in result.stdout
    assert "Can the people involved change" not in result.stdout
    assert run("history", "p1", "--json").json()[-1]["data"]["scores"] == scores(delivery_role=0)


def test_a_new_claim_alone_keeps_the_latest_scores_and_notes(run, p1):
    run("assess", "p1", *assess_args(delivery_role=1), "--note", "scale=one ward")
    result = run("assess", "p1", "--claimed", "co-production", "--justification", "partners will run the pilot",
                 "--json")
    assert result.exit_code == 0, result
    data = run("history", "p1", "--json").json()[-1]["data"]
    assert data["scores"] == scores(delivery_role=1) and data["notes"] == {"scale": "one ward"}
    assert data["recommended"] == "co-design" and data["claimed"] == "co-production"
    assert data["justification"] == "partners will run the pilot"


def test_a_new_claim_with_no_earlier_assessment_is_refused(run, p1):
    before = history_length(run)
    result = run("assess", "p1", "--claimed", "engage")
    assert result.exit_code == 2 and "no earlier assessment" in result.stderr
    assert history_length(run) == before


def test_assess_asks_whether_people_can_only_choose_between_fixed_options(run, p1):
    answers = "\n".join(["2", "", "2", "", "2", "", "2", "", "2", "", "2", "", "yes", ""]) + "\n"
    result = run("assess", "p1", "--interactive", input=answers)
    assert result.exit_code == 0, result
    data = run("history", "p1", "--json").json()[-1]["data"]
    assert data["fixed_options"] is True and data["recommended"] == "consult"
    assert data["held_back_by"] == ["fixed_options"]
    assert "only choose between options already fixed" in run("assess", "p1", "--show").stdout
    by_option = run("assess", "p1", *assess_args(), "--fixed-options", "--json")
    assert by_option.exit_code == 0 and by_option.json()["recommended"] == "consult"
    assert run("assess", "p1", *assess_args(), "--open-options", "--json").json()["recommended"] == "co-production"


def test_the_recommendation_rules_are_the_organisations(run, p1, home):
    """coflow.toml's [assessment] changes the rules; `assess --rules` shows them."""
    shown = run("assess", "p1", "--rules")
    assert shown.exit_code == 0 and "co-production: the level below, and authority at least 2" in shown.stdout
    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        fh.write("\n[assessment]\nco-production = { delivery_role = 2, total = 12 }\n")
    recorded = run("assess", "p1", *assess_args(scale=1), "--json")
    assert recorded.exit_code == 0 and recorded.json()["recommended"] == "co-design"
    assert run("assess", "p1", "--rules", "--json").json()["co-production"] == {"delivery_role": 2, "total": 12}


@pytest.mark.parametrize("table, named", [
    ("[assessment]\nco-production = { total = 13 }\n", "assessment.co-production.total"),
    ("[assessment]\npartnership = { total = 5 }\n", "assessment.partnership"),
    ("[assessment]\nengage = { kindness = 1 }\n", "assessment.engage.kindness"),
    ("[assessment]\ncaps = { scale = \"everything\" }\n", "assessment.caps.scale"),
    ("[assessment]\nconsult = 1\n", "assessment.consult"),
])
def test_bad_assessment_rules_are_config_errors(run, p1, home, table, named):
    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        fh.write("\n" + table)
    result = run("assess", "p1", "--rules")
    assert result.exit_code == 3 and named in result.stderr, result
