"""The light command table: status, check, advance and record run without click (or pluggy,
or dataclasses), and say exactly what the click commands say, errors included."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from coflow.cli.light import parse

# Prints which heavy modules a real `coflow ...` process (through main()) had loaded at exit.
PROBE = """
import os, sys
real_exit = os._exit
def report(code):
    heavy = sorted(m for m in ("click", "pluggy", "dataclasses", "tomllib", "hashlib", "decimal", "typing") if m in sys.modules)
    sys.stdout.flush()
    sys.stderr.write("LOADED " + ",".join(heavy) + "\\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = report
sys.argv = ["coflow", *sys.argv[1:]]
from coflow.cli.main import main
main()
"""


def probe(home, *args: str, env: dict | None = None) -> tuple[int, str, str, list[str]]:
    full_env = {**os.environ, "COFLOW_ACTOR": "tester", **(env or {})}
    full_env.pop("COFLOW_TRACE_PLUGINS", None)
    proc = subprocess.run([sys.executable, "-c", PROBE, "--home", str(home), *args],
                          capture_output=True, text=True, env=full_env, timeout=60)
    lines = proc.stderr.splitlines()
    loaded = [line for line in lines if line.startswith("LOADED ")]
    assert loaded, proc.stderr
    stderr = "".join(line + "\n" for line in lines if not line.startswith("LOADED "))
    return proc.returncode, proc.stdout, stderr, [m for m in loaded[-1][7:].split(",") if m]


@pytest.fixture
def project(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    return "p1"


@pytest.mark.parametrize("args", [("check", "cp"), ("status", "cp"), ("advance", "cp", "--dry-run")])
def test_the_shipped_workflow_checks_without_openssl_or_decimal(home, run, args):
    """Its sign-off checks hash records with coflow.sha, and amounts load decimal only when typed."""
    assert run("new", "cp", "--workflow", "coproduction").exit_code == 0
    code, _out, err, loaded = probe(home, *args)
    assert code in (0, 1), err
    assert loaded == [], f"coflow {' '.join(args)} loaded {loaded}"


@pytest.mark.parametrize("args", [
    ("check", "p1"), ("check", "p1", "--json"), ("status", "p1"), ("status",), ("status", "--json"),
    ("record", "p1", "sponsor", "Dr A. Mensah"), ("record", "p1", "budget", "750"), ("advance", "p1", "--dry-run"),
])
def test_everyday_commands_load_neither_click_nor_pluggy_nor_dataclasses(home, project, args):
    """(An advance asks the workflow's state machine, pytransitions, which loads inspect.)"""
    code, _out, err, loaded = probe(home, *args)
    assert code in (0, 1), err
    # coflow.toml comes from its parsed copy; record reads plain text and whole numbers itself
    assert loaded == [], f"coflow {' '.join(args)} loaded {loaded}"


@pytest.mark.parametrize("args", [
    ("check", "p1"), ("check", "p1", "--json"), ("status", "p1"), ("status", "--json"), ("status",),
    ("check", "nope"), ("check", "bad id!"), ("status", "p2"),
    ("advance", "p1"), ("advance", "p1", "--json"), ("advance", "p1", "--dry-run", "--json"),
    ("advance", "p1", "--override", "--reason", "board said so"),
    ("record", "p1", "budget", "750"), ("record", "p1", "budjet", "750"), ("record", "p1", "bad key!", "1"),
    ("record", "p1", "sponsor", "..."), ("record", "nope", "sponsor", "x"), ("record", "p1", "dpia_ref", "YES"),
    ("advance", "p1", "--to", "delivery"),
])
def test_the_light_table_says_what_click_says(home, project, run, args):
    """Run each command line twice on two identical projects: once through the light table
    (a real process) and once through click in this process; output and exit code match."""
    assert run("new", "p2", "--workflow", "mini").exit_code == 0 or "p2" in args
    light = probe(home, *args)
    assert "click" not in light[3], light
    other = tuple("p2" if a == "p1" else a for a in args)
    clicked = run(*other)
    swap = (lambda text: text.replace("p2", "p1")) if "p1" in args else (lambda text: text)
    assert (light[0], light[1], light[2]) == (clicked.exit_code, swap(clicked.stdout), swap(clicked.stderr))


@pytest.mark.parametrize("args", [
    ("--help",), ("check", "--help"), ("check", "-h"), ("advance", "p1", "--reason", "x"),
    ("check",), ("check", "p1", "p2"), ("check", "p1", "--jsn"), ("record", "p1", "budget", "-500"),
    ("--log-format", "xml", "check", "p1"), ("--version",), ("chek", "p1"),
    ("record", "p1", "--unset", "budget"), ("record", "p1"),
])
def test_help_and_usage_errors_are_clicks_own(home, project, args):
    code, out, err, loaded = probe(home, *args)
    assert "click" in loaded, (args, loaded)
    assert code in (0, 1, 2), err
    assert "Traceback" not in err


def test_a_negative_number_is_still_recorded_through_click(home, project):
    code, out, err, _ = probe(home, "record", "p1", "budget", "-500")
    assert code == 0, err
    assert "Recorded budget = -500 for p1." in out


def test_a_plugin_check_type_loads_pluggy_and_works(home, tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "always.py").write_text(
        "import coflow\n"
        "def ok(project, params):\n"
        "    return coflow.CheckResult(True, 'fine')\n"
        "@coflow.hookimpl\n"
        "def coflow_register_checks(register):\n"
        "    register('always_ok', ok)\n", encoding="utf-8")
    (home / "workflows" / "plug.toml").write_text(
        'schema = 1\n[workflow]\nid = "plug"\nversion = "1"\ntitle = "Plug"\n'
        '[stages.start]\ntitle = "Start"\n[[stages.start.checks]]\nid = "a"\ntype = "always_ok"\ntitle = "Always"\n'
        '[stages.end]\ntitle = "End"\nfinal = true\n', encoding="utf-8")
    env = {"COFLOW_HOME": str(home)}
    full_env = {**os.environ, "COFLOW_ACTOR": "tester", **env}
    made = subprocess.run([sys.executable, "-m", "coflow", "--plugins-dir", str(plugins), "new", "p9",
                           "--workflow", "plug"], capture_output=True, text=True, env=full_env, timeout=60)
    assert made.returncode == 0, made.stderr
    code, out, err, loaded = probe(home, "--plugins-dir", str(plugins), "check", "p9")
    assert code == 0, err
    assert "[x] Always: done" in out
    assert "pluggy" in loaded and "click" not in loaded


@pytest.mark.parametrize("argv", [
    [], ["--help"], ["-h"], ["check"], ["check", "a", "b"], ["check", "a", "--help"], ["check", "a", "--"],
    ["record", "p", "k", "-5"], ["advance", "p", "--reason", "why"], ["--home"], ["--home", "--actor", "x", "check", "p"],
    ["--actor=", "check", "p"], ["--log-format", "yaml", "check", "p"], ["new", "p"], ["check", "p", "--json=1"],
    ["--verbosee", "check", "p"], ["advance", "p", "--reason"], ["check", "p", "-v"],
])
def test_the_light_table_leaves_what_it_does_not_understand_to_click(argv):
    assert parse(argv) is None


def test_the_light_table_reads_root_options_and_flags_as_click_does():
    root, command, params = parse(["-vv", "--home=/x", "--actor", "amensah", "advance", "--json", "p1",
                                   "--override", "--reason=board"])
    assert command == "advance"
    assert (root["home"], root["actor"], root["verbose"]) == ("/x", "amensah", 2)
    assert params == {"project": "p1", "dry_run": False, "override": True, "as_json": True, "reason": "board",
                      "to_stage": None}
    assert parse(["status"])[2] == {"project": None, "as_json": False}
