"""Correctness fixes from the code review, each checked where a user would meet it.

Infinity and NaN are refused everywhere a number enters; traceback files are private and
hold no typed values; stage visits are told apart by event order, not clocks; checks cannot
change what later checks see; the state machine is built once and really decides; a refused
override is recorded; erased personal data leaves PostgreSQL's table files.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from coflow import config
from coflow.engine import Engine
from coflow.errors import UsageError

ACTORS = """
[actors.amensah]
roles = ["sponsor"]

[actors.bkaur]
roles = ["sponsor"]
"""

SIGNED = """\
schema = 1
[workflow]
id = "signed"
version = "1"
[roles]
sponsor = { title = "Senior sponsor" }
[stages.planning]
[[stages.planning.checks]]
id = "sponsor-signed"
type = "signoff"
roles = ["sponsor"]
[stages.delivery]
[[stages.delivery.checks]]
id = "report"
type = "fact"
key = "report_ref"
[stages.closed]
final = true
"""


def history(run, project: str = "p1") -> list[dict]:
    return run("history", project, "--json").json()


def strict_json(text: str):
    """json.loads that refuses Infinity and NaN, as every other JSON reader does."""
    def refuse(constant: str):
        raise ValueError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def p1(run):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    return run


# -- 1. infinity and NaN ------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["inf", "-inf", "+inf", "nan", "+nan", "-nan", "1e400"])
def test_record_refuses_infinity_and_nan_and_writes_nothing(p1, value):
    before = history(p1)
    result = p1("record", "--", "p1", "budget", value)  # "--": "-inf" is a value, not an option
    assert result.exit_code == 2, result
    assert "is not a finite number" in result.stderr and "Traceback" not in result.stderr
    assert "Hint:" in result.stderr
    assert history(p1) == before


def test_the_word_inf_can_still_be_recorded_in_quotes(p1):
    assert p1("record", "p1", "note", '"inf"').exit_code == 0
    assert history(p1)[-1]["data"] == {"key": "note", "value": "inf"}


def test_history_json_stays_strict_json(p1):
    for args in (("budget", "750.5"), ("budget", "inf"), ("ratio", "nan")):
        p1("record", "p1", *args)
    text = p1("history", "p1", "--json").stdout
    assert [e["data"]["value"] for e in strict_json(text) if e["type"] == "fact_recorded"] == [750.5]


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), {"nested": [1, float("nan")]}])
def test_no_non_finite_number_reaches_the_log_through_the_engine(home, value):
    engine = Engine(config.load(home))
    engine.create("p1", "mini", "tester")
    with pytest.raises(UsageError, match="infinity or not-a-number"):
        engine.record_fact("p1", "budget", value, "tester")
    assert [e.type for e in engine.store.events("p1")] == ["created"]


@pytest.mark.parametrize("args", [
    ("--amount", "inf"), ("--amount", "nan"), ("--amount", "1e30"), ("--amount", "1e400"),
    ("--amount", "25", "--expenses", "Infinity"), ("--amount", "25", "--expenses", "1e30"),
])
def test_payment_amounts_must_be_finite_and_sane(p1, args):
    assert p1("participant", "add", "p1", "--lived-experience").exit_code == 0
    before = history(p1)
    result = p1("payment", "add", "p1", "--participant", "P-001", "--status", "paid", "--date", "2026-01-02", *args)
    assert result.exit_code == 2, result
    assert "Traceback" not in result.stderr and ("amount" in result.stderr or "expenses" in result.stderr)
    assert history(p1) == before


@pytest.mark.parametrize("hours", ["inf", "nan", "1e400"])
def test_session_hours_must_be_finite(p1, hours):
    result = p1("session", "add", "p1", "--date", "2026-01-02", "--format", "virtual", "--hours", hours)
    assert result.exit_code == 2 and "hours" in result.stderr and "Traceback" not in result.stderr


def test_json_output_refuses_non_finite_numbers_instead_of_printing_them():
    from coflow.cli.output import emit_json
    from coflow.errors import StoreError

    with pytest.raises(StoreError, match="infinity or not-a-number"):
        emit_json({"total": float("inf")})


# -- 2. traceback files -------------------------------------------------------------------------

BROKEN_GROUP = """\
import click
import coflow

@click.group()
def outreach():
    "Plugin commands."

