"""The report's data dict: every section built from the folded state and its events."""

from __future__ import annotations

import json

import pytest
import report_samples as rs
from report_samples import mini_workflow

from coflow.report.data import build_report
from coflow.report.people import display_name

DAY = 86400


def report(rows=None, **kwargs) -> dict:
    return build_report(rs.sample_state(rows=rows), mini_workflow(), now=rs.NOW, **kwargs)


def insert_after(rows: list, when: str, *new: tuple) -> list:
    """The sample events with `new` placed in time order (timestamps decide)."""
    return sorted([*rows, *new], key=lambda r: r[0])


def test_timeline_gives_each_visit_its_dates_and_time_spent_and_totals_per_stage():
    r = report()
    visits = [(v["stage"], v["how"], v["seconds"] / DAY, v["current"]) for v in r["timeline"]]
    assert visits == [("planning", "created", 10, False), ("delivery", "advanced", 45, False),
                      ("closed", "override", 9, False), ("delivery", "reopened", 24, False),
                      ("closed", "advanced", pytest.approx(88.083, abs=0.001), True)]
    assert r["timeline"][0]["entered"] == "2026-01-05T10:00:00.000000Z"
    assert r["timeline"][0]["left"] == "2026-01-15T10:00:00.000000Z"
    totals = {t["stage"]: (t["visits"], round(t["seconds"] / DAY)) for t in r["time_by_stage"]}
    assert totals == {"planning": (1, 10), "delivery": (2, 69), "closed": (2, 97)}
    assert [t["stage"] for t in r["time_by_stage"]] == ["planning", "delivery", "closed"]


def test_each_gate_shows_its_checks_as_they_stood_and_the_signoffs_of_that_visit():
    r = report()
    first, overridden, last = r["gates"]
    assert (first["from"], first["to"], first["actor"]) == ("planning", "delivery", "lead")
    assert {c["id"]: (c["status"], c["severity"]) for c in first["checks"]} == {
        "sponsor-named": ("pass", "required"), "budget": ("pass", "required"), "dpia": ("fail", "advisory")}
    assert [(s["role"], s["role_title"], s["actor"], s["lived_experience"]) for s in first["signoffs"]] == [
        ("sponsor", "Senior sponsor", "amensah", False), ("co-chair", "Lived-experience co-chair", "p002", True)]
    assert first["blocked_attempts"] == 1
    assert overridden["override"] == {"reason": "board meets before the report is due",
                                      "failing": [{"id": "report", "title": "Board report",
                                                   "message": "no 'report_ref' recorded yet"}]}
    assert [c["status"] for c in overridden["checks"]] == ["fail"]
    assert last["override"] is None and [s["actor"] for s in last["signoffs"]] == ["amensah"]


def test_a_signoff_counts_only_for_the_visit_to_the_stage_in_which_it_was_given():
    early = (rs.ts("2026-02-25"), "p002", "signed_off", {"stage": "delivery", "role": "co-chair"})
    r = report(insert_after(rs.sample_events(), early[0], early))
    overridden, after_reopening = r["gates"][1], r["gates"][2]
    assert [s["actor"] for s in overridden["signoffs"]] == ["p002"]
    assert [s["actor"] for s in after_reopening["signoffs"]] == ["amensah"]


def test_overrides_and_reopenings_are_listed_with_who_why_and_what_was_not_met():
    r = report()
    assert r["overrides"] == [{
        "seq": 30, "ts": "2026-03-01T10:00:00.000000Z", "actor": "amensah", "recorded_by": None, "stage": "delivery",
        "stage_title": "Delivery", "to": "closed", "to_title": "Closed",
        "reason": "board meets before the report is due",
        "failing": [{"id": "report", "title": "Board report", "message": "no 'report_ref' recorded yet"}]}]
    assert [(o["from"], o["to"], o["actor"], o["reason"]) for o in r["reopenings"]] == [
        ("closed", "delivery", "p002", "the board report was never written")]


