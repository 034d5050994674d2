"""For plugin authors: `coflow plugins`, the coflow.testing fixtures, and `coflow plugin new`."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from plugin_helpers import DPIA_PLUGIN, install_to_target, run_pytest, write_plugin

from coflow import __version__

# -- coflow plugins ---------------------------------------------------------------------------


def test_plugins_lists_each_plugin_with_version_origin_location_and_hooks(run, tmp_path):
    path = write_plugin(tmp_path / "p", "ig_policy", DPIA_PLUGIN)
    result = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 0
    out = result.stdout
    assert f"coflow.checks.builtin {__version__} (built-in)" in out
    assert f"ig_policy (plugins folder)\n  at: {path}\n  hooks: coflow_register_checks\n  check types: dpia_registered" in out
    assert "stores: postgres, postgresql, sqlite" in out
    rows = run("--plugins-dir", str(tmp_path / "p"), "plugins", "--json").json()
    assert set(rows[0]) == {"name", "version", "origin", "package", "location", "hooks", "check_types",
                            "storage", "notifiers"}
    assert [r["origin"] for r in rows][:3] == ["built-in", "built-in", "built-in"]


def test_plugins_works_outside_a_coflow_folder(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from coflow.cli.main import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COFLOW_HOME", raising=False)
    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    assert "coflow.checks.builtin" in {row["name"] for row in __import__("json").loads(result.stdout)}


# -- coflow.testing ---------------------------------------------------------------------------

AUTHOR_TESTS = '''
import coflow
import pytest
from coflow.testing import make_view


class Veto:
    @coflow.hookimpl
    def coflow_before_advance(self, project, source, dest):
        return "the finance team has not agreed"


WORKFLOW = """
schema = 1
[workflow]
id = "tiny"
version = "1"
[stages.a]
[stages.b]
final = true
"""


def test_1_a_registered_plugin_is_seen_by_the_command_line(coflow_plugin, coflow_workflow, coflow_run):
    coflow_plugin(Veto(), "finance_veto")
    coflow_workflow(WORKFLOW)
    assert coflow_run("new", "p1", "--workflow", "tiny").exit_code == 0
    result = coflow_run("check", "p1", "--json")
    assert result.exit_code == 1
    assert result.json()["checks"][0]["id"] == "veto:finance_veto"


def test_2_it_is_gone_in_the_next_test(coflow_run):
    names = {row["name"] for row in coflow_run("plugins", "--json").json()}
    assert "finance_veto" not in names and "coflow.checks.builtin" in names


def test_home_engine_and_store(coflow_home, coflow_engine, coflow_store, coflow_workflow):
    assert (coflow_home / "coflow.toml").is_file()
    coflow_workflow(WORKFLOW)
    coflow_engine.create("p2", "tiny", "tester")
    assert [row.id for row in coflow_store.projects()] == ["p2"]


def test_make_view_builds_a_read_only_view():
    view = make_view({"sponsor": "Dr A"}, payments=[{"amount": 25, "status": "paid"}], stage="delivery")
    assert view.facts["sponsor"] == "Dr A" and view.stage == "delivery"
    assert view.payments[0].id == "PAY-001" and view.payments[0]["amount"] == 25
    with pytest.raises(AttributeError):
        view.stage = "closed"
'''


def test_coflow_testing_fixtures_work_in_a_plugin_authors_own_test_run(tmp_path):
    (tmp_path / "test_author.py").write_text(AUTHOR_TESTS, encoding="utf-8")
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_coflow_testing_is_import_light():
    """pytest loads coflow.testing in every run: it may add nothing heavy to pytest's own imports."""

    def imported(code: str) -> set[str]:
        proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code],
                              capture_output=True, text=True, timeout=60)
        return set(re.findall(r"\|\s+(\S+)$", proc.stderr, re.MULTILINE))

    extra = imported("import pytest; import coflow.testing") - imported("import pytest")
    assert {"coflow", "coflow.testing"} <= extra
    assert not {m for m in extra if m.startswith("coflow.")} - {"coflow.testing"}
    assert not {"click", "sqlite3", "structlog", "transitions"} & extra
    assert len(extra) <= 8, sorted(extra)


# -- coflow plugin new ------------------------------------------------------------------------


def test_plugin_new_scaffolds_a_package_whose_tests_pass_straight_away(run, tmp_path):
    result = run("plugin", "new", "training-records", "--dir", str(tmp_path))
    assert result.exit_code == 0, result
    package = tmp_path / "coflow-training-records"
    files = sorted(str(p.relative_to(package)) for p in package.rglob("*") if p.is_file())
    assert files == ["README.md", "pyproject.toml", "src/coflow_training_records/__init__.py",
                     "tests/test_training_records.py"]
    assert '[project.entry-points.coflow]\ntraining_records = "coflow_training_records"' in \
        (package / "pyproject.toml").read_text()
    tests = run_pytest(package)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout


