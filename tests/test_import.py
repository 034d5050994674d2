"""`coflow import`: the header is checked, every row is checked, all rows are written or none."""

from __future__ import annotations

import datetime as dt
import sqlite3
import time

import pytest
from cli_helpers import history_length

TOMORROW = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)).isoformat()


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def events_text(home) -> str:
    with sqlite3.connect(home / ".coflow" / "coflow.db") as conn:
        return "\n".join(row[0] for row in conn.execute("SELECT data FROM events"))


PEOPLE = """\
Name,Email,Lived Experience,Category,Groups,Route,Training,Access needs
Asha Patel,asha@example.org,yes,carer,young-carers;rural,open-call,2026-02-10,large print
Ben Cole,,no,,,,,
"""


def test_import_participants_writes_every_row_with_personal_data_kept_apart(run, home, tmp_path, p1):
    result = run("import", "p1", write(tmp_path, "people.csv", PEOPLE), "--kind", "participants", "--json")
    assert result.exit_code == 0, result
    assert result.json()["ids"] == ["P-001", "P-002"]
    people = run("participant", "list", "p1", "--personal", "--json").json()
    asha = people[0]
    assert asha["lived_experience"] is True and asha["groups"] == ["young-carers", "rural"]
    assert asha["trained"] == "2026-02-10" and asha["access_needs"] is True and asha["route"] == "open-call"
    assert asha["personal"] == {"name": "Asha Patel", "email": "asha@example.org", "access_needs": "large print"}
    assert people[1]["lived_experience"] is False and people[1]["personal"] == {"name": "Ben Cole"}
    text = events_text(home)
    assert "Asha" not in text and "asha@example.org" not in text and "large print" not in text


def test_import_sessions_attendance_and_payments(run, tmp_path, p1):
    run("import", "p1", write(tmp_path, "people.csv", PEOPLE), "--kind", "participants")
    sessions = "id,date,format,hours,title,attendees,agenda_by,decisions,paid\n" \
               "S-010,2026-03-04,in-person,2,Kick-off,P-001;P-002,P-001,yes,yes\n" \
               ",2026-03-11,online,1.5,,,,no,no\n"
    result = run("import", "p1", write(tmp_path, "sessions.csv", sessions), "--kind", "sessions", "--json")
    assert result.exit_code == 0, result
    assert result.json()["ids"] == ["S-010", "S-011"]
    attendance = "session,participant\nS-011,P-001\nS-011,P-002\nS-011,P-002\nS-010,P-001\n"
    result = run("import", "p1", write(tmp_path, "attendance.csv", attendance), "--kind", "attendance", "--json")
    assert result.exit_code == 0, result
    assert result.json()["attendance_added"] == 2
    listed = {s["id"]: s for s in run("session", "list", "p1", "--json").json()}
    assert listed["S-010"]["attendance"] == ["P-001", "P-002"] and listed["S-010"]["decisions"] is True
    assert listed["S-011"]["attendance"] == ["P-001", "P-002"] and listed["S-011"]["format"] == "virtual"
    payments = "participant,session,amount,status,date,finance_ref\n" \
               "P-001,S-010,25,paid,2026-03-05,PO-1\nP-002,S-010,0,declined,2026-03-05,\n"
    result = run("import", "p1", write(tmp_path, "payments.csv", payments), "--kind", "payments")
    assert result.exit_code == 0, result
    assert [(p["id"], p["status"], p["amount"]) for p in run("payment", "list", "p1", "--json").json()] == [
        ("PAY-001", "paid", 25), ("PAY-002", "declined", 0)]


@pytest.mark.parametrize("kind, text, expected", [
    ("sessions", "date,format\n2026-03-04,in-person\n", "the column 'hours' is missing"),
    ("payments", "participant,amount,status,bank_account\nP-001,25,paid,12345678\n", "'bank_account' is not a column"),
    ("participants", "lived_experience,name,Name\nyes,A,B\n", "repeats an earlier column"),
    ("participants", "lived_experience;name\nyes;A\n", "';' between columns"),
    ("participants", "", "is empty"),
    ("participants", "lived_experience,name\n", "no rows"),
])
def test_a_bad_header_is_refused_before_any_row(run, tmp_path, p1, kind, text, expected):
    before = history_length(run)
    result = run("import", "p1", write(tmp_path, "bad.csv", text), "--kind", kind)
    assert result.exit_code == 2, result
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert history_length(run) == before


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(run, home, tmp_path, p1):
    run("participant", "add", "p1", "--lived-experience")
    run("session", "add", "p1", "--date", "2026-03-04", "--format", "in-person", "--hours", "2")
    before = history_length(run)
    payments = ("participant,session,amount,status,date\n"
                "P-001,S-001,25,paid,2026-03-05\n"       # row 2: good
                "P-404,S-001,25,paid,2026-03-05\n"       # row 3: unknown participant
                "P-001,S-001,-5,paid,2026-03-05\n"       # row 4: negative amount
                f"P-001,S-001,25,paid,{TOMORROW}\n"      # row 5: a payment made tomorrow
                "P-001,S-009,25,owed,2026-03-05\n")      # row 6: unknown session (first problem of the row)
    result = run("import", "p1", write(tmp_path, "payments.csv", payments), "--kind", "payments")
    assert result.exit_code == 2, result
    assert "4 problems found; nothing was imported" in result.stderr
    assert "row 3, column 'participant': P-404 is not a participant" in result.stderr
    assert "row 4, column 'amount': -5 is below zero" in result.stderr
    assert f"row 5, column 'date': {TOMORROW} is in the future" in result.stderr
    assert "row 6, column 'session': S-009" in result.stderr
    assert "row 2" not in result.stderr
    assert history_length(run) == before
    assert run("payment", "list", "p1", "--json").json() == []


