"""The built-in check types, one by one: what passes, what fails, and what the message names.

Checks are given a read-only ProjectView built straight from a ProjectState here, so each
test states exactly the records it needs. The clock is fixed at 2026-06-01 (UTC).
"""

from __future__ import annotations

import datetime as dt

import pytest

from coflow.checks import common
from coflow.checks.builtin import BUILTIN_TYPES
from coflow.project import ProjectState, ProjectView
from coflow.workflow.model import Role

TODAY = dt.date(2026, 6, 1)
ENTERED = "2026-05-01T09:00:00.000000Z"
ROLES = {"sponsor": Role("sponsor", "Senior sponsor", False),
         "co-chair": Role("co-chair", "Lived-experience co-chair", True),
         "lead": Role("lead", "Co-production lead", False)}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(common, "today", lambda: TODAY)


class _Workflow:
    title = "Test workflow"
    roles = ROLES


def person(pid, role="partner", lived=True, **extra):
    data = {"id": pid, "role": role, "lived_experience": lived, "category": "carer" if lived else None,
            "groups": [], "route": None, "access_needs": False, "access_needs_met": False, "credit": None,
            "future_contact": None, "inducted": None, "trained": None, "payment_info": None,
            "erased": False, "added": "2026-01-01T00:00:00.000000Z"}
    data.update(extra)
    return data


def session(sid, date, attendance=(), **extra):
    data = {"id": sid, "date": date, "title": None, "format": "in-person", "hours": 2,
            "agenda_coauthors": [], "attendance": list(attendance), "decisions": False, "paid": False}
    data.update(extra)
    return data


def payment(pay_id, participant, session_id, status="paid", date="2026-05-10", **extra):
    data = {"id": pay_id, "participant": participant, "session": session_id, "amount": 25, "status": status,
            "finance_ref": None, "date": date, "expenses": 0, "expenses_status": "none", "expenses_reason": None}
    data.update(extra)
    return data


def view(participants=(), sessions=(), payments=(), evidence=(), feedback=(), signoffs=(),
         assessment=None, facts=None, stage="planning", entered=ENTERED, entered_seq=3):
    state = ProjectState("p1", workflow_id="test", stage=stage, stage_entered=entered, stage_entered_seq=entered_seq)
    state.participants = {p["id"]: p for p in participants}
    state.sessions = {s["id"]: s for s in sessions}
    state.payments = {p["id"]: p for p in payments}
    state.evidence = {e["id"]: e for e in evidence}
    state.feedback = {f["id"]: f for f in feedback}
    state.signoffs = list(signoffs)
    state.assessment = assessment
    state.facts = dict(facts or {})
    return ProjectView(state, _Workflow())


def run(type_name, project, **params):
    module = BUILTIN_TYPES[type_name]
    assert module.validate(params) == [], "the test's own parameters must be valid"
    return module.check(project, params)


def test_every_documented_type_is_registered():
    assert set(BUILTIN_TYPES) == {"fact", "evidence", "signoff", "participants", "training", "sessions",
                                  "attendance", "payments", "feedback", "access_needs",
                                  "involvement_level", "elapsed", "shared_work", "groups"}


# -- evidence -------------------------------------------------------------------------------

def test_evidence_passes_with_enough_of_the_kind_and_ignores_other_kinds():
    docs = [{"id": "E-001", "kind": "minutes"}, {"id": "E-002", "kind": "ground-rules"}]
    result = run("evidence", view(evidence=docs), kind="ground-rules")
    assert result.ok and "E-002" in result.message
    assert not run("evidence", view(evidence=docs), kind="minutes", min=2).ok


def test_evidence_fails_naming_the_kind_and_the_command():
    result = run("evidence", view(evidence=[{"id": "E-001", "kind": "minutes"}]), kind="dpia")
    assert not result.ok
    assert "'dpia'" in result.message
    assert result.hint.startswith("coflow evidence add PROJECT --kind dpia")


# -- signoff ----------------------------------------------------------------------------------

def signed(role, actor, stage="planning", ts="2026-05-02T10:00:00.000000Z", seq=5):
    return {"stage": stage, "role": role, "actor": actor, "ts": ts, "seq": seq}


def test_signoff_passes_when_every_role_signed_by_different_people():
    result = run("signoff", view(signoffs=[signed("sponsor", "amensah"), signed("co-chair", "p003")]),
                 roles=["sponsor", "co-chair"])
    assert result.ok and "amensah as Senior sponsor" in result.message


def test_signoff_names_the_role_still_missing():
    result = run("signoff", view(signoffs=[signed("sponsor", "amensah")]), roles=["sponsor", "co-chair"])
    assert not result.ok
    assert "Lived-experience co-chair (co-chair)" in result.message
    assert "Senior sponsor" not in result.message
    assert result.hint == "coflow signoff PROJECT --role co-chair"


def test_signoff_one_person_cannot_fill_two_roles():
    result = run("signoff", view(signoffs=[signed("sponsor", "amensah"), signed("co-chair", "amensah")]),
                 roles=["sponsor", "co-chair"])
    assert not result.ok
    assert "amensah" in result.message and "cannot sign for two roles" in result.message


