"""The webhook notifier against real HTTP servers on 127.0.0.1: delivery, retries, refusals, hangs."""

from __future__ import annotations

import time

from notify_servers import HttpRecorder, add_notify, ready_to_advance, refusing_url, silent_server

HOOK = """
[[notify]]
notifier = "webhook"
events = ["advanced", "blocked"]
url_env = "COFLOW_TEST_HOOK_URL"
{extra}
"""


def hook(home, extra: str = "") -> None:
    add_notify(home, HOOK.format(extra=extra))


def rows(run, status=None):
    args = ["notify", "list", "--json"] + (["--status", status] if status else [])
    return run(*args).json()


def test_advance_posts_the_event_as_json_with_a_plain_summary(run, home, monkeypatch):
    with HttpRecorder() as server:
        monkeypatch.setenv("COFLOW_TEST_HOOK_URL", server.url())
        monkeypatch.setenv("COFLOW_TEST_HOOK_TOKEN", "t0ken-value")
        hook(home, 'bearer_env = "COFLOW_TEST_HOOK_TOKEN"')
        ready_to_advance(run)
        result = run("advance", "p1")
        assert result.exit_code == 0, result
        assert result.stderr == ""
    [request] = server.requests
    assert request["path"] == "/hook/SECRET-PART-123"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["headers"]["Authorization"] == "Bearer t0ken-value"
    body = request["body"]
    assert body["text"] == "p1 moved from 'planning' to 'delivery'"
    assert body["event"]["type"] == "advanced" and body["event"]["seq"] == 4
    assert body["event"]["data"]["from"] == "planning"
    assert body["project"] == {"id": "p1", "stage": "delivery",
                               "workflow": {"id": "mini", "version": "1", "title": "Mini workflow",
                                            "hash": body["project"]["workflow"]["hash"]}}
    assert [(r["status"], r["attempts"]) for r in rows(run)] == [("delivered", 1)]


def test_a_server_error_is_retried_with_back_off_until_it_is_accepted(run, home, monkeypatch):
    with HttpRecorder([503, 500, 200]) as server:
        monkeypatch.setenv("COFLOW_TEST_HOOK_URL", server.url())
        hook(home, "attempts = 3\nbackoff = 0.2")
        assert run("new", "p1", "--workflow", "mini").exit_code == 0
        started = time.monotonic()
        assert run("advance", "p1").exit_code == 1  # blocked: announced
        waited = time.monotonic() - started
    assert len(server.requests) == 3
    assert waited >= 0.2 + 0.4  # back-off doubles: 0.2 s, then 0.4 s
    assert [r["status"] for r in rows(run)] == ["delivered"]


def test_a_refused_request_is_not_retried(run, home, monkeypatch):
    with HttpRecorder([400]) as server:
        monkeypatch.setenv("COFLOW_TEST_HOOK_URL", server.url())
        hook(home, "backoff = 0")
        assert run("new", "p1", "--workflow", "mini").exit_code == 0
        result = run("advance", "p1")
    assert result.exit_code == 1
    assert len(server.requests) == 1
    [row] = rows(run, "failed")
    assert "answered 400" in row["last_error"] and "not retried" in row["last_error"]


def test_a_url_that_refuses_connections_keeps_the_advance_and_the_notification(run, home, monkeypatch):
    monkeypatch.setenv("COFLOW_TEST_HOOK_URL", refusing_url())
    hook(home, "attempts = 2\nbackoff = 0")
    ready_to_advance(run)
    result = run("advance", "p1")
    assert result.exit_code == 0, result
    assert "Advanced p1 from 'planning' to 'delivery'" in result.stdout
    assert "the change is saved, but the notification to notify[0] (webhook) could not be sent" in result.stderr
    assert "refused the connection" in result.stderr and "tried 2 times" in result.stderr
    assert "SECRET-PART" not in result.stderr  # the URL's secret part is never shown
    assert run("status", "p1", "--json").json()["stage"] == "delivery"
    [row] = rows(run, "failed")
    assert row["event_type"] == "advanced" and row["attempts"] == 1
    assert "SECRET-PART" not in row["last_error"]
    assert run("notify", "retry").exit_code == 1


def test_a_url_that_never_answers_times_out_in_bounded_time(run, home, monkeypatch):
    with silent_server() as url:
        monkeypatch.setenv("COFLOW_TEST_HOOK_URL", url)
        hook(home, "timeout = 0.5\nattempts = 2\nbackoff = 0.1")
        ready_to_advance(run)
        started = time.monotonic()
        result = run("advance", "p1")
        took = time.monotonic() - started
    assert result.exit_code == 0, result
    assert 1.0 <= took < 6
    assert "did not answer within 0.5 seconds (tried 2 times)" in result.stderr
    assert rows(run, "failed")[0]["event_type"] == "advanced"


def test_unset_url_variable_keeps_the_notification_until_retry_finds_it_set(run, home, monkeypatch):
    monkeypatch.delenv("COFLOW_TEST_HOOK_URL", raising=False)
    hook(home)
    ready_to_advance(run)
    result = run("advance", "p1")
    assert result.exit_code == 0, result
    assert "the environment variable COFLOW_TEST_HOOK_URL is not set" in result.stderr
    assert rows(run, "failed")[0]["attempts"] == 1
    still = run("notify", "retry")
    assert still.exit_code == 3  # a setting to fix, not a server to wait for
    with HttpRecorder() as server:
        monkeypatch.setenv("COFLOW_TEST_HOOK_URL", server.url())
        retried = run("notify", "retry")
    assert retried.exit_code == 0, retried
    assert "sent" in retried.stdout and "Sent 1 of 1." in retried.stdout
    assert server.requests[0]["body"]["event"]["type"] == "advanced"
    assert [r["status"] for r in rows(run)] == ["delivered"]


def test_a_url_that_is_not_http_is_refused(run, home, monkeypatch, tmp_path):
    monkeypatch.setenv("COFLOW_TEST_HOOK_URL", f"file://{tmp_path}/stolen")
    hook(home)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("advance", "p1").exit_code == 1
    assert "must start with https:// or http://" in rows(run, "failed")[0]["last_error"]


def test_bad_timing_settings_are_exit_3(run, home, monkeypatch):
    monkeypatch.setenv("COFLOW_TEST_HOOK_URL", "http://127.0.0.1:9/")
    hook(home, "timeout = 0\nattempts = 2.5\nbackoff = -1")
    result = run("new", "p1", "--workflow", "mini")
    assert result.exit_code == 3
    for key in ("notify[0].timeout", "notify[0].attempts", "notify[0].backoff"):
        assert key in result.stderr
