"""Record kinds come from one registry: coflow's own and a plugin's (coflow_register_records).

An organisation's own kind of record (here filming consent) is registered by a plugin, written
through the project writer from a command the plugin adds, folded into the project, read by a
check, and offered to [[notify]] entries; its events are checked before they are written.
"""

from __future__ import annotations

import pytest
from plugin_helpers import by_name, set_plugins_dir, write_plugin

from coflow.kinds import RecordKind, RecordKinds, builtin

FILMING = '''
import click
import coflow

def validate(event_type, data):
    problems = []
    if not str(data.get("participant", "")).strip():
        problems.append("participant: missing; give the participant's id, such as P-001")
    if data.get("scope") not in ("internal", "public"):
        problems.append(f"scope: expected internal or public, found {data.get('scope')!r}")
    return problems

def consent_recorded(state, event):
    state.records.setdefault("filming_consent", {})[event.data["participant"]] = event.data["scope"]

def consent_withdrawn(state, event):
    state.records.setdefault("filming_consent", {}).pop(event.data["participant"], None)

@coflow.hookimpl
def coflow_register_records(register):
    register("filming_consent", {"filming_consent_recorded": consent_recorded,
                                 "filming_consent_withdrawn": consent_withdrawn}, validate=validate)

def consent_given(project, params):
    given = project.records.get("filming_consent", {})
    if not given:
        return coflow.CheckResult(False, "no filming consent recorded", hint="coflow consent PROJECT P-001 internal")
    return coflow.CheckResult(True, f"filming consent from {len(given)}")

@coflow.hookimpl
def coflow_register_checks(register):
    register("filming_consent_given", consent_given)

@click.command("consent")
@click.argument("project")
@click.argument("participant")
@click.argument("scope")
@click.pass_obj
def consent(app, project, participant, scope):
    """Record PARTICIPANT's consent to be filmed (SCOPE: internal or public)."""
    data = {"participant": participant, "scope": scope}
    event, _ = app.engine.change(project, app.actor, "filming_consent_recorded", lambda state, view, tx: data)
    click.echo(f"recorded as event {event.seq}")

@coflow.hookimpl
def coflow_register_commands(cli):
    cli.add_command(consent)
'''

FILMED_WORKFLOW = """\
schema = 1
[workflow]
id = "filmed"
version = "1"
title = "Filmed workshops"
[stages.planning]
title = "Planning"
[[stages.planning.checks]]
id = "consent"
type = "filming_consent_given"
title = "Filming consent recorded"
[stages.done]
title = "Done"
final = true
"""


@pytest.fixture
def filming(home, run):
    write_plugin(set_plugins_dir(home), "filming", FILMING)
    (home / "workflows" / "filmed.toml").write_text(FILMED_WORKFLOW, encoding="utf-8")
    assert run("new", "p1", "--workflow", "filmed").exit_code == 0
    return home


def test_hook_coflow_register_records_a_plugins_kind_is_written_folded_and_checked(filming, run):
    assert run("check", "p1").exit_code == 1
    recorded = run("consent", "p1", "P-001", "internal")
    assert recorded.exit_code == 0, recorded
    assert recorded.stdout.strip() == "recorded as event 2"
    last = run("history", "p1", "--json").json()[-1]
    assert last["type"] == "filming_consent_recorded"
    assert last["data"] == {"participant": "P-001", "scope": "internal"}
    check = run("check", "p1", "--json")
    assert check.exit_code == 0
    assert [c["message"] for c in check.json()["checks"]] == ["filming consent from 1"]


def test_hook_coflow_register_records_validate_refuses_bad_data_and_writes_nothing(filming, run):
    bad = run("consent", "p1", " ", "on telly")
    assert bad.exit_code == 2
    assert "a filming_consent_recorded event cannot be recorded" in bad.stderr
    assert "participant: missing" in bad.stderr and "scope: expected internal or public, found 'on telly'" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert [e["type"] for e in run("history", "p1", "--json").json()] == ["created"]


def test_an_event_type_no_kind_registers_is_refused_before_writing(filming, run):
    from coflow import config
    from coflow.engine import Engine
    from coflow.errors import UsageError

    engine = Engine(config.load(filming))
    with pytest.raises(UsageError) as refused:
        engine.change("p1", "tester", "filming_consent_recordd", lambda state, view, tx: {"participant": "P-1"})
    assert "'filming_consent_recordd' is not an event type any record kind registers" in str(refused.value)
    assert "coflow_register_records" in refused.value.hint
    assert [e.type for e in engine.get("p1").events] == ["created"]


def test_a_plugins_event_types_are_offered_to_notify_entries(filming, run):
    config = filming / "coflow.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[[notify]]\nnotifier = "log"\nevents = ["filming_consent_recorded"]\n', encoding="utf-8")
    assert run("consent", "p1", "P-002", "public").exit_code == 0
    typo = config.read_text(encoding="utf-8").replace('["filming_consent_recorded"]', '["filming_consent"]')
    config.write_text(typo, encoding="utf-8")
    refused = run("consent", "p1", "P-003", "public")
    assert refused.exit_code == 3
    assert "'filming_consent' is not an event coflow records" in refused.stderr
    assert "filming_consent_recorded" in refused.stderr  # listed among the known events


@pytest.mark.parametrize("code, message", [
    ('register("participant", {"consent_recorded": None})',
     "two plugins register the record kind 'participant': 'coflow.records.builtin' and 'clash'"),
    ('register("consent", {"participant_added": None})',
     "two plugins register the event type 'participant_added': 'coflow.records.builtin' and 'clash'"),
    ('register("consent", {"advanced": None})',
     "two plugins register the event type 'advanced': 'coflow.records.builtin' and 'clash'"),
    ('register("consent", ["consent_recorded"])', "as its events, not a table of event types and reducers"),
    ('register("consent", {"consent recorded": None})', "registers an event type 'consent recorded'"),
    ('register("consent", {"consent_recorded": "not a function"})',
     "registers the event type 'consent_recorded' with a reducer that is str, not a function"),
])
def test_bad_record_kind_registrations_are_named_exit_3(home, run, code, message):
    write_plugin(set_plugins_dir(home), "clash", f'''
    import coflow

    @coflow.hookimpl
    def coflow_register_records(register):
        {code}
    ''')
    result = run("plugins")
    assert result.exit_code == 3
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_coflows_own_kinds_are_registered_by_the_builtin_plugin(home, run):
    kinds = builtin()
    assert list(kinds.kinds) == ["project", "participant", "session", "payment", "evidence", "feedback",
                                 "signoff", "assessment", "group"]
    assert {"created", "blocked", "participant_added", "assessed"} <= set(kinds.event_types)
    assert "blocked" not in kinds.reducers  # a blocked attempt changes no state
    hooks = by_name(run("plugins", "--json").json())["coflow.records.builtin"]["hooks"]
    assert hooks == ["coflow_register_records"]


def test_the_registry_refuses_a_second_owner_of_an_event_type():
    kinds = RecordKinds()
    kinds.add(RecordKind("consent", {"consent_recorded": None}, plugin="a"))
    with pytest.raises(ValueError, match="'consent_recorded' already belongs to the record kind 'consent' of 'a'"):
        kinds.add(RecordKind("other", {"consent_recorded": None}, plugin="b"))
    assert kinds.problems("consent_recorded", {}) == []
    assert kinds.problems("nope", {}) == ["'nope' is not an event type any record kind registers"]
