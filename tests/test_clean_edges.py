"""Clean edges: plugin output, read-only stores, huge or deep TOML, broken CSV, URLs with
passwords and right-to-left text in reports. Each was seen to go wrong; each is tested here
through real processes where the shell is what a user would use."""

from __future__ import annotations

import shutil
import stat

import pytest
from notify_servers import HttpRecorder, add_notify
from other_user import run_as_other, shared_folder
from plugin_helpers import set_plugins_dir, write_plugin, write_workflow

NOISY_PLUGIN = '''
import coflow
print("loading the noisy plugin")

@coflow.hookimpl
def coflow_register_checks(register):
    register("noisy", noisy)

@coflow.hookimpl
def coflow_before_advance(project, source, dest):
    print("noisy veto looked")
    return None

def noisy(project, params):
    print("noisy check was here")
    return coflow.CheckResult(True, "fine")
'''


def test_what_a_plugin_prints_goes_to_stderr_and_json_stays_clean(run_process, home):
    import json

    write_plugin(set_plugins_dir(home), "noisy", NOISY_PLUGIN)
    write_workflow(home, "noisy")
    assert run_process("new", "p1", "--workflow", "plugged").exit_code == 0
    result = run_process("check", "p1", "--json")
    assert result.exit_code == 0, result
    document = json.loads(result.stdout)  # nothing before or after the document
    assert document["passes"] is True
    assert "noisy check was here" in result.stderr and "noisy veto looked" in result.stderr
    assert "loading the noisy plugin" in result.stderr
    advanced = run_process("advance", "p1", "--json")
    assert advanced.exit_code == 0 and json.loads(advanced.stdout)["advanced"] is True


# -- read-only stores ---------------------------------------------------------------------


