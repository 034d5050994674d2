"""`coflow workflow schema`: a JSON Schema (draft 2020-12) for workflow files, tested with
the jsonschema library against every shipped workflow and the bad workflow files."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from plugin_helpers import DPIA_PLUGIN, set_plugins_dir, write_plugin
from test_workflow_extends import NORTHVALE

from coflow import toml
from coflow.checks.builtin import MODULES
from coflow.checks.schemas import FRAGMENTS
from coflow.workflow.schema import SHIPPED, shipped

REPO = Path(__file__).resolve().parent.parent
GOOD = sorted((REPO / "workflows").glob("*.toml")) + sorted((REPO / "docs" / "examples").glob("*.toml"))
BAD = Path(__file__).parent / "bad_workflows"

# Bad files whose problem is one of shape (a key, a type, a range, a required key): the
# schema must refuse them, so an editor shows the mistake while it is typed.
SHAPE = {
    "branch_empty_list", "branch_unknown_key",
    "checks_access_needs_param", "checks_attendance_share_above_one", "checks_elapsed_days_text",
    "checks_elapsed_no_bounds", "checks_evidence_min_zero", "checks_evidence_no_kind",
    "checks_evidence_unknown_param", "checks_fact_bad_op", "checks_feedback_min_float",
    "checks_involvement_bad_level", "checks_participants_groups_negative", "checks_participants_lived_text",
    "checks_participants_min_text", "checks_participants_role_empty", "checks_payments_expenses_number",
    "checks_payments_misspelt", "checks_payments_negative_days", "checks_sessions_coauthored_text",
    "checks_sessions_min_formats_float", "checks_sessions_negative_span", "checks_signoff_no_roles",
    "checks_signoff_role_twice", "checks_signoff_roles_text", "checks_training_bad_who",
    "checks_training_no_what", "checks_training_role_number",
    "core_bad_op", "core_bad_severity", "core_drop_checks_without_extends", "core_final_with_checks",
    "core_missing_check_id", "core_missing_schema", "core_unknown_stage_key", "core_unknown_top_key",
    "core_version_number", "core_workflow_id_spaces",
    "deadline_due_days_negative", "deadline_due_days_text", "deadline_escalate_days_fraction",
}
# Problems only validation can see: what names what (stages, checks, roles, parents), loops,
# combinations of settings, and files that are not TOML at all.
NOT_SHAPE = {
    "branch_never_finishes", "branch_same_stage_twice", "branch_to_nowhere", "branch_when_bad_fact",
    "branch_when_unknown_check", "checks_attendance_tests_nothing", "checks_elapsed_min_over_max",
    "checks_signoff_unknown_role", "core_cycle", "core_duplicate_check_id", "core_fact_text_compare",
    "core_next_missing", "core_no_final", "core_renamed_to_nowhere", "core_syntax_error",
    "core_unknown_check_type", "core_unreachable", "deadline_on_final_stage", "deadline_reminder_before_start",
    "extends_after_unknown", "extends_bad_override", "extends_cycle_a", "extends_cycle_b",
    "extends_drop_final_strands", "extends_drop_unknown_check", "extends_missing_parent",
}


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = shipped()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def read(path: Path) -> dict:
    return toml.loads(path.read_text(encoding="utf-8"))


def test_the_command_prints_the_schema_shipped_in_the_package(run, monkeypatch):
    monkeypatch.setenv("COFLOW_LOAD_PLUGINS", "")  # the shipped copy has the built-in check types
    result = run("workflow", "schema")
    assert result.exit_code == 0, result
    printed = json.loads(result.stdout)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert printed == json.loads(SHIPPED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", GOOD, ids=[p.stem for p in GOOD])
def test_every_shipped_workflow_meets_the_schema(validator, path):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(read(path))]
    assert errors == []


def test_every_bad_workflow_file_is_sorted_into_shape_or_not():
    assert {p.stem for p in BAD.glob("*.toml")} == SHAPE | NOT_SHAPE
    assert not SHAPE & NOT_SHAPE


@pytest.mark.parametrize("name", sorted(SHAPE))
def test_a_bad_workflow_whose_problem_is_shape_fails_the_schema(validator, name):
    assert list(validator.iter_errors(read(BAD / f"{name}.toml"))), f"{name} passes the schema"


def test_a_workflow_that_extends_another_meets_the_schema_without_repeating_the_parent(validator):
    data = toml.loads(NORTHVALE)
    assert list(validator.iter_errors(data)) == []
    del data["workflow"]["extends"]  # without extends, its partial checks and `after` are wrong
    assert list(validator.iter_errors(data))


def test_built_in_fragments_name_exactly_the_keys_each_check_type_takes():
    assert set(FRAGMENTS) == set(MODULES)
    for name, module in MODULES.items():
        params = getattr(importlib.import_module(f"coflow.checks.{module}"), "PARAMS", None)
        if params is not None:
            assert set(FRAGMENTS[name]["properties"]) == set(params), name
    assert set(FRAGMENTS["fact"]["properties"]) == {"key", "op", "value"}
    assert set(FRAGMENTS["access_needs"]["properties"]) == {"asked"}


PLUGIN_WITH_SCHEMA = '''
import coflow

@coflow.hookimpl
def coflow_register_checks(register):
    register("ig_register", lambda project, params: coflow.CheckResult(True, "ok"),
             schema={"properties": {"prefix": {"type": "string"}}, "required": ["prefix"]})
'''


def plugged(stage_checks: str) -> dict:
    return toml.loads('schema = 1\n[workflow]\nid = "p"\nversion = "1"\n[stages.a]\n'
                      f'{stage_checks}\n[stages.end]\nfinal = true\n')


def test_plugin_check_types_are_in_the_schema_open_without_a_fragment(run, home):
    folder = set_plugins_dir(home)
    write_plugin(folder, "dpia", DPIA_PLUGIN)  # registers no schema: any keys
    write_plugin(folder, "ig", PLUGIN_WITH_SCHEMA)
    result = run("workflow", "schema")
    assert result.exit_code == 0, result
    v = Draft202012Validator(json.loads(result.stdout))
    check = '[[stages.a.checks]]\nid = "c"\n'
    assert list(v.iter_errors(plugged(check + 'type = "dpia_registered"\nprefix = "DPIA-"\nanything = 1\n'))) == []
    assert list(v.iter_errors(plugged(check + 'type = "ig_register"\nprefix = "IG-"\n'))) == []
    assert list(v.iter_errors(plugged(check + 'type = "ig_register"\nprefix = 3\n')))
    assert list(v.iter_errors(plugged(check + 'type = "ig_register"\nprefx = "IG-"\n')))


def test_a_plugin_schema_that_is_not_a_table_is_the_plugins_error(run, home):
    write_plugin(set_plugins_dir(home), "broken", PLUGIN_WITH_SCHEMA.replace('schema={', 'schema=[{').replace(
        '"required": ["prefix"]}', '"required": ["prefix"]}]'))
    result = run("workflow", "schema")
    assert result.exit_code == 3
    assert "broken" in result.stderr and "ig_register" in result.stderr and "Traceback" not in result.stderr
