"""Discovery and loading: plugins folders, entry points, COFLOW_LOAD_PLUGINS, tracing, and
every way a plugin can be broken (each a clear error naming it, exit 3, no traceback)."""

from __future__ import annotations

import re

import pytest
from plugin_helpers import (
    DPIA_PLUGIN,
    by_name,
    fake_package,
    set_plugins_dir,
    write_plugin,
    write_workflow,
)

BUILTINS = {"coflow.checks.builtin", "coflow.storage.builtin", "coflow.notify.builtin", "coflow.records.builtin"}


def check_type_plugin(type_name: str) -> str:
    return f'''
    import coflow

    @coflow.hookimpl
    def coflow_register_checks(register):
        register("{type_name}", lambda project, params: coflow.CheckResult(True, "fine"))
    '''


# -- a plugins folder -------------------------------------------------------------------------


def test_hook_coflow_register_checks_from_a_plugins_folder_gates_a_project(home, run):
    write_plugin(set_plugins_dir(home), "ig_policy", DPIA_PLUGIN)
    write_workflow(home, "dpia_registered", 'prefix = "DPIA-"')
    assert run("new", "p1", "--workflow", "plugged").exit_code == 0
    closed = run("check", "p1", "--json")
    assert closed.exit_code == 1
    (dpia,) = closed.json()["checks"]
    assert dpia["status"] == "fail" and dpia["message"] == "no DPIA reference from the IG register"
    assert run("record", "p1", "dpia_ref", "DPIA-2026-041").exit_code == 0
    opened = run("check", "p1", "--json")
    assert opened.exit_code == 0 and opened.json()["checks"][0]["message"] == "DPIA DPIA-2026-041 registered"


def test_plugins_dir_option_and_coflow_toml_folder_both_load(home, run, tmp_path):
    write_plugin(set_plugins_dir(home), "from_config", check_type_plugin("one"))
    extra = tmp_path / "more"
    write_plugin(extra, "from_option", check_type_plugin("two"))
    rows = by_name(run("--plugins-dir", str(extra), "plugins", "--json").json())
    assert rows["from_config"]["origin"] == "plugins folder"
    assert rows["from_config"]["location"] == str(home / "plugins" / "from_config.py")
    assert rows["from_option"]["origin"] == "plugins folder" and rows["from_option"]["check_types"] == ["two"]
    same = run("--plugins-dir", str(home / "plugins"), "plugins", "--json")
    assert same.exit_code == 0, same  # the same folder named twice loads once


def test_a_configured_plugins_folder_that_does_not_exist_is_exit_3(home, run):
    set_plugins_dir(home, "no-such-folder")
    run("new", "p1", "--workflow", "mini")
    result = run("status", "p1")
    assert result.exit_code == 3
    assert f"the plugins folder {home / 'no-such-folder'} does not exist" in result.stderr


def test_a_plugins_dir_option_that_does_not_exist_is_exit_3(run, tmp_path):
    result = run("--plugins-dir", str(tmp_path / "missing"), "plugins")
    assert result.exit_code == 3 and "does not exist" in result.stderr


