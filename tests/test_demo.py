"""`coflow demo`: runs in seconds, shows a blocked gate, records, passing gates and advances,
uses nothing personal, and touches nothing of the user's."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

from coflow.cli.demo import PROJECT


def test_demo_reaches_the_third_stage_and_exits_0(run):
    result = run("demo")
    assert result.exit_code == 0, result
    out = result.stdout
    assert "Not advanced: carers-hub-demo stays at 'planning'" in out
    assert "Not ready to move on to 'Training and induction' yet: 9 required checks not met." in out
    assert "P-001, P-003 and P-004 have no induction date" in out
    assert "Advanced carers-hub-demo from 'planning' to 'training'." in out
    assert "Advanced carers-hub-demo from 'training' to 'implementation'." in out
    assert "carers-hub-demo: intact" in out
    assert "Next steps" in out and "coflow init" in out
    assert "Traceback" not in out + result.stderr


def test_demo_kept_folder_holds_the_project_at_implementation_with_no_personal_data(run, tmp_path):
    kept = tmp_path / "demo-folder"
    result = run("demo", "--keep", str(kept))
    assert result.exit_code == 0, result
    assert str(kept) in result.stdout
    env = {**os.environ, "COFLOW_ACTOR": "tester"}
    status = subprocess.run([sys.executable, "-m", "coflow", "--home", str(kept), "status", PROJECT, "--json"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["stage"] == "implementation"
    with sqlite3.connect(kept / ".coflow" / "coflow.db") as db:
        tables = [row[0] for row in db.execute("select name from sqlite_master where type = 'table'")]
        personal = [t for t in tables if "personal" in t]
        assert personal, tables
        assert all(db.execute(f"select count(*) from {t}").fetchone()[0] == 0 for t in personal)
        events = " ".join(row[0] for row in db.execute("select data from events"))
    for word in ("@", "Mensah", "name\":"):
        assert word not in events


def test_demo_refuses_a_folder_that_is_not_empty_and_writes_nothing(run, tmp_path):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("demo", "--keep", str(busy))
    assert result.exit_code == 2
    assert "not an empty folder" in result.stderr and "Hint:" in result.stderr
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt"]


def test_demo_ignores_the_store_actor_and_plugins_from_the_environment(run, tmp_path, monkeypatch):
    elsewhere = tmp_path / "real.db"
    monkeypatch.setenv("COFLOW_STORE", f"sqlite:///{elsewhere}")
    monkeypatch.setenv("COFLOW_ACTOR", "someone-real")
    monkeypatch.setenv("COFLOW_LOAD_PLUGINS", "some-plugin")
    result = run("demo")
    assert result.exit_code == 0, result
    assert not elsewhere.exists()
    assert "someone-real" not in result.stdout
    assert os.environ["COFLOW_STORE"] == f"sqlite:///{elsewhere}"  # put back afterwards
    assert os.environ["COFLOW_LOAD_PLUGINS"] == "some-plugin"


def test_demo_as_a_real_process_takes_a_few_seconds(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("COFLOW_")}
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "coflow", "demo"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)
    elapsed = time.monotonic() - started
    assert proc.returncode == 0, proc.stderr
    assert "Advanced carers-hub-demo from 'training' to 'implementation'." in proc.stdout
    assert elapsed < 10, f"the demo took {elapsed:.1f} seconds"
    assert list(tmp_path.iterdir()) == []  # nothing left behind


def test_the_demo_points_an_organisation_at_extends_rather_than_a_copy(run):
    out = run("demo").stdout
    assert 'extends = "coproduction"' in out and "docs/workflows.md" in out
    assert "copy a shipped one" not in out
