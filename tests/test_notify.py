"""Notifications: [[notify]] settings, the outbox, the file and log notifiers, overdue reminders."""

from __future__ import annotations

import json
import textwrap

from notify_servers import add_notify, ready_to_advance

FILE_ALL = """
[[notify]]
notifier = "file"
events = ["*"]
path = "out/all.jsonl"
"""


def lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def outbox(run, status=None):
    args = ["notify", "list", "--json"] + (["--status", status] if status else [])
    result = run(*args)
    assert result.exit_code == 0, result
    return result.json()


def history_types(run, project="p1"):
    return [e["type"] for e in run("history", project, "--json").json()]


# -- delivery ---------------------------------------------------------------------------------


def test_file_notifier_appends_one_json_line_per_event_and_marks_each_delivered(run, home):
    add_notify(home, FILE_ALL)
    ready_to_advance(run)
    assert run("advance", "p1").exit_code == 0
    written = lines(home / "out" / "all.jsonl")
    assert [e["type"] for e in written] == ["created", "fact_recorded", "fact_recorded", "advanced"]
    assert [e["seq"] for e in written] == [1, 2, 3, 4]
    assert written[-1]["data"]["from"] == "planning" and written[-1]["data"]["to"] == "delivery"
    rows = outbox(run)
    assert [(r["seq"], r["status"], r["attempts"], r["event_type"]) for r in rows] == [
        (1, "delivered", 1, "created"), (2, "delivered", 1, "fact_recorded"),
        (3, "delivered", 1, "fact_recorded"), (4, "delivered", 1, "advanced")]


def test_entries_get_only_the_events_they_name_and_overridden_means_an_advance_by_override(run, home):
    add_notify(home, """
[actors.tester]
permissions = ["override"]

[[notify]]
notifier = "file"
events = ["blocked"]
path = "blocked.jsonl"

[[notify]]
notifier = "file"
events = ["overridden"]
path = "overridden.jsonl"
""")
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("advance", "p1").exit_code == 1
    assert run("advance", "p1", "--override", "--reason", "board agreed to start").exit_code == 0
    assert run("record", "p1", "report_ref", "BR-1").exit_code == 0
    assert run("advance", "p1").exit_code == 0  # a plain advance: not "overridden"
    blocked = lines(home / "blocked.jsonl")
    assert [e["type"] for e in blocked] == ["blocked"]
    overridden = lines(home / "overridden.jsonl")
    assert len(overridden) == 1
    assert overridden[0]["type"] == "advanced"
    assert overridden[0]["data"]["override"]["reason"] == "board agreed to start"
    assert len(outbox(run)) == 2


def test_without_notify_entries_nothing_is_queued(run):
    ready_to_advance(run)
    assert run("advance", "p1").exit_code == 0
    assert outbox(run) == []
    assert run("notify", "list").stdout.strip() == "No notifications yet."


def test_log_notifier_writes_a_structured_line_on_stderr_whatever_the_log_level(run_process, home):
    add_notify(home, """
[[notify]]
notifier = "log"
events = ["blocked"]
""")
    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    result = run_process("advance", "p1", env={"COFLOW_LOG_LEVEL": "warning", "COFLOW_LOG_FORMAT": "json"})
    assert result.exit_code == 1
    logged = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    notes = [entry for entry in logged if entry.get("event") == "notification"]
    assert len(notes) == 1
    assert notes[0]["project"] == "p1" and notes[0]["type"] == "blocked" and notes[0]["seq"] == 2


# -- a failing notifier never undoes a change ---------------------------------------------------


