"""Evidence (files copied in under their sha256, or references) and "you said, we did" feedback."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from cli_helpers import history_length

TOMORROW = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)).isoformat()


def test_evidence_file_is_copied_in_under_its_sha256(run, home, tmp_path, p1):
    document = tmp_path / "ground-rules.pdf"
    document.write_bytes(b"%PDF-1.4 ground rules agreed together\n")
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    result = run("evidence", "add", "p1", "--kind", "ground-rules", "--file", str(document),
                 "--title", "Ground rules", "--json")
    assert result.exit_code == 0, result
    record = result.json()
    assert record["id"] == "E-001" and record["kind"] == "ground-rules" and record["title"] == "Ground rules"
    assert record["file"] == "ground-rules.pdf" and record["sha256"] == digest
    assert record["stored"] == f".coflow/evidence/{digest}" and record["ref"] is None
    assert (home / record["stored"]).read_bytes() == document.read_bytes()
    document.write_bytes(b"changed afterwards")
    assert hashlib.sha256((home / record["stored"]).read_bytes()).hexdigest() == digest


def test_evidence_by_reference_and_list_by_kind(run, p1):
    assert run("evidence", "add", "p1", "--kind", "board-report", "--ref", "QSC-2026-09 item 7").exit_code == 0
    assert run("evidence", "add", "p1", "--kind", "minutes", "--ref", "https://intranet.example.org/m1",
               "--date", "2026-03-04").exit_code == 0
    minutes = run("evidence", "list", "p1", "--kind", "minutes", "--json").json()
    assert [(e["id"], e["ref"], e["date"], e["sha256"]) for e in minutes] == [
        ("E-002", "https://intranet.example.org/m1", "2026-03-04", None)]
    assert len(run("evidence", "list", "p1", "--json").json()) == 2
    assert "board-report" in run("evidence", "list", "p1").stdout


def test_evidence_file_missing_or_a_folder_exits_2_and_writes_nothing(run, home, tmp_path, p1):
    before = history_length(run)
    missing = run("evidence", "add", "p1", "--kind", "minutes", "--file", str(tmp_path / "nope.pdf"))
    assert missing.exit_code == 2 and "does not exist" in missing.stderr and "nope.pdf" in missing.stderr
    folder = run("evidence", "add", "p1", "--kind", "minutes", "--file", str(tmp_path))
    assert folder.exit_code == 2 and "folder" in folder.stderr
    both = run("evidence", "add", "p1", "--kind", "minutes", "--file", str(tmp_path), "--ref", "x")
    assert both.exit_code == 2
    neither = run("evidence", "add", "p1", "--kind", "minutes")
    assert neither.exit_code == 2
    bad_kind = run("evidence", "add", "p1", "--kind", "Ground Rules", "--ref", "x")
    assert bad_kind.exit_code == 2 and "kind" in bad_kind.stderr and "ground-rules" in bad_kind.stderr
    future = run("evidence", "add", "p1", "--kind", "minutes", "--ref", "x", "--date", TOMORROW)
    assert future.exit_code == 2 and "date" in future.stderr
    assert history_length(run) == before
    assert not (home / ".coflow" / "evidence").exists() or not any((home / ".coflow" / "evidence").iterdir())


def test_feedback_add_update_and_list(run, p1):
    added = run("feedback", "add", "p1", "--said", "Evening sessions", "--json")
    assert added.exit_code == 0, added
    assert added.json()["status"] == "open" and added.json()["id"] == "F-001"
    run("feedback", "add", "p1", "--said", "Keep the Saturday clinic", "--response", "Kept", "--status", "adopted")
    answered = run("feedback", "update", "p1", "F-001", "--status", "not-adopted",
                   "--reason", "the building closes at 5pm", "--json")
    assert answered.exit_code == 0, answered
    assert answered.json()["status"] == "not-adopted" and answered.json()["reason"] == "the building closes at 5pm"
    assert [f["id"] for f in run("feedback", "list", "p1", "--status", "adopted", "--json").json()] == ["F-002"]
    assert "Saturday" in run("feedback", "list", "p1").stdout


@pytest.mark.parametrize("args, named", [
    (("--said", "Evening sessions", "--status", "not-adopted"), "reason"),
    (("--said", "Evening sessions", "--status", "adopted"), "response"),
    (("--said", "Evening sessions", "--status", "maybe"), "status"),
    (("--said", "  "), "said"),
    (("--said", "Evening sessions", "--date", TOMORROW), "date"),
])
def test_bad_feedback_exits_2_and_writes_nothing(run, p1, args, named):
    before = history_length(run)
    result = run("feedback", "add", "p1", *args)
    assert result.exit_code == 2, result
    assert named in result.stderr and "feedback" in result.stderr
    assert history_length(run) == before


def test_feedback_update_to_not_adopted_without_a_reason_is_refused(run, p1):
    run("feedback", "add", "p1", "--said", "Evening sessions")
    before = history_length(run)
    result = run("feedback", "update", "p1", "F-001", "--status", "not-adopted")
    assert result.exit_code == 2 and "reason" in result.stderr
    assert history_length(run) == before
