"""A JSON Schema (draft 2020-12) for workflow files, so editors can complete and check them.

`coflow workflow schema` builds it from the check types registered now (plugins' included);
the copy shipped in the package (workflow.schema.json beside this module) has the built-in
ones. Validation (`coflow workflow validate`) stays the judge: the schema catches the shape
(unknown keys, wrong types, missing ids) while you type; validation also knows what a schema
cannot say (a `next` that names no stage, a role missing from [roles], a loop of stages).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SHIPPED = Path(__file__).with_name("workflow.schema.json")
_NAME = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]*$"}
_TEXT = {"type": "string"}


def _common_check_keys() -> dict[str, Any]:
    return {
        "id": {**_NAME, "description": "unique within the stage; in a workflow with extends, the parent's id "
                                       "changes that check"},
        "type": {"type": "string", "description": "a check type (docs/checks.md), or one a plugin registers"},
        "title": {**_TEXT, "description": "what the check asks, in plain words (default: the id)"},
        "hint": {**_TEXT, "description": "what to do, then the coflow command that records it"},
        "source": {**_TEXT, "description": "the guidance this check comes from"},
        "severity": {"enum": ["required", "advisory"], "default": "required",
                     "description": "advisory checks are shown but never block"},
    }


def _type_clauses(fragments: Mapping[str, dict[str, Any] | None]) -> list[dict[str, Any]]:
    """One if/then per check type: its own keys (and only those) apply when `type` names it.
    A type that registered no fragment takes any keys; so does a type no plugin here registers."""
    clauses = []
    common = list(_common_check_keys())
    for name in sorted(fragments):
        fragment = fragments[name]
        if fragment is None:
            continue
        then = dict(fragment)
        if isinstance(fragment.get("properties"), dict):  # only these keys, besides the common ones
            then["propertyNames"] = {"enum": [*common, *fragment["properties"]]}
        clauses.append({"if": {"properties": {"type": {"const": name}}, "required": ["type"]}, "then": then})
    return clauses


def build(fragments: Mapping[str, dict[str, Any] | None]) -> dict[str, Any]:
    """The whole schema, for the check types in `fragments` (name -> fragment, or None)."""
    clauses = _type_clauses(fragments)
    stage_keys: dict[str, Any] = {
        "title": {**_TEXT, "description": "the stage's name as people read it (default: its key)"},
        "guidance": {**_TEXT, "description": "what to do in this stage, in plain words"},
        "next": {"$ref": "#/$defs/next"},
        "final": {"type": "boolean", "description": "the last stage: no checks and no next"},
        "allow_override": {"type": "boolean", "default": True,
                           "description": "false: nobody may move a project past this gate without meeting it"},
        "override_needs_second": {"type": "boolean", "default": False,
                                  "description": "true: an override is recorded as a request, and a second "
                                                 "account with the override permission completes it"},
        "due_days": {"type": "integer", "minimum": 1, "description": "days after entering the stage it is due"},
        "remind_days": {"type": "integer", "minimum": 1, "description": "a reminder this many days before"},
        "escalate_days": {"type": "integer", "minimum": 1, "description": "an escalation this many days after"},
    }
    final_rule = {"if": {"properties": {"final": {"const": True}}, "required": ["final"]},
                  "then": {"not": {"anyOf": [{"required": ["checks"]}, {"required": ["next"]}]}}}
    return {
        "$schema": DRAFT,
        "$id": "urn:coflow:workflow:schema-1",
        "title": "coflow workflow file",
        "description": "Stages and the gate of checks at the end of each (schema = 1). See docs/workflows.md.",
        "type": "object",
        "properties": {
            "schema": {"const": 1, "description": "the file format version"},
            "workflow": {"$ref": "#/$defs/workflow"},
            "roles": {"type": "object", "additionalProperties": {"$ref": "#/$defs/role"},
                      "propertyNames": _NAME},
            "stages": {"type": "object", "propertyNames": _NAME},
        },
        "required": ["schema", "workflow"],
        "additionalProperties": False,
        "if": {"properties": {"workflow": {"required": ["extends"]}}, "required": ["workflow"]},
        "then": {"properties": {"stages": {"additionalProperties": {"$ref": "#/$defs/changed_stage"}}}},
        "else": {"properties": {"stages": {"additionalProperties": {"$ref": "#/$defs/stage"}, "minProperties": 1}},
                 "required": ["stages"]},
        "$defs": {
            "workflow": {
                "type": "object",
                "properties": {
                    "id": {**_NAME, "description": "what projects and other workflows call it"},
                    "version": {"type": "string", "description": "in quotes, such as \"2026.1\""},
                    "title": _TEXT,
                    "description": _TEXT,
                    "extends": {"type": "string", "minLength": 1,
                                "description": "the id, or a path, of the workflow this one builds on"},
                    "drop_stages": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                                    "description": "stages of the workflow it extends to leave out"},
                    "renamed": {"type": "object", "additionalProperties": {"type": "string"},
                                "description": "old stage name = new one, so migrate can move projects"},
                },
                "required": ["id", "version"],
                "additionalProperties": False,
                "dependentRequired": {"drop_stages": ["extends"]},
            },
            "role": {
                "type": "object",
                "properties": {"title": _TEXT, "lived_experience": {"type": "boolean"}, "description": _TEXT},
                "additionalProperties": False,
            },
            "next": {
                "oneOf": [
                    {"type": "string", "description": "the stage to go to once the gate is met"},
                    {"type": "array", "minItems": 1, "description": "choices tried in order; the first that holds",
                     "items": {"type": "object", "required": ["stage"], "additionalProperties": False,
                               "properties": {"stage": {"type": "string"},
                                              "when": {"type": ["string", "object"],
                                                       "description": "a check id of this stage, or a fact "
                                                                      "condition { key, op, value }"}}}},
                ],
            },
            "stage": {
                "type": "object",
                "properties": {**stage_keys, "checks": {"type": "array", "items": {"$ref": "#/$defs/check"}}},
                "additionalProperties": False,
                **final_rule,
            },
            "changed_stage": {
                "type": "object",
                "properties": {
                    **stage_keys,
                    "checks": {"type": "array", "items": {"$ref": "#/$defs/changed_check"}},
                    "after": {"type": "string", "description": "a new stage goes after this one"},
                    "drop_checks": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                                    "description": "inherited checks to leave out"},
                },
                "additionalProperties": False,
            },
            "check": {
                "type": "object",
                "properties": _common_check_keys(),
                "required": ["id", "type"],
                "allOf": clauses,
            },
            "changed_check": {
                "type": "object",
                "description": "an inherited check's id with the keys to change, or a new check",
                "properties": _common_check_keys(),
                "required": ["id"],
                "allOf": [{"if": c["if"], "then": {k: v for k, v in c["then"].items()
                                                   if k not in ("required", "anyOf")}}
                          for c in clauses],
            },
        },
    }


def fragments_of(check_types: Mapping[str, Any]) -> dict[str, dict[str, Any] | None]:
    """Each registered check type's fragment (calling the function a type may register);
    a fragment that is not a table is the plugin's error, named (exit 3)."""
    from coflow.errors import PluginError

    found: dict[str, dict[str, Any] | None] = {}
    for name, check_type in check_types.items():
        fragment = getattr(check_type, "schema", None)
        if callable(fragment):
            try:
                fragment = fragment()
            except Exception as exc:
                raise PluginError(f"plugin {check_type.plugin!r} failed to give the schema of its check type "
                                  f"{name!r}: {type(exc).__name__}: {exc}") from None
        if fragment is not None and not isinstance(fragment, dict):
            raise PluginError(f"plugin {check_type.plugin!r} gives the check type {name!r} a schema that is "
                              f"{type(fragment).__name__}, not a table (a dict)",
                              hint="register(name, func, validate, schema={\"properties\": {...}})")
        found[name] = fragment
    return found


def shipped() -> dict[str, Any]:
    """The schema shipped in the package (built-in check types only)."""
    import json

    return json.loads(SHIPPED.read_text(encoding="utf-8"))