@pytest.mark.slow
def test_plugin_new_package_installs_and_loads_through_its_entry_point(run, run_process, tmp_path):
    assert run("plugin", "new", "coflow-room-bookings", "--dir", str(tmp_path)).exit_code == 0
    site = install_to_target(tmp_path / "coflow-room-bookings", tmp_path)
    result = run_process("plugins", "--json", env={"PYTHONPATH": str(site)})
    row = {r["name"]: r for r in result.json()}["room_bookings"]
    assert row["origin"] == "entry point" and row["package"] == "coflow_room_bookings"
    assert row["version"] == "0.1.0" and row["check_types"] == ["room_bookings"]


@pytest.mark.parametrize("name", ["Training Records", "1st-policy", "policy--x", "../escape", ""])
def test_plugin_new_refuses_names_it_cannot_use(run, tmp_path, name):
    result = run("plugin", "new", name, "--dir", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "is not a usable plugin name" in result.stderr
    assert not (tmp_path / "out").exists()


def test_plugin_new_writes_nothing_over_an_existing_folder(run, tmp_path):
    existing = tmp_path / "out" / "coflow-rates"
    existing.mkdir(parents=True)
    (existing / "notes.txt").write_text("mine")
    result = run("plugin", "new", "rates", "--dir", str(tmp_path / "out"))
    assert result.exit_code == 2 and "already exists, so nothing was written" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["coflow-rates"]
    assert [p.name for p in existing.iterdir()] == ["notes.txt"]


def test_plugin_new_accepts_the_name_with_or_without_the_coflow_prefix(run, tmp_path):
    assert run("plugin", "new", "coflow-dpia_rules", "--dir", str(tmp_path / "a")).exit_code == 0
    assert (tmp_path / "a" / "coflow-dpia-rules" / "src" / "coflow_dpia_rules" / "__init__.py").is_file()
    text = (tmp_path / "a" / "coflow-dpia-rules" / "src" / "coflow_dpia_rules" / "__init__.py").read_text()
    assert 'register("dpia_rules", check, validate=validate)' in text
    assert textwrap.dedent(text).startswith('"""coflow plugin: the `dpia_rules` check type.')


# -- docs/plugins.md: the tutorial's code does what the tutorial says -------------------------

TUTORIAL = (Path(__file__).resolve().parent.parent / "docs" / "plugins.md").read_text(encoding="utf-8")


def tutorial_file(name: str) -> str:
    """The code block the tutorial marks with <!-- file: NAME -->."""
    match = re.search(rf"<!-- file: {re.escape(name)} -->\n```\w+\n(.*?)```", TUTORIAL, re.DOTALL)
    assert match, f"docs/plugins.md has no block for {name}"
    return match.group(1)


def test_tutorial_check_type_gates_a_project_as_the_tutorial_shows(home, run):
    (home / "plugins").mkdir()
    (home / "plugins" / "training_policy.py").write_text(tutorial_file("plugins/training_policy.py"))
    (home / "coflow.toml").write_text('plugins_dir = "plugins"\n' + (home / "coflow.toml").read_text())
    panel = home / "workflows" / "panel.toml"
    panel.write_text(tutorial_file("workflows/panel.toml"))
    assert run("workflow", "validate", str(panel)).stdout == f"{panel}: valid (panel)\n"
    assert run("new", "panel-2026", "--workflow", "panel").exit_code == 0
    assert run("participant", "add", "panel-2026", "--lived-experience").exit_code == 0
    status = run("status", "panel-2026").stdout
    assert "[ ] Every panel member has had training this year: missing" in status
    assert "no training in the last 12 months for P-001" in status
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    assert run("participant", "update", "panel-2026", "P-001", "--training", today).exit_code == 0
    assert run("check", "panel-2026").exit_code == 0
    panel.write_text(tutorial_file("workflows/panel.toml").replace("within_months = 12", 'within_months = "twelve"'))
    bad = run("workflow", "validate", str(panel))
    assert bad.exit_code == 3
    assert ("stages.setup.checks[0].within_months: expected a whole number of months, 1 or more, "
            "found 'twelve'") in bad.stderr


def test_tutorial_tests_pass_against_the_tutorial_plugin(tmp_path):
    package = tmp_path / "coflow-training-policy"
    (package / "src" / "coflow_training_policy").mkdir(parents=True)
    (package / "tests").mkdir()
    (package / "pyproject.toml").write_text('[tool.pytest.ini_options]\npythonpath = ["src"]\n')
    (package / "src" / "coflow_training_policy" / "__init__.py").write_text(
        tutorial_file("plugins/training_policy.py"))
    (package / "tests" / "test_training_policy.py").write_text(tutorial_file("tests/test_training_policy.py"))
    result = run_pytest(package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


# The tutorial run literally: every `$ command` it shows, in order, with the output it shows.
# What the prose asks for between commands (write a file, move code in) is done first.
# Without network, `pip install -e .` becomes: pip resolving the package offline against the
# coflow installed here (a dry run, so this environment is not changed), then the package
# built and installed into a folder of its own, put on PYTHONPATH for the later commands.
TUTORIAL_COMMANDS = [
    "coflow plugins",
    "coflow workflow validate workflows/panel.toml",
    "coflow new panel-2026 --workflow panel",
    "coflow participant add panel-2026 --lived-experience",
    "coflow status panel-2026",
    "coflow workflow validate workflows/panel.toml",
    "coflow plugin new training-policy",
    "cd coflow-training-policy",
    "pip install pytest",
    "python -m pytest",
    "pip install -e .",
    "rm ../plugins/training_policy.py",
    "coflow plugins",
    "python -m pytest",
]


def tutorial_commands() -> list[tuple[str, list[str]]]:
    """Each `$ command` of the tutorial with the output lines it shows under it."""
    steps: list[tuple[str, list[str]]] = []
    for line in TUTORIAL.splitlines():
        if line.startswith("    $ "):
            steps.append((line[6:].split("  #")[0].strip(), []))
        elif steps and line.startswith("    ") and steps[-1][1][-1:] != [None]:
            steps[-1][1].append(line.strip())
        elif steps:
            steps[-1][1].append(None)  # a blank or prose line ends the shown output
    return [(command, [o for o in shown if o is not None and o != "..."]) for command, shown in steps]


@pytest.mark.slow
def test_the_tutorial_runs_as_written_from_a_plugins_folder_to_an_installed_package(home, tmp_path):
    import os
    import shlex

    steps = tutorial_commands()
    assert [command for command, _ in steps] == TUTORIAL_COMMANDS
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COFLOW_", "PYTEST_"))}
    env["COFLOW_ACTOR"] = "tester"
    cwd = home
    package = home / "coflow-training-policy"

    def shell(argv: list[str], **extra) -> subprocess.CompletedProcess:
        return subprocess.run(argv, cwd=cwd, env={**env, **extra}, capture_output=True, text=True, timeout=300)

    def coflow(*args: str) -> subprocess.CompletedProcess:
        return shell([sys.executable, "-m", "coflow", *args])

    panel = home / "workflows" / "panel.toml"
    validations = 0
    for index, (command, shown) in enumerate(steps):
        words = shlex.split(command)
        # -- what the prose asks for before this command
        if index == 0:  # steps 2 and 3: the plugin file in a plugins folder named in coflow.toml
            (home / "plugins").mkdir()
            (home / "plugins" / "training_policy.py").write_text(tutorial_file("plugins/training_policy.py"))
            (home / "coflow.toml").write_text('plugins_dir = "plugins"\n' + (home / "coflow.toml").read_text())
        if command.startswith("coflow workflow validate"):  # step 4, then its mistake
            validations += 1
            text = tutorial_file("workflows/panel.toml")
            panel.write_text(text if validations == 1 else text.replace("within_months = 12", 'within_months = "twelve"'))
        if command == "pip install -e .":  # step 5: move the code in, as the prose says
            (package / "src" / "coflow_training_policy" / "__init__.py").write_text(
                tutorial_file("plugins/training_policy.py"))
            stale = shell([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"])
            assert stale.returncode != 0, "the tutorial says the scaffold's tests fail once the code is moved in"
        if command == "rm ../plugins/training_policy.py":  # what happens if the reader skips this line
            both = coflow("plugins")
            assert both.returncode == 3, both.stdout + both.stderr
            assert "two plugins are called 'training_policy'" in both.stderr
            assert f"delete {home / 'plugins' / 'training_policy.py'}" in both.stderr
            assert "pip uninstall coflow_training_policy" in both.stderr
        if command == "python -m pytest" and "PYTHONPATH" in env:  # step 6: its tests replace the scaffold's
            (package / "tests" / "test_training_policy.py").write_text(tutorial_file("tests/test_training_policy.py"))
        # -- the command itself
        if words[0] == "coflow":
            done = coflow(*words[1:])
        elif words[0] == "cd":
            cwd = (cwd / words[1]).resolve()
            continue
        elif command == "pip install pytest":
            assert shell([sys.executable, "-c", "import pytest"]).returncode == 0
            continue
        elif command == "python -m pytest":
            done = shell([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"])
        elif command == "pip install -e .":
            offline = {"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
            resolved = shell([sys.executable, "-m", "pip", "install", "--dry-run", "--no-build-isolation", "-e", "."],
                             **offline)
            assert resolved.returncode == 0, resolved.stdout + resolved.stderr
            site = install_to_target(package, tmp_path)
            env["PYTHONPATH"] = str(site)
            continue
        elif words[0] == "rm":
            (cwd / words[1]).unlink()
            continue
        else:
            raise AssertionError(f"the test does not know how to run {command!r}")
        output = done.stdout + done.stderr
        expect_fail = "INVALID" in " ".join(shown)
        assert (done.returncode != 0) == expect_fail, f"{command}: {output}"
        for line in shown:
            if "/srv/coflow" not in line:
                assert line in output, f"{command}: the tutorial shows {line!r}, coflow said:\n{output}"