def test_signoff_finds_an_assignment_when_one_person_signed_twice_and_another_once():
    signoffs = [signed("sponsor", "amensah"), signed("co-chair", "amensah"), signed("sponsor", "bkaur")]
    assert run("signoff", view(signoffs=signoffs), roles=["sponsor", "co-chair"]).ok


def test_signoff_counts_only_the_current_visit_to_the_current_stage():
    old_visit = signed("sponsor", "amensah", seq=2)  # before event 3, which began this visit
    other_stage = signed("sponsor", "amensah", stage="training")
    result = run("signoff", view(signoffs=[old_visit, other_stage]), roles=["sponsor"])
    assert not result.ok and "no sign-off yet" in result.message


def test_signoff_visits_are_told_apart_by_event_order_not_clock_time():
    """A clock stepped back (or another machine's clock) must not drop a sign-off made after
    the stage was entered, nor let one made before it count."""
    skewed = signed("sponsor", "amensah", ts="2026-04-01T10:00:00.000000Z", seq=7)  # ts before ENTERED
    assert run("signoff", view(signoffs=[skewed]), roles=["sponsor"]).ok
    ahead = signed("sponsor", "amensah", ts="2026-05-20T10:00:00.000000Z", seq=2)  # ts after, seq before
    assert not run("signoff", view(signoffs=[ahead]), roles=["sponsor"]).ok


# -- participants -------------------------------------------------------------------------------

def test_participants_counts_lived_experience_only_when_asked():
    people = [person("P-001"), person("P-002"), person("P-003", role="staff", lived=False)]
    assert run("participants", view(participants=people), min=3).ok
    result = run("participants", view(participants=people), min=3, lived_experience=True)
    assert not result.ok
    assert "2 people with lived experience" in result.message and "1 more" in result.message
    assert "--lived-experience" in result.hint


def test_participants_erased_people_still_count_as_having_taken_part():
    people = [person("P-001"), person("P-002", erased=True)]
    assert run("participants", view(participants=people), min=2, lived_experience=True).ok


def test_participants_routes_and_groups_are_counted_distinctly():
    people = [person("P-001", route="open-call", groups=["young-carers"]),
              person("P-002", route="open-call", groups=["young-carers", "rural"]),
              person("P-003", route=None)]
    result = run("participants", view(participants=people), min_routes=2)
    assert not result.ok and "1 recruitment route" in result.message and "open-call" in result.message
    assert "--route" in result.hint
    assert run("participants", view(participants=people), min_groups=2).ok
    result = run("participants", view(participants=people), min_groups=3)
    assert not result.ok and "rural and young-carers" in result.message


def test_participants_by_role():
    people = [person("P-001", role="co-facilitator"), person("P-002")]
    assert run("participants", view(participants=people), role="co-facilitator").ok
    result = run("participants", view(participants=people), role="evaluation-reviewer")
    assert not result.ok and "'evaluation-reviewer'" in result.message
    # P-001 already has a role of their own: the hint asks P-002, a partner, to take this one on
    # who takes the role is their choice: the hint names who could, and leaves the id to the person
    assert "(such as P-002)" in result.hint
    assert result.hint.endswith(": coflow participant update PROJECT ID --role evaluation-reviewer")


def test_participants_role_needing_lived_experience_is_offered_only_to_someone_with_it():
    staffish = [person("P-001", lived=False), person("P-002", lived=False), person("P-003")]
    result = run("participants", view(participants=staffish), role="co-facilitator", lived_experience=True)
    assert not result.ok
    assert "(such as P-003)" in result.hint
    assert result.hint.endswith(": coflow participant update PROJECT ID --role co-facilitator")
    nobody = run("participants", view(participants=staffish[:2]), role="co-facilitator", lived_experience=True)
    assert "nobody with lived experience is recorded yet" in nobody.message
    assert nobody.hint.endswith(": coflow participant add PROJECT --lived-experience --category CATEGORY --role co-facilitator")
    taken = run("participants", view(participants=[person("P-004", role="co-chair")]),
                role="co-facilitator", lived_experience=True)
    assert "already has another role" in taken.message and "participant add" in taken.hint


def test_participants_lived_experience_count_says_existing_people_can_be_marked():
    people = [person("P-001"), person("P-002", lived=False), person("P-003", role="staff", lived=False)]
    result = run("participants", view(participants=people), min=3, lived_experience=True)
    assert not result.ok
    assert result.message.startswith("1 person with lived experience taking part; this workflow asks for at least 3 (2 more)")
    assert "If P-002 has lived experience, mark them with `coflow participant update p1 ID --lived-experience`" \
        in result.message and "P-003" not in result.message  # staff are not asked
    assert result.hint.endswith(": coflow participant add PROJECT --lived-experience --category CATEGORY")