@pytest.fixture
def shared_home():
    """A coflow folder with one project, in a folder another account can reach."""
    import os
    import subprocess
    import sys

    folder = shared_folder()
    home = folder / "home"
    env = {k: v for k, v in os.environ.items() if k != "COFLOW_ACTOR"}  # each account acts as itself
    for args in (["init", str(home)], ["--home", str(home), "new", "p1", "--workflow", "coproduction"],
                 ["--home", str(home), "record", "p1", "sponsor", "Director of Nursing"]):
        done = subprocess.run([sys.executable, "-m", "coflow", *args], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
    home.chmod(0o755)
    yield home
    for path in [home / ".coflow", *(home / ".coflow").iterdir()]:
        path.chmod(0o700 if path.is_dir() else 0o600)
    shutil.rmtree(folder)


def read_only(path) -> None:
    path.chmod(0o555 if path.is_dir() else 0o444)


def expect_reads_work_and_writes_refused(home) -> None:
    status = run_as_other(home, "status", "p1", "--json")
    assert status.returncode == 0, status.stderr
    history = run_as_other(home, "history", "p1", "--json")
    assert history.returncode == 0 and '"fact_recorded"' in history.stdout, history.stderr
    verify = run_as_other(home, "verify")
    assert verify.returncode == 0, verify.stderr
    write = run_as_other(home, "record", "p1", "budget", "750")
    assert write.returncode == 5, write
    assert "read-only" in write.stderr and "Traceback" not in write.stderr
    assert "not a coflow store" not in write.stderr


def test_a_read_only_store_file_can_be_read_and_refuses_changes_with_exit_5(shared_home):
    state = shared_home / ".coflow"
    state.chmod(0o777)  # the folder stays writable: only the file (and its journal) are read-only
    for path in state.iterdir():
        read_only(path)
    expect_reads_work_and_writes_refused(shared_home)


def test_a_read_only_store_folder_can_be_read_and_refuses_changes_with_exit_5(shared_home):
    state = shared_home / ".coflow"
    for path in state.iterdir():
        path.chmod(0o644)  # readable by others, writable by its owner only
    read_only(state)
    expect_reads_work_and_writes_refused(shared_home)
    assert stat.S_IMODE(state.stat().st_mode) == 0o555


# -- TOML that is too deep or too large ------------------------------------------------------


def test_deeply_nested_toml_in_a_workflow_is_exit_3(run_process, home):
    path = home / "workflows" / "deep.toml"
    path.write_text("schema = " + "[" * 100_000 + "\n", encoding="utf-8")
    result = run_process("workflow", "validate", str(path))
    assert result.exit_code == 3, result
    assert "nested too deeply" in result.stderr and "deep.toml" in result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
    dotted = home / "workflows" / "dotted.toml"
    dotted.write_text("a" + ".a" * 5000 + " = 1\n", encoding="utf-8")
    assert run_process("workflow", "validate", str(dotted)).exit_code == 3
    assert run_process("new", "p1", "--workflow", str(path)).exit_code == 3


def test_deeply_nested_or_huge_coflow_toml_is_exit_3(run_process, home):
    config = home / "coflow.toml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original + "deep = " + "[" * 100_000 + "\n", encoding="utf-8")
    result = run_process("status")
    assert result.exit_code == 3 and "nested too deeply" in result.stderr, result
    config.write_text(original + "# " + "x" * (17 * 1024 * 1024) + "\n", encoding="utf-8")
    huge = run_process("status")
    assert huge.exit_code == 3 and "MB" in huge.stderr, huge


def test_a_value_of_many_brackets_on_the_command_line_is_kept_as_text(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    result = run("record", "p1", "note", "[" * 5000)
    assert result.exit_code == 0, result


# -- CSV syntax errors ------------------------------------------------------------------------


def test_an_unterminated_quote_in_a_csv_is_exit_2_naming_the_row(run_process, run, home, tmp_path):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    sheet = tmp_path / "people.csv"
    sheet.write_text('id,lived_experience,category\nP-001,yes,carer\nP-002,yes,"carer\nP-003,no,staff\n',
                     encoding="utf-8")
    result = run_process("import", "p1", str(sheet), "--kind", "participants")
    assert result.exit_code == 2, result
    assert "row 3" in result.stderr and "people.csv" in result.stderr and "quote" in result.stderr
    assert run("participant", "list", "p1", "--json").json() == []  # nothing imported, nothing swallowed


def test_a_csv_row_with_too_few_cells_is_exit_2_naming_the_row(run, home, tmp_path):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    sheet = tmp_path / "sessions.csv"
    sheet.write_text("date,format,hours\n2026-03-04,in-person,2\n2026-03-05,virtual\n", encoding="utf-8")
    result = run("import", "p1", str(sheet), "--kind", "sessions")
    assert result.exit_code == 2 and "row 3 has 2 cells" in result.stderr, result
    assert run("session", "list", "p1", "--json").json() == []


# -- URLs with credentials ------------------------------------------------------------------------


def test_a_webhook_url_with_a_password_gets_a_clear_error_and_never_prints_it(run_process, run, home):
    with HttpRecorder() as server:
        url = server.url().replace("http://", "http://alice:s3cr3t-pw@")
        add_notify(home, '[[notify]]\nnotifier = "webhook"\nevents = ["blocked"]\nurl_env = "COFLOW_TEST_HOOK_URL"\n')
        env = {"COFLOW_TEST_HOOK_URL": url}
        assert run_process("new", "p1", "--workflow", "mini", env=env).exit_code == 0
        blocked = run_process("advance", "p1", env=env)
        check = run_process("notify", "check", env=env)
        retry = run_process("notify", "retry", env=env)
        listing = run_process("notify", "list", "--json", env=env)
    assert server.requests == []
    assert blocked.exit_code == 1
    for result in (blocked, check, retry, listing):
        assert "s3cr3t-pw" not in result.stdout + result.stderr
        assert "Name or service not known" not in result.stderr
    assert "user name or password" in blocked.stderr, blocked
    assert check.exit_code == 3 and "user name or password" in check.stderr, check


# -- right-to-left text in reports --------------------------------------------------------------


def test_reports_isolate_right_to_left_text(run, home, tmp_path):
    override = "\u202e" + "txet desrever"
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("evidence", "add", "p1", "--kind", "minutes", "--ref", "ref", "--title", override).exit_code == 0
    html_path = tmp_path / "r.html"
    assert run("report", "p1", "--format", "html", "-o", str(html_path)).exit_code == 0
    html = html_path.read_text(encoding="utf-8")
    assert "\u2068" + override + "\u2069" in html  # first-strong isolate ... pop isolate
    assert html.count(override) == html.count("\u2068" + override)
    assert "unicode-bidi: isolate" in html
    markdown = run("report", "p1", "--format", "md").stdout
    assert "\u2068" + override + "\u2069" in markdown
    plain = run("report", "p1", "--format", "md").stdout.replace("\u2068" + override + "\u2069", "")
    assert "\u202e" not in plain
