"""What a new user ran into on first use, each through the command line."""

from __future__ import annotations

import pytest
from plugin_helpers import by_name, fake_package, set_plugins_dir, write_plugin, write_workflow


@pytest.fixture
def project(run):
    """A project on the mini workflow, at its planning stage."""
    assert run("new", "carers-hub", "--workflow", "mini").exit_code == 0
    return "carers-hub"

TRAINING_PLUGIN = '''
import coflow

@coflow.hookimpl
def coflow_register_checks(register):
    register("training_current", lambda project, params: coflow.CheckResult(True))
'''


# -- 1. the same plugin installed and still in the plugins folder -----------------------------


def test_a_plugin_installed_and_still_in_the_plugins_folder_names_the_file_to_delete(home, run, tmp_path, monkeypatch):
    copy = write_plugin(set_plugins_dir(home), "training_policy", TRAINING_PLUGIN)
    site = fake_package(tmp_path / "site", "coflow_training_policy", "0.1.0",
                        {"training_policy": "coflow_training_policy"}, {"coflow_training_policy": TRAINING_PLUGIN})
    monkeypatch.syspath_prepend(str(site))
    result = run("plugins")
    assert result.exit_code == 3
    assert "two plugins are called 'training_policy'" in result.stderr
    hint = result.stderr.split("Hint: ", 1)[1]
    assert f"delete {copy}" in hint and "to use the installed package" in hint
    assert "`pip uninstall coflow_training_policy` to keep the file" in hint
    copy.unlink()  # what the hint says
    row = by_name(run("plugins", "--json").json())["training_policy"]
    assert row["origin"] == "entry point" and row["package"] == "coflow_training_policy"


def test_two_plugin_files_with_one_name_in_two_folders_name_both_files(home, run, tmp_path):
    first = write_plugin(set_plugins_dir(home), "rates", TRAINING_PLUGIN)
    second = write_plugin(tmp_path / "more", "rates", TRAINING_PLUGIN)
    result = run("--plugins-dir", str(tmp_path / "more"), "plugins")
    assert result.exit_code == 3
    assert f"remove one of {first} and {second}, or rename one" in result.stderr


def test_plugin_new_says_to_install_pytest_and_installs_without_the_package_index(run, tmp_path):
    result = run("plugin", "new", "training-policy", "--dir", str(tmp_path))
    assert result.exit_code == 0
    assert "pip install pytest && python -m pytest" in result.stdout
    assert "where coflow is installed (coflow is not on the package index yet)" in result.stdout
    package = tmp_path / "coflow-training-policy"
    pyproject = (package / "pyproject.toml").read_text()
    assert 'dependencies = ["coflow"]' in pyproject  # no pin the index would have to satisfy
    assert 'dev-mode-dirs = ["src"]' in pyproject  # an editable install needs no extra build package
    readme = (package / "README.md").read_text()
    assert "pip install -e /path/to/coflow" in readme and "pip install pytest" in readme
    assert "delete that file" in readme


# -- 2. did you mean ------------------------------------------------------------------------


def test_a_misspelt_command_suggests_the_closest_command(run):
    result = run("stauts")
    assert result.exit_code == 2
    assert "No such command 'stauts'. Did you mean `coflow status`?" in result.stderr
    far = run("xyzzy")
    assert far.exit_code == 2 and "No such command 'xyzzy'." in far.stderr and "Did you mean" not in far.stderr


def test_an_unknown_project_suggests_close_project_ids(run):
    assert run("new", "carers-hub", "--workflow", "mini").exit_code == 0
    assert run("new", "youth-panel", "--workflow", "mini").exit_code == 0
    for args in (("status", "carers-hb"), ("record", "carers-hbu", "sponsor", "Dr A")):
        result = run(*args)
        assert result.exit_code == 2
        assert "there is no project called" in result.stderr
        assert "Hint: did you mean 'carers-hub'? Otherwise see `coflow status`" in result.stderr
        assert "youth-panel" not in result.stderr
    unrelated = run("status", "zzz")
    assert unrelated.exit_code == 2 and "did you mean" not in unrelated.stderr