def test_participants_route_and_group_hints_name_one_not_yet_recorded():
    people = [person("P-001", route="open-call", groups=["young-carers"]),
              person("P-002", route="community-partner", groups=["older-people"]), person("P-003")]
    routes = run("participants", view(participants=people), min_routes=3)
    assert "2 recruitment routes recorded among the people (community-partner and open-call); " \
           "this workflow asks for at least 3 different ones (1 more); P-003 has no route recorded" in routes.message
    assert "record how P-003 was recruited" in routes.message
    assert routes.hint == ("record how P-003 was recruited (such as gp-practice, if that is true): "
                           "coflow participant update PROJECT P-003 --route ROUTE")
    groups = run("participants", view(participants=people), min_groups=3, lived_experience=True)
    assert groups.hint.endswith("(such as rural, if that is true): coflow participant update PROJECT P-003 --group GROUP")


def test_participants_route_hint_adds_someone_only_when_everyone_has_a_route():
    people = [person("P-001", route="open-call", groups=["young-carers"]),
              person("P-002", route="open-call", groups=["young-carers"])]
    routes = run("participants", view(participants=people), min_routes=2)
    assert "everyone counted already has a recruitment route recorded" in routes.message
    assert "(such as community-partner)" in routes.hint
    assert routes.hint.endswith(": coflow participant add PROJECT --route ROUTE")
    groups = run("participants", view(participants=people), min_groups=2, lived_experience=True)
    assert "(such as older-people)" in groups.hint
    assert groups.hint.endswith(": coflow participant add PROJECT --lived-experience --category CATEGORY --group GROUP")


# -- training ---------------------------------------------------------------------------------------

def test_training_names_everyone_without_a_date():
    people = [person("P-001", inducted="2026-02-01"), person("P-003"), person("P-007"),
              person("P-009", role="staff", lived=False)]
    result = run("training", view(participants=people), who="partners", what="induction")
    assert not result.ok
    assert result.message == ("P-003 and P-007 have no induction date; "
                              "once P-003 has had induction, record the day it happened")
    # the date is for the person to give: the hint's placeholder is refused as typed
    assert result.hint == "coflow participant update PROJECT P-003 --induction DATE"


def test_training_passes_when_the_whole_group_is_done_and_ignores_other_groups():
    people = [person("P-001", inducted="2026-02-01"), person("P-009", role="staff", lived=False)]
    assert run("training", view(participants=people), who="partners", what="induction").ok
    assert not run("training", view(participants=people), who="staff", what="training").ok
    assert not run("training", view(participants=people), who="all", what="induction").ok


def test_training_a_future_date_is_booked_not_done():
    people = [person("P-009", role="staff", lived=False, trained="2026-07-01")]
    result = run("training", view(participants=people), who="staff", what="training")
    assert not result.ok and "P-009 (2026-07-01) is booked but not yet done" in result.message


def test_training_with_nobody_in_the_group_fails_and_says_to_add_people():
    result = run("training", view(participants=[person("P-001")]), who="staff", what="training")
    assert not result.ok and "no staff members are recorded" in result.message
    assert "--role staff" in result.hint


def staff_member(pid="P-009"):
    return person(pid, role="staff", lived=False, trained="2026-01-10")


def test_training_can_be_limited_to_one_role():
    people = [person("P-001", role="co-chair"), person("P-002"),
              person("P-009", role="staff", lived=False, trained="2026-01-10")]
    result = run("training", view(participants=people), who="partners", what="training", role="co-chair")
    assert not result.ok and result.message.startswith("P-001 has no training date;")
    nobody = run("training", view(participants=people), who="all", what="training", role="co-facilitator")
    assert not nobody.ok and "no people with the role 'co-facilitator' are recorded" in nobody.message
    assert nobody.hint.endswith(": coflow participant add PROJECT --lived-experience --category CATEGORY "
                                "--role co-facilitator")
    partners = run("training", view(participants=[staff_member()]), who="partners", what="induction")
    # not a partner without lived experience
    assert partners.hint.endswith(": coflow participant add PROJECT --lived-experience --category CATEGORY")


def test_training_never_asks_about_erased_participants():
    people = [person("P-001", inducted="2026-02-01"), person("P-002", erased=True)]
    result = run("training", view(participants=people), who="partners", what="induction")
    assert result.ok and "P-002" not in result.message


# -- sessions -----------------------------------------------------------------------------------------

def test_sessions_count_only_sessions_already_held():
    sessions = [session("S-001", "2026-03-01"), session("S-002", "2026-07-01")]
    result = run("sessions", view(sessions=sessions), min=2)
    assert not result.ok and "1 session held" in result.message and "dated after today" in result.message
    assert run("sessions", view(sessions=sessions), min=1).ok


def test_sessions_span_in_weeks():
    sessions = [session("S-001", "2026-03-01"), session("S-002", "2026-03-29")]
    assert run("sessions", view(sessions=sessions), min=2, min_span_weeks=4).ok
    result = run("sessions", view(sessions=sessions), min=2, min_span_weeks=12)
    assert not result.ok and "spread over 4 weeks; this workflow asks for them to spread over at least 12 weeks" in result.message