def test_failed_delivery_keeps_the_advance_warns_in_plain_words_and_retry_sends_it_later(run, home):
    add_notify(home, """
[[notify]]
notifier = "file"
events = ["advanced"]
path = "out/notes.jsonl"
""")
    ready_to_advance(run)
    (home / "out" / "notes.jsonl").mkdir(parents=True)  # a folder where the file should be
    result = run("advance", "p1")
    assert result.exit_code == 0, result
    assert "Advanced p1" in result.stdout
    assert "the change is saved" in result.stderr
    assert "notify[0] (file)" in result.stderr and "coflow notify retry" in result.stderr
    assert "Traceback" not in result.stderr
    assert history_types(run)[-1] == "advanced"
    assert run("status", "p1", "--json").json()["stage"] == "delivery"
    [row] = outbox(run, "failed")
    assert row["attempts"] == 1 and "cannot write to" in row["last_error"]
    listed = run("notify", "list")
    assert "FAILED after 1 attempt" in listed.stdout and "1 not sent yet" in listed.stdout

    still = run("notify", "retry")
    assert still.exit_code == 1
    assert "NOT SENT" in still.stdout
    assert outbox(run, "failed")[0]["attempts"] == 2

    (home / "out" / "notes.jsonl").rmdir()
    again = run("notify", "retry", "--json")
    assert again.exit_code == 0, again
    assert again.json()["delivered"] == 1 and again.json()["failed"] == 0
    assert [e["type"] for e in lines(home / "out" / "notes.jsonl")] == ["advanced"]
    [row] = outbox(run)
    assert row["status"] == "delivered" and row["attempts"] == 3 and row["last_error"] is None
    assert run("notify", "retry").stdout.startswith("Nothing to send")


def test_a_plugin_notifier_that_raises_is_a_failed_delivery_naming_it(run, home, tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "broken_notifier.py").write_text(textwrap.dedent("""
        import coflow

        def explode(event, project, config):
            raise RuntimeError("the pager service is down")

        @coflow.hookimpl
        def coflow_register_notifiers(register):
            register("pager", explode)
    """), encoding="utf-8")
    toml = home / "coflow.toml"
    toml.write_text(f'plugins_dir = "{plugins}"\n' + toml.read_text(encoding="utf-8")
                    + '\n[[notify]]\nnotifier = "pager"\nevents = ["blocked"]\n', encoding="utf-8")
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    result = run("advance", "p1")
    assert result.exit_code == 1  # blocked by the gate, not by the notifier
    assert "the pager notifier failed: RuntimeError: the pager service is down" in result.stderr
    assert history_types(run) == ["created", "blocked"]
    assert outbox(run, "failed")[0]["notifier"] == "pager"


def test_a_notifier_that_hangs_is_given_up_on_and_kept(run, home, tmp_path, monkeypatch):
    from coflow.notify import outbox as outbox_module

    monkeypatch.setattr(outbox_module, "_limit", lambda entry: 0.5)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "slow_notifier.py").write_text(textwrap.dedent("""
        import threading
        import coflow

        def hang(event, project, config):
            threading.Event().wait(30)

        @coflow.hookimpl
        def coflow_register_notifiers(register):
            register("slow", hang)
    """), encoding="utf-8")
    toml = home / "coflow.toml"
    toml.write_text(f'plugins_dir = "{plugins}"\n' + toml.read_text(encoding="utf-8")
                    + '\n[[notify]]\nnotifier = "slow"\nevents = ["created"]\n', encoding="utf-8")
    import time

    started = time.monotonic()
    result = run("new", "p1", "--workflow", "mini")
    assert time.monotonic() - started < 10
    assert result.exit_code == 0
    assert "still working after 0.5 seconds" in result.stderr
    assert outbox(run, "failed")[0]["notifier"] == "slow"


# -- bad settings: exit 3, nothing written ------------------------------------------------------


def test_a_notifier_nobody_provides_is_exit_3_naming_the_entry_and_nothing_is_written(run, home):
    add_notify(home, """
[[notify]]
notifier = "teams"
events = ["advanced"]
url_env = "COFLOW_TEAMS_URL"
""")
    ready = run("new", "p1", "--workflow", "mini")
    assert ready.exit_code == 3
    assert "notify[0].notifier: no plugin provides a notifier called 'teams'" in ready.stderr
    assert "webhook" in ready.stderr  # the known ones are listed
    assert "Traceback" not in ready.stderr
    assert run("status", "--json").json() == []  # the project was not created
    checked = run("notify", "check")
    assert checked.exit_code == 3 and "notify[0].notifier" in checked.stderr


