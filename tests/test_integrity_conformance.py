"""Nothing bends quietly: the stored workflows, the list of projects and the outbox are
checked against the hash chain, on every store (SQLite and a real PostgreSQL server).

Each test plays someone with write access to the store's tables, through the store's own
connection, and then uses coflow as a person would, through the command line.
"""

from __future__ import annotations

import json

import pytest
from test_store_conformance import disable_append_only, open_store, raw, store_url  # noqa: F401

MINI_PLANNING = ("sponsor-named", "budget", "dpia")


@pytest.fixture
def p1(store_url, home, run, monkeypatch):  # noqa: F811 - the fixture imported above
    monkeypatch.setenv("COFLOW_STORE", store_url)
    if store_url.startswith("sqlite:"):
        assert run("init", str(home)).exit_code == 0
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    return store_url


def test_a_stored_workflow_edited_to_open_a_gate_is_caught_and_never_judged(p1, home, run):
    assert run("check", "p1").exit_code == 1  # the budget is missing: the gate is closed
    assert run("verify").exit_code == 0
    store = open_store(p1, base=home)
    (workflow_hash,) = raw(store, "SELECT workflow_hash FROM projects WHERE id = ?", ("p1",))[0]
    definition = json.loads(raw(store, "SELECT definition FROM workflows WHERE hash = ?", (workflow_hash,))[0][0])
    assert [c["id"] for c in definition["stages"]["planning"]["checks"]] == list(MINI_PLANNING)
    definition["stages"]["planning"]["checks"] = []  # the gate now asks for nothing
    raw(store, "UPDATE workflows SET definition = ? WHERE hash = ?",
        (json.dumps(definition, ensure_ascii=False), workflow_hash))
    if not p1.startswith("sqlite:"):
        store.conn.commit()
    store.close()
    for command in (("check", "p1"), ("advance", "p1"), ("status", "p1")):
        result = run(*command)
        assert result.exit_code == 5, (command, result)
        assert "mini" in result.stderr and "stored copy was changed" in result.stderr
    verify = run("verify", "--json")
    assert verify.exit_code == 5
    [found] = verify.json()["projects"]
    assert found["intact"] is False and found["first_bad_seq"] == 1 and "workflow mini 1" in found["why"]
    history = run("history", "p1", "--json").json()
    assert [e["type"] for e in history] == ["created", "fact_recorded"]  # nothing moved


def test_a_project_whose_latest_events_and_row_were_deleted_does_not_hide(p1, home, run):
    assert run("new", "p2", "--workflow", "mini").exit_code == 0
    assert run("record", "p1", "budget", "750").exit_code == 0
    store = open_store(p1, base=home)
    disable_append_only(store)
    if p1.startswith("sqlite:"):
        raw(store, "DROP TRIGGER events_append_only_delete")
    raw(store, "DELETE FROM events WHERE project = ? AND seq > 1", ("p1",))
    raw(store, "DELETE FROM projects WHERE id = ?", ("p1",))
    if not p1.startswith("sqlite:"):
        store.conn.commit()
    store.close()
    verify = run("verify")
    assert verify.exit_code == 5, verify
    assert "p1" in verify.stderr and "list of projects" in verify.stderr
    statuses = run("status", "--json").json()
    assert sorted(s["project"] for s in statuses) == ["p1", "p2"]
    portfolio = run("report", "--all", "--format", "json").json()
    assert "p1" in json.dumps(portfolio)


def test_notify_retry_sends_only_what_the_history_holds(p1, home, run, tmp_path):
    config = home / "coflow.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + f'\n[[notify]]\nnotifier = "file"\nevents = ["fact_recorded"]\npath = "{tmp_path / "out.jsonl"}"\n',
                      encoding="utf-8")
    (tmp_path / "out.jsonl").mkdir()  # delivery fails: the notification stays in the outbox
    assert run("record", "p1", "budget", "750").exit_code == 0
    (tmp_path / "out.jsonl").rmdir()
    store = open_store(p1, base=home)
    [(item_id, payload)] = raw(store, "SELECT id, payload FROM outbox WHERE status = 'failed'")
    forged = json.loads(payload)
    real_hash = forged["event"]["hash"]
    forged["event"]["data"]["value"] = "a forged message, sent under the real event's hash"
    raw(store, "UPDATE outbox SET payload = ? WHERE id = ?", (json.dumps(forged), item_id))
    if not p1.startswith("sqlite:"):
        store.conn.commit()
    store.close()
    retry = run("notify", "retry")
    assert retry.exit_code == 5, retry
    assert "does not match event 3 of p1" in retry.stdout + retry.stderr
    assert not (tmp_path / "out.jsonl").exists()  # nothing was sent
    [kept] = run("notify", "list", "--json").json()
    assert kept["status"] == "failed" and "does not match" in kept["last_error"]
    forged["event"]["data"]["value"] = 750  # put back exactly what the history holds
    assert forged["event"]["hash"] == real_hash
    store = open_store(p1, base=home)
    raw(store, "UPDATE outbox SET payload = ? WHERE id = ?", (json.dumps(forged), item_id))
    if not p1.startswith("sqlite:"):
        store.conn.commit()
    store.close()
    assert run("notify", "retry").exit_code == 0
    [sent] = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sent["hash"] == real_hash and sent["data"]["value"] == 750