def test_sessions_on_one_day_say_so_and_the_add_hint_names_a_real_attendee():
    sessions = [session("S-001", "2026-03-01"), session("S-002", "2026-03-01")]
    people = [person("P-001", role="staff", lived=False), person("P-002")]
    result = run("sessions", view(sessions=sessions, participants=people), min=2, min_span_weeks=12)
    assert "the sessions so far all fall on one day; this workflow asks for them to spread over at least 12 weeks" in result.message
    assert "0.0" not in result.message
    # the person who could come is named in words; the command leaves who came to the person
    assert "(such as P-002, if they take part)" in result.hint and result.hint.endswith("--attendee ID")


def test_sessions_formats_are_distinct():
    sessions = [session("S-001", "2026-03-01"), session("S-002", "2026-03-08")]
    result = run("sessions", view(sessions=sessions), min_formats=2)
    assert not result.ok and "1 format used (in-person)" in result.message
    sessions.append(session("S-003", "2026-03-15", format="virtual"))
    assert run("sessions", view(sessions=sessions), min_formats=2).ok


def test_sessions_coauthored_needs_a_lived_experience_coauthor_on_every_agenda():
    people = [person("P-001"), person("P-009", role="staff", lived=False)]
    sessions = [session("S-001", "2026-03-01", agenda_coauthors=["P-001"]),
                session("S-002", "2026-03-08", agenda_coauthors=["P-009"]),
                session("S-003", "2026-03-15")]
    result = run("sessions", view(participants=people, sessions=sessions), coauthored=True)
    assert not result.ok and result.message == "S-002 and S-003 have no agenda co-author with lived experience"


def test_sessions_no_decision_before_people_with_lived_experience_attended():
    people = [person("P-001"), person("P-009", role="staff", lived=False)]
    early = [session("S-001", "2026-03-01", ["P-009"], decisions=True),
             session("S-002", "2026-03-08", ["P-001", "P-009"], decisions=True)]
    result = run("sessions", view(participants=people, sessions=early), decisions_with_lived_experience=True)
    assert not result.ok
    assert "S-001 (2026-03-01)" in result.message and "first session they attended: S-002 (2026-03-08)" in result.message
    assert result.hint.endswith(": coflow session update PROJECT S-001 --add-attendee ID")  # never an absent person
    fine = [session("S-001", "2026-03-01", ["P-001", "P-009"]),
            session("S-002", "2026-03-08", ["P-009"], decisions=True)]
    assert run("sessions", view(participants=people, sessions=fine), decisions_with_lived_experience=True).ok


def test_sessions_decisions_after_involvement_keeps_its_first_meaning():
    """Pinned projects must not see the gate tighten when coflow is upgraded: the older
    parameter still only forbids decisions dated before the first involvement; the
    stricter rule comes with decisions_with_lived_experience."""
    people = [person("P-001"), person("P-009", role="staff", lived=False)]
    same_day = [session("S-001", "2026-03-01", ["P-009"], decisions=True), session("S-002", "2026-03-01", ["P-001"])]
    assert run("sessions", view(participants=people, sessions=same_day), decisions_after_involvement=True).ok
    staff_only = [session("S-001", "2026-03-01", ["P-009"])]
    assert run("sessions", view(participants=people, sessions=staff_only), decisions_after_involvement=True).ok
    early = [session("S-001", "2026-03-01", ["P-009"], decisions=True), session("S-002", "2026-03-08", ["P-001"])]
    result = run("sessions", view(participants=people, sessions=early), decisions_after_involvement=True)
    assert not result.ok and result.message == ("decisions were made at S-001 (2026-03-01), before S-002 (2026-03-08), "
                                                "the first session people with lived experience attended")
    assert result.hint.endswith(": coflow session update PROJECT S-001 --add-attendee ID")  # never an absent person
    both = run("sessions", view(participants=people, sessions=same_day),
               decisions_after_involvement=True, decisions_with_lived_experience=True)
    assert not both.ok and both.message.count("decisions were made at S-001") == 1


def test_sessions_a_decision_session_the_same_day_as_the_first_involvement_is_not_after_it():
    people = [person("P-001"), person("P-009", role="staff", lived=False)]
    same_day = [session("S-001", "2026-03-01", ["P-009"], decisions=True), session("S-002", "2026-03-01", ["P-001"])]
    result = run("sessions", view(participants=people, sessions=same_day), decisions_with_lived_experience=True)
    assert not result.ok and "decisions were made at S-001 (2026-03-01)" in result.message


def test_sessions_staff_only_sessions_do_not_show_involvement_even_without_decisions():
    """The walk that passed "people with lived experience were there before any decision"
    with only staff attending: no session was flagged with --decisions."""
    people = [person("P-001"), person("P-009", role="staff", lived=False)]
    staff_only = [session("S-001", "2026-03-01", ["P-009"])]
    result = run("sessions", view(participants=people, sessions=staff_only), decisions_with_lived_experience=True)
    assert not result.ok and "no session held so far has been attended by anyone with lived experience" in result.message
    assert result.hint.endswith(": coflow session update PROJECT S-001 --add-attendee ID")  # never an absent person
    involved = [session("S-001", "2026-03-01", ["P-009", "P-001"])]
    passed = run("sessions", view(participants=people, sessions=involved), decisions_with_lived_experience=True)
    assert passed.ok and "no session is recorded as making decisions yet" in passed.message