def test_bad_participant_rows_write_no_personal_data(run, home, tmp_path, p1):
    people = "name,email,lived_experience,training\nAsha Patel,asha@example.org,yes,2026-02-10\n" \
             "Ben Cole,ben@example.org,perhaps,2026-02-10\n"
    result = run("import", "p1", write(tmp_path, "people.csv", people), "--kind", "participants")
    assert result.exit_code == 2 and "row 3, column 'lived_experience'" in result.stderr
    with sqlite3.connect(home / ".coflow" / "coflow.db") as conn:
        assert list(conn.execute("SELECT * FROM personal")) == []
    assert history_length(run) == 1


def test_import_of_a_missing_file_or_unknown_project(run, tmp_path, p1):
    missing = run("import", "p1", str(tmp_path / "nope.csv"), "--kind", "participants")
    assert missing.exit_code == 2 and "nope.csv" in missing.stderr
    unknown = run("import", "p9", write(tmp_path, "people.csv", PEOPLE), "--kind", "participants")
    assert unknown.exit_code == 2 and "p9" in unknown.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,lived_experience\nZoë,yes\n".encode("latin-1"))
    not_utf8 = run("import", "p1", str(latin), "--kind", "participants")
    assert not_utf8.exit_code == 2 and "UTF-8" in not_utf8.stderr


def test_a_2000_row_import_works_in_one_transaction(run, tmp_path, p1):
    rows = ["id,lived_experience,category,route,training,name,email"]
    rows += [f"P-{n:04d},{'yes' if n % 3 else 'no'},carer,open-call,2026-02-10,Person {n},p{n}@example.org"
             for n in range(1, 2001)]
    path = write(tmp_path, "big.csv", "\n".join(rows) + "\n")
    started = time.perf_counter()
    result = run("import", "p1", path, "--kind", "participants", "--json")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result
    assert result.json()["events"] == 2000
    assert len(run("participant", "list", "p1", "--json").json()) == 2000
    assert history_length(run) == 2001
    assert run("verify").exit_code == 0
    assert elapsed < 30, f"importing 2,000 rows took {elapsed:.1f}s"


def test_a_2000_row_import_with_one_bad_row_writes_nothing(run, tmp_path, p1):
    rows = ["lived_experience,training"] + ["yes,2026-02-10"] * 1999 + [f"yes,{TOMORROW}"]
    result = run("import", "p1", write(tmp_path, "big.csv", "\n".join(rows) + "\n"), "--kind", "participants")
    assert result.exit_code == 2 and "row 2001, column 'training'" in result.stderr
    assert history_length(run) == 1


def _big_people_csv(tmp_path, count: int) -> str:
    rows = ["lived_experience"] + ["yes"] * count
    return write(tmp_path, "many.csv", "\n".join(rows) + "\n")


def test_a_progress_bar_is_drawn_on_stderr_when_it_is_a_terminal(home, tmp_path, p1):
    import os
    import pty
    import subprocess
    import sys

    path = _big_people_csv(tmp_path, 400)
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "coflow", "--home", str(home), "import", "p1", path,
                               "--kind", "participants"], stdout=subprocess.PIPE, stderr=slave, text=True,
                              env={**os.environ, "COFLOW_ACTOR": "tester"}, timeout=60)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the terminal closed: everything has been read
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
    drawn = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0, drawn
    assert "Checking 400 rows" in drawn and "Writing 400 records" in drawn
    assert "Imported 400 participants" in proc.stdout


def test_no_progress_bar_when_stderr_is_not_a_terminal(run_process, tmp_path, p1):
    result = run_process("import", "p1", _big_people_csv(tmp_path, 400), "--kind", "participants")
    assert result.exit_code == 0, result
    assert result.stderr == ""


@pytest.mark.parametrize("header", ["inducted", "Induction"])
def test_a_bad_date_is_named_by_the_column_as_written(run, tmp_path, p1, header):
    path = write(tmp_path, "people.csv", f"lived_experience,{header}\nyes,2026-13-01\n")
    result = run("import", "p1", path, "--kind", "participants")
    assert result.exit_code == 2 and f"row 2, column {header!r}: '2026-13-01' is not a date" in result.stderr