def test_a_plugin_file_with_a_syntax_error_names_file_and_line(home, run_process, tmp_path):
    path = write_plugin(tmp_path / "p", "broken", "import coflow\n\ndef oops(:\n    pass\n")
    result = run_process("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert f"Error: plugin file {path} has a syntax error at line 3" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plugin_file_that_fails_to_import_is_exit_3_naming_it(run_process, tmp_path):
    path = write_plugin(tmp_path / "p", "needs_lib", "import no_such_library_xyz\n")
    result = run_process("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert (f"Error: plugin file {path} failed to load: ModuleNotFoundError: "
            "No module named 'no_such_library_xyz'") in result.stderr
    assert "Traceback" not in result.stderr


def test_files_starting_with_an_underscore_are_not_plugins(run, tmp_path):
    write_plugin(tmp_path / "p", "_helpers", "raise RuntimeError('never imported')\n")
    write_plugin(tmp_path / "p", "real", check_type_plugin("real_one"))
    rows = by_name(run("--plugins-dir", str(tmp_path / "p"), "plugins", "--json").json())
    assert "real" in rows and "_helpers" not in rows


# -- entry points -----------------------------------------------------------------------------


def test_an_entry_point_plugin_is_loaded_and_listed_with_its_package(run, tmp_path, monkeypatch):
    site = fake_package(tmp_path / "site", "coflow_fake_policy", "1.2.0", {"fake_policy": "fake_policy_mod"},
                        {"fake_policy_mod": check_type_plugin("fake_rule")})
    monkeypatch.syspath_prepend(str(site))
    row = by_name(run("plugins", "--json").json())["fake_policy"]
    assert row["origin"] == "entry point" and row["package"] == "coflow_fake_policy"
    assert row["version"] == "1.2.0" and row["location"] == str(site / "fake_policy_mod.py")
    assert row["hooks"] == ["coflow_register_checks"] and row["check_types"] == ["fake_rule"]


def test_an_entry_point_can_name_an_object_inside_a_module(run, tmp_path, monkeypatch):
    code = '''
    import coflow

    class Plugin:
        @staticmethod
        @coflow.hookimpl
        def coflow_register_checks(register):
            register("class_rule", lambda project, params: coflow.CheckResult(True))
    '''
    site = fake_package(tmp_path / "site", "coflow_classy", "0.3", {"classy": "classy_mod:Plugin"},
                        {"classy_mod": code})
    monkeypatch.syspath_prepend(str(site))
    assert by_name(run("plugins", "--json").json())["classy"]["check_types"] == ["class_rule"]


def test_an_entry_point_that_fails_to_import_is_one_clear_line_exit_3(home, run_process, tmp_path):
    site = fake_package(tmp_path / "site", "coflow_broken", "0.1", {"broken_ep": "broken_ep_mod"},
                        {"broken_ep_mod": "import coflow\nraise RuntimeError('the licence file is missing')\n"})
    result = run_process("status", env={"PYTHONPATH": str(site)})
    assert result.exit_code == 3
    first = result.stderr.splitlines()[0]
    assert first == ("Error: plugin 'broken_ep' (from the coflow_broken package) failed to load: "
                     "RuntimeError: the licence file is missing")
    assert "Traceback" not in result.stderr


# -- COFLOW_LOAD_PLUGINS ----------------------------------------------------------------------


def test_coflow_load_plugins_empty_loads_only_the_builtins(home, run, tmp_path, monkeypatch):
    write_plugin(set_plugins_dir(home), "folder_one", check_type_plugin("one"))
    site = fake_package(tmp_path / "site", "coflow_ep", "1.0", {"ep_one": "ep_one_mod"},
                        {"ep_one_mod": check_type_plugin("ep_rule")})
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("COFLOW_LOAD_PLUGINS", "")
    rows = run("plugins", "--json").json()
    assert {row["name"] for row in rows} == BUILTINS
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("status", "p1", "--json").json()["checks"][0]["id"] == "sponsor-named"  # built-in fact runs


def test_coflow_load_plugins_list_loads_only_those_named(home, run, tmp_path, monkeypatch):
    folder = set_plugins_dir(home)
    write_plugin(folder, "alpha", check_type_plugin("alpha_rule"))
    write_plugin(folder, "beta", check_type_plugin("beta_rule"))
    site = fake_package(tmp_path / "site", "coflow_gamma", "1.0", {"gamma": "gamma_mod"},
                        {"gamma_mod": check_type_plugin("gamma_rule")})
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("COFLOW_LOAD_PLUGINS", "beta, gamma")
    names = {row["name"] for row in run("plugins", "--json").json()}
    assert names == BUILTINS | {"beta", "gamma"}


def test_coflow_load_plugins_naming_an_unknown_plugin_is_exit_3(run, monkeypatch):
    monkeypatch.setenv("COFLOW_LOAD_PLUGINS", "payment_polcy")
    result = run("plugins")
    assert result.exit_code == 3
    assert "COFLOW_LOAD_PLUGINS names 'payment_polcy'" in result.stderr


# -- broken plugins ---------------------------------------------------------------------------


def test_a_misspelt_hook_is_exit_3_naming_plugin_and_hook(run, tmp_path):
    write_plugin(tmp_path / "p", "typo", '''
    import coflow

    @coflow.hookimpl
    def coflow_register_check(register):
        pass
    ''')
    result = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert "plugin 'typo' implements 'coflow_register_check', which is not a coflow hook" in result.stderr
    assert "did you mean coflow_register_checks?" in result.stderr


def test_a_hook_without_the_hookimpl_mark_is_exit_3(run, tmp_path):
    write_plugin(tmp_path / "p", "unmarked", "def coflow_register_checks(register):\n    pass\n")
    result = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert "plugin 'unmarked' defines coflow_register_checks without @coflow.hookimpl" in result.stderr


def test_a_hook_with_a_wrongly_named_argument_is_exit_3(run, tmp_path):
    write_plugin(tmp_path / "p", "badargs", '''
    import coflow

    @coflow.hookimpl
    def coflow_before_advance(project, stage):
        return None
    ''')
    result = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert "plugin 'badargs' does not match coflow's hooks" in result.stderr and "stage" in result.stderr


def test_two_plugins_registering_one_check_type_name_both(run, tmp_path):
    write_plugin(tmp_path / "p", "first_policy", check_type_plugin("dpia"))
    write_plugin(tmp_path / "p", "second_policy", check_type_plugin("dpia"))
    result = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert "two plugins register the check type 'dpia': 'first_policy' and 'second_policy'" in result.stderr


def test_a_plugin_reusing_a_builtin_check_type_name_names_the_builtin(run, tmp_path):
    write_plugin(tmp_path / "p", "shadow", check_type_plugin("fact"))
    result = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert "the check type 'fact': 'coflow.checks.builtin' and 'shadow'" in result.stderr


def test_a_plugin_failing_while_registering_is_exit_3_naming_it(run, tmp_path):
    write_plugin(tmp_path / "p", "grumpy", '''
    import coflow

    @coflow.hookimpl
    def coflow_register_checks(register):
        raise KeyError("rates table")
    ''')
    result = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert "plugin 'grumpy' failed while registering its check types: KeyError: 'rates table'" in result.stderr


def test_a_check_type_registered_with_something_not_callable_is_exit_3(run, tmp_path):
    write_plugin(tmp_path / "p", "notfunc", '''
    import coflow

    @coflow.hookimpl
    def coflow_register_checks(register):
        register("rule", "not a function")
    ''')
    result = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert result.exit_code == 3
    assert "plugin 'notfunc' registers the check type 'rule' with a check that is str" in result.stderr


# -- tracing and caching ----------------------------------------------------------------------

VETO_PLUGIN = '''
import coflow

@coflow.hookimpl
def coflow_before_advance(project, source, dest):
    return None
'''


def test_trace_plugins_prints_each_hook_call_on_stderr(home, run_process, tmp_path):
    write_plugin(tmp_path / "p", "watcher", VETO_PLUGIN)
    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    traced = run_process("--plugins-dir", str(tmp_path / "p"), "status", "p1", env={"COFLOW_TRACE_PLUGINS": "1"})
    assert traced.exit_code == 0
    lines = [line for line in traced.stderr.splitlines() if line.startswith("coflow trace: ")]
    assert "coflow trace: coflow_register_checks(register=<function register_check>) -> coflow.checks.builtin" in lines
    assert "coflow trace: coflow_register_storage(register=<function register_store>) -> coflow.storage.builtin" in lines
    assert ("coflow trace: coflow_before_advance(project=<project p1 at planning>, source='planning', "
            "dest='delivery') -> watcher") in lines
    assert any(re.match(r"coflow trace: coflow_before_advance returned \[\] \(\d+\.\d ms\)", line) for line in lines)
    assert not any("coflow_register_commands" in line for line in lines)  # not on the usual path
    assert "coflow trace" not in traced.stdout
    quiet = run_process("--plugins-dir", str(tmp_path / "p"), "status", "p1")
    assert quiet.exit_code == 0 and "coflow trace" not in quiet.stderr


def test_plugins_are_discovered_once_per_command(home, run_process, tmp_path):
    counter = tmp_path / "imports.txt"
    write_plugin(tmp_path / "p", "counted", f'''
    import click
    import coflow

    with open({str(counter)!r}, "a") as fh:
        fh.write("imported\\n")

    @click.command("project-count")
    @click.pass_obj
    def project_count(app):
        click.echo(len(app.engine.project_ids()))

    @coflow.hookimpl
    def coflow_register_commands(cli):
        cli.add_command(project_count)

    @coflow.hookimpl
    def coflow_before_advance(project, source, dest):
        return None

    @coflow.hookimpl
    def coflow_after_advance(project, event):
        pass
    ''')
    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    run_process("record", "p1", "sponsor", "Dr A")
    run_process("record", "p1", "budget", "600")
    counter.write_text("")
    assert run_process("--plugins-dir", str(tmp_path / "p"), "advance", "p1").exit_code == 0
    assert counter.read_text().count("imported") == 1
    counter.write_text("")
    result = run_process("--plugins-dir", str(tmp_path / "p"), "project-count")
    assert result.exit_code == 0 and result.stdout.strip() == "1"
    assert counter.read_text().count("imported") == 1


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@pytest.mark.parametrize("group", ["coflow", "pytest11", "console_scripts"])
def test_the_entry_point_reader_finds_what_importlib_metadata_finds(group, tmp_path, monkeypatch):
    """coflow reads entry_points.txt itself (for speed); it must find the same entry points as
    the standard library does, for the installed packages and a plugin package beside them."""
    from importlib import metadata

    from coflow.plugins import iter_entry_points

    site = fake_package(tmp_path / "site", "coflow_board_rules", "1.2.0",
                        {"board_rules": "board_rules_mod:plugin"}, {"board_rules_mod": "plugin = object()\n"})
    monkeypatch.syspath_prepend(str(site))
    metadata_found = {(ep.name, ep.value, _normal(ep.dist.name) if ep.dist else None)
                      for ep in metadata.entry_points(group=group)}
    ours = {(name, target, _normal(dist)) for name, target, dist, _version in iter_entry_points(group)}
    assert ours == metadata_found
    if group == "coflow":
        assert ("board_rules", "board_rules_mod:plugin", "coflow-board-rules") in ours
    else:
        assert ours, f"the test environment has {group} entry points to compare"