@outreach.command()
@click.option("--name")
@click.option("--email")
def invite(name, email):
    raise ValueError("invite failed")

@coflow.hookimpl
def coflow_register_commands(cli):
    cli.add_command(outreach)
"""


def test_a_crash_log_names_the_subcommand_but_never_the_values_typed(run_process, tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "outreach.py").write_text(BROKEN_GROUP, encoding="utf-8")
    result = run_process("--plugins-dir", str(plugins), "outreach", "invite",
                         "--name", "Zebedee Quartermain", "--email", "zq@example.org")
    assert result.exit_code == 70, result
    path = Path(re.search(r"The details are in (\S+)", result.stderr).group(1))
    text = path.read_text(encoding="utf-8")
    assert "command: coflow outreach invite\n" in text and "ValueError: invite failed" in text
    assert "Zebedee" not in text and "zq@example.org" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_two_failures_in_the_same_second_keep_two_files(home):
    from coflow.log import write_traceback

    folder = home / ".coflow"
    paths = [write_traceback(folder, ValueError(f"failure {n}"), command="coflow advance") for n in range(3)]
    assert len(set(paths)) == 3
    for n, path in enumerate(paths):
        assert path.parent == folder / "logs" and path.name.startswith("coflow-error-")
        assert path.suffix == ".log" and f"failure {n}" in path.read_text(encoding="utf-8")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_without_a_coflow_folder_the_crash_log_goes_to_a_private_user_folder(tmp_path, monkeypatch):
    from coflow.log import write_traceback

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    path = write_traceback(None, RuntimeError("no folder"))
    assert path.parent == tmp_path / "state" / "coflow" / "logs"
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("command: coflow\n")


# -- 3. stage visits by event order, not clock time ------------------------------------------------

@pytest.fixture
def signed(run, home, monkeypatch):
    """p1 on the `signed` workflow, with a clock the test sets (`signed.at("...")`)."""
    with open(home / "coflow.toml", "a", encoding="utf-8") as handle:
        handle.write(ACTORS)
    (home / "workflows" / "signed.toml").write_text(SIGNED, encoding="utf-8")
    now = {"ts": "2026-03-04T10:00:00.000000Z"}
    monkeypatch.setattr("coflow.events.utc_now", lambda: now["ts"])
    run.at = lambda ts: now.update(ts=ts)
    assert run("new", "p1", "--workflow", "signed").exit_code == 0
    return run


def test_a_sign_off_made_after_a_clock_stepped_back_still_counts(signed):
    signed.at("2026-03-04T09:00:00.000000Z")  # NTP step back, or another machine's slow clock
    assert signed("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0
    check = signed("check", "p1", "--json")
    assert check.exit_code == 0, check
    again = signed("signoff", "p1", "--role", "sponsor", actor="amensah")
    assert again.exit_code == 2 and "already signed off" in again.stderr


def test_a_sign_off_from_an_earlier_visit_never_counts_whatever_the_clocks_say(signed):
    signed.at("2026-03-04T12:00:00.000000Z")
    assert signed("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0
    assert signed("advance", "p1").exit_code == 0
    signed.at("2026-03-04T11:00:00.000000Z")  # the clock stepped back before the reopening
    assert signed("reopen", "p1", "--to", "planning", "--reason", "sponsor changed").exit_code == 0
    check = signed("check", "p1", "--json")
    assert check.exit_code == 1
    assert {c["id"]: c["status"] for c in check.json()["checks"]}["sponsor-signed"] == "fail"
    assert signed("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0  # may sign again


def test_the_state_records_the_seq_that_began_each_visit(signed, home):
    from coflow.project import ProjectView

    assert signed("signoff", "p1", "--role", "sponsor", actor="amensah").exit_code == 0
    assert signed("advance", "p1").exit_code == 0  # event 3
    state = Engine(config.load(home)).get("p1")
    assert (state.stage, state.stage_entered_seq) == ("delivery", 3)
    assert ProjectView(state).stage_entered_seq == 3


# -- 5. checks see read-only data all the way down -----------------------------------------------

def test_view_events_cannot_be_changed_by_a_check(home):
    from coflow.project import ProjectView

    engine = Engine(config.load(home))
    engine.create("p1", "mini", "tester")
    state = engine.get("p1")
    view = ProjectView(state)
    data = view.events[0]["data"]
    with pytest.raises(TypeError):
        data["stage"] = "closed"
    with pytest.raises(TypeError):
        data["workflow"]["id"] = "other"
    with pytest.raises(TypeError):
        view.events[0]._data["type"] = "advanced"
    assert state.events[0].data["stage"] == "planning" and state.events[0].data["workflow"]["id"] == "mini"


PARAMS_WORKFLOW = {
    "schema": 1, "workflow": {"id": "w", "version": "1"},
    "stages": {"planning": {"checks": [
        {"id": "meddler", "type": "meddle", "limits": {"max": 1}, "roles": ["sponsor"]},
        {"id": "observer", "type": "observe", "limits": {"max": 1}, "roles": ["sponsor"]}]},
        "closed": {"final": True}},
}


def test_a_check_cannot_change_nested_params_for_later_checks():
    from coflow.checks.base import CheckResult, CheckType
    from coflow.gate import evaluate
    from coflow.project import ProjectState, ProjectView
    from coflow.workflow.model import Workflow

    workflow = Workflow.from_definition(json.loads(json.dumps(PARAMS_WORKFLOW)), "params-test")
    seen = {}

    def meddle(project, params):
        params["limits"]["max"] = 99  # must raise: the workflow is pinned
        return CheckResult(True)

    def observe(project, params):
        seen.update(max=params["limits"]["max"], roles=list(params["roles"]))
        return CheckResult(True)

    types = {"meddle": CheckType("meddle", meddle, None, "meddling-plugin"),
             "observe": CheckType("observe", observe, None, "observing-plugin")}
    view = ProjectView(ProjectState("p1", workflow_id="w", stage="planning"), workflow)
    report = evaluate(view, workflow, types, None, timeout=5)
    outcomes = {c.id: c for c in report.checks}
    assert outcomes["meddler"].status == "error" and "TypeError" in outcomes["meddler"].message  # fail closed
    assert seen == {"max": 1, "roles": ["sponsor"]}
    assert workflow.stages["planning"].checks[0].params["limits"] == {"max": 1}


# -- 8. the state machine ---------------------------------------------------------------------------

def mini_workflow(content_hash: str = "mini-hash"):
    from conftest import MINI_WORKFLOW

    from coflow import toml
    from coflow.workflow.model import Workflow

    return Workflow.from_definition(toml.loads(MINI_WORKFLOW), content_hash)


def test_the_machine_only_advances_to_next_and_only_reopens_backwards():
    from coflow.machine import can_advance, can_reopen

    wf = mini_workflow()
    assert can_advance(wf, "planning", True) and can_advance(wf, "delivery", True)
    assert not can_advance(wf, "planning", False)  # gate closed
    assert not can_advance(wf, "closed", True)  # final: nowhere to go
    allowed = {(s, d) for s in wf.stage_order for d in [*wf.stage_order, "nowhere"] if can_reopen(wf, s, d)}
    assert allowed == {("delivery", "planning"), ("closed", "planning"), ("closed", "delivery")}


def test_the_machine_is_built_once_per_workflow_content(monkeypatch):
    import transitions

    from coflow import machine

    built = []

    class Counting(transitions.Machine):
        def __init__(self, *args, **kwargs):
            built.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(transitions, "Machine", Counting)
    monkeypatch.setattr(machine, "_MACHINES", {})
    wf = mini_workflow("hash-a")
    for _ in range(3):
        machine.can_advance(wf, "planning", True)
        machine.can_reopen(wf, "closed", "planning")
    assert len(built) == 1
    machine.can_advance(mini_workflow("hash-b"), "planning", True)
    assert len(built) == 2


def test_the_engine_takes_the_machines_answer_on_reopening(p1, monkeypatch):
    for key, value in (("sponsor", "Dr A"), ("budget", "750")):
        assert p1("record", "p1", key, value).exit_code == 0
    assert p1("advance", "p1").exit_code == 0
    monkeypatch.setattr("coflow.machine.can_reopen", lambda workflow, stage, dest, way=None: False)
    before = history(p1)
    refused = p1("reopen", "p1", "--to", "planning", "--reason", "budget cut")
    assert refused.exit_code == 2 and "reopening only goes back" in refused.stderr
    assert history(p1) == before
    monkeypatch.undo()
    assert p1("reopen", "p1", "--to", "planning", "--reason", "budget cut").exit_code == 0


def test_only_moving_a_project_imports_transitions(run_process):
    assert run_process("new", "p1", "--workflow", "mini").exit_code == 0
    profile = {"PYTHONPROFILEIMPORTTIME": "1"}

    def imported(*args) -> bool:
        result = run_process(*args, env=profile)
        return bool(re.search(r"\|\s+transitions$", result.stderr, re.MULTILINE))

    assert not imported("status", "p1") and not imported("check", "p1")
    assert imported("advance", "p1")  # the check above can fail


# -- 9. erasure on PostgreSQL ---------------------------------------------------------------------------

@pytest.mark.postgres
def test_forgotten_personal_data_leaves_the_postgres_table_files(home, pg_url, pg_target):
    import uuid

    import psycopg

    from coflow.records import participants

    if pg_target.local is None:
        pytest.skip("needs the test's own PostgreSQL server, to read its data files")
    name = f"Zebedee {uuid.uuid4().hex}"
    cfg = config.load(home)
    cfg.store = pg_url
    engine = Engine(cfg)
    engine.create("p1", "mini", "tester")
    for n in range(3):  # the erased row is the newest, so a plain VACUUM would not move other rows over it
        participants.add(engine, "p1", "tester", lived_experience=True, name=f"{name} {n}")
    data_dir = pg_target.local.folder / "data"

    def in_table_files(text: str) -> bool:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")  # shared buffers to disk, so the files show what is stored
            oid = conn.execute("SELECT oid FROM pg_database WHERE datname = current_database()").fetchone()[0]
        folder = data_dir / "base" / str(oid)
        return any(text.encode() in f.read_bytes() for f in folder.iterdir() if f.is_file())

    assert in_table_files(f"{name} 2")  # the check below can fail
    participants.forget(engine, "p1", "tester", "P-003", "asked to be forgotten")
    assert engine.store.get_personal("p1", "P-003") is None
    assert not in_table_files(f"{name} 2")
    assert in_table_files(f"{name} 1")  # the others are kept
    engine.store.close()


@pytest.mark.postgres
def test_a_role_that_cannot_compact_the_table_still_erases_and_is_warned(home, pg_url, pg_target, monkeypatch):
    import psycopg
    from pg_server import PASSWORD, PASSWORD_ROLE

    from coflow import log
    from coflow.records import participants

    if pg_target.local is None:
        pytest.skip("needs the test's own PostgreSQL server, with its password role")
    owner_cfg = config.load(home)
    owner_cfg.store = pg_url
    owner = Engine(owner_cfg)
    owner.create("p1", "mini", "tester")
    participants.add(owner, "p1", "tester", lived_experience=True, name="Yara Example")
    owner.store.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:  # docs/storage.md: least privilege
        conn.execute(f"GRANT SELECT, INSERT ON events, workflows, meta TO {PASSWORD_ROLE}")
        conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON projects, personal, outbox TO {PASSWORD_ROLE}")
        conn.execute(f"GRANT USAGE ON SEQUENCE outbox_id_seq TO {PASSWORD_ROLE}")
    warnings = []
    monkeypatch.setattr(log, "warning", lambda event, **fields: warnings.append((event, fields)))
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    app_cfg = config.load(home)
    app_cfg.store = pg_target.local.password_url() + "?" + pg_url.split("?", 1)[1]
    app = Engine(app_cfg)
    participants.forget(app, "p1", "tester", "P-001", "asked to be forgotten")
    assert app.store.get_personal("p1", "P-001") is None
    assert [event for event, _ in warnings] == ["erasure_not_compacted"]
    assert "VACUUM FULL personal" in warnings[0][1]["hint"]
    app.store.close()


@pytest.mark.postgres
def test_postgres_keeps_no_statistics_samples_of_personal_data(home, pg_url):
    import psycopg

    from coflow.records import participants

    cfg = config.load(home)
    cfg.store = pg_url
    engine = Engine(cfg)
    engine.create("p1", "mini", "tester")
    for n in range(5):
        participants.add(engine, "p1", "tester", lived_experience=True, name=f"Sample Person {n}")
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("ANALYZE")
        sampled = conn.execute("SELECT attname FROM pg_stats WHERE schemaname = current_schema() "
                               "AND tablename = 'personal'").fetchall()
    assert sampled and ("data",) not in sampled  # other columns are analysed; the personal data is not
    engine.store.close()
