"""The first hour of a new user, smoothed: each place they stumbled, through the command line."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from notify_servers import add_notify

REPO = Path(__file__).resolve().parent.parent


def finished(run, project: str = "p1") -> str:
    """A project on the mini workflow walked to its final stage."""
    assert run("new", project, "--workflow", "mini").exit_code == 0
    assert run("record", project, "sponsor", "Dr A. Mensah").exit_code == 0
    assert run("record", project, "budget", "600").exit_code == 0
    assert run("advance", project).exit_code == 0
    assert run("record", project, "report_ref", "BR-1").exit_code == 0
    assert run("advance", project).exit_code == 0
    return project


# -- 2. `check` on a finished project ------------------------------------------------------------


def test_check_on_a_finished_project_is_exit_0_and_says_there_is_nothing_to_check(run):
    finished(run)
    result = run("check", "p1")
    assert result.exit_code == 0, result
    assert "the project is finished" in result.stdout
    assert "Nothing to check: p1 is finished (at its final stage 'Closed')" in result.stderr
    as_json = run("check", "p1", "--json")
    assert as_json.exit_code == 0 and as_json.json()["final"] is True


def test_check_still_exits_1_on_a_closed_gate_and_0_on_an_open_one(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("check", "p1").exit_code == 1
    run("record", "p1", "sponsor", "Dr A. Mensah")
    run("record", "p1", "budget", "600")
    result = run("check", "p1")
    assert result.exit_code == 0 and "Nothing to check" not in result.stderr


# -- 3. `notify overdue` with no one asking for reminders ----------------------------------------


def test_notify_overdue_without_any_notify_entry_is_exit_0_with_a_message(run):
    result = run("notify", "overdue")
    assert result.exit_code == 0, result
    assert 'No [[notify]] entry in coflow.toml asks for "overdue" reminders' in result.stderr
    assert "docs/config.md" in result.stderr
    as_json = run("notify", "overdue", "--json")
    assert as_json.exit_code == 0
    assert as_json.json() == {"overdue": [], "delivered": 0, "failed": 0, "results": []}


def test_notify_overdue_with_a_broken_notify_entry_is_still_exit_3(run, home):
    add_notify(home, '[[notify]]\nnotifier = "carrier-pigeon"\nevents = ["overdue"]\n')
    result = run("notify", "overdue")
    assert result.exit_code == 3, result


# -- 4. a busy store says it is waiting (a real second process holds the lock) ------------------


def busy(home, seconds: int) -> None:
    path = home / "coflow.toml"
    path.write_text(path.read_text().replace("busy_timeout = 30", f"busy_timeout = {seconds}"))


def test_a_busy_store_says_on_stderr_that_it_is_waiting_then_gives_up_with_exit_4(run, run_process, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    busy(home, 3)
    holder = sqlite3.connect(home / ".coflow" / "coflow.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer, mid-transaction
    try:
        started = time.monotonic()
        result = run_process("record", "p1", "sponsor", "Dr A. Mensah")
        took = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 4, result
    assert "Waiting for another coflow command to finish writing to the store" in result.stderr
    assert "up to 3 seconds" in result.stderr and "stayed busy for 3 seconds" in result.stderr
    assert result.stderr.index("Waiting") < result.stderr.index("Error:")
    assert 2.5 < took < 15
    assert run("history", "p1", "--json").json()[-1]["type"] == "created"  # nothing was written


def test_a_store_that_frees_up_while_waiting_lets_the_command_finish(run, home):
    import subprocess
    import sys

    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    busy(home, 20)
    holder = sqlite3.connect(home / ".coflow" / "coflow.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    proc = subprocess.Popen([sys.executable, "-m", "coflow", "--home", str(home), "record", "p1", "sponsor", "Ann"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**__import__("os").environ, "COFLOW_ACTOR": "tester"})
    time.sleep(2.5)
    holder.execute("ROLLBACK")
    holder.close()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "Waiting for another coflow command" in err and "Recorded sponsor" in out


def test_a_free_store_says_nothing_about_waiting(run_process, home):
    result = run_process("new", "p1", "--workflow", "mini")
    assert result.exit_code == 0 and "Waiting" not in result.stderr


# -- 7. --json hints name the project ----------------------------------------------------------


def test_json_hints_carry_the_project_id_as_the_text_output_does(run):
    assert run("new", "carers-hub", "--workflow", "mini").exit_code == 0
    text = run("status", "carers-hub").stdout
    assert 'To fix: coflow record carers-hub sponsor "Dr A. Mensah"' in text
    for command in ("status", "check", "advance"):
        data = run(command, "carers-hub", "--json").json()
        hints = [c["hint"] for c in data["checks"] if c["hint"]]
        assert hints and all("PROJECT" not in h for h in hints), (command, hints)
        assert 'coflow record carers-hub sponsor "Dr A. Mensah"' in hints
    every = run("status", "--json").json()
    assert all("PROJECT" not in (c["hint"] or "") for report in every for c in report["checks"])


# -- 8. participant export --json ----------------------------------------------------------------


def test_participant_export_takes_json_and_prints_the_same_document(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("participant", "add", "p1", "--name", "Ann Example").exit_code == 0
    plain = run("participant", "export", "p1", "P-001")
    as_json = run("participant", "export", "p1", "P-001", "--json")
    assert plain.exit_code == as_json.exit_code == 0
    stamp = {"exported": None}  # when each was made differs; nothing else may
    assert {**as_json.json(), **stamp} == {**plain.json(), **stamp}
    assert as_json.json()["participant"]["id"] == "P-001"
    assert "Ann Example" in as_json.stdout  # a subject access request shows the person their details


# -- 11. the same words in the check and in `assess`; --signs-as echoed --------------------------


def test_suitability_check_names_what_held_it_back_as_assess_does(run):
    assert run("new", "p1", "--workflow", "coproduction").exit_code == 0
    scores = {"authority": 2, "shared-aims": 1, "scale": 2, "outcomes": 2, "resources": 2, "delivery-role": 2}
    args = [x for key, value in scores.items() for x in (f"--{key}", str(value))]
    shown = run("assess", "p1", *args)
    assert shown.exit_code == 0, shown
    assert "Held back by: shared aims." in shown.stdout
    check = run("check", "p1")
    assert "(held back by: shared aims)" in check.stdout
    assert "shared_aims" not in check.stdout


def test_participant_update_signs_as_echoes_the_link_it_made(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    added = run("participant", "add", "p1", "--signs-as", "amensah")
    assert "Signs off as: amensah" in added.stdout
    updated = run("participant", "update", "p1", "P-001", "--signs-as", "bkhan")
    assert updated.exit_code == 0 and "Signs off as: bkhan" in updated.stdout


# -- 9. every coflow.toml key documented in one place, and init points there ---------------------


def test_every_coflow_toml_key_is_in_docs_config_md_and_init_points_there(home):
    from coflow.config import ACTOR_KEYS, PERMISSIONS, TOP_KEYS

    doc = (REPO / "docs" / "config.md").read_text(encoding="utf-8")
    for key in TOP_KEYS:
        heading = {"actors": "[actors.NAME]", "notify": "[[notify]]", "assessment": "[assessment]"}.get(key)
        assert (f"`{heading}`" if heading else f"| `{key}` |") in doc, key
    for key in ACTOR_KEYS:
        assert f"| `{key}` |" in doc, key
    for permission in PERMISSIONS:
        assert f'`"{permission}"`' in doc, permission
    for key in ("notifier", "events", "payment_days"):
        assert f"`{key}`" in doc, key
    written = (home / "coflow.toml").read_text(encoding="utf-8")
    assert "docs/config.md" in written and "See the README" not in written
    assert "# plugins_dir" in written and "# [[notify]]" in written
    assert "docs/config.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_the_commented_lines_init_writes_are_valid_settings_when_uncommented(run, home):
    path = home / "coflow.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    settings = [line[2:] for line in lines if line.startswith("# ") and ("=" in line or line.startswith("# ["))]
    (home / "plugins").mkdir()
    path.write_text("\n".join([*(x for x in lines if not x.startswith("#")), *settings]) + "\n", encoding="utf-8")
    assert "[[notify]]" in path.read_text() and 'plugins_dir = "plugins"' in path.read_text()
    result = run("notify", "check")
    assert result.exit_code == 0, result


# -- 10. the browser tests' skip message names every missing part and one command -------------


def test_browser_skip_message_names_every_missing_part_and_the_one_install_command(tmp_path, monkeypatch):
    import browser_parts

    monkeypatch.delenv("CHROMIUM", raising=False)
    nothing = browser_parts.missing(which=lambda name: None, folders=[tmp_path / "node_modules"])
    message = browser_parts.skip_message(nothing)
    for part in ("chromium", "node", "axe-core", "playwright-core", str(tmp_path / "node_modules")):
        assert part in message, part
    assert message.count(".ci/install-browser-deps") == 1
    # chromium and node there, the npm packages not: still named, with the same command
    some = browser_parts.missing(which=lambda name: f"/usr/bin/{name}", folders=[tmp_path / "node_modules"])
    assert len(some) == 1 and "axe-core and playwright-core" in some[0]
    (tmp_path / "node_modules" / "axe-core").mkdir(parents=True)
    (tmp_path / "node_modules" / "axe-core" / "axe.min.js").write_text("")
    (tmp_path / "node_modules" / "playwright-core").mkdir()
    (tmp_path / "node_modules" / "playwright-core" / "package.json").write_text("{}")
    assert browser_parts.missing(which=lambda name: f"/usr/bin/{name}", folders=[tmp_path / "node_modules"]) == []
    assert (REPO / ".ci" / "install-browser-deps").is_file()


# -- 12. report --all shows projects whose workflow file changed ---------------------------------


def test_report_all_shows_projects_whose_workflow_file_changed(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("new", "p2", "--workflow", "consult").exit_code == 0
    before = run("report", "--all", "--json").json()
    assert before["totals"]["workflow_changed"] == 0
    assert all(p["workflow_changed"] is False for p in before["projects"])
    mini = home / "workflows" / "mini.toml"
    mini.write_text(mini.read_text().replace("value = 500", "value = 800"))
    after = run("report", "--all", "--json").json()
    assert after["totals"]["workflow_changed"] == 1
    assert {p["id"]: p["workflow_changed"] for p in after["projects"]} == {"p1": True, "p2": False}
    text = run("report", "--all").stdout
    assert "Projects whose workflow file has changed since they were pinned:** 1" in text
    assert "`coflow migrate p1 --dry-run` shows what changed" in text
    assert "migrate p2" not in text
    html = run("report", "--all", "--format", "html").stdout
    assert "Workflow file changed" in html and "coflow migrate p1 --dry-run" in html


# -- 13. migrate shows what changed in the workflow file -----------------------------------------


def test_migrate_lists_stages_checks_and_parameters_added_removed_and_changed(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    mini = home / "workflows" / "mini.toml"
    text = mini.read_text()
    text = text.replace('op = ">="\nvalue = 500\n', "")  # two parameters removed
    text = text.replace('key = "sponsor"', 'key = "sponsor_name"')  # a parameter changed
    text = text.replace('[[stages.planning.checks]]\nid = "dpia"\ntype = "fact"\nkey = "dpia_ref"\n'
                        'title = "DPIA reference"\nseverity = "advisory"\n', "")  # a check removed
    text = text.replace('[stages.delivery]\ntitle = "Delivery"\n',
                        '[stages.review]\ntitle = "Review"\n[[stages.review.checks]]\nid = "reviewed"\n'
                        'type = "fact"\nkey = "review_ref"\ntitle = "Reviewed"\n'
                        '[stages.delivery]\ntitle = "Delivery and learning"\n')  # a stage added, a title changed
    mini.write_text(text)
    plan = run("migrate", "p1", "--dry-run")
    assert plan.exit_code == 0, plan
    lines = plan.stdout.splitlines()
    changes = lines[lines.index("What changed in the workflow file:") + 1:]
    assert "  - stage 'planning': next stage changed from \"delivery\" to \"review\"" in changes
    assert "  - stage 'planning': check 'budget' parameter 'op' removed (was \">=\")" in changes
    assert "  - stage 'planning': check 'budget' parameter 'value' removed (was 500)" in changes
    assert ("  - stage 'planning': check 'sponsor-named' parameter 'key' changed from \"sponsor\" "
            "to \"sponsor_name\"") in changes
    assert "  - stage 'planning': check 'dpia' removed (advisory): DPIA reference" in changes
    assert "  - stage 'review' (Review) added, with 1 check" in changes
    assert "  - stage 'delivery': title changed from \"Delivery\" to \"Delivery and learning\"" in changes
    assert "Nothing was changed." in plan.stdout
    assert len(run("history", "p1", "--json").json()) == 1
    done = run("migrate", "p1", "--json")
    assert done.exit_code == 0
    data = done.json()
    assert data["migrated"] is True
    assert {"what": "parameter", "change": "removed", "stage": "planning", "check": "budget",
            "field": "value", "old": 500} in data["changes"]
    assert {"what": "check", "change": "removed", "stage": "planning", "check": "dpia",
            "title": "DPIA reference", "type": "fact", "severity": "advisory"} in data["changes"]
    again = run("migrate", "p1", "--json").json()
    assert again["migrated"] is False and again["changes"] == []


def test_migrate_of_a_file_changed_only_in_comments_says_so(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    mini = home / "workflows" / "mini.toml"
    mini.write_text("# reviewed in March\n" + mini.read_text())
    plan = run("migrate", "p1", "--dry-run")
    assert "not its stages, checks, parameters or roles" in plan.stdout
    assert "What changed" not in plan.stdout


@pytest.mark.postgres
def test_a_busy_postgresql_store_also_says_it_is_waiting(pg_url, run_process, home):
    import psycopg

    from coflow.storage.postgres import LOCK_SPACE

    busy(home, 3)
    env = {"COFLOW_STORE": pg_url}
    assert run_process("new", "p1", "--workflow", "mini", env=env).exit_code == 0
    with psycopg.connect(pg_url, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (LOCK_SPACE, "p1"))  # another writer
        result = run_process("record", "p1", "sponsor", "Ann", env=env)
    assert result.exit_code == 4, result
    assert "Waiting for another coflow command to finish writing to the store" in result.stderr
    assert "stayed busy for 3 seconds" in result.stderr
    assert run_process("record", "p1", "sponsor", "Ann", env=env).exit_code == 0