# -- 3. record: negative numbers, and values echoed as written ------------------------------


def test_record_takes_a_negative_number_as_the_value(run, project):
    result = run("record", project, "budget_change", "-500")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"Recorded budget_change = -500 for {project}.\n"
    assert run("record", project, "rate", "-12.5").exit_code == 0
    facts = [e["data"] for e in run("history", project, "--json").json() if e["type"] == "fact_recorded"]
    assert facts[-2:] == [{"key": "budget_change", "value": -500}, {"key": "rate", "value": -12.5}]


def test_record_still_refuses_options_it_does_not_have(run, project):
    for args in (("record", project, "budget", "--bogus"), ("record", project, "--bogus", "budget", "1"),
                 ("record", project, "budget", "--bogus=3")):
        result = run(*args)
        assert result.exit_code == 2
        assert "No such option '--bogus'" in result.stderr
    assert [e["type"] for e in run("history", project, "--json").json()] == ["created"]


def test_record_echoes_the_value_as_the_user_would_write_it(run, project):
    echoed = {}
    for value in ("true", "false", "2026-03-04", "750", "Dr A. Mensah"):
        result = run("record", project, "k", value)
        assert result.exit_code == 0
        echoed[value] = result.stdout.removeprefix("Recorded k = ").removesuffix(f" for {project}.\n")
    assert echoed == {"true": "true", "false": "false", "2026-03-04": "2026-03-04", "750": "750",
                      "Dr A. Mensah": '"Dr A. Mensah"'}


# -- 4. report without a project --------------------------------------------------------------


def test_report_with_neither_a_project_nor_all_says_to_give_one(run, project):
    result = run("report")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: give a project, or --all for every project\n")
    assert "not both" not in result.stderr
    both = run("report", project, "--all")
    assert both.exit_code == 2 and "not both" in both.stderr


# -- 5. help texts of the records commands ----------------------------------------------------

RECORD_GROUPS = ("participant", "session", "payment", "evidence", "feedback")


def help_options(text: str) -> dict[str, str]:
    """Each option line of a --help page with the help text click shows for it."""
    options: dict[str, str] = {}
    current = None
    for line in text.split("Options:", 1)[1].splitlines():
        if line.startswith("  -"):
            spec, _, words = line.strip().partition("  ")
            current = spec
            options[current] = words.strip()
        elif current and line.startswith("   ") and line.strip():
            options[current] = (options[current] + " " + line.strip()).strip()
    return options


def record_commands(run) -> list[tuple[str, ...]]:
    found = [("signoff",), ("assess",), ("import",)]
    for group in RECORD_GROUPS:
        listing = run(group, "--help").stdout.split("Commands:", 1)[1]
        found += [(group, line.split()[0]) for line in listing.splitlines() if line.strip()]
    return found


def test_every_option_of_the_records_commands_has_help(run):
    commands = record_commands(run)
    assert ("payment", "update") in commands and ("participant", "update") in commands
    for command in commands:
        options = help_options(run(*command, "--help").stdout)
        missing = [spec for spec, words in options.items() if not words]
        assert not missing, f"coflow {' '.join(command)}: no help for {missing}"


def test_update_commands_promise_no_defaults_and_say_only_what_is_given_changes(run):
    for group in ("participant", "payment", "feedback"):
        page = run(group, "update", "--help").stdout
        assert "Only the options you give change" in page, group
        assert "default" not in page.split("Options:", 1)[1].lower(), f"{group} update: {page}"
    options = help_options(run("participant", "update", "--help").stdout)
    assert options["--lived-experience / --no-lived-experience"] == \
        "Whether they take part because of their lived experience."
    add = help_options(run("payment", "add", "--help").stdout)
    assert "default today" in add["--date TEXT"] and "default 0" in add["--expenses TEXT"]
    assert add["--amount TEXT"].startswith("Needed:") and add["--status TEXT"].startswith("Needed:")