def test_sessions_coauthor_hint_updates_the_session_with_someone_with_lived_experience():
    people = [person("P-009", role="staff", lived=False), person("P-001"), person("P-002")]
    sessions = [session("S-001", "2026-03-01", ["P-009", "P-002"], agenda_coauthors=["P-009"])]
    result = run("sessions", view(participants=people, sessions=sessions), coauthored=True)
    assert "(such as P-002)" in result.hint  # P-002 was there
    assert result.hint.endswith(": coflow session update PROJECT S-001 --add-agenda-by ID")
    nobody = run("sessions", view(participants=people[:1], sessions=sessions), coauthored=True)
    assert "nobody with lived experience is recorded yet" in nobody.message
    assert nobody.hint.endswith(": coflow participant add PROJECT --lived-experience --category CATEGORY")


def test_sessions_format_hint_names_a_format_not_used_yet():
    sessions = [session("S-001", "2026-03-01"), session("S-002", "2026-03-08", format="virtual")]
    result = run("sessions", view(sessions=sessions), min_formats=3)
    assert result.hint.endswith(": coflow session add PROJECT --date DATE --format hybrid --hours HOURS")


def test_sessions_decisions_with_nobody_with_lived_experience_ever_present_fail():
    people = [person("P-009", role="staff", lived=False)]
    sessions = [session("S-001", "2026-03-01", ["P-009"], decisions=True)]
    result = run("sessions", view(participants=people, sessions=sessions), decisions_after_involvement=True)
    assert not result.ok and "no session has been attended by anyone with lived experience" in result.message


def test_sessions_with_none_held_fails_with_the_add_command():
    result = run("sessions", view(), decisions_after_involvement=True)
    assert not result.ok and "0 sessions held" in result.message
    assert ": coflow session add PROJECT --date DATE " in result.hint  # never today's date


# -- attendance -----------------------------------------------------------------------------------------

def test_attendance_names_partners_who_never_came():
    people = [person("P-001"), person("P-003"), person("P-007"), person("P-009", role="staff", lived=False)]
    sessions = [session("S-001", "2026-03-01", ["P-001", "P-009"])]
    result = run("attendance", view(participants=people, sessions=sessions), min=1)
    assert not result.ok and result.message == "P-003 and P-007 have not attended any session yet"
    assert "P-003" in result.hint


def test_attendance_every_session_needs_its_attendance_recorded():
    people = [person("P-001")]
    sessions = [session("S-001", "2026-03-01", ["P-001"]), session("S-002", "2026-03-08")]
    result = run("attendance", view(participants=people, sessions=sessions), min=1)
    assert not result.ok and "S-002 has no attendance recorded" in result.message


def test_attendance_at_least_n_sessions_each():
    people = [person("P-001"), person("P-002")]
    sessions = [session("S-001", "2026-03-01", ["P-001", "P-002"]), session("S-002", "2026-03-08", ["P-001"])]
    assert not run("attendance", view(participants=people, sessions=sessions), min=2).ok
    assert "P-002: 1" in run("attendance", view(participants=people, sessions=sessions), min=2).message
    assert run("attendance", view(participants=people, sessions=sessions), min=1).ok


def test_attendance_min_zero_switches_the_per_partner_part_off():
    people = [person("P-001"), person("P-002")]  # P-002 never came
    sessions = [session("S-001", "2026-03-01", ["P-001"], decisions=True)]
    assert run("attendance", view(participants=people, sessions=sessions), min=0, lived_experience_share=0.5).ok
    assert not run("attendance", view(participants=people, sessions=sessions), min=1).ok


def test_attendance_lived_experience_share_at_decision_sessions():
    people = [person("P-001"), person("P-007", role="staff", lived=False),
              person("P-008", role="staff", lived=False), person("P-009", role="staff", lived=False)]
    sessions = [session("S-001", "2026-03-01", ["P-001", "P-007", "P-008", "P-009"], decisions=True),
                session("S-002", "2026-03-08", ["P-007", "P-008"])]  # no decisions: not judged
    result = run("attendance", view(participants=people, sessions=sessions), min=0, lived_experience_share=0.5)
    assert not result.ok
    assert "at S-001 (2026-03-01) 1 of 4 people present had lived experience (25%)" in result.message
    assert "S-002" not in result.message


def test_attendance_share_alone_fails_until_a_decision_session_is_recorded():
    people = [person("P-001"), person("P-009", role="staff", lived=False)]
    sessions = [session("S-001", "2026-03-01", ["P-001", "P-009"])]
    result = run("attendance", view(participants=people, sessions=sessions), min=0, lived_experience_share=0.5)
    assert not result.ok and result.message.startswith("no decision sessions recorded yet")
    assert result.hint.endswith(": coflow session update PROJECT S-001 --decisions")
    none_held = run("attendance", view(participants=people), min=0, lived_experience_share=0.5)
    assert not none_held.ok and none_held.message.startswith("no decision sessions recorded yet")
    assert none_held.hint.endswith(": coflow session add PROJECT --date DATE --format in-person --hours HOURS "
                                   "--attendee ID --decisions")
    sessions[0]["decisions"] = True
    assert run("attendance", view(participants=people, sessions=sessions), min=0, lived_experience_share=0.5).ok