def test_bad_settings_are_all_reported_with_their_keys(run, home):
    add_notify(home, """
[[notify]]
notifier = "webhook"
events = ["advance"]

[[notify]]
notifier = "email"
events = "blocked"
host = "smtp.example.org"
from = "coflow@example.org"
to = ["team@example.org"]
username_env = "SMTP_USER"
colour = "red"

[[notify]]
notifier = "file"
events = ["advanced"]
stage_days = 10
""")
    result = run("notify", "check")
    assert result.exit_code == 3
    err = result.stderr
    assert "notify[0].url_env: missing" in err
    assert "notify[0].events: 'advance' is not an event coflow records" in err
    assert "notify[1].events: expected a list of event names" in err
    assert "notify[1].username_env / password_env: give both" in err
    assert "notify[1].colour: unknown setting" in err
    assert "notify[2].path: missing" in err
    assert "notify[2].stage_days: only used for \"overdue\"" in err


def test_a_secret_written_in_coflow_toml_is_refused(run, home):
    add_notify(home, """
[[notify]]
notifier = "webhook"
events = ["advanced"]
url_token = "abc123"
""")
    result = run("notify", "check")
    assert result.exit_code == 3
    assert "notify[0].url_token" in result.stderr and "environment variable" in result.stderr


def test_notify_check_reports_unset_environment_variables_and_ready_entries(run, home, monkeypatch):
    add_notify(home, """
[[notify]]
notifier = "webhook"
events = ["advanced", "blocked"]
url_env = "COFLOW_TEST_HOOK_URL"
""")
    monkeypatch.delenv("COFLOW_TEST_HOOK_URL", raising=False)
    missing = run("notify", "check")
    assert missing.exit_code == 3
    assert "notify[0].url_env: the environment variable COFLOW_TEST_HOOK_URL is not set" in missing.stderr
    monkeypatch.setenv("COFLOW_TEST_HOOK_URL", "http://127.0.0.1:9/hook")
    ok = run("notify", "check")
    assert ok.exit_code == 0, ok
    assert ok.stdout.strip() == "notify[0] (webhook): ready, for advanced, blocked"


def test_retry_of_a_notification_whose_entry_was_removed_is_exit_3(run, home):
    add_notify(home, """
[[notify]]
notifier = "file"
events = ["created"]
path = "out"
""")
    (home / "out").mkdir()
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    toml = home / "coflow.toml"
    toml.write_text(toml.read_text(encoding="utf-8").split("[[notify]]")[0], encoding="utf-8")
    result = run("notify", "retry")
    assert result.exit_code == 3
    assert "no longer has the [[notify]] entry" in result.stdout
    assert outbox(run, "failed")[0]["attempts"] == 2


# -- personal data never leaves ----------------------------------------------------------------


def test_personal_details_never_appear_in_a_notification(run, home):
    add_notify(home, FILE_ALL)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    added = run("participant", "add", "p1", "--lived-experience", "--category", "carer", "--name", "Jo Bloggs",
                "--email", "jo.bloggs@example.org", "--access-needs", "step-free access")
    assert added.exit_code == 0, added
    # a careless free-text fact naming the person: stored in the log, but not sent on
    assert run("record", "p1", "note", "Call JO BLOGGS at jo.bloggs@example.org about step-free access").exit_code == 0
    text = (home / "out" / "all.jsonl").read_text(encoding="utf-8")
    for detail in ("Jo Bloggs", "JO BLOGGS", "jo.bloggs@example.org", "step-free access"):
        assert detail not in text
    last = lines(home / "out" / "all.jsonl")[-1]
    assert last["data"]["value"] == ("Call [personal details removed] at [personal details removed] "
                                     "about [personal details removed]")
    added = [e for e in lines(home / "out" / "all.jsonl") if e["type"] == "participant_added"]
    assert added[0]["data"]["id"] == "P-001" and added[0]["data"]["category"] == "carer"