# -- 6. ordered fact comparisons need a number or a date -------------------------------------

FACT_WORKFLOW = """\
schema = 1
[workflow]
id = "dated"
version = "1"
[stages.planning]
[[stages.planning.checks]]
id = "approved"
type = "fact"
key = "approved_on"
op = ">="
value = {value}
[stages.closed]
final = true
"""


def test_an_ordered_fact_comparison_with_text_is_rejected_with_a_hint(run, home):
    path = home / "workflows" / "dated.toml"
    path.write_text(FACT_WORKFLOW.format(value='"abc"'), encoding="utf-8")
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3
    assert "stages.planning.checks[0].value: op '>=' needs a number or a date to compare with" in result.stderr
    assert "found 'abc'" in result.stderr and 'to match text use op = "==" or op = "in"' in result.stderr
    assert run("new", "p1", "--workflow", "dated").exit_code == 3


def test_an_ordered_fact_comparison_with_a_date_gates_by_date(run, home):
    path = home / "workflows" / "dated.toml"
    for value in ("2026-03-01", '"2026-03-01"'):  # a TOML date, or text holding an ISO date
        path.write_text(FACT_WORKFLOW.format(value=value), encoding="utf-8")
        assert run("workflow", "validate", str(path)).exit_code == 0
    assert run("new", "p1", "--workflow", "dated").exit_code == 0
    run("record", "p1", "approved_on", "2026-02-10")
    early = run("check", "p1", "--json")
    assert early.exit_code == 1
    assert early.json()["checks"][0]["message"] == "approved_on is 2026-02-10; this workflow asks for at least 2026-03-01"
    run("record", "p1", "approved_on", "2026-03-02")
    assert run("check", "p1").exit_code == 0


# -- 7. a changed workflow file that is invalid, and migrate's words --------------------------


def test_status_says_a_changed_workflow_file_is_invalid_and_does_not_suggest_migrate(run, home, project):
    wf = home / "workflows" / "mini.toml"
    wf.write_text(wf.read_text().replace('title = "Planning"', 'title = "Planning"\nbogus = 1'), encoding="utf-8")
    status = run("status", project)
    assert status.exit_code == 0
    assert ("the workflow file has changed since this project started, and it is currently invalid: "
            f"see what is wrong with `coflow workflow validate {wf.resolve()}`") in status.stdout
    assert "coflow migrate" not in status.stdout
    data = run("status", project, "--json").json()
    assert data["workflow_changed"] is True and "currently invalid" in data["workflow_file_problem"]
    assert run("migrate", project).exit_code == 3  # what status no longer suggests


def test_status_suggests_migrate_only_when_the_changed_file_is_usable(run, home, project):
    wf = home / "workflows" / "mini.toml"
    original = wf.read_text()
    wf.write_text(original.replace("[stages.planning]", "[stages.plan]").replace("stages.planning.", "stages.plan."),
                  encoding="utf-8")
    gone = run("status", project).stdout
    assert "it no longer has the stage 'planning', where the project is" in gone and "coflow migrate" not in gone
    wf.write_text(original.replace('key = "sponsor"', 'key = "sponsor_name"'), encoding="utf-8")
    usable = run("status", project)
    assert f"`coflow migrate {project}` would move it to the new version" in usable.stdout
    assert run("status", project, "--json").json()["workflow_file_problem"] is None


def test_migrate_says_the_content_changed_when_the_version_did_not(run, home, project):
    wf = home / "workflows" / "mini.toml"
    wf.write_text(wf.read_text().replace('key = "sponsor"', 'key = "sponsor_name"'), encoding="utf-8")
    dry = run("migrate", project, "--dry-run")
    assert (f"{project} would move to the current file of the mini workflow (version 1, content changed). "
            "Nothing was changed.") in dry.stdout
    done = run("migrate", project)
    assert done.exit_code == 0
    assert (f"Moved {project} to the current file of the mini workflow (version 1, content changed); "
            "this is recorded in its history.") in done.stdout
    wf.write_text(wf.read_text().replace('version = "1"', 'version = "2"').replace('key = "budget"', 'key = "funds"'),
                  encoding="utf-8")
    assert f"Moved {project} to mini version 2;" in run("migrate", project).stdout


