"""The store under real concurrency (issue 2): several processes writing one project at
once lose nothing and pass each gate exactly once; a writer killed mid-transaction leaves
no trace; a store held busy longer than busy_timeout gives exit 4 and a plain message."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter

import pytest

pytestmark = pytest.mark.slow

WORKERS = 5

# Each worker is its own process: it waits for the starting signal, then runs four coflow
# commands one after another, each with a fresh engine and store connection.
WORKER = textwrap.dedent("""
    import json, os, sys, time
    import click
    from coflow.cli.main import cli

    home, go, name = sys.argv[1:4]

    def run(*args):
        try:
            code = cli.main(args=["--home", home, "--actor", name, *args], prog_name="coflow",
                            standalone_mode=False)
            return code if isinstance(code, int) else 0
        except click.exceptions.Exit as exc:
            return exc.exit_code
        except click.ClickException as exc:
            exc.show()
            return exc.exit_code

    while not os.path.exists(go):
        time.sleep(0.002)
    codes = {"note": run("record", "p1", "note_" + name, "seen"),
             "advance1": run("advance", "p1"),
             "report": run("record", "p1", "report_ref", "R-" + name),
             "advance2": run("advance", "p1")}
    print("CODES " + json.dumps(codes), flush=True)
""")

# Opens the store as coflow does, appends the next event inside a write transaction, says
# so, and waits to be killed before it can commit.
HALF_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from coflow.events import Event
    from coflow.storage.sqlite import SqliteStore

    store = SqliteStore("sqlite:///.coflow/coflow.db", base=Path(sys.argv[1]))
    with store.transaction() as tx:
        last = tx.events("p1")[-1]
        tx.append(Event.make("p1", last.seq + 1, "killed", "fact_recorded",
                             {"key": "half", "value": "never committed"}, last.hash))
        print("appended", flush=True)
        time.sleep(120)
""")

