"""Sign-offs sign something: each records a digest of the records its gate judges, and is
out of date (in check, status and the report) once those records change; signing again is
then allowed and says what changed. With the shipped co-production planning checks."""

from __future__ import annotations

import sqlite3

from shipped import check, use_shipped

PLAN = ("sponsor-named", "sponsor-backs-plan", "decision-space", "budget-payments", "sessions-planned",
        "outcome-measures", "dpia")


def setup(run, home) -> None:
    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[actors.amensah]\nroles = ["sponsor"]\n')
    use_shipped(run, home, "coproduction", *PLAN)


def sign(run, *extra: str):
    return run("signoff", "p1", "--role", "sponsor", *extra, actor="amensah")


def record_plan(run) -> None:
    for key, value in (("sponsor", "Director of Nursing"), ("sessions_planned", "6"),
                       ("outcome_measures", "waiting time"), ("budget_payments", "1800"), ("dpia_ref", "DPIA-1")):
        assert run("record", "p1", key, value).exit_code == 0
    assert run("evidence", "add", "p1", "--kind", "decision-space", "--ref", "intranet/decision-space").exit_code == 0


def test_a_sponsor_sign_off_given_before_the_plan_existed_does_not_count(run, home):
    setup(run, home)
    signed = sign(run)
    assert signed.exit_code == 0
    assert "Not yet met at this gate" in signed.stdout
    assert "Money is set aside to pay participants" in signed.stdout  # the check's title, not its id
    assert "budget-payments" not in signed.stdout
    assert check(run, "sponsor-backs-plan")["status"] == "pass"  # nothing recorded yet: it signs what is there
    record_plan(run)
    backs = check(run, "sponsor-backs-plan")
    assert backs["status"] == "fail"
    assert "out of date" in backs["message"] and "the fact budget_payments" in backs["message"]
    assert "the decision-space evidence" in backs["message"]
    assert backs["hint"].endswith("signoff p1 --role sponsor")
    assert run("advance", "p1").exit_code == 1
    status = run("status", "p1", "--json").json()["checks"]
    assert [c["status"] for c in status if c["id"] == "sponsor-backs-plan"] == ["fail"]
    shown = run("report", "p1", "--format", "json").json()["current_gate"]["checks"]
    assert [c["status"] for c in shown if c["id"] == "sponsor-backs-plan"] == ["fail"]
    again = sign(run)
    assert again.exit_code == 0, again
    assert "Changed since your last sign-off" in again.stdout and "budget_payments" in again.stdout
    assert "Not yet met" not in again.stdout
    assert check(run, "sponsor-backs-plan")["status"] == "pass"
    assert run("advance", "p1").exit_code == 0


def test_a_change_after_signing_asks_for_the_sign_off_again(run, home):
    setup(run, home)
    record_plan(run)
    assert sign(run).exit_code == 0
    assert check(run, "sponsor-backs-plan")["status"] == "pass"
    same = sign(run)  # nothing changed: signing twice is refused as before
    assert same.exit_code == 2 and "already signed off" in same.stderr
    assert run("record", "p1", "budget_payments", "900").exit_code == 0
    backs = check(run, "sponsor-backs-plan")
    assert backs["status"] == "fail" and "the fact budget_payments changed" in backs["message"]
    assert "decision-space" not in backs["message"]


def test_records_the_gate_does_not_judge_leave_the_sign_off_standing(run, home):
    setup(run, home)
    record_plan(run)
    assert sign(run).exit_code == 0
    assert run("record", "p1", "favourite_colour", "blue").exit_code == 0
    assert run("participant", "add", "p1", "--lived-experience", "--name", "Sam Okafor").exit_code == 0
    assert check(run, "sponsor-backs-plan")["status"] == "pass"


def test_the_digest_is_in_the_history_and_json(run, home):
    setup(run, home)
    record_plan(run)
    result = sign(run, "--json")
    data = result.json()
    assert len(data["digest"]) == 64 and "fact:budget_payments" in data["parts"] and data["unmet"] == []
    with sqlite3.connect(home / ".coflow" / "coflow.db") as conn:
        last = conn.execute("SELECT data FROM events ORDER BY seq DESC LIMIT 1").fetchone()[0]
    assert data["digest"] in last
    assert run("verify", "p1").exit_code == 0


def test_a_workflow_without_digest_keeps_its_meaning(run, home):
    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        fh.write('\n[actors.amensah]\nroles = ["sponsor"]\n')
    (home / "workflows" / "old.toml").write_text(
        'schema = 1\n[workflow]\nid = "old"\nversion = "1"\n[roles]\nsponsor = { title = "Sponsor" }\n'
        '[[stages.a.checks]]\nid = "budget"\ntype = "fact"\nkey = "budget"\n'
        '[[stages.a.checks]]\nid = "signed"\ntype = "signoff"\nroles = ["sponsor"]\n'
        '[stages.end]\nfinal = true\n', encoding="utf-8")
    assert run("new", "p1", "--workflow", "old").exit_code == 0
    assert sign(run).exit_code == 0
    assert run("record", "p1", "budget", "500").exit_code == 0
    assert check(run, "signed")["status"] == "pass"


def test_digest_must_be_true_or_false(run, home):
    bad = home / "workflows" / "bad.toml"
    bad.write_text('schema = 1\n[workflow]\nid = "bad"\nversion = "1"\n[roles]\nsponsor = { title = "S" }\n'
                   '[[stages.a.checks]]\nid = "s"\ntype = "signoff"\nroles = ["sponsor"]\ndigest = "yes"\n'
                   '[stages.end]\nfinal = true\n', encoding="utf-8")
    result = run("workflow", "validate", str(bad))
    assert result.exit_code == 3 and "digest" in result.stdout + result.stderr