# -- 9. a failing plugin check prints nothing on stderr by default ----------------------------

SHAKY = '''
import time
import coflow

def raises(project, params):
    raise ValueError("rates table has no row for 2026")

def hangs(project, params):
    time.sleep(5)

def returns_none(project, params):
    return None

@coflow.hookimpl
def coflow_register_checks(register):
    for func in (raises, hangs, returns_none):
        register(func.__name__, func)

@coflow.hookimpl
def coflow_before_advance(project, source, dest):
    raise RuntimeError("finance system unreachable")
'''


def test_a_failing_plugin_check_is_in_the_checklist_and_not_on_stderr(home, run_process):
    write_plugin(set_plugins_dir(home), "shaky_policy", SHAKY)
    config = home / "coflow.toml"
    config.write_text(config.read_text().replace("check_timeout = 10", "check_timeout = 0.3"), encoding="utf-8")
    for check_type, word in (("raises", "check_failed"), ("hangs", "check_timed_out"),
                             ("returns_none", "check_answer_invalid")):
        write_workflow(home, check_type)
        project = f"p-{check_type.replace('_', '-')}"
        assert run_process("new", project, "--workflow", "plugged").exit_code == 0
        result = run_process("check", project)
        assert result.exit_code == 1
        assert "[!] DPIA registered: cannot check" in result.stdout
        assert "[!] Plugin shaky_policy allows the move: cannot check" in result.stdout  # the failed veto
        assert result.stderr == "", (check_type, result.stderr)
        verbose = run_process("-v", "check", project)
        assert word in verbose.stderr and "veto_failed" in verbose.stderr


# -- 8. amounts in reports carry their currency -----------------------------------------------


def paid(run, project) -> None:
    assert run("participant", "add", project, "--lived-experience").exit_code == 0
    assert run("payment", "add", project, "--participant", "P-001", "--amount", "25", "--status", "paid",
               "--expenses", "1234.5").exit_code == 0


def test_reports_show_amounts_in_pounds_by_default_and_json_keeps_numbers(run, project):
    paid(run, project)
    markdown = run("report", project).stdout
    assert "£25.00 paid or given as vouchers" in markdown and "£1,234.50 (claimed, not yet settled)" in markdown
    html = run("report", project, "--format", "html").stdout
    assert "£25.00 paid or given as vouchers" in html and "£1,234.50" in html
    data = run("report", project, "--json").json()
    assert data["currency"] == "GBP"
    assert data["recognition"]["total_recognised"] == 25 and data["recognition"]["items"][0]["expenses"] == 1234.5


def test_coflow_toml_currency_sets_the_currency_of_reports(run, home, project):
    paid(run, project)
    config = home / "coflow.toml"
    original = config.read_text()
    assert 'currency = "GBP"' in original  # what `coflow init` writes, to be changed
    config.write_text(original.replace('currency = "GBP"', 'currency = "EUR"'))
    assert "€25.00 paid or given as vouchers" in run("report", project, "--format", "html").stdout
    assert run("report", project, "--json").json()["currency"] == "EUR"
    config.write_text(original.replace('currency = "GBP"', 'currency = "CHF"'))
    assert "CHF 25.00 paid or given as vouchers" in run("report", project).stdout
    config.write_text(original.replace('currency = "GBP"', 'currency = "pounds"'))
    bad = run("report", project)
    assert bad.exit_code == 3
    assert "currency: expected a three-letter currency code such as \"GBP\" or \"EUR\", found 'pounds'" in bad.stderr
