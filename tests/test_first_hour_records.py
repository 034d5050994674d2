"""Correcting what was recorded, and recording on a finished project, through the command line."""

from __future__ import annotations

from test_first_hour import finished

# -- 6. a finished project: recording warns, the report shows what came after --------------------


def test_recording_on_a_finished_project_is_kept_said_and_listed_in_the_report(run):
    finished(run)
    result = run("record", "p1", "late_note", "board asked for more")
    assert result.exit_code == 0, result  # allowed, as before
    assert "Note: p1 is finished (at its final stage 'Closed')" in result.stderr
    assert "Added after the project finished" in result.stderr and "coflow reopen p1" in result.stderr
    added = run("participant", "add", "p1")
    assert added.exit_code == 0 and "Note: p1 is finished" in added.stderr
    report = run("report", "p1", "--json").json()
    after = report["added_after_finish"]
    assert [(a["type"], a["what"]) for a in after] == [("fact_recorded", "fact 'late_note' recorded"),
                                                       ("participant_added", "participant added P-001")]
    text = run("report", "p1").stdout
    assert "**Added after it finished:** 2 records" in text
    assert "### Added after the project finished" in text and "fact 'late_note' recorded" in text
    html = run("report", "p1", "--format", "html").stdout
    assert "Added after the project finished" in html
    # the portfolio overview does not just say "finished" either
    [row] = run("report", "--all", "--json").json()["projects"]
    assert row["final"] is True and row["added_after_finish"] == 2
    assert "- Finished. 2 records added since it finished (see its report)." in run("report", "--all").stdout
    assert "2 records added since" in run("report", "--all", "--format", "html").stdout


