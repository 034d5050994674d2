"""coflow-teams: the card Teams receives, and what happens when Teams cannot be reached."""

from __future__ import annotations

import socket
from pathlib import Path

ENTRY = """
[[notify]]
notifier = "teams"
events = ["advanced", "blocked"]
url_env = "COFLOW_TEAMS_URL"
{extra}
"""


def add_notify(home, text: str) -> None:
    path = home / "coflow.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text.strip() + "\n", encoding="utf-8")


def test_an_advance_posts_an_adaptive_card_message(teams_home, teams_server, coflow_run, monkeypatch):
    received, url = teams_server
    monkeypatch.setenv("COFLOW_TEAMS_URL", url)
    add_notify(teams_home, ENTRY.format(extra=""))
    assert coflow_run("new", "p1", "--workflow", "tiny").exit_code == 0
    assert coflow_run("record", "p1", "sponsor", "yes").exit_code == 0
    result = coflow_run("advance", "p1")
    assert result.exit_code == 0, result
    assert result.stderr == ""
    [message] = received.bodies
    assert received.paths == ["/workflows/abc/triggers/manual/SIG-SECRET"]
    assert message["type"] == "message"
    [attachment] = message["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["contentUrl"] is None
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    title, facts, footer = card["body"]
    assert title == {"type": "TextBlock", "text": "p1 moved from 'planning' to 'done'", "weight": "Bolder",
                     "size": "Medium", "color": "Good", "wrap": True}
    assert facts["type"] == "FactSet"
    shown = {f["title"]: f["value"] for f in facts["facts"]}
    assert shown["Project"] == "p1" and shown["By"] == "tester" and "UTC" in shown["When"]
    assert footer["text"] == "See where it stands with: coflow status p1"


def test_a_blocked_advance_posts_a_card_in_the_attention_colour_with_the_failing_checks(
        teams_home, teams_server, coflow_run, monkeypatch):
    received, url = teams_server
    monkeypatch.setenv("COFLOW_TEAMS_URL", url)
    add_notify(teams_home, ENTRY.format(extra=""))
    assert coflow_run("new", "p1", "--workflow", "tiny").exit_code == 0
    assert coflow_run("advance", "p1").exit_code == 1
    card = received.bodies[0]["attachments"][0]["content"]
    assert card["body"][0]["color"] == "Attention"
    assert card["body"][0]["text"] == "p1 could not move on from 'planning': its gate is not met"
    assert {"title": "Checks not met", "value": "sponsor"} in card["body"][1]["facts"]


def test_messagecard_format_posts_the_legacy_connector_card(teams_home, teams_server, coflow_run, monkeypatch):
    received, url = teams_server
    monkeypatch.setenv("COFLOW_TEAMS_URL", url)
    add_notify(teams_home, ENTRY.format(extra='format = "messagecard"'))
    assert coflow_run("new", "p1", "--workflow", "tiny").exit_code == 0
    assert coflow_run("advance", "p1").exit_code == 1
    [card] = received.bodies
    assert card["@type"] == "MessageCard" and card["@context"] == "https://schema.org/extensions"
    assert card["summary"] == card["title"] == "p1 could not move on from 'planning': its gate is not met"
    assert card["themeColor"] == "C62828"
    assert {"name": "Project", "value": "p1"} in card["sections"][0]["facts"]


def test_teams_unreachable_keeps_the_advance_and_the_message(teams_home, coflow_run, monkeypatch):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    monkeypatch.setenv("COFLOW_TEAMS_URL", f"http://127.0.0.1:{port}/workflows/SIG-SECRET")
    add_notify(teams_home, ENTRY.format(extra="attempts = 1"))
    assert coflow_run("new", "p1", "--workflow", "tiny").exit_code == 0
    assert coflow_run("record", "p1", "sponsor", "yes").exit_code == 0
    result = coflow_run("advance", "p1")
    assert result.exit_code == 0
    assert "notify[0] (teams) could not be sent" in result.stderr and "refused the connection" in result.stderr
    assert "SIG-SECRET" not in result.stderr
    [row] = coflow_run("notify", "list", "--json", "--status", "failed").json()
    assert row["notifier"] == "teams" and row["event_type"] == "advanced"


def test_bad_settings_are_exit_3_naming_the_entry(teams_home, coflow_run):
    add_notify(teams_home, """
[[notify]]
notifier = "teams"
events = ["advanced"]
format = "poster"
""")
    result = coflow_run("new", "p1", "--workflow", "tiny")
    assert result.exit_code == 3
    assert "notify[0].url_env: missing" in result.stderr
    assert "notify[0].format: expected one of adaptive, messagecard" in result.stderr


def test_the_package_declares_the_coflow_entry_point():
    from coflow import toml

    meta = toml.loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    target = meta["project"]["entry-points"]["coflow"]["teams"]
    import importlib

    module = importlib.import_module(target)
    assert hasattr(module.coflow_register_notifiers, "coflow_impl")


def test_installed_package_is_found_through_its_entry_point(tmp_path, coflow_home):
    """Build and install the package (into a folder), then a real coflow process finds it."""
    import os
    import subprocess
    import sys

    import pytest

    pytest.importorskip("hatchling", reason="building the package offline needs hatchling installed")
    target = tmp_path / "site"
    built = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
                            "--target", str(target), str(Path(__file__).parents[1])],
                           capture_output=True, text=True, timeout=180)
    assert built.returncode == 0, built.stderr
    add_notify(coflow_home, ENTRY.format(extra=""))
    env = {**os.environ, "PYTHONPATH": str(target), "COFLOW_TEAMS_URL": "https://example.invalid/hook"}
    env.pop("COFLOW_LOAD_PLUGINS", None)
    checked = subprocess.run([sys.executable, "-m", "coflow", "--home", str(coflow_home), "notify", "check"],
                             capture_output=True, text=True, env=env, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.strip() == "notify[0] (teams): ready, for advanced, blocked"
