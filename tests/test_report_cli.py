"""`coflow report` on real stores: formats, names, files written whole or not at all,
bad input, the portfolio, and a project built end to end through the record commands."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
import subprocess
import sys

import pytest
import report_samples as rs

from coflow import config
from coflow.engine import Engine
from coflow.storage.base import ProjectRow

ACTORS = """
[actors.amensah]
roles = ["sponsor"]
permissions = ["override"]

[actors.p002]
roles = ["co-chair"]
"""


@pytest.fixture
def engine(home, add_to_config):
    add_to_config(ACTORS)
    return Engine(config.load(home))


@pytest.fixture
def sample(engine):
    return rs.store_sample(engine)


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# -- formats and content ---------------------------------------------------------------------

def test_markdown_to_the_screen_is_the_default(run, sample):
    result = run("report", "carers-hub")
    assert result.exit_code == 0, result
    assert result.stdout.startswith("# Accountability report: carers-hub\n")
    assert "| Delivery to Closed | amensah | board meets before the report is due | Board report |" in result.stdout


def test_json_report_comes_from_the_store_with_the_current_gate(run, sample):
    for args in (("--format", "json"), ("--json",)):
        data = run("report", "carers-hub", *args).json()
        assert data["kind"] == "coflow-project-report" and data["project"]["id"] == "carers-hub"
        assert data["integrity"] == {"intact": True, "first_bad_seq": None, "why": None, "events": 35,
                                     "head_seq": 35, "head_hash": sample.head_hash}
        assert data["current_gate"]["final"] is True
        assert len(data["gates"]) == 3 and data["names_included"] is False


def test_names_appear_only_with_include_names_and_never_for_erased_people(run, sample):
    plain = run("report", "carers-hub", "--format", "html")
    assert plain.exit_code == 0
    assert not [n for n in rs.NAMES.values() if n in plain.stdout] and "@example.org" not in plain.stdout
    named = run("report", "carers-hub", "--format", "html", "--include-names")
    assert "Amara Okafor" in named.stdout and "Chris Doe" in named.stdout
    assert "Dee Evans" not in named.stdout and "asked not to be named" in named.stdout  # P-004 chose anonymous
    assert "participant erased" in named.stdout and "Eli Ford" not in named.stdout
    assert "@example.org" not in named.stdout  # contact details never, even with names


def test_a_fresh_project_reports_where_it_stands_and_what_is_missing(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    data = run("report", "p1", "--json").json()
    assert data["current_gate"]["passes"] is False
    assert data["current_gate"]["failing"] == ["sponsor-named", "budget"]
    assert data["gates"] == [] and data["participation"]["total"] == 0


def test_a_broken_history_is_reported_in_the_report_itself(run, home, sample):
    conn = sqlite3.connect(home / ".coflow" / "coflow.db", isolation_level=None)
    conn.execute("DROP TRIGGER events_append_only_update")
    conn.execute("UPDATE events SET data = replace(data, 'board meets', 'auditors met') "
                 "WHERE project = 'carers-hub' AND seq = 30")
    conn.close()
    data = run("report", "carers-hub", "--json").json()
    assert (data["integrity"]["intact"], data["integrity"]["first_bad_seq"]) == (False, 30)
    assert "does not verify from event 30" in run("report", "carers-hub", "--format", "html").stdout


# -- writing files ---------------------------------------------------------------------------

def test_output_file_is_written_whole_with_the_same_content_as_the_screen(run, sample, tmp_path):
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    result = run("report", "carers-hub", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result
    assert result.stdout == "" and str(target) in result.stderr
    # both renders are made within seconds, so the page is the same byte for byte
    assert target.read_text(encoding="utf-8") == run("report", "carers-hub", "--format", "html").stdout
    assert leftovers(target.parent) == []


def test_a_report_with_names_is_readable_by_its_owner_only(run, sample, tmp_path):
    old = os.umask(0o022)
    try:
        assert run("report", "carers-hub", "-o", str(tmp_path / "plain.md")).exit_code == 0
        assert run("report", "carers-hub", "--include-names", "-o", str(tmp_path / "named.md")).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "plain.md").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "named.md").stat().st_mode) == 0o600


def test_output_into_a_missing_folder_is_refused_and_writes_nothing(run, sample, tmp_path):
    target = tmp_path / "no-such-folder" / "report.html"
    result = run("report", "carers-hub", "--format", "html", "-o", str(target))
    assert result.exit_code == 2
    assert f"the folder {target.parent} does not exist" in result.stderr and "Hint: create the folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.parent.exists() and list(tmp_path.iterdir()) == [tmp_path / "home"]


def test_output_onto_a_folder_is_refused(run, sample, tmp_path):
    result = run("report", "carers-hub", "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a folder, not a file name" in result.stderr


def test_a_failed_report_leaves_an_existing_file_untouched(run, sample, tmp_path):
    target = tmp_path / "report.md"
    target.write_text("last month's report\n", encoding="utf-8")
    result = run("report", "no-such-project", "-o", str(target))
    assert result.exit_code == 2 and "there is no project called 'no-such-project'" in result.stderr
    assert target.read_text(encoding="utf-8") == "last month's report\n" and leftovers(tmp_path) == []


def test_a_write_that_fails_halfway_keeps_the_old_file_and_leaves_no_temporary_file(run, sample, tmp_path,
                                                                                     monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("last month's report\n", encoding="utf-8")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("coflow.files.os.fsync", disk_full)
    result = run("report", "carers-hub", "-o", str(target))
    assert result.exit_code == 2
    assert "could not write the report" in result.stderr and "No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "last month's report\n" and leftovers(tmp_path) == []


# -- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "message"), [
    ((), "give a project, or --all for every project"),
    (("carers-hub", "--all"), "give a project or --all, not both (you gave 'carers-hub' and --all)"),
    (("--all", "--include-names"), "--include-names works only for one project's report"),
    (("carers-hub", "--json", "--format", "md"), "--json and --format md ask for two different formats"),
    (("carers-hub", "--format", "pdf"), "'pdf' is not one of 'md', 'html', 'json'"),
    (("carers-hub", "--overdue-days", "0"), "0 is not in the range x>=1"),
    (("no/such", ), "is not a usable project id"),
])
def test_bad_arguments_exit_2_with_a_plain_message(run, sample, args, message):
    result = run("report", *args)
    assert result.exit_code == 2, result
    assert message in result.stderr and "Traceback" not in result.stderr and result.stdout == ""


def test_a_real_process_refuses_a_missing_folder_without_a_traceback(run_process, tmp_path):
    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    result = run_process("report", "p1", "--format", "html", "-o", str(tmp_path / "missing" / "r.html"))
    assert result.exit_code == 2 and result.stderr.startswith("Error: the folder ")
    assert "Traceback" not in result.stderr


def test_the_report_command_does_not_load_the_template_engine_until_html_is_asked_for():
    code = ("import sys, coflow.cli.report, coflow.report.data, coflow.report.markdown;"
            "print('jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# -- the portfolio ---------------------------------------------------------------------------

def test_portfolio_lists_every_project_with_stage_blocked_checks_and_overdue_items(run, sample):
    assert run("new", "young-voices", "--workflow", "mini").exit_code == 0
    data = run("report", "--all", "--json").json()
    assert data["kind"] == "coflow-portfolio"
    rows = {r["id"]: r for r in data["projects"]}
    assert set(rows) == {"carers-hub", "young-voices"}
    assert [c["id"] for c in rows["young-voices"]["failing"]] == ["sponsor-named", "budget"]
    assert rows["carers-hub"]["final"] is True and rows["carers-hub"]["failing"] == []
    assert {o["id"] for o in rows["carers-hub"]["overdue"]} >= {"PAY-003", "F-003"}
    assert data["totals"]["blocked"] == 1 and data["totals"]["finished"] == 1
    md = run("report", "--all").stdout
    assert "### young-voices" in md and "not met yet: A senior sponsor is named; Budget for payments." in md


def test_one_unreadable_project_does_not_hide_the_others(run, engine, sample):
    with engine.store.transaction() as tx:
        tx.save_project(ProjectRow("ghost", "mini", "0" * 64, "planning", 3, "f" * 64, rs.ts("2026-01-01")))
    data = run("report", "--all", "--json").json()
    rows = {r["id"]: r for r in data["projects"]}
    assert rows["ghost"]["error"] and rows["carers-hub"]["error"] is None
    assert data["totals"]["unreadable"] == 1


def test_portfolio_html_goes_to_a_file(run, sample, tmp_path):
    result = run("report", "--all", "--format", "html", "-o", str(tmp_path / "all.html"))
    assert result.exit_code == 0, result
    page = (tmp_path / "all.html").read_text(encoding="utf-8")
    assert "<h1>All projects</h1>" in page and "carers-hub" in page


# -- end to end through the record commands ----------------------------------------------------

def test_a_project_recorded_through_the_commands_reports_every_record(run, home, engine, tmp_path):
    minutes = tmp_path / "minutes.txt"
    minutes.write_bytes(b"Minutes of the first meeting\n")
    steps = [
        ("new", "hub", "--workflow", "mini"),
        ("participant", "add", "hub", "--role", "co-chair", "--lived-experience", "--category", "carer",
         "--group", "young carers", "--route", "open-call", "--credit", "initials", "--name", "Bea Li",
         "--email", "bea@example.org", "--signs-as", "p002"),
        ("participant", "add", "hub", "--role", "staff", "--name", "Chris Doe"),
        ("participant", "add", "hub", "--lived-experience", "--route", "community-partner", "--name", "Eli Ford"),
        ("session", "add", "hub", "--date", "2026-01-20", "--format", "virtual", "--hours", "2",
         "--title", "Kick-off <b>", "--attendee", "P-001", "--attendee", "P-002", "--agenda-by", "P-001",
         "--decisions", "--paid"),
        ("payment", "add", "hub", "--participant", "P-001", "--session", "S-001", "--amount", "25",
         "--status", "paid", "--date", "2026-01-21"),
        ("feedback", "add", "hub", "--said", "Evening meetings please", "--response", "Moved to 6pm",
         "--status", "adopted", "--date", "2026-01-21"),
        ("evidence", "add", "hub", "--kind", "minutes", "--file", str(minutes), "--title", "First minutes",
         "--date", "2026-01-21"),
        ("assess", "hub", "--authority", "2", "--shared-aims", "2", "--scale", "2", "--outcomes", "1",
         "--resources", "1", "--delivery-role", "1", "--claimed", "co-design", "--no-interactive"),
        ("record", "hub", "sponsor", "Dr A. Mensah"),
        ("record", "hub", "budget", "900"),
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result)
    assert run("signoff", "hub", "--role", "sponsor", actor="amensah").exit_code == 0
    assert run("signoff", "hub", "--role", "co-chair", actor="p002").exit_code == 0
    assert run("advance", "hub").exit_code == 0
    assert run("participant", "forget", "hub", "P-003", "--reason", "asked to be removed").exit_code == 0

    data = run("report", "hub", "--json", "--include-names").json()
    part = data["participation"]
    assert (part["total"], part["lived_experience"], part["erased"]) == (3, 2, 1)
    # P-002 was added without --credit: no choice recorded, so the name stays out
    assert {p["id"]: p["name"] for p in part["people"]} == {"P-001": "B. L.",
                                                             "P-002": "credit preference not recorded",
                                                             "P-003": "participant erased"}
    for fmt in ("md", "html", "json"):
        assert "Chris Doe" not in run("report", "hub", "--format", fmt, "--include-names").stdout, fmt
    assert part["groups"] == [{"group": "young-carers", "count": "fewer than 3"}]  # report_min_count 3 by default
    assert data["sessions"]["items"][0]["attended"] == 2 and data["sessions"]["items"][0]["title"] == "Kick-off <b>"
    assert data["recognition"]["total_recognised"] == 25.0
    assert data["feedback"]["items"][0]["response"] == "Moved to 6pm"
    assert data["evidence"]["items"][0]["sha256"] == hashlib.sha256(minutes.read_bytes()).hexdigest()
    assert data["involvement"]["claimed"] == "co-design"
    gate = data["gates"][0]
    assert sorted((s["role"], s["actor"]) for s in gate["signoffs"]) == [("co-chair", "p002"), ("sponsor", "amensah")]
    assert gate["override"] is None and data["integrity"]["intact"] is True
    assert run("verify", "hub").exit_code == 0
    page = run("report", "hub", "--format", "html").stdout
    assert "Kick-off &lt;b&gt;" in page and "Bea" not in page and "bea@example.org" not in page
    assert json.loads(run("history", "hub", "--json").stdout)[-1]["type"] == "participant_forgotten"
