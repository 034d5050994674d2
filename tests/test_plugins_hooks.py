"""Each coflow_* hook doing its job through the command line: vetoes, after-advance side
effects, parameter validation, shipped workflows, commands, stores and notifiers."""

from __future__ import annotations

import json

import pytest
from plugin_helpers import DPIA_PLUGIN, by_name, set_plugins_dir, write_plugin, write_workflow

BOARD_VETO = '''
import coflow

@coflow.hookimpl
def coflow_before_advance(project, source, dest):
    if "board_minutes" not in project.facts:
        return f"the board has not minuted the move from {source} to {dest}"
    return None
'''


@pytest.fixture
def ready(home, run):
    """Project p1 on the mini workflow with its planning gate met."""
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    assert run("record", "p1", "budget", "750").exit_code == 0
    return home


def veto_of(result, plugin: str) -> dict | None:
    found = [c for c in result.json()["checks"] if c["id"] == f"veto:{plugin}"]
    return found[0] if found else None


# -- coflow_before_advance --------------------------------------------------------------------


def test_hook_coflow_before_advance_veto_shows_in_check_dry_run_and_advance(ready, run):
    write_plugin(set_plugins_dir(ready), "board_rules", BOARD_VETO)
    expected = {"id": "veto:board_rules", "status": "fail", "severity": "required",
                "message": "the board has not minuted the move from planning to delivery"}
    check = run("check", "p1", "--json")
    assert check.exit_code == 1
    assert expected.items() <= veto_of(check, "board_rules").items()
    dry = run("advance", "p1", "--dry-run", "--json")
    assert dry.exit_code == 1 and dry.json()["advanced"] is False
    assert expected.items() <= veto_of(dry, "board_rules").items()
    real = run("advance", "p1", "--json")
    assert real.exit_code == 1 and real.json()["stage"] == "planning"
    blocked = run("history", "p1", "--json").json()[-1]
    assert blocked["type"] == "blocked" and blocked["data"]["failing"] == ["veto:board_rules"]
    assert "the board has not minuted" in run("status", "p1").stdout
    assert run("record", "p1", "board_minutes", "BM-2026-03").exit_code == 0
    allowed = run("check", "p1", "--json")
    assert allowed.exit_code == 0 and veto_of(allowed, "board_rules") is None
    assert run("advance", "p1").exit_code == 0


@pytest.mark.parametrize("body, message", [
    ("raise RuntimeError('board register offline')",
     "plugin 'flaky_board' could not decide whether the project may move on: RuntimeError: board register offline"),
    ("return True",
     "plugin 'flaky_board' answered True from coflow_before_advance; it must give a reason (text) "
     "to stop the move, or None to allow it"),
])
def test_hook_coflow_before_advance_that_fails_is_an_error_that_blocks(ready, run_process, body, message):
    write_plugin(set_plugins_dir(ready), "flaky_board", f'''
    import coflow

    @coflow.hookimpl
    def coflow_before_advance(project, source, dest):
        {body}
    ''')
    result = run_process("advance", "p1", "--json")
    assert result.exit_code == 1
    veto = veto_of(result, "flaky_board")
    assert veto["status"] == "error" and veto["message"].startswith(message)
    assert "Traceback" not in result.stderr


# -- coflow_after_advance ---------------------------------------------------------------------


def test_hook_coflow_after_advance_runs_after_the_commit_with_the_event(ready, run, tmp_path):
    out = tmp_path / "after.json"
    write_plugin(set_plugins_dir(ready), "recorder", f'''
    import json
    import coflow

    @coflow.hookimpl
    def coflow_after_advance(project, event):
        with open({str(out)!r}, "w") as fh:
            json.dump({{"stage": project.stage, "event": event}}, fh)
    ''')
    assert run("advance", "p1", "--dry-run").exit_code == 0
    assert not out.exists()  # a dry run commits nothing, so nothing is announced
    assert run("advance", "p1").exit_code == 0
    seen = json.loads(out.read_text())
    last = run("history", "p1", "--json").json()[-1]
    assert seen["stage"] == "delivery"
    for key in ("project", "seq", "ts", "actor", "type", "data"):
        assert seen["event"][key] == last[key], key
    assert seen["event"]["type"] == "advanced" and seen["event"]["data"]["to"] == "delivery"
    out.unlink()
    assert run("advance", "p1").exit_code == 1  # blocked: the delivery gate is not met
    assert not out.exists()