def test_participation_counts_shares_groups_and_routes_without_names():
    p = report()["participation"]
    assert (p["total"], p["erased"], p["lived_experience"], p["took_part"]) == (5, 1, 4, 4)
    assert p["lived_experience_share"] == pytest.approx(0.8)
    # one spelling per group and route, however it was recorded
    assert p["groups"] == [{"group": "young-carers", "count": 2}, {"group": "older-people", "count": 1},
                           {"group": "south-asian-communities", "count": 1}]
    assert p["routes"][0] == {"route": "carers-centre", "count": 2}
    assert p["access_needs"] == {"recorded": 2, "met": 1}
    assert {row["id"]: row["sessions_attended"] for row in p["people"]} == {
        "P-001": 2, "P-002": 2, "P-003": 1, "P-004": 1, "P-005": 0}
    assert all("name" not in row for row in p["people"])
    assert [row["id"] for row in p["people"] if row["erased"]] == ["P-005"]


def test_a_report_without_names_holds_no_personal_data_at_all():
    text = json.dumps(report())
    for name in rs.NAMES.values():
        assert name not in text
    assert "@example.org" not in text


def test_names_honour_each_persons_credit_choice_and_erasure():
    personal = {pid: {"name": name} for pid, name in rs.NAMES.items() if pid != "P-005"}
    people = {row["id"]: row["name"] for row in report(personal=personal)["participation"]["people"]}
    assert people == {"P-001": "Amara Okafor", "P-002": "B. L.", "P-003": "Chris Doe",
                      "P-004": "asked not to be named", "P-005": "participant erased"}


def test_an_erased_person_is_never_named_even_if_a_personal_row_survived():
    assert display_name({"id": "P-9", "erased": True}, {"name": "Still Here"}) == "participant erased"
    assert display_name({"id": "P-9", "erased": False, "credit": "name"}, None) == "name not recorded"


def test_a_name_is_shown_only_when_the_person_chose_to_be_credited_by_name():
    """No recorded choice (the default of `participant add`) shows nothing of the name."""
    kept = {"name": "Amara Okafor"}
    assert display_name({"id": "P-1", "credit": None}, kept) == "credit preference not recorded"
    assert display_name({"id": "P-1"}, kept) == "credit preference not recorded"
    assert display_name({"id": "P-1", "credit": "something-else"}, kept) == "credit preference not recorded"
    assert display_name({"id": "P-1", "credit": "anonymous"}, kept) == "asked not to be named"
    assert display_name({"id": "P-1", "credit": "initials"}, kept) == "A. O."
    assert display_name({"id": "P-1", "credit": "name"}, kept) == "Amara Okafor"


def test_sessions_count_attendance_including_attendance_recorded_later():
    s = report()["sessions"]
    assert (s["count"], s["hours"], s["with_decisions"], s["coauthored"]) == (2, 3.5, 1, 1)
    assert s["formats"] == [{"format": "in-person", "count": 1}, {"format": "virtual", "count": 1}]
    second = s["items"][1]
    assert (second["id"], second["attended"], second["lived_experience_attended"]) == ("S-002", 3, 3)


def test_recognition_totals_payments_by_status_and_flags_only_what_waited_too_long():
    rec = report()["recognition"]
    assert [(b["status"], b["count"], b["amount"]) for b in rec["by_status"]] == [
        ("paid", 1, 50.0), ("voucher", 1, 50.0), ("pending", 2, 75.0)]
    assert (rec["total_recognised"], rec["total_pending"], rec["people_recognised"]) == (100.0, 75.0, 2)
    assert rec["expenses"] == {"total": 20.5, "by_status": [{"status": "claimed", "count": 1, "amount": 8.0},
                                                            {"status": "settled", "count": 1, "amount": 12.5}]}
    assert sorted((o["kind"], o["id"], o["days"]) for o in rec["overdue"]) == [
        ("expenses", "PAY-003", 145), ("payment", "PAY-003", 145)]
    assert [i["id"] for i in rec["items"]] == ["PAY-001", "PAY-002", "PAY-003", "PAY-004"]


def test_the_overdue_threshold_is_the_callers_choice():
    rec = report(overdue_days=5)["recognition"]
    assert ("payment", "PAY-004") in {(o["kind"], o["id"]) for o in rec["overdue"]}
    assert report(overdue_days=200)["recognition"]["overdue"] == []