def test_attendance_erased_partner_counts_as_present_but_is_never_chased():
    people = [person("P-001", erased=True), person("P-002", erased=True), person("P-009", role="staff", lived=False)]
    sessions = [session("S-001", "2026-03-01", ["P-001", "P-009"], decisions=True)]
    result = run("attendance", view(participants=people, sessions=sessions), min=1, lived_experience_share=0.5)
    assert result.ok, result.message


# -- payments -------------------------------------------------------------------------------------------

def paid_session(sid="S-001", date="2026-05-01", attendance=("P-001", "P-002", "P-009")):
    return session(sid, date, attendance, paid=True)


PEOPLE = [person("P-001"), person("P-002"), person("P-009", role="staff", lived=False)]


def test_payments_every_attendee_of_a_paid_session_settled():
    pays = [payment("PAY-001", "P-001", "S-001", "paid"), payment("PAY-002", "P-002", "S-001", "declined")]
    result = run("payments", view(participants=PEOPLE, sessions=[paid_session()], payments=pays))
    assert result.ok, result.message


def test_payments_names_who_has_no_payment_for_which_session_and_skips_staff():
    pays = [payment("PAY-001", "P-001", "S-001", "voucher")]
    result = run("payments", view(participants=PEOPLE, sessions=[paid_session()], payments=pays))
    assert not result.ok and result.message == "no payment recorded for P-002 for S-001"
    assert "--participant P-002 --session S-001" in result.hint


def test_payments_pending_is_allowed_only_up_to_max_pending_days():
    pays = [payment("PAY-001", "P-001", "S-001", "pending", date="2026-05-20"),
            payment("PAY-002", "P-002", "S-001", "pending", date="2026-04-20")]
    project = view(participants=PEOPLE, sessions=[paid_session(date="2026-04-15")], payments=pays)
    result = run("payments", project, max_pending_days=30)
    assert not result.ok
    assert "PAY-002 (P-002, pending 42 days)" in result.message and "PAY-001" not in result.message
    assert run("payments", project, max_pending_days=45).ok


def test_payments_a_lump_sum_without_a_session_covers_sessions_before_it():
    pays = [payment("PAY-001", "P-001", None, "paid", date="2026-05-10"),
            payment("PAY-002", "P-002", "S-001", "paid")]
    assert run("payments", view(participants=PEOPLE, sessions=[paid_session()], payments=pays)).ok
    later = paid_session("S-002", "2026-05-20", ("P-001",))
    result = run("payments", view(participants=PEOPLE, sessions=[paid_session(), later], payments=pays))
    assert not result.ok and "P-001 for S-002" in result.message


def test_payments_expenses_must_be_settled_or_refused_with_a_reason():
    pays = [payment("PAY-001", "P-001", "S-001", expenses=12.5, expenses_status="claimed"),
            payment("PAY-002", "P-002", "S-001", expenses=40, expenses_status="refused")]
    project = view(participants=PEOPLE, sessions=[paid_session()], payments=pays)
    assert run("payments", project).ok  # expenses not asked for
    result = run("payments", project, expenses=True)
    assert not result.ok
    assert "claimed but not yet settled: PAY-001" in result.message
    assert "refused without a reason: PAY-002" in result.message


def test_payments_erased_attendee_of_a_paid_session_still_needs_a_payment_record():
    """Erased people count for what they did: a paid session attended only by erased
    people must not pass with nobody paid."""
    people = [person("P-001", erased=True), person("P-002", erased=True)]
    project = view(participants=people, sessions=[paid_session(attendance=("P-001", "P-002"))])
    result = run("payments", project)
    assert not result.ok and result.message == "no payment recorded for P-001 for S-001 and P-002 for S-001"
    # what to do, then how to record it: the real amount and date are left to the person
    assert result.hint.startswith("pay P-001 for S-001")
    assert result.hint.endswith("coflow payment add PROJECT --participant P-001 --session S-001 --amount AMOUNT "
                                "--status paid --date DATE")
    settled = [payment("PAY-001", "P-001", "S-001", "paid"), payment("PAY-002", "P-002", "S-001", "declined")]
    assert run("payments", view(participants=people, sessions=[paid_session(attendance=("P-001", "P-002"))],
                                payments=settled)).ok


def test_payments_with_nobody_at_a_paid_session_fail_unless_payments_are_not_used():
    """"Everyone has been paid" must not pass when nobody was due anything."""
    unpaid = session("S-001", "2026-05-01", ("P-001", "P-009"))
    staff_only = paid_session("S-002", "2026-05-02", ("P-009",))
    project = view(participants=PEOPLE, sessions=[unpaid, staff_only])
    result = run("payments", project, require_paid_sessions=True)
    assert not result.ok and "no paid sessions with attendees recorded yet" in result.message
    assert result.hint.endswith(": coflow session update PROJECT S-001 --paid")
    assert run("payments", project, require_paid_sessions=False).ok
    empty = run("payments", view(participants=PEOPLE), require_paid_sessions=True)
    # no date or attendee that would pass: the real ones are the person's to give
    assert empty.hint.endswith(": coflow session add PROJECT --date DATE --format in-person --hours HOURS --attendee ID --paid")
    nobody = run("payments", view(), require_paid_sessions=True)
    assert nobody.hint.endswith(": coflow participant add PROJECT --lived-experience")