def test_a_notification_is_held_back_while_the_store_cannot_give_the_details_to_remove(run, home, monkeypatch):
    from coflow.errors import StoreError
    from coflow.storage.sqlite import SqliteStore

    add_notify(home, FILE_ALL)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("participant", "add", "p1", "--name", "Jo Bloggs").exit_code == 0

    def unreadable(self, project):
        raise StoreError("the personal table is unreadable")

    with monkeypatch.context() as patch:
        patch.setattr(SqliteStore, "personal_for_project", unreadable)
        result = run("record", "p1", "note", "Call Jo Bloggs")
        assert result.exit_code == 0, result  # the change itself is saved
        assert "held back, not sent" in result.stderr and "the personal table is unreadable" in result.stderr
        assert "coflow notify retry" in result.stderr
        [row] = outbox(run, "pending")
        assert row["event_type"] == "fact_recorded" and row["attempts"] == 0 and row["last_error"] is None
        again = run("notify", "retry", "--json")
        assert again.exit_code == 1 and again.json()["results"][0]["held"] is True
        assert outbox(run, "pending")[0]["attempts"] == 0
    assert "Jo Bloggs" not in (home / "out" / "all.jsonl").read_text(encoding="utf-8")

    sent = run("notify", "retry")
    assert sent.exit_code == 0, sent
    assert lines(home / "out" / "all.jsonl")[-1]["data"]["value"] == "Call [personal details removed]"
    assert outbox(run, "pending") == []


# -- overdue reminders ----------------------------------------------------------------------------


OVERDUE = """
[[notify]]
notifier = "file"
events = ["overdue"]
path = "overdue.jsonl"
"""


def _pending_payment(run, date):
    assert run("participant", "add", "p1", "--lived-experience").exit_code == 0
    paid = run("payment", "add", "p1", "--participant", "P-001", "--amount", "25", "--status", "pending",
               "--date", date)
    assert paid.exit_code == 0, paid


def test_overdue_sends_one_reminder_per_payment_pending_too_long(run, home):
    add_notify(home, OVERDUE)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    _pending_payment(run, "2020-01-06")
    dry = run("notify", "overdue", "--dry-run", "--as-of", "2020-02-10")
    assert dry.exit_code == 0, dry
    assert "p1: payment PAY-001 has been pending for 35 days" in dry.stdout
    assert not (home / "overdue.jsonl").exists()

    assert run("notify", "overdue", "--as-of", "2020-02-05").stdout.strip() == "Nothing new is overdue."
    sent = run("notify", "overdue", "--json", "--as-of", "2020-02-10")
    assert sent.exit_code == 0, sent
    assert sent.json()["delivered"] == 1
    [reminder] = lines(home / "overdue.jsonl")
    assert reminder["type"] == "overdue" and reminder["project"] == "p1"
    assert reminder["data"] == {"kind": "payment", "id": "PAY-001", "participant": "P-001",
                                "since": "2020-01-06", "days": 35, "limit": 30}
    assert run("notify", "overdue", "--as-of", "2020-03-01").stdout.strip() == "Nothing new is overdue."
    assert "overdue" not in history_types(run)  # a reminder is not an event in the log


def test_overdue_stage_uses_stage_days_of_the_entry(run, home):
    add_notify(home, OVERDUE + "stage_days = 14\n")
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    import datetime as dt

    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    later = (dt.date.today() + dt.timedelta(days=20)).isoformat()
    assert run("notify", "overdue", "--as-of", soon).stdout.strip() == "Nothing new is overdue."
    result = run("notify", "overdue", "--as-of", later)
    assert result.exit_code == 0, result
    assert "p1 has been at stage 'planning' for 20 days" in result.stdout
    [reminder] = lines(home / "overdue.jsonl")
    assert reminder["data"]["kind"] == "stage" and reminder["data"]["limit"] == 14


def test_overdue_without_an_entry_asking_for_it_is_exit_0_and_sends_nothing(run, home):
    """Nothing is wrong with coflow.toml when no one asked for reminders: say so, exit 0."""
    add_notify(home, FILE_ALL)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    result = run("notify", "overdue", "--as-of", "2099-01-01")
    assert result.exit_code == 0, result
    assert 'No [[notify]] entry in coflow.toml asks for "overdue" reminders' in result.stderr
    assert "Overdue:" not in result.stdout
    assert not any('"overdue"' in line for line in (home / "out" / "all.jsonl").read_text().splitlines()
                   if '"type": "overdue"' in line)


def test_overdue_as_of_must_be_a_date(run, home):
    add_notify(home, OVERDUE)
    result = run("notify", "overdue", "--as-of", "next tuesday")
    assert result.exit_code == 2 and "is not a date" in result.stderr