def test_you_said_we_did_lists_each_item_with_its_latest_response_and_status():
    fb = report()["feedback"]
    assert (fb["count"], fb["open"], fb["overdue"]) == (4, 2, 1)
    first, refused = fb["items"][0], fb["items"][1]
    assert (first["said"], first["response"], first["status"]) == (
        "Meet in the evening, not at 2pm", "Sessions moved to 6pm on Tuesdays", "adopted")
    assert (refused["status"], refused["reason"]) == ("not-adopted", "the library closes at 5pm")
    assert [(i["id"], i["days_open"]) for i in fb["items"] if i["status"] == "open"] == [("F-003", 138), ("F-004", 5)]


def test_evidence_keeps_its_sha256_and_references():
    e = report()["evidence"]
    assert (e["count"], e["with_hash"]) == (3, 1)
    assert e["items"][0]["sha256"] == rs.SHA and e["items"][0]["file"] == "minutes-2026-01-20.pdf"
    assert e["items"][1]["ref"] == "https://example.org/board/2026-02"


@pytest.mark.parametrize(("claimed", "comparison"), [("co-design", "higher"), ("engage", "matches"),
                                                     ("consult", "lower"), (None, "not claimed")])
def test_involvement_compares_the_level_claimed_with_the_level_recommended(claimed, comparison):
    rows = [(t, a, k, {**d, "claimed": claimed} if k == "assessed" else d) for t, a, k, d in rs.sample_events()]
    inv = report(rows)["involvement"]
    assert (inv["recommended"], inv["claimed"], inv["comparison"]) == ("engage", claimed, comparison)
    assert list(inv["scores"]) == ["authority", "shared_aims", "scale", "outcomes", "resources", "delivery_role"]
    assert inv["held_back_by"] == ["delivery_role"]


def test_no_assessment_means_no_involvement_section_rather_than_a_guess():
    rows = [row for row in rs.sample_events() if row[2] != "assessed"]
    assert report(rows)["involvement"] is None


def test_the_report_says_whether_the_history_verifies():
    state = rs.sample_state()
    good = build_report(state, mini_workflow(), now=rs.NOW)["integrity"]
    assert (good["intact"], good["events"], good["head_hash"]) == (True, 35, state.head_hash)
    state.events[4] = state.events[4].replace(data={**state.events[4].data, "recommended": "co-production"})
    bad = build_report(state, mini_workflow(), now=rs.NOW)["integrity"]
    assert (bad["intact"], bad["first_bad_seq"]) == (False, 5)


def test_records_missing_optional_fields_or_holding_odd_values_still_give_a_report():
    rows = rs.sample_events()[:1] + [
        (rs.ts("2026-02-01"), "lead", "participant_added", {"id": "P-001"}),
        (rs.ts("2026-02-02"), "lead", "session_recorded", {"id": "S-001", "hours": "two"}),
        (rs.ts("2026-02-03"), "lead", "payment_recorded", {"id": "PAY-001", "amount": None, "date": "someday"}),
        (rs.ts("2026-02-04"), "lead", "feedback_recorded", {"id": "F-001", "said": "x", "date": None}),
        (rs.ts("2026-02-05"), "lead", "evidence_added", {"id": "E-001"}),
    ]
    r = report(rows)
    assert r["participation"]["total"] == 1 and r["participation"]["lived_experience"] == 0
    assert r["sessions"]["hours"] == 0
    assert r["recognition"]["by_status"] == [{"status": "unknown", "count": 1, "amount": 0.0}]
    assert r["recognition"]["overdue"] == [] and r["feedback"]["items"][0]["days_open"] is None
    json.dumps(r)  # everything in it is plain data


def test_a_project_with_nothing_recorded_reports_empty_sections_not_errors():
    r = report(rs.sample_events()[:1])
    assert (r["gates"], r["overrides"], r["reopenings"]) == ([], [], [])
    assert r["participation"]["lived_experience_share"] is None
    assert r["project"]["stage"] == {"id": "planning", "title": "Planning", "final": False,
                                     "entered": "2026-01-05T10:00:00.000000Z"}