def test_payments_without_require_paid_sessions_keep_their_first_meaning():
    """Pinned projects must not see the gate tighten when coflow is upgraded: paid
    sessions are required only where a workflow asks for them."""
    project = view(participants=PEOPLE, sessions=[session("S-001", "2026-05-01", ("P-001",))])
    result = run("payments", project)
    assert result.ok and result.message.startswith("no paid sessions held yet (this check does not require any)")


# -- fact -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [False, "no", "false", "2026-06-02", "2026-02-30", "soon", 20260301, "2026-3-1"])
def test_fact_past_date_passes_only_on_a_real_date_not_after_today(value):
    result = run("fact", view(facts={"payment_info_given": value}), key="payment_info_given", op="past_date")
    assert not result.ok, value
    assert result.hint == "once it has been done, record the day it was done: coflow record PROJECT payment_info_given DATE"


@pytest.mark.parametrize("value", ["2026-06-01", "2026-01-31", "2026-05-01T10:00:00"])
def test_fact_past_date_passes_on_today_or_earlier(value):
    result = run("fact", view(facts={"payment_info_given": value}), key="payment_info_given", op="past_date")
    assert result.ok and result.message == f"payment_info_given is recorded: {value[:10]}"


def test_fact_date_takes_any_real_date_including_one_to_come():
    assert run("fact", view(facts={"retention_date": "2028-09-30"}), key="retention_date", op="date").ok
    missing = run("fact", view(), key="retention_date", op="date")
    assert not missing.ok and missing.hint == "record the date: coflow record PROJECT retention_date DATE"
    assert not run("fact", view(facts={"retention_date": "2028-02-30"}), key="retention_date", op="date").ok


@pytest.mark.parametrize("op", ["date", "past_date"])
def test_fact_date_ops_take_no_value(op):
    from coflow.checks import fact

    assert fact.validate({"key": "k", "op": op, "value": "2026-01-01"}) == [
        f'value: op "{op}" takes no value; use op = "==" to compare']
    assert fact.validate({"key": "k", "op": op}) == []


# -- feedback -------------------------------------------------------------------------------------------

def item(fid, status, reason=None):
    return {"id": fid, "said": "Evening sessions", "response": "Moved to 6pm", "status": status,
            "reason": reason, "date": "2026-05-01"}


def test_feedback_every_item_answered_and_refusals_explained():
    assert run("feedback", view(feedback=[item("F-001", "adopted"), item("F-002", "not-adopted", "no budget")])).ok
    result = run("feedback", view(feedback=[item("F-001", "open"), item("F-002", "not-adopted"), item("F-003", "open")]))
    assert not result.ok
    assert "F-001 and F-003 have no answer yet" in result.message
    assert "F-002 is marked not adopted without a reason" in result.message


def test_feedback_needs_at_least_min_items():
    result = run("feedback", view(), min=1)
    assert not result.ok and "0 items" in result.message and "coflow feedback add" in result.hint
    assert run("feedback", view(), min=0).ok


# -- access needs ---------------------------------------------------------------------------------------

def test_access_needs_names_whose_needs_are_unmet():
    people = [person("P-001", access_needs=True, access_needs_met=True), person("P-002", access_needs=True),
              person("P-005", access_needs=True), person("P-006")]
    result = run("access_needs", view(participants=people))
    assert not result.ok and result.message == "P-002 and P-005 have access needs not yet marked as met"
    assert "(ID is P-002)" in result.hint  # named, but typed as it stands the command refuses ID
    assert result.hint.endswith(": coflow participant update PROJECT ID --access-needs-met")
    assert run("access_needs", view(participants=people[:1] + people[3:])).ok


# -- involvement level ----------------------------------------------------------------------------------

def assessed(recommended, claimed=None, justification=None, held_back_by=()):
    return {"scores": {}, "notes": {}, "recommended": recommended, "held_back_by": list(held_back_by),
            "claimed": claimed, "justification": justification}


def test_involvement_needs_an_assessment():
    result = run("involvement_level", view())
    assert not result.ok and result.hint == "coflow assess PROJECT --interactive"


def test_involvement_claiming_more_than_recommended_needs_a_justification():
    over = assessed("co-design", claimed="co-production", held_back_by=["scale"])
    result = run("involvement_level", view(assessment=over))
    assert not result.ok
    assert "claims co-production" in result.message and "recommends co-design" in result.message
    assert "held back by: scale" in result.message
    justified = assessed("co-design", claimed="co-production", justification="a small pilot ward first")
    assert run("involvement_level", view(assessment=justified)).ok