def test_hook_coflow_after_advance_failure_never_undoes_the_advance(ready, run_process):
    write_plugin(set_plugins_dir(ready), "noisy", '''
    import coflow

    @coflow.hookimpl
    def coflow_after_advance(project, event):
        raise ConnectionError("intranet is down")
    ''')
    result = run_process("advance", "p1")
    assert result.exit_code == 0
    assert "Advanced p1 from 'planning' to 'delivery'" in result.stdout
    assert "after_advance_failed" in result.stderr and "noisy" in result.stderr
    assert "ConnectionError: intranet is down" in result.stderr and "Traceback" not in result.stderr
    assert run_process("history", "p1", "--json").json()[-1]["type"] == "advanced"
    assert run_process("status", "p1", "--json").json()["stage"] == "delivery"
    logs = list((ready / ".coflow" / "logs").glob("coflow-error-*.log"))
    assert logs and "Traceback" in logs[0].read_text()


# -- coflow_register_checks: parameters are validated -----------------------------------------


def test_hook_coflow_register_checks_validate_rejects_bad_parameters(home, run):
    write_plugin(set_plugins_dir(home), "ig_policy", DPIA_PLUGIN)
    path = write_workflow(home, "dpia_registered", "prefix = 7\nregister = \"IG\"")
    result = run("workflow", "validate", str(path))
    assert result.exit_code == 3
    assert "stages.planning.checks[0].prefix: expected text" in result.stderr
    assert "stages.planning.checks[0].register: unknown parameter" in result.stderr
    assert run("new", "p1", "--workflow", "plugged").exit_code == 3
    write_workflow(home, "dpia_registered", 'prefix = "IG-"')
    assert run("workflow", "validate", str(path)).exit_code == 0


# -- coflow_workflow_dirs ---------------------------------------------------------------------

SHIPPED = """\
schema = 1
[workflow]
id = "shipped-by-plugin"
version = "3"
[stages.start]
[[stages.start.checks]]
id = "sponsor"
type = "fact"
key = "sponsor"
[stages.end]
final = true
"""


def test_hook_coflow_workflow_dirs_ships_workflows_found_by_id(home, run, tmp_path):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "ours.toml").write_text(SHIPPED, encoding="utf-8")
    write_plugin(set_plugins_dir(home), "workflow_pack", f'''
    import coflow

    @coflow.hookimpl
    def coflow_workflow_dirs():
        return [{str(shipped)!r}]
    ''')
    listed = {row["id"]: row for row in run("workflow", "list", "--json").json() if row.get("id")}
    assert listed["shipped-by-plugin"]["path"] == str(shipped / "ours.toml")
    assert run("new", "p1", "--workflow", "shipped-by-plugin").exit_code == 0
    assert run("status", "p1", "--json").json()["workflow"] == "shipped-by-plugin"


@pytest.mark.parametrize("answer, message", [
    ("'just/one/folder'", "gave 'just/one/folder' from coflow_workflow_dirs, not a list of folders"),
    ("['/no/such/folder/anywhere']", "ships workflows in /no/such/folder/anywhere, which is not a folder"),
])
def test_hook_coflow_workflow_dirs_bad_answers_are_exit_3(home, run, answer, message):
    write_plugin(set_plugins_dir(home), "workflow_pack", f'''
    import coflow

    @coflow.hookimpl
    def coflow_workflow_dirs():
        return {answer}
    ''')
    result = run("new", "p1", "--workflow", "mini")
    assert result.exit_code == 3
    assert f"plugin 'workflow_pack' {message}" in result.stderr


# -- coflow_register_commands -----------------------------------------------------------------

HELLO = '''
import click
import coflow

@click.command()
@click.argument("who")
def hello(who):
    """Say hello (a plugin command)."""
    click.echo(f"Hello, {who}!")

@coflow.hookimpl
def coflow_register_commands(cli):
    cli.add_command(hello)
'''


def test_hook_coflow_register_commands_adds_a_command(run, tmp_path):
    write_plugin(tmp_path / "p", "greeter", HELLO)
    result = run("--plugins-dir", str(tmp_path / "p"), "hello", "Amina")
    assert result.exit_code == 0 and result.stdout == "Hello, Amina!\n"
    help_text = run("--plugins-dir", str(tmp_path / "p"), "--help").stdout
    assert "hello" in help_text and "Say hello (a plugin command)." in help_text


