"""The core commands through the CLI: exit codes, JSON shapes, bad input, pinning, logging."""

from __future__ import annotations

import sqlite3

import pytest


@pytest.fixture
def project(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    return "p1"


def test_check_json_has_the_documented_shape_and_changes_nothing(run, project):
    before = len(run("history", project, "--json").json())
    result = run("check", project, "--json")
    assert result.exit_code == 1
    data = result.json()
    assert {"project", "workflow", "stage", "passes", "checks"} <= data.keys()
    assert data["workflow"] == "mini" and data["passes"] is False
    for check in data["checks"]:
        assert {"id", "title", "status", "severity", "message", "hint"} <= check.keys()
    assert len(run("history", project, "--json").json()) == before


def test_every_check_is_evaluated_not_just_the_first_failure(run, project):
    checks = run("check", project, "--json").json()["checks"]
    assert [c["id"] for c in checks] == ["sponsor-named", "budget", "dpia"]
    assert all(c["status"] == "fail" for c in checks)


def test_advisory_failure_does_not_block(run, project):
    run("record", project, "sponsor", "Dr A")
    run("record", project, "budget", "600")
    result = run("check", project, "--json")
    assert result.exit_code == 0
    dpia = [c for c in result.json()["checks"] if c["id"] == "dpia"][0]
    assert dpia["status"] == "fail" and dpia["severity"] == "advisory"


def test_blocked_advance_says_what_is_missing_and_how_to_fix_it(run, project):
    result = run("advance", project)
    assert result.exit_code == 1
    assert "no 'sponsor' recorded yet" in result.stdout
    assert 'coflow record p1 sponsor "Dr A. Mensah"' in result.stdout
    assert run("history", project, "--json").json()[-1]["type"] == "blocked"


def test_dry_run_changes_nothing(run, project):
    run("record", project, "sponsor", "Dr A")
    run("record", project, "budget", "600")
    before = len(run("history", project, "--json").json())
    result = run("advance", project, "--dry-run", "--json")
    assert result.exit_code == 0 and result.json()["advanced"] is True and result.json()["stage"] == "planning"
    assert len(run("history", project, "--json").json()) == before
    assert run("status", project, "--json").json()["stage"] == "planning"


def test_final_stage_does_not_advance(run, project):
    for key, value in [("sponsor", "Dr A"), ("budget", "600"), ("report_ref", "BR-1")]:
        run("record", project, key, value)
    assert run("advance", project).exit_code == 0
    assert run("advance", project).exit_code == 0
    final = run("advance", project, "--json")
    assert final.exit_code == 1
    assert final.json()["to"] is None and final.json()["stage"] == "closed"
    assert run("check", project).exit_code == 0  # finished: nothing to check, not a closed gate
    assert run("status", project).exit_code == 0


def test_record_reads_toml_scalars(run, project):
    for value, expected in [("750", 750), ("2.5", 2.5), ("true", True), ("2026-03-01", "2026-03-01"),
                            ("Dr A. Mensah", "Dr A. Mensah"), ("[1, 2]", "[1, 2]")]:
        assert run("record", project, "v", value).exit_code == 0
        assert run("history", project, "--json").json()[-1]["data"]["value"] == expected


def test_fact_comparison_uses_the_recorded_number(run, project):
    run("record", project, "sponsor", "Dr A")
    run("record", project, "budget", "499")
    assert run("check", project).exit_code == 1
    run("record", project, "budget", "500")
    assert run("check", project).exit_code == 0


@pytest.mark.parametrize("bad_id", ["has space", "a/b", "", "_leading", ".hidden", "x" * 100])
def test_bad_project_ids_are_refused_with_exit_2(run, bad_id):
    result = run("new", bad_id, "--workflow", "mini")
    assert result.exit_code == 2
    assert "project id" in result.stderr
    assert run("status", "--json").json() == []


MEMO_STORE = '''
import coflow
from coflow.storage.sqlite import SqliteStore

def open_memo(url, base=None, busy_timeout=30.0, create=False):
    (base / "memo-opened.txt").write_text(f"{url} create={create}", encoding="utf-8")
    return SqliteStore("sqlite:///.coflow/memo.db", base=base, busy_timeout=busy_timeout, create=create)

@coflow.hookimpl
def coflow_register_storage(register):
    register("memo", open_memo)
'''


def test_init_builds_the_store_through_the_factory_registered_for_its_scheme(tmp_path, monkeypatch):
    from click.testing import CliRunner
    from plugin_helpers import write_plugin

    from coflow.cli.main import cli

    plugins = write_plugin(tmp_path / "plugins", "memo", MEMO_STORE).parent
    monkeypatch.setenv("COFLOW_STORE", "memo://team-a")
    folder = tmp_path / "home"
    result = CliRunner().invoke(cli, ["--plugins-dir", str(plugins), "init", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "memo-opened.txt").read_text(encoding="utf-8") == "memo://team-a create=True"
    assert (folder / ".coflow" / "memo.db").is_file()
    assert not (folder / ".coflow" / "coflow.db").exists()  # no SQLite store built beside it


def test_init_with_a_store_scheme_nobody_registers_is_exit_5_and_leaves_nothing(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from coflow.cli.main import cli

    monkeypatch.setenv("COFLOW_STORE", "nope://somewhere")
    folder = tmp_path / "home"
    result = CliRunner().invoke(cli, ["init", str(folder)])
    assert result.exit_code == 5
    assert "no store is registered for nope:// URLs" in result.stderr and "Traceback" not in result.stderr
    assert not folder.exists()  # nothing half set up: init can simply be run again
    monkeypatch.delenv("COFLOW_STORE")
    assert CliRunner().invoke(cli, ["init", str(folder)]).exit_code == 0


def test_unknown_project_and_workflow_exit_2(run):
    assert run("status", "nope").exit_code == 2
    assert run("advance", "nope").exit_code == 2
    result = run("new", "p1", "--workflow", "no-such-workflow")
    assert result.exit_code == 2 and "coflow workflow list" in result.stderr


def test_duplicate_project_is_refused(run, project):
    result = run("new", project, "--workflow", "mini")
    assert result.exit_code == 2 and "already exists" in result.stderr


@pytest.mark.parametrize("key", ["", "has space", "1starts-with-digit"])
def test_bad_fact_keys_exit_2_and_write_nothing(run, project, key):
    before = len(run("history", project, "--json").json())
    result = run("record", project, key, "x")
    assert result.exit_code == 2
    assert len(run("history", project, "--json").json()) == before


def test_status_of_all_projects_is_a_list(run, project):
    run("new", "p2", "--workflow", "mini")
    data = run("status", "--json").json()
    assert [d["project"] for d in data] == ["p1", "p2"]


def test_actor_is_recorded_from_option_or_environment(run, project):
    run("record", project, "k", "v", actor="amensah")
    events = run("history", project, "--json").json()
    assert events[0]["actor"] == "tester" and events[-1]["actor"] == "amensah"


def test_store_that_is_not_a_coflow_store_exits_5_and_is_untouched(run, home):
    db = home / ".coflow" / "coflow.db"
    db.unlink()
    db.write_bytes(b"this is not a database, just some notes\n" * 100)
    before = db.read_bytes()
    result = run("status")
    assert result.exit_code == 5 and "not a coflow store" in result.stderr
    assert db.read_bytes() == before


def test_other_programs_sqlite_file_exits_5_and_is_untouched(run, home):
    db = home / ".coflow" / "coflow.db"
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE patients (id INTEGER)")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = run("status")
    assert result.exit_code == 5 and "not a coflow store" in result.stderr
    assert db.read_bytes() == before


def test_changed_workflow_file_is_noticed_and_project_keeps_its_pinned_version(run, home, project):
    wf = home / "workflows" / "mini.toml"
    wf.write_text(wf.read_text().replace('key = "sponsor"', 'key = "sponsor_name"'), encoding="utf-8")
    status = run("status", project, "--json").json()
    assert status["workflow_changed"] is True
    assert "has changed" in run("status", project).stdout
    run("record", project, "sponsor", "Dr A")
    checks = {c["id"]: c["status"] for c in run("check", project, "--json").json()["checks"]}
    assert checks["sponsor-named"] == "pass"  # still the pinned version


def test_migrate_moves_to_the_current_file_and_is_recorded(run, home, project):
    run("record", project, "sponsor", "Dr A")
    wf = home / "workflows" / "mini.toml"
    wf.write_text(wf.read_text().replace('key = "sponsor"', 'key = "sponsor_name"').replace('version = "1"', 'version = "2"'),
                  encoding="utf-8")
    dry = run("migrate", project, "--dry-run", "--json")
    assert dry.exit_code == 0 and dry.json()["migrated"] is False and "sponsor-named" in dry.json()["now_failing"]
    assert run("history", project, "--json").json()[-1]["type"] == "fact_recorded"
    done = run("migrate", project, "--json")
    assert done.json()["migrated"] is True
    last = run("history", project, "--json").json()[-1]
    assert last["type"] == "migrated" and last["data"]["workflow"]["version"] == "2"
    assert run("status", project, "--json").json()["workflow_changed"] is False
    assert run("verify").exit_code == 0


def test_migrate_refuses_when_the_stage_is_gone(run, home, project):
    wf = home / "workflows" / "mini.toml"
    wf.write_text(wf.read_text().replace("[stages.planning]", "[stages.plan]").replace("stages.planning.checks", "stages.plan.checks"),
                  encoding="utf-8")
    result = run("migrate", project)
    assert result.exit_code == 1 and "no stage 'planning'" in result.stderr


def test_no_coflow_folder_gives_a_plain_message(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from coflow.cli.main import cli

    monkeypatch.delenv("COFLOW_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 2 and "coflow init" in result.stderr


def test_init_refuses_to_overwrite(run, home):
    result = run("init", str(home))
    assert result.exit_code == 2 and "already exists" in result.stderr


def test_bad_config_exits_3_naming_the_key(run, home):
    (home / "coflow.toml").write_text('store = 5\nbusy_timeout = -1\ncolour = "blue"\n', encoding="utf-8")
    result = run("status")
    assert result.exit_code == 3
    for key in ("store", "busy_timeout", "colour"):
        assert key in result.stderr


def test_secrets_in_config_are_refused(run, home):
    (home / "coflow.toml").write_text('[[notify]]\nnotifier = "webhook"\nevents = ["advanced"]\ntoken = "abc"\n',
                                      encoding="utf-8")
    result = run("status")
    assert result.exit_code == 3 and "environment variable" in result.stderr


def test_workflow_list_and_show_json(run):
    listed = run("workflow", "list", "--json").json()
    assert "mini" in [w["id"] for w in listed]
    shown = run("workflow", "show", "mini", "--json").json()
    assert [s["id"] for s in shown["stages"]] == ["planning", "delivery", "closed"]
    graph = run("workflow", "graph", "mini")
    assert graph.stdout.startswith("flowchart TD") and "s_planning -->|gate| s_delivery" in graph.stdout


def test_password_in_store_url_is_refused(run, home):
    (home / "coflow.toml").write_text('store = "postgresql://coflow:hunter2@127.0.0.1/coflow"\n', encoding="utf-8")
    result = run("status")
    assert result.exit_code == 3 and "password" in result.stderr
    assert "hunter2" not in result.stderr


def test_damaged_store_missing_tables_exits_5_and_is_untouched(run, home):
    db = home / ".coflow" / "coflow.db"
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE workflows")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    result = run("status")
    assert result.exit_code == 5 and "damaged" in result.stderr
    assert db.read_bytes() == before


def test_missing_store_is_reported_not_silently_recreated(run, home):
    (home / ".coflow" / "coflow.db").unlink()
    result = run("status")
    assert result.exit_code == 5 and "no coflow store" in result.stderr
    assert not (home / ".coflow" / "coflow.db").exists()
    (home / "coflow.toml").write_text('store = "sqlite:///nope/x.db"\n', encoding="utf-8")
    assert run("status").exit_code == 5
    assert not (home / "nope").exists()


def test_init_in_a_set_up_folder_whose_store_is_missing_creates_only_the_store(run, home):
    (home / ".coflow" / "coflow.db").unlink()
    config_before = (home / "coflow.toml").read_text()
    result = run("init", str(home))
    assert result.exit_code == 0 and "created its empty store" in result.stdout
    assert (home / "coflow.toml").read_text() == config_before
    assert run("status", "--json").json() == []


@pytest.mark.parametrize("op, value, recorded, asks", [
    (">", 0, "1", "more than 0"), ("<", 10, "9", "less than 10"), (">", "2026-01-31", "2026-02-01", "more than 2026-01-31"),
    (">=", 500, "500", "at least 500"), ("in", ["yes", "agreed"], "yes", 'one of "yes" or "agreed"')])
def test_a_fact_hint_typed_as_it_stands_is_refused_and_a_real_value_meets_the_check(run, home, op, value, recorded,
                                                                                     asks):
    """A hint never proposes the value that passes: it says what the workflow asks for and
    leaves the value to the person; typed as it stands it is refused, and nothing recorded."""
    import json as _json

    wf = home / "workflows" / "hint.toml"
    wf.write_text('schema = 1\n[workflow]\nid = "hint"\nversion = "1"\n[[stages.a.checks]]\nid = "c"\n'
                  f'type = "fact"\nkey = "k"\nop = "{op}"\nvalue = {_json.dumps(value)}\n'
                  '[stages.end]\nfinal = true\n', encoding="utf-8")
    assert run("new", "p1", "--workflow", "hint").exit_code == 0
    check = run("check", "p1", "--json").json()["checks"][0]
    assert check["hint"].endswith(" coflow record p1 k VALUE"), check["hint"]
    assert f"this workflow asks for {asks}" in check["message"] and f"this workflow asks for {asks}" in check["hint"]
    typed = check["hint"][check["hint"].index("coflow "):].split()[1:]
    refused = run(*typed)
    assert refused.exit_code == 2 and "stands for the real value" in refused.stderr
    assert [e["type"] for e in run("history", "p1", "--json").json()] == ["created"]
    assert run("record", "p1", "k", recorded).exit_code == 0
    assert run("check", "p1").exit_code == 0


def test_hint_placeholders_are_refused_when_typed(run, project):
    for placeholder in ("...", "VALUE", "DATE", "AMOUNT", "ID", "REASON"):
        result = run("record", project, "dpia_ref", placeholder)
        assert result.exit_code == 2 and "stands for the real value" in result.stderr


def test_a_plugin_check_raising_its_own_timeout_is_not_reported_as_coflow_giving_up(run, home, tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "slow_service.py").write_text(
        "import coflow\n\n"
        "def check(project, params):\n    raise TimeoutError('the IG register did not answer')\n\n"
        "@coflow.hookimpl\ndef coflow_register_checks(register):\n    register('ig_register', check)\n",
        encoding="utf-8")
    wf = home / "workflows" / "ig.toml"
    wf.write_text('schema = 1\n[workflow]\nid = "ig"\nversion = "1"\n[[stages.a.checks]]\nid = "c"\n'
                  'type = "ig_register"\n[stages.end]\nfinal = true\n', encoding="utf-8")
    assert run("--plugins-dir", str(plugins), "new", "p1", "--workflow", "ig").exit_code == 0
    check = run("--plugins-dir", str(plugins), "check", "p1", "--json").json()["checks"][0]
    assert check["status"] == "error"
    assert "the IG register did not answer" in check["message"]
    assert "did not finish within" not in check["message"]
