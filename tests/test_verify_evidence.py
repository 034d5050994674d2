"""`coflow verify` re-checks every stored evidence file against the SHA-256 recorded when it
was added: an edited or deleted copy is exit 5 naming the project and evidence, while the
hash chain itself still verifies."""

from __future__ import annotations

import hashlib

import pytest


@pytest.fixture
def stored(run, home, tmp_path):
    """p1 with one file (E-001), one reference (E-002); p2 with no evidence. Returns E-001's copy."""
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("new", "p2", "--workflow", "mini").exit_code == 0
    document = tmp_path / "minutes.pdf"
    document.write_bytes(b"%PDF-1.4 minutes of the first meeting\n")
    added = run("evidence", "add", "p1", "--kind", "minutes", "--file", str(document), "--json")
    assert added.exit_code == 0, added
    assert run("evidence", "add", "p1", "--kind", "board-report", "--ref", "QSC-2026-09 item 7").exit_code == 0
    copy = home / added.json()["stored"]
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == added.json()["sha256"]
    return copy


def evidence_of(result, project: str) -> dict:
    return next(p for p in result.json()["projects"] if p["project"] == project)


def test_intact_evidence_files_verify_with_exit_0(run, stored):
    result = run("verify")
    assert result.exit_code == 0, result
    assert result.stdout.splitlines() == ["p1: intact; 1 evidence file checked, all match", "p2: intact"]
    data = run("verify", "--json").json()
    assert data["intact"] is True and data["evidence_files_ok"] is True
    p1 = evidence_of(run("verify", "--json"), "p1")["evidence"]
    assert p1["files_checked"] == 1 and p1["files_ok"] is True
    assert p1["files"][0]["id"] == "E-001" and p1["files"][0]["status"] == "matches"
    assert p1["files"][0]["file"] == "minutes.pdf" and p1["files"][0]["why"] is None
    assert evidence_of(run("verify", "--json"), "p2")["evidence"] == {"files_checked": 0, "files_ok": True,
                                                                      "files": []}


def test_an_edited_evidence_file_is_exit_5_but_the_chain_still_verifies(run, stored):
    stored.write_bytes(b"%PDF-1.4 minutes quietly rewritten\n")
    result = run("verify")
    assert result.exit_code == 5, result
    assert result.stderr.startswith("Error: project p1, evidence E-001 (minutes.pdf): ")
    assert "changed since it was recorded" in result.stderr and "Traceback" not in result.stderr
    assert "p1: intact; 1 evidence file checked, 1 with problems" in result.stdout
    data = run("verify", "--json")
    assert data.exit_code == 5
    assert data.json()["intact"] is True and data.json()["evidence_files_ok"] is False
    p1 = evidence_of(data, "p1")
    assert p1["intact"] is True and p1["evidence"]["files_ok"] is False
    assert p1["evidence"]["files"][0]["status"] == "changed"
    assert run("verify", "p2").exit_code == 0  # a project with no evidence is not blamed


def test_a_deleted_evidence_file_is_exit_5_naming_project_and_evidence(run, stored):
    stored.unlink()
    result = run("verify", "p1")
    assert result.exit_code == 5, result
    assert "project p1, evidence E-001 (minutes.pdf)" in result.stderr and "missing" in result.stderr
    assert stored.name in result.stderr  # the hint names the fingerprint to restore
    data = run("verify", "p1", "--json")
    assert data.exit_code == 5 and data.json()["intact"] is True
    assert evidence_of(data, "p1")["evidence"]["files"][0]["status"] == "missing"
    stored.parent.rmdir()  # the whole evidence folder gone is the same finding
    assert "missing" in run("verify").stderr


def test_two_records_of_one_file_are_both_reported(run, stored, tmp_path):
    again = tmp_path / "copy.pdf"
    again.write_bytes(stored.read_bytes())
    assert run("evidence", "add", "p1", "--kind", "minutes", "--file", str(again)).exit_code == 0
    stored.write_bytes(b"changed")
    result = run("verify")
    assert result.exit_code == 5 and "E-001" in result.stderr and "E-003 (copy.pdf)" in result.stderr


# -- the report says whether each stored file still matches -----------------------------------

def evidence_items(run) -> dict:
    result = run("report", "p1", "--format", "json")
    assert result.exit_code == 0, result
    return {i["id"]: i for i in result.json()["evidence"]["items"]}


def test_report_says_an_intact_file_matches_and_a_reference_has_no_file(run, stored):
    items = evidence_items(run)
    assert (items["E-001"]["file_check"], items["E-001"]["file_check_text"]) == ("matches", "file checked: matches")
    assert items["E-002"]["file_check"] is None and items["E-002"]["file_check_text"] is None
    markdown = run("report", "p1").stdout
    assert "file checked: matches" in markdown and "no longer" not in markdown
    html = run("report", "p1", "--format", "html").stdout
    assert "file checked: matches" in html and "no file kept" in html