def test_plugin_commands_do_not_outlive_their_run(run, tmp_path):
    write_plugin(tmp_path / "p", "greeter", HELLO)
    assert run("--plugins-dir", str(tmp_path / "p"), "hello", "Amina").exit_code == 0
    gone = run("hello", "Amina")
    assert gone.exit_code == 2 and "No such command 'hello'" in gone.stderr


def test_hook_coflow_register_commands_cannot_replace_a_coflow_command(ready, run, tmp_path):
    write_plugin(tmp_path / "p", "usurper", '''
    import click
    import coflow

    @click.command("status")
    def fake_status():
        click.echo("all fine, nothing to see")

    @coflow.hookimpl
    def coflow_register_commands(cli):
        cli.add_command(fake_status)
    ''')
    write_plugin(tmp_path / "p", "greeter", HELLO)
    result = run("--plugins-dir", str(tmp_path / "p"), "hello", "Amina")
    assert result.exit_code == 3
    assert "plugin 'usurper' adds a command 'status', but coflow already has a command with that name" in result.stderr
    real = run("--plugins-dir", str(tmp_path / "p"), "status", "p1")
    assert real.exit_code == 0 and "all fine" not in real.stdout and "p1: at stage" in real.stdout


# -- coflow_register_storage ------------------------------------------------------------------


def test_hook_coflow_register_storage_plugin_scheme_is_used(home, run, tmp_path):
    vault = tmp_path / "vault"
    vault.mkdir()
    write_plugin(set_plugins_dir(home), "vault_store", f'''
    import coflow
    from coflow.storage.sqlite import SqliteStore

    def open_vault(url):
        name = url.split("://", 1)[1]
        return SqliteStore("sqlite:///" + {str(vault)!r} + "/" + name + ".db")

    @coflow.hookimpl
    def coflow_register_storage(register):
        register("vault", open_vault)
    ''')
    config = home / "coflow.toml"
    config.write_text(config.read_text().replace('store = "sqlite:///.coflow/coflow.db"', 'store = "vault://team-a"'))
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("record", "p1", "sponsor", "Dr A").exit_code == 0
    assert (vault / "team-a.db").is_file()
    assert run("status", "p1", "--json").json()["checks"][0]["status"] == "pass"
    row = by_name(run("plugins", "--json").json())["vault_store"]
    assert row["storage"] == ["vault"]
    config.write_text(config.read_text().replace('"vault://team-a"', '"sqlite:///.coflow/coflow.db"'))
    assert run("status", "p1").exit_code == 2  # the default store never saw p1


def test_hook_coflow_register_storage_factory_failure_names_the_plugin(home, run):
    write_plugin(set_plugins_dir(home), "vault_store", '''
    import coflow

    def open_vault(url, busy_timeout):
        raise PermissionError("vault is sealed")

    @coflow.hookimpl
    def coflow_register_storage(register):
        register("vault", open_vault)
    ''')
    config = home / "coflow.toml"
    config.write_text(config.read_text().replace('store = "sqlite:///.coflow/coflow.db"', 'store = "vault://x"'))
    result = run("status")
    assert result.exit_code == 5
    assert ("the store of plugin 'vault_store' could not open the vault:// store: "
            "PermissionError: vault is sealed") in result.stderr


# -- coflow_register_notifiers ----------------------------------------------------------------


def test_hook_coflow_register_notifiers_names_are_listed_and_clashes_named(run, tmp_path):
    write_plugin(tmp_path / "p", "pager", '''
    import coflow

    @coflow.hookimpl
    def coflow_register_notifiers(register):
        register("pager", lambda event, project, config: None)
    ''')
    rows = by_name(run("--plugins-dir", str(tmp_path / "p"), "plugins", "--json").json())
    assert rows["pager"]["notifiers"] == ["pager"]
    assert "log" in rows["coflow.notify.builtin"]["notifiers"]
    write_plugin(tmp_path / "q", "copycat", '''
    import coflow

    @coflow.hookimpl
    def coflow_register_notifiers(register):
        register("log", print)
    ''')
    clash = run("--plugins-dir", str(tmp_path / "q"), "plugins")
    assert clash.exit_code == 3
    assert "two plugins register the notifier 'log': 'coflow.notify.builtin' and 'copycat'" in clash.stderr