def test_a_project_pinned_before_definition_fingerprints_still_verifies_and_is_checked_against_its_file(home, run):
    from tampering import rewrite_with_recomputed_hashes, tamper

    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    created = run("history", "p1", "--json").json()[0]["data"]
    del created["workflow"]["definition_hash"]  # as an older coflow wrote it
    rewrite_with_recomputed_hashes(home, "p1", 1, created)
    assert run("verify").exit_code == 0
    assert run("check", "p1").exit_code == 1
    tamper(home, "UPDATE workflows SET definition = replace(definition, '\"budget\"', '\"budgie\"')")
    result = run("verify")
    assert result.exit_code == 5 and "mini.toml" in result.stderr, result
    assert run("check", "p1").exit_code == 5


def test_migrate_store_records_the_fingerprints_older_projects_lack(home, run):
    from tampering import rewrite_with_recomputed_hashes, tamper

    for project in ("p1", "p2"):
        assert run("new", project, "--workflow", "mini").exit_code == 0
        created = run("history", project, "--json").json()[0]["data"]
        del created["workflow"]["definition_hash"]  # as an older coflow wrote it
        rewrite_with_recomputed_hashes(home, project, 1, created)
    assert run("new", "p3", "--workflow", "mini").exit_code == 0  # already has its fingerprint
    dry = run("migrate-store", "--dry-run", "--json")
    assert dry.exit_code == 0 and sorted(dry.json()["projects"]) == ["p1", "p2"]
    assert [e["type"] for e in run("history", "p1", "--json").json()] == ["created"]  # nothing written
    done = run("migrate-store")
    assert done.exit_code == 0 and "p1: recorded the fingerprint of 1 workflow" in done.stdout
    assert [e["type"] for e in run("history", "p1", "--json").json()] == ["created", "store_upgraded"]
    assert run("verify").exit_code == 0
    assert "Nothing to do" in run("migrate-store").stdout
    # from now on the fingerprint in the history is what the stored copy is checked against,
    # even once the workflow file has gone
    (home / "workflows" / "mini.toml").unlink()
    tamper(home, "UPDATE workflows SET definition = replace(definition, '\"budget\"', '\"budgie\"')")
    result = run("verify")
    assert result.exit_code == 5 and "stored copy was changed" in result.stderr


def _forge_snapshot(url, home, **facts) -> None:
    """Change p1's snapshot as someone with write access to the store's tables could."""
    store = open_store(url, base=home)
    [(text,)] = raw(store, "SELECT state FROM snapshots WHERE project = ?", ("p1",))
    state = json.loads(text)
    state["facts"].update(facts)
    raw(store, "UPDATE snapshots SET state = ? WHERE project = ?", (json.dumps(state), "p1"))
    if not url.startswith("sqlite:"):
        store.conn.commit()
    store.close()


def test_a_changed_snapshot_is_reported_by_verify_and_rebuilt_from_the_history(p1, home, run):
    assert run("check", "p1").exit_code == 1  # the budget is missing
    _forge_snapshot(p1, home, budget=900)
    gate = run("report", "p1", "--format", "json").json()["current_gate"]
    assert {c["id"]: c["status"] for c in gate["checks"]}["budget"] == "fail"  # reports fold the history itself
    verify = run("verify")
    assert verify.exit_code == 5, verify
    assert "saved state of the project" in verify.stdout + verify.stderr
    assert run("check", "p1").exit_code == 1  # rebuilt from the history
    assert run("verify").exit_code == 0


def test_no_snapshot_is_trusted_while_the_append_only_trigger_is_off(p1, home, run):
    _forge_snapshot(p1, home, budget=900)
    store = open_store(p1, base=home)
    disable_append_only(store)
    if not p1.startswith("sqlite:"):
        store.conn.commit()
    store.close()
    check = run("check", "p1", "--json")
    assert check.exit_code == 1, check  # judged from the history: the budget is still missing
    assert "budget" in [c["id"] for c in check.json()["checks"] if c["status"] != "pass"]