@pytest.mark.parametrize("damage, status, words", [
    (lambda f: f.write_bytes(b"rewritten"), "changed", "file changed since it was recorded"),
    (lambda f: f.unlink(), "missing", "file missing"),
])
def test_report_says_when_a_stored_file_was_changed_or_deleted(run, stored, damage, status, words):
    damage(stored)
    items = evidence_items(run)
    assert (items["E-001"]["file_check"], items["E-001"]["file_check_text"]) == (status, words)
    for fmt in ("md", "html"):
        text = run("report", "p1", "--format", fmt).stdout
        assert words in text and "1 stored file no longer matches what was recorded." in text
        assert "file checked: matches" not in text


# -- verify --against re-checks the evidence files of the projects it checks ---------------------

@pytest.fixture
def anchored(run, stored, tmp_path):
    """An anchor taken after `stored` was added; returns its path."""
    path = tmp_path / "anchor.txt"
    assert run("verify", "--anchor", "-o", str(path)).exit_code == 0
    return path


def test_against_with_intact_evidence_files_is_exit_0_and_says_they_were_checked(run, stored, anchored):
    result = run("verify", "--against", str(anchored))
    assert result.exit_code == 0, result
    assert "  p1: matches the anchor at event 3; 1 evidence file checked, all match" in result.stdout
    assert "  p2: matches the anchor at event 1\n" in result.stdout
    assert "Nothing up to the anchored events has been changed." in result.stdout
    data = run("verify", "--against", str(anchored), "--json").json()
    assert data["intact"] is True and data["evidence_files_ok"] is True
    p1 = evidence_of_against(data, "p1")["evidence"]
    assert p1["files_checked"] == 1 and p1["files"][0]["status"] == "matches"


def evidence_of_against(data: dict, project: str) -> dict:
    return next(p for p in data["projects"] if p["project"] == project)


@pytest.mark.parametrize("damage, words", [
    (lambda f: f.write_bytes(b"%PDF-1.4 minutes quietly rewritten\n"), "changed since it was recorded"),
    (lambda f: f.unlink(), "missing"),
])
def test_against_with_a_changed_or_missing_evidence_file_is_exit_5(run, stored, anchored, damage, words):
    damage(stored)
    for args in (("verify", "--against", str(anchored)), ("verify", "p1", "--against", str(anchored))):
        result = run(*args)
        assert result.exit_code == 5, result
        assert result.stderr.startswith("Error: project p1, evidence E-001 (minutes.pdf): ")
        assert words in result.stderr and stored.name in result.stderr and "Traceback" not in result.stderr
        assert "1 evidence file checked, 1 with problems" in result.stdout
        assert "Nothing up to the anchored events has been changed." not in result.stdout
    data = run("verify", "--against", str(anchored), "--json")
    assert data.exit_code == 5
    assert data.json()["intact"] is True and data.json()["evidence_files_ok"] is False
    assert evidence_of_against(data.json(), "p1")["evidence"]["files_ok"] is False
    assert run("verify", "p2", "--against", str(anchored)).exit_code == 0  # p2 has no evidence to blame


def test_against_checks_evidence_of_projects_started_after_the_anchor(run, stored, anchored, tmp_path):
    assert run("new", "p3", "--workflow", "mini").exit_code == 0
    later = tmp_path / "agenda.txt"
    later.write_text("agenda\n")
    added = run("evidence", "add", "p3", "--kind", "agenda", "--file", str(later), "--json").json()
    (stored.parent / added["sha256"]).write_text("another agenda\n")
    result = run("verify", "--against", str(anchored))
    assert result.exit_code == 5, result
    assert "project p3, evidence E-001 (agenda.txt)" in result.stderr
    assert "p3: not in the anchor" in result.stdout and "1 with problems" in result.stdout


def test_a_file_replaced_with_its_fingerprint_and_recomputed_chain_is_caught_only_by_the_anchor(
        run, home, stored, anchored):
    from tampering import rewrite_with_recomputed_hashes

    forged = b"%PDF-1.4 different minutes\n"
    fingerprint = hashlib.sha256(forged).hexdigest()
    (stored.parent / fingerprint).write_bytes(forged)
    stored.unlink()
    event = run("history", "p1", "--json").json()[1]
    assert event["type"] == "evidence_added"
    rewrite_with_recomputed_hashes(home, "p1", 2, {**event["data"], "sha256": fingerprint,
                                                   "stored": event["data"]["stored"].replace(stored.name, fingerprint)})
    assert run("verify").exit_code == 0  # chain and file agree with each other: plain verify cannot tell
    result = run("verify", "--against", str(anchored))
    assert result.exit_code == 5, result
    assert "project p1" in result.stderr and "rewritten" in result.stderr