def test_a_project_not_finished_says_nothing_and_its_report_lists_nothing_after(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    result = run("record", "p1", "sponsor", "Dr A. Mensah")
    assert result.exit_code == 0 and "finished" not in result.stderr
    assert run("report", "p1", "--json").json()["added_after_finish"] == []
    assert "Added after" not in run("report", "p1").stdout


def test_reopening_a_finished_project_ends_the_after_finish_list(run):
    finished(run)
    run("record", "p1", "late_note", "x")
    reopened = run("reopen", "p1", "--to", "delivery", "--reason", "the board asked for more")
    assert reopened.exit_code == 0 and "Note:" not in reopened.stderr
    assert run("report", "p1", "--json").json()["added_after_finish"] == []
    assert "Note:" not in run("record", "p1", "report_ref", "BR-2").stderr


# -- 8. a fact withdrawn with --unset ------------------------------------------------------------


def test_a_mistyped_fact_is_withdrawn_with_a_reason_and_the_history_keeps_both(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("record", "p1", "sponser", "Dr A. Mensah").exit_code == 0
    result = run("record", "p1", "--unset", "sponser", "--reason", "mistyped key")
    assert result.exit_code == 0, result
    assert "Withdrew the fact sponser from p1" in result.stdout
    events = run("history", "p1", "--json").json()
    assert [e["type"] for e in events[-2:]] == ["fact_recorded", "fact_unset"]
    assert events[-1]["data"] == {"key": "sponser", "reason": "mistyped key"}
    assert "withdrew the fact sponser; reason: mistyped key" in run("history", "p1").stdout
    assert run("verify", "p1").exit_code == 0
    # the fact no longer counts; the right key still does
    report = run("report", "p1", "--json")
    assert report.exit_code == 0
    run("record", "p1", "sponsor", "Dr A. Mensah")
    checks = {c["id"]: c["status"] for c in run("status", "p1", "--json").json()["checks"]}
    assert checks["sponsor-named"] == "pass"


def test_unsetting_a_fact_that_really_counted_reopens_the_check(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    run("record", "p1", "sponsor", "Dr A. Mensah")
    assert run("record", "p1", "--unset", "sponsor", "--reason", "recorded before they agreed").exit_code == 0
    checks = {c["id"]: c["status"] for c in run("status", "p1", "--json").json()["checks"]}
    assert checks["sponsor-named"] == "fail"


def test_unset_refuses_without_a_reason_an_unknown_key_and_mixed_arguments(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    run("record", "p1", "budget", "600")
    before = len(run("history", "p1", "--json").json())
    no_reason = run("record", "p1", "--unset", "budget")
    assert no_reason.exit_code == 2 and "needs a reason" in no_reason.stderr
    unknown = run("record", "p1", "--unset", "budjet", "--reason", "typo")
    assert unknown.exit_code == 2 and "no fact called 'budjet'" in unknown.stderr and "budget" in unknown.stderr
    mixed = run("record", "p1", "budget", "700", "--unset", "budget", "--reason", "x")
    assert mixed.exit_code == 2
    reason_alone = run("record", "p1", "budget", "700", "--reason", "x")
    assert reason_alone.exit_code == 2 and "--reason goes with --unset" in reason_alone.stderr
    assert run("record", "p1").exit_code == 2
    assert len(run("history", "p1", "--json").json()) == before
    assert run("record", "p1", "budget_change", "-500").exit_code == 0  # negative numbers still values


# -- 8. evidence corrected or withdrawn, the history kept -----------------------------------------


def evidence_project(run) -> None:
    assert run("new", "p1", "--workflow", "consult").exit_code == 0
    assert run("evidence", "add", "p1", "--kind", "agenda", "--ref", "DOC-7", "--title", "Options paper").exit_code == 0


def gate(run) -> dict:
    return {c["id"]: c["status"] for c in run("check", "p1", "--json").json()["checks"]}


def test_evidence_is_corrected_with_the_old_values_and_the_reason_kept(run):
    evidence_project(run)
    assert gate(run)["decision-space"] == "fail"
    result = run("evidence", "update", "p1", "E-001", "--kind", "decision-space", "--reason", "added as an agenda",
                 "--json")
    assert result.exit_code == 0, result
    record = result.json()
    assert record["kind"] == "decision-space"
    [correction] = record["corrections"]
    assert correction["before"] == {"kind": "agenda"} and correction["after"] == {"kind": "decision-space"}
    assert correction["reason"] == "added as an agenda" and correction["actor"] == "tester"
    assert gate(run)["decision-space"] == "pass"
    same = run("evidence", "update", "p1", "E-001", "--kind", "decision-space", "--reason", "again")
    assert same.exit_code == 0 and "Nothing to correct" in same.stdout
    history = run("history", "p1", "--json").json()
    assert [e["type"] for e in history].count("evidence_updated") == 1
    assert "corrected evidence E-001: kind = 'decision-space'; reason: added as an agenda" in run("history", "p1").stdout


def test_withdrawn_evidence_counts_for_no_check_but_stays_listed_and_reported(run):
    evidence_project(run)
    run("evidence", "update", "p1", "E-001", "--kind", "decision-space", "--reason", "wrong kind")
    assert gate(run)["decision-space"] == "pass"
    result = run("evidence", "withdraw", "p1", "E-001", "--reason", "belongs to another project")
    assert result.exit_code == 0, result
    assert gate(run)["decision-space"] == "fail"
    listed = run("evidence", "list", "p1")
    assert "withdrawn" in listed.stdout and "E-001" in listed.stdout
    [item] = run("evidence", "list", "p1", "--json").json()
    assert item["withdrawn"]["reason"] == "belongs to another project"
    report = run("report", "p1", "--json").json()["evidence"]
    assert report["withdrawn"] == 1 and report["items"][0]["withdrawn"]["reason"] == "belongs to another project"
    text = run("report", "p1").stdout
    assert "**withdrawn**" in text and "belongs to another project" in text
    again = run("evidence", "withdraw", "p1", "E-001", "--reason", "x")
    assert again.exit_code == 2 and "already withdrawn" in again.stderr
    corrected = run("evidence", "update", "p1", "E-001", "--title", "x", "--reason", "x")
    assert corrected.exit_code == 2 and "was withdrawn" in corrected.stderr
    assert run("verify", "p1").exit_code == 0


def test_evidence_correction_and_withdrawal_refuse_bad_input_and_write_nothing(run, tmp_path):
    evidence_project(run)
    doc = tmp_path / "minutes.txt"
    doc.write_text("minutes")
    assert run("evidence", "add", "p1", "--kind", "minutes", "--file", str(doc)).exit_code == 0
    before = len(run("history", "p1", "--json").json())
    cases = [
        (("update", "p1", "E-001", "--kind", "minutes"), "needs a reason"),
        (("update", "p1", "E-001", "--reason", "x"), "nothing to correct"),
        (("update", "p1", "E-009", "--title", "x", "--reason", "x"), "no evidence 'E-009'"),
        (("update", "p1", "E-001", "--kind", "Not A Kind!", "--reason", "x"), "kind"),
        (("update", "p1", "E-001", "--date", "2999-01-01", "--reason", "x"), "date"),
        (("update", "p1", "E-002", "--ref", "elsewhere", "--reason", "x"), "stored file"),
        (("withdraw", "p1", "E-001"), "needs a reason"),
        (("withdraw", "p1", "E-001", "--reason", "  "), "needs a reason"),
        (("withdraw", "p1", "E-404", "--reason", "x"), "no evidence 'E-404'"),
    ]
    for args, said in cases:
        result = run("evidence", *args)
        assert result.exit_code == 2, (args, result)
        assert said in result.stderr, (args, result.stderr)
    assert len(run("history", "p1", "--json").json()) == before