def test_involvement_claiming_less_is_always_fine():
    assert run("involvement_level", view(assessment=assessed("co-production", claimed="consult"))).ok
    assert run("involvement_level", view(assessment=assessed("engage"))).ok


def test_involvement_the_workflow_level_is_the_claim_when_none_is_recorded():
    assert not run("involvement_level", view(assessment=assessed("engage")), level="co-production").ok
    assert run("involvement_level", view(assessment=assessed("engage")), level="consult").ok
    assert run("involvement_level", view(assessment=assessed("engage", claimed="engage")), level="co-production").ok


# -- elapsed --------------------------------------------------------------------------------------------

def test_elapsed_min_days_counts_days_since_entering_the_stage_in_utc():
    project = view(entered="2026-05-04T23:59:00.000000Z")  # 28 days before 2026-06-01
    assert run("elapsed", project, min_days=28).ok
    result = run("elapsed", project, min_days=29)
    assert not result.ok and "28 days" in result.message and "2026-06-02" in result.message


def test_elapsed_max_days():
    project = view(entered="2026-03-01T09:00:00.000000Z")
    result = run("elapsed", project, max_days=60)
    assert not result.ok and "92 days" in result.message and "at most 60" in result.message
    assert run("elapsed", project, max_days=92).ok


# -- hints are real commands ------------------------------------------------------------------

def failing_hints() -> list[str]:
    """A failing result of every kind each check type can give, and its hint."""
    staff = person("P-009", role="staff", lived=False)
    held = [session("S-001", "2026-03-01", ["P-001"], decisions=True, paid=True),
            session("S-002", "2026-03-02")]
    pays = [payment("PAY-001", "P-001", "S-001", "pending", date="2026-01-01", expenses=5,
                    expenses_status="claimed"),
            payment("PAY-002", "P-001", None, expenses=5, expenses_status="refused")]
    cases = [
        ("evidence", view(), {"kind": "minutes"}),
        ("signoff", view(), {"roles": ["co-chair"]}),
        ("participants", view(), {"min": 2, "lived_experience": True}),
        ("participants", view(), {"role": "co-facilitator"}),
        ("participants", view(participants=[person("P-001")]), {"min_routes": 2}),
        ("participants", view(participants=[person("P-001")]), {"min_groups": 2}),
        ("training", view(), {"who": "staff", "what": "training"}),
        ("training", view(participants=[person("P-001")]), {"who": "partners", "what": "induction"}),
        ("training", view(participants=[staff]), {"who": "staff", "what": "training"}),
        ("sessions", view(), {"min": 1}),
        ("sessions", view(sessions=held), {"min_span_weeks": 2}),
        ("sessions", view(sessions=held), {"min_formats": 2}),
        ("sessions", view(sessions=held), {"coauthored": True}),
        ("sessions", view(sessions=held), {"decisions_with_lived_experience": True}),
        ("attendance", view(), {"min": 1}),
        ("attendance", view(participants=[person("P-001")]), {"min": 1}),
        ("attendance", view(participants=[person("P-001"), person("P-002")], sessions=held[:1]), {"min": 1}),
        ("attendance", view(participants=[person("P-001")], sessions=held), {"min": 1}),
        ("attendance", view(participants=[staff], sessions=held), {"min": 0, "lived_experience_share": 0.5}),
        ("payments", view(participants=[person("P-001"), person("P-002")],
                          sessions=[session("S-001", "2026-03-01", ["P-002"], paid=True)]), {}),
        ("payments", view(payments=pays[:1]), {}),
        ("payments", view(participants=[person("P-001")], sessions=held[1:]), {"require_paid_sessions": True}),
        ("attendance", view(participants=[person("P-001")], sessions=[session("S-009", "2026-03-01", ["P-001"])]),
         {"min": 0, "lived_experience_share": 0.5}),
        ("payments", view(participants=[person("P-001")], payments=pays[:1]), {"require_paid_sessions": False}),
        ("fact", view(facts={"k": "no"}), {"key": "k", "op": "past_date"}),
        ("sessions", view(participants=[person("P-001")], sessions=held[:1]), {"coauthored": True}),
        ("payments", view(payments=pays[:1]), {"max_pending_days": 1000, "expenses": True}),
        ("payments", view(payments=pays[1:]), {"expenses": True}),
        ("feedback", view(), {}),
        ("feedback", view(feedback=[item("F-001", "open")]), {}),
        ("feedback", view(feedback=[item("F-001", "not-adopted")]), {}),
        ("access_needs", view(participants=[person("P-001", access_needs=True)]), {}),
        ("involvement_level", view(), {}),
        ("involvement_level", view(assessment=assessed("consult", claimed="co-design")), {}),
    ]
    hints = []
    for type_name, project, params in cases:
        result = run(type_name, project, **params)
        assert not result.ok, (type_name, params)
        hints.append(result.hint)
    return hints


def test_every_failing_check_hints_with_a_command_that_exists():
    from clihints import parse_hint

    for hint in failing_hints():
        assert hint and (hint.startswith("coflow ") or ": coflow " in hint), hint  # what to do, then the command
        parse_hint(hint)
