"""Logging goes to stderr only when asked; unexpected errors give one line and a log file."""

from __future__ import annotations

import json
import re
import stat
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_default_run_logs_nothing_and_never_imports_structlog(run_process):
    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    profile = {"PYTHONPROFILEIMPORTTIME": "1"}
    for args in (("status", "p1"), ("record", "p1", "sponsor", "Dr A"), ("advance", "p1")):
        quiet = run_process(*args, env=profile)
        assert "structlog" not in quiet.stderr, args
    logged = run_process("-v", "record", "p1", "budget", "600", env=profile)
    assert "structlog" in logged.stderr  # the check above can fail: logging does import it


def test_json_logs_name_project_actor_and_stage(run_process):
    run_process("new", "p1", "--workflow", "mini")
    result = run_process("--log-format", "json", "record", "p1", "sponsor", "Dr A")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    entry = [x for x in lines if x["event"] == "fact_recorded"][0]
    assert entry["project"] == "p1" and entry["actor"] == "tester" and entry["stage"] == "planning"
    assert "Dr A" not in result.stderr  # the value is in the audit log, not stderr


def test_log_level_from_environment(run_process):
    result = run_process("new", "p1", "--workflow", "mini", env={"COFLOW_LOG_LEVEL": "info", "COFLOW_LOG_FORMAT": "json"})
    assert '"event": "project_created"' in result.stderr


def test_unexpected_error_prints_one_line_and_keeps_the_traceback_in_a_file(run_process, home, tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "broken_command.py").write_text(
        "import click\nimport coflow\n\n"
        "@click.command()\ndef explode():\n    raise ValueError('boom')\n\n"
        "@coflow.hookimpl\ndef coflow_register_commands(cli):\n    cli.add_command(explode)\n",
        encoding="utf-8",
    )
    result = run_process("--plugins-dir", str(plugins), "explode")
    assert result.exit_code == 70
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "ValueError: boom" in lines[0]
    log_path = Path(re.search(r"The details are in (\S+)", lines[0]).group(1))
    assert "Traceback" in log_path.read_text() and "boom" in log_path.read_text()


def test_console_script_and_module_both_run():
    proc = subprocess.run([sys.executable, "-m", "coflow", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "coflow" in proc.stdout


def test_output_piped_to_a_reader_that_stops_early_is_not_an_error(run_process, home):
    import os

    from coflow import config
    from coflow.engine import Engine

    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    engine = Engine(config.load(home))
    for n in range(200):  # far more than a pipe buffer holds, so the write must meet a closed pipe
        engine.record_fact("p1", f"k{n}", "x" * 1000, "tester")
    engine.store.close()
    reader = subprocess.Popen(["head", "-n", "1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    proc = subprocess.run([sys.executable, "-m", "coflow", "--home", str(home), "history", "p1"],
                          stdout=reader.stdin, stderr=subprocess.PIPE, text=True,
                          env={**os.environ, "COFLOW_ACTOR": "tester"})
    reader.stdin.close()
    reader.wait()
    assert "unexpected problem" not in proc.stderr and "Traceback" not in proc.stderr
    assert proc.returncode in (0, 141)


# -- crash logs: private files holding no typed values ------------------------------------------

BROKEN_GROUP = """\
import click
import coflow

@click.group()
def outreach():
    "Plugin commands."

@outreach.command()
@click.option("--name")
@click.option("--email")
def invite(name, email):
    raise ValueError("invite failed")

@coflow.hookimpl
def coflow_register_commands(cli):
    cli.add_command(outreach)
"""


def test_a_crash_log_names_the_subcommand_but_never_the_values_typed(run_process, tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "outreach.py").write_text(BROKEN_GROUP, encoding="utf-8")
    result = run_process("--plugins-dir", str(plugins), "outreach", "invite",
                         "--name", "Zebedee Quartermain", "--email", "zq@example.org")
    assert result.exit_code == 70, result
    path = Path(re.search(r"The details are in (\S+)", result.stderr).group(1))
    text = path.read_text(encoding="utf-8")
    assert "command: coflow outreach invite\n" in text and "ValueError: invite failed" in text
    assert "Zebedee" not in text and "zq@example.org" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_two_failures_in_the_same_second_keep_two_files(home):
    from coflow.log import write_traceback

    folder = home / ".coflow"
    paths = [write_traceback(folder, ValueError(f"failure {n}"), command="coflow advance") for n in range(3)]
    assert len(set(paths)) == 3
    for n, path in enumerate(paths):
        assert path.parent == folder / "logs" and path.name.startswith("coflow-error-")
        assert path.suffix == ".log" and f"failure {n}" in path.read_text(encoding="utf-8")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_without_a_coflow_folder_the_crash_log_goes_to_a_private_user_folder(tmp_path, monkeypatch):
    from coflow.log import write_traceback

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = write_traceback(None, RuntimeError("no folder"))
    assert path.parent == tmp_path / "state" / "coflow" / "logs"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("command: coflow\n")
