"""Deadlines and `coflow tick`: reminders, overdue notices and escalations, each sent exactly
once (reruns and racing ticks included, against a real HTTP server); `coflow due` sets a
project's own due date; status shows where a project stands."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from notify_servers import HttpRecorder, add_notify

DEADLINES = """\
schema = 1
[workflow]
id = "timed"
version = "1"
[stages.planning]
title = "Planning"
due_days = 14
remind_days = 3
escalate_days = 7
[[stages.planning.checks]]
id = "sponsor"
type = "fact"
key = "sponsor"
[stages.delivery]
title = "Delivery"
[stages.closed]
final = true
"""

ENTRIES = """
[[notify]]
notifier = "file"
events = ["reminder"]
path = "team.jsonl"

[[notify]]
notifier = "file"
events = ["overdue", "escalation"]
path = "sponsor.jsonl"
"""


def day(offset: int) -> str:
    """A date `offset` days from today (UTC): the project enters its stage today."""
    return (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=offset)).isoformat()


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def history(run, project: str = "t1") -> list[dict]:
    return run("history", project, "--json").json()


@pytest.fixture
def timed(run, home):
    (home / "workflows" / "timed.toml").write_text(DEADLINES, encoding="utf-8")
    add_notify(home, ENTRIES)
    assert run("new", "t1", "--workflow", "timed").exit_code == 0
    return run


def test_each_notice_goes_to_the_entries_that_ask_for_it_once(timed, home):
    assert timed("tick", "--as-of", day(10)).stdout.strip() == "Nothing new is due."
    dry = timed("tick", "--as-of", day(11), "--dry-run")
    assert dry.exit_code == 0, dry
    assert f"Reminder: t1: stage 'planning' is due in 3 days ({day(14)}) (for notify[0])" in dry.stdout
    assert "Dry run: nothing was sent." in dry.stdout and lines(home / "team.jsonl") == []

    sent = timed("tick", "--as-of", day(11), "--json")
    assert sent.exit_code == 0 and sent.json()["delivered"] == 1
    [reminder] = lines(home / "team.jsonl")
    assert reminder["type"] == "reminder" and reminder["data"]["due"] == day(14)
    assert timed("tick", "--as-of", day(12)).stdout.strip() == "Nothing new is due."  # the same visit and date

    late = timed("tick", "--as-of", day(16), "--json").json()
    assert [n["event"]["type"] for n in late["notices"]] == ["overdue"]
    escalated = timed("tick", "--as-of", day(21), "--json").json()
    assert [n["event"]["type"] for n in escalated["notices"]] == ["escalation"]
    assert [n["type"] for n in lines(home / "sponsor.jsonl")] == ["overdue", "escalation"]
    assert len(lines(home / "team.jsonl")) == 1  # the team's entry asked only for reminders
    assert timed("tick", "--as-of", day(30)).stdout.strip() == "Nothing new is due."
    assert {e["type"] for e in history(timed)} == {"created"}  # notices are not events in the log


def test_a_first_tick_long_after_the_date_sends_overdue_and_escalation_but_no_late_reminder(timed, home):
    result = timed("tick", "--as-of", day(25), "--json")
    assert [n["event"]["type"] for n in result.json()["notices"]] == ["overdue", "escalation"]
    assert lines(home / "team.jsonl") == []


def test_a_new_visit_to_the_stage_is_a_new_deadline(timed, home):
    assert timed("tick", "--as-of", day(16)).exit_code == 0
    assert timed("record", "t1", "sponsor", "Dr A").exit_code == 0
    assert timed("advance", "t1").exit_code == 0
    assert timed("tick", "--as-of", day(40)).stdout.strip() == "Nothing new is due."  # delivery has no due_days
    assert timed("reopen", "t1", "--to", "planning", "--reason", "plan again").exit_code == 0
    again = timed("tick", "--as-of", day(16), "--json").json()
    assert [n["event"]["type"] for n in again["notices"]] == ["overdue"]


def test_due_moves_the_date_and_the_notices_follow_it(timed, home):
    moved = timed("due", "t1", "--date", day(30), "--reason", "the data protection officer is away")
    assert moved.exit_code == 0, moved
    assert f"stage 'planning' is now due on {day(30)} (it was {day(14)})" in moved.stdout
    last = history(timed)[-1]
    assert last["type"] == "due_set" and last["data"] == {
        "stage": "planning", "date": day(30), "reason": "the data protection officer is away", "was": day(14)}
    assert timed("tick", "--as-of", day(16)).stdout.strip() == "Nothing new is due."
    status = timed("status", "t1", "--json").json()
    assert status["deadline"]["due"] == day(30) and status["deadline"]["source"] == "set"
    assert [n["event"]["type"] for n in timed("tick", "--as-of", day(31), "--json").json()["notices"]] == ["overdue"]


def test_a_due_date_set_for_a_later_stage_waits_for_it_and_ends_with_the_visit(timed):
    assert timed("due", "t1", "--date", day(5), "--stage", "delivery", "--reason", "board meets").exit_code == 0
    assert timed("status", "t1", "--json").json()["deadline"]["due"] == day(14)
    assert timed("record", "t1", "sponsor", "Dr A").exit_code == 0
    assert timed("advance", "t1").exit_code == 0
    assert timed("status", "t1", "--json").json()["deadline"]["due"] == day(5)
    assert timed("reopen", "t1", "--to", "planning", "--reason", "redo").exit_code == 0
    assert timed("record", "t1", "sponsor", "Dr B").exit_code == 0
    assert timed("advance", "t1").exit_code == 0
    assert timed("status", "t1", "--json").json()["deadline"] is None  # delivery has no due_days of its own


def started_days_ago(home, project: str, days: int) -> None:
    """Write a `timed` project into the store whose first stage began `days` days ago (the
    log's timestamps cannot be typed, so the events are chained here with that time)."""
    from report_samples import chain

    from coflow.config import load
    from coflow.engine import Engine
    from coflow.project import fold
    from coflow.storage.base import ProjectRow

    engine = Engine(load(home))
    workflow = engine.load_workflow("timed")
    when = f"{day(-days)}T09:00:00.000000Z"
    rows = [(when, "tester", "created", {"workflow": {"id": "timed", "version": "1", "title": "timed",
                                                      "path": workflow.path}, "stage": "planning"})]
    events = chain(project, rows, workflow.content_hash)
    state = fold(project, events)
    with engine.store.transaction() as tx:
        tx.save_workflow(workflow.content_hash, workflow.id, workflow.version, workflow.definition)
        tx.append(events[0])
        tx.save_project(ProjectRow(project, state.workflow_id, state.workflow_hash, state.stage, state.seq,
                                   state.head_hash, when))
    engine.store.close()


def test_status_shows_due_overdue_and_escalated(timed, home):
    assert f"Due in 14 days, on {day(14)}." in timed("status", "t1").stdout
    assert timed("due", "t1", "--date", day(0), "--reason", "urgent").exit_code == 0
    text = timed("status", "t1").stdout
    assert f"Due today, on {day(0)} (a date set for this project)." in text
    started_days_ago(home, "late", 16)
    started_days_ago(home, "later", 30)
    assert f"OVERDUE: this stage was due on {day(-2)}, 2 days ago." in timed("status", "late").stdout
    assert (f"OVERDUE and ESCALATED: this stage was due on {day(-16)}, 16 days ago."
            in timed("status", "later").stdout)
    assert timed("status", "later", "--json").json()["deadline"]["standing"] == "escalated"
    listing = timed("status").stdout
    assert f"t1: Planning (timed) - 1 required check(s) not met; due {day(0)}" in listing
    assert f"late: Planning (timed) - 1 required check(s) not met; OVERDUE (due {day(-2)})" in listing
    assert f"later: Planning (timed) - 1 required check(s) not met; ESCALATED (due {day(-16)})" in listing
    assert timed("verify").exit_code == 0
    # tick on the real clock sends what is due now: t1 is due today, the others are late
    sent = timed("tick", "--json").json()
    assert sorted((n["event"]["project"], n["event"]["type"]) for n in sent["notices"]) == [
        ("late", "overdue"), ("later", "escalation"), ("later", "overdue"), ("t1", "reminder")]


@pytest.mark.parametrize(("args", "words"), [
    (["--date", "next week", "--reason", "x"], "--date 'next week' is not a date"),
    (["--date", "2026-02-30", "--reason", "x"], "is not a date"),
    (["--date", "2099-01-01", "--reason", "  "], "setting a due date needs a reason"),
    (["--date", "2099-01-01", "--reason", "x", "--stage", "closed"], "'closed' is the final stage"),
    (["--date", "2099-01-01", "--reason", "x", "--stage", "nowhere"], "no stage called 'nowhere'"),
    (["--date", "2000-01-01", "--reason", "x"], "is before project t1 reached 'planning'"),
])
def test_bad_due_input_is_refused_writing_nothing(timed, args, words):
    before = history(timed)
    result = timed("due", "t1", *args)
    assert result.exit_code == 2, result
    assert words in result.stderr and "Traceback" not in result.stderr
    assert history(timed) == before


def test_due_needs_a_reason_option(timed):
    result = timed("due", "t1", "--date", day(3))
    assert result.exit_code == 2 and "--reason" in result.stderr


def test_tick_without_an_entry_asking_for_notices_sends_nothing_and_exits_0(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    result = run("tick")
    assert result.exit_code == 0
    assert "No [[notify]] entry in coflow.toml asks for" in result.stdout


def test_tick_as_of_must_be_a_date(timed):
    result = timed("tick", "--as-of", "tomorrow")
    assert result.exit_code == 2 and "is not a date" in result.stderr


@pytest.mark.parametrize("text", ["due_days = -3", 'due_days = "14"', "due_days = 1.5"])
def test_a_workflow_with_a_bad_due_days_is_refused(run, home, text):
    path = home / "workflows" / "bad.toml"
    path.write_text(DEADLINES.replace('"timed"', '"bad"').replace("due_days = 14", text), encoding="utf-8")
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3 and f"{path}: stages.planning.due_days" in result.stderr
    assert run("new", "b1", "--workflow", str(path)).exit_code == 3


HOOK = """
[[notify]]
notifier = "webhook"
events = ["reminder", "overdue", "escalation"]
url_env = "COFLOW_TEST_TICK_URL"
"""


def race_ticks(run, home, env: dict) -> None:
    """Six ticks started together (cron and a person at once, twice over) against a real
    HTTP server: every notice arrives exactly once, and a later tick sends nothing."""
    add_notify(home, HOOK)
    (home / "workflows" / "timed.toml").write_text(DEADLINES, encoding="utf-8")
    for project in ("t1", "t2", "t3", "t4"):
        assert run("new", project, "--workflow", "timed").exit_code == 0
    with HttpRecorder() as server:
        env = {**os.environ, **env, "COFLOW_ACTOR": "cron", "COFLOW_TEST_TICK_URL": server.url()}
        procs = [subprocess.Popen([sys.executable, "-m", "coflow", "--home", str(home), "tick", "--as-of", day(25)],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(6)]
        outcomes = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
        for proc in procs:
            proc.stdout.close()
            proc.stderr.close()
        assert all(code == 0 for code, _err in outcomes), outcomes
        received = sorted((r["body"]["event"]["project"], r["body"]["event"]["type"]) for r in server.requests)
    expected = sorted((p, kind) for p in ("t1", "t2", "t3", "t4") for kind in ("overdue", "escalation"))
    assert received == expected
    again = run("tick", "--as-of", day(26))
    assert again.exit_code == 0 and again.stdout.strip() == "Nothing new is due."


def test_racing_ticks_from_several_processes_send_each_notice_once(run, home):
    race_ticks(run, home, {})


def test_racing_ticks_on_a_postgresql_store_send_each_notice_once(run, home, pg_url, monkeypatch):
    monkeypatch.setenv("COFLOW_STORE", pg_url)
    race_ticks(run, home, {"COFLOW_STORE": pg_url})


def test_reports_show_due_overdue_and_escalated(timed, home, tmp_path):
    started_days_ago(home, "late", 16)
    started_days_ago(home, "later", 30)
    overview = timed("report", "--all", "--format", "json").json()
    rows = {r["id"]: r for r in overview["projects"]}
    assert rows["t1"]["deadline"]["standing"] == "due" and rows["t1"]["deadline"]["due"] == day(14)
    assert rows["late"]["deadline"]["standing"] == "overdue"
    assert rows["later"]["deadline"]["standing"] == "escalated"
    assert overview["deadlines"] == {"past_due": 2, "escalated": 1}
    text = timed("report", "--all", "--format", "md").stdout
    assert "- **Stages past their due date:** 2 (escalated: 1)" in text
    assert "**Overdue and escalated:** the stage was due on" in text
    out = tmp_path / "all.html"
    assert timed("report", "--all", "--format", "html", "--output", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<strong>Overdue and escalated</strong>: due" in html and "<dt>Stages past their due date</dt>" in html
    page = tmp_path / "late.html"
    assert timed("report", "late", "--format", "html", "--output", str(page)).exit_code == 0
    assert "<strong>Overdue:</strong> this stage was due on" in page.read_text(encoding="utf-8")
    project = timed("report", "late", "--format", "json").json()
    assert project["current_gate"]["deadline"]["standing"] == "overdue"
    assert "**Overdue:** the stage was due on" in timed("report", "late", "--format", "md").stdout


def test_a_notice_that_cannot_be_sent_is_kept_and_tick_still_exits_0(timed, home, monkeypatch):
    from notify_servers import refusing_url

    add_notify(home, HOOK)
    monkeypatch.setenv("COFLOW_TEST_TICK_URL", refusing_url())
    result = timed("tick", "--as-of", day(16))
    assert result.exit_code == 0, result
    assert "could not be sent now; it is kept, and `coflow notify retry` sends it." in result.stderr
    failed = timed("notify", "list", "--status", "failed", "--json").json()
    assert [(row["project"], row["event_type"]) for row in failed] == [("t1", "overdue")]
    assert timed("tick", "--as-of", day(17)).stdout.strip() == "Nothing new is due."  # kept, not queued again
    assert timed("notify", "retry").exit_code == 1  # still cannot be sent: retry says so


def test_notify_overdue_and_tick_share_the_once_only_rule(timed, home):
    first = timed("notify", "overdue", "--as-of", day(16), "--json")
    assert first.exit_code == 0 and [n["event"]["type"] for n in first.json()["overdue"]] == ["overdue"]
    later = timed("tick", "--as-of", day(16), "--json").json()
    assert later["notices"] == []  # the overdue notice went already; no reminder this late