# Holds the write lock and nothing else.
LOCK_HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    time.sleep(120)
""")


@pytest.fixture
def project(run):
    """p1 at planning with its gate open (sponsor and budget recorded)."""
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    assert run("record", "p1", "sponsor", "Dr A. Mensah").exit_code == 0
    assert run("record", "p1", "budget", "750").exit_code == 0
    return run


def start(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(proc: subprocess.Popen, word: str) -> None:
    line = proc.stdout.readline()
    if word not in line:
        proc.kill()
        pytest.fail(f"the helper process did not get ready: {line!r} {proc.stderr.read()!r}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    proc.stdout.close()
    proc.stderr.close()


def test_racing_processes_lose_no_event_and_pass_each_gate_once(project, home, run_process, tmp_path):
    go = tmp_path / "go"
    workers = [start(WORKER, str(home), str(go), f"w{i}") for i in range(WORKERS)]
    try:
        time.sleep(1.0)  # let every worker import coflow and wait at the line
        go.touch()
        outputs = [w.communicate(timeout=120) for w in workers]
    finally:
        for w in workers:
            stop(w)
    codes = []
    for out, err in outputs:
        line = [ln for ln in out.splitlines() if ln.startswith("CODES ")]
        assert line, err
        codes.append(json.loads(line[0][len("CODES "):]))
    assert all(c["note"] == 0 and c["report"] == 0 for c in codes), codes
    advance_codes = Counter(c[k] for c in codes for k in ("advance1", "advance2"))
    assert set(advance_codes) <= {0, 1}, codes
    assert advance_codes[0] == 2, codes  # one command per gate moved the project

    history = json.loads(run_process("history", "p1", "--json").stdout)
    assert [e["seq"] for e in history] == list(range(1, len(history) + 1))
    facts = [e["data"] for e in history if e["type"] == "fact_recorded"]
    assert sorted(f["key"] for f in facts if f["key"].startswith("note_")) == [f"note_w{i}" for i in range(WORKERS)]
    assert sorted(f["value"] for f in facts if f["key"] == "report_ref") == [f"R-w{i}" for i in range(WORKERS)]
    moves = [(e["data"]["from"], e["data"]["to"]) for e in history if e["type"] == "advanced"]
    assert moves == [("planning", "delivery"), ("delivery", "closed")]
    blocked = sum(1 for e in history if e["type"] == "blocked")
    assert len(history) == 3 + 2 * WORKERS + 2 + blocked
    assert json.loads(run_process("status", "p1", "--json").stdout)["stage"] == "closed"
    assert run_process("verify").exit_code == 0


def test_a_writer_killed_before_commit_leaves_the_store_consistent(project, home, run_process):
    before = json.loads(run_process("history", "p1", "--json").stdout)
    writer = start(HALF_WRITER, str(home))
    try:
        wait_for(writer, "appended")
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
    finally:
        stop(writer)
    assert writer.returncode == -signal.SIGKILL
    verify = run_process("verify")
    assert verify.exit_code == 0, verify
    assert json.loads(run_process("history", "p1", "--json").stdout) == before
    # the lock died with the writer: the next command goes straight through
    assert run_process("record", "p1", "dpia_ref", "DPIA-1").exit_code == 0
    after = json.loads(run_process("history", "p1", "--json").stdout)
    assert after[:-1] == before and after[-1]["data"] == {"key": "dpia_ref", "value": "DPIA-1"}
    assert run_process("verify").exit_code == 0


def test_a_store_busy_longer_than_busy_timeout_is_exit_4_with_nothing_written(project, home, run_process):
    config = home / "coflow.toml"
    config.write_text(config.read_text().replace("busy_timeout = 30", "busy_timeout = 0.5"))
    assert "busy_timeout = 0.5" in config.read_text()
    before = json.loads(run_process("history", "p1", "--json").stdout)
    holder = start(LOCK_HOLDER, str(home / ".coflow" / "coflow.db"))
    try:
        wait_for(holder, "locked")
        for command in (["record", "p1", "dpia_ref", "DPIA-1"], ["advance", "p1"]):
            began = time.monotonic()
            result = run_process(*command)
            waited = time.monotonic() - began
            assert result.exit_code == 4, result
            assert "stayed busy for 0.5 seconds" in result.stderr and "Hint:" in result.stderr
            assert "Traceback" not in result.stderr and "sqlite" not in result.stderr.lower()
            assert waited < 10, waited
        # readers are not held up by a writer
        assert run_process("verify").exit_code == 0
        assert run_process("status", "p1").exit_code == 0
    finally:
        stop(holder)
    assert json.loads(run_process("history", "p1", "--json").stdout) == before
    assert run_process("record", "p1", "dpia_ref", "DPIA-1").exit_code == 0


def test_writes_in_a_row_set_the_lock_wait_once_and_reads_wait_the_whole_busy_timeout(tmp_path):
    """A write asks for the lock waiting a second at first (then says it is waiting); writes
    in a row set that once, not twice each, and a read outside a write waits busy_timeout."""
    from coflow.events import GENESIS_HASH, Event
    from coflow.storage.sqlite import SqliteStore

    store = SqliteStore("sqlite:///coflow.db", base=tmp_path, busy_timeout=7)
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    prev = GENESIS_HASH
    for seq in (1, 2, 3):
        with store.transaction() as tx:
            event = Event.make("p1", seq, "amensah", "fact_recorded", {"key": f"k{seq}", "value": seq}, prev)
            tx.append(event)
            prev = event.hash
    assert [s for s in statements if "busy_timeout" in s] == ["PRAGMA busy_timeout = 1000"]
    assert [e.seq for e in store.events("p1")] == [1, 2, 3]
    assert store.conn.execute("PRAGMA busy_timeout").fetchone() == (7000,)
    with store.transaction() as tx:  # and the next write asks for the lock as before
        tx.append(Event.make("p1", 4, "amensah", "fact_recorded", {"key": "k4", "value": 4}, prev))
    assert store.conn.execute("PRAGMA busy_timeout").fetchone() == (1000,)
    store.close()
