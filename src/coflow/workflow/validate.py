"""Declarative, total validation of a parsed workflow file.

Every problem is collected (never stop at the first) with the key path a person can find in
their file, what was expected, and a hint. Nothing in a workflow is evaluated as code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from coflow.workflow.model import CHECK_KEYS, STAGE_KEYS

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
PARAM_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SEVERITIES = ("required", "advisory")
TOP_KEYS = ("schema", "workflow", "roles", "stages")
WORKFLOW_KEYS = ("id", "version", "title", "description", "extends")
ROLE_KEYS = ("title", "lived_experience", "description")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    hint: str | None = None

    def render(self, file: str) -> str:
        where = f"{file}: {self.path}" if self.path else file
        text = f"{where}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


ParamValidator = Callable[[dict[str, Any]], list[str]]


def _type_name(value: Any) -> str:
    return {bool: "true/false", int: "a whole number", float: "a number", str: "text",
            list: "a list", dict: "a table"}.get(type(value), type(value).__name__)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(path, message, hint))

    def expect(self, table: Mapping, key: str, path: str, kind: type | tuple, what: str,
               required: bool = False, hint: str | None = None) -> Any:
        if key not in table:
            if required:
                self.add(f"{path}.{key}" if path else key, f"missing; expected {what}", hint)
            return None
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        ok = False if isinstance(value, bool) and bool not in kinds else isinstance(value, kinds)
        if not ok:
            self.add(f"{path}.{key}" if path else key,
                     f"expected {what}, found {_type_name(value)} {value!r}", hint)
            return None
        return value

    def unknown(self, table: Mapping, allowed: tuple, path: str) -> None:
        for key in table:
            if key not in allowed:
                self.add(f"{path}.{key}" if path else key, "unknown key",
                         f"allowed here: {', '.join(allowed)}")


def validate_definition(data: dict[str, Any], check_types: Mapping[str, ParamValidator | None]) -> list[Problem]:
    """Return every problem in a parsed workflow file; an empty list means it is valid.

    `check_types` maps each registered check type name to its parameter validator (or None
    for a type that declares no parameters check).
    """
    c = _Collector()
    c.unknown(data, TOP_KEYS, "")
    schema = c.expect(data, "schema", "", int, "schema = 1", required=True, hint="put `schema = 1` at the top of the file")
    if schema is not None and schema != 1:
        c.add("schema", f"expected 1, found {schema}", "this version of coflow reads schema 1 files")

    meta = c.expect(data, "workflow", "", dict, "a [workflow] table with id and version", required=True)
    if meta is not None:
        c.unknown(meta, WORKFLOW_KEYS, "workflow")
        wid = c.expect(meta, "id", "workflow", str, "an id such as \"northvale-coproduction\"", required=True)
        if wid is not None and not NAME_RE.match(wid):
            c.add("workflow.id", f"{wid!r} is not a usable id", "use letters, digits, '-', '_' or '.', no spaces")
        c.expect(meta, "version", "workflow", str, "a version in quotes such as \"2026.1\"", required=True,
                 hint="write the version in quotes: version = \"2026.1\"")
        c.expect(meta, "title", "workflow", str, "text")
        c.expect(meta, "description", "workflow", str, "text")
        if "extends" in meta:  # reserved by DESIGN.md §2.1; refused rather than silently ignored
            c.add("workflow.extends", "starting from another workflow is not supported yet",
                  "copy that workflow's file (see `coflow workflow list`), change its id, and edit it")

    roles = c.expect(data, "roles", "", dict, "a [roles] table") or {}
    for name, spec in roles.items():
        path = f"roles.{name}"
        if not NAME_RE.match(name):
            c.add(path, f"{name!r} is not a usable role name", "use letters, digits, '-' or '_'")
        if not isinstance(spec, dict):
            c.add(path, f"expected a table such as {{ title = \"Senior sponsor\" }}, found {_type_name(spec)}")
            continue
        c.unknown(spec, ROLE_KEYS, path)
        c.expect(spec, "title", path, str, "text")
        c.expect(spec, "lived_experience", path, bool, "true or false")

    stages = c.expect(data, "stages", "", dict, "one [stages.NAME] table per stage", required=True,
                      hint="add at least a first stage and a final one: [stages.planning] ... [stages.closed] final = true")
    if stages is not None:
        _validate_stages(c, stages, check_types, roles)
    return c.problems


def _validate_stages(c: _Collector, stages: dict, check_types: Mapping[str, ParamValidator | None], roles: dict) -> None:
    if not stages:
        c.add("stages", "no stages", "add at least a first stage and a final one")
        return
    names = list(stages)
    good_tables = {}
    for name, stage in stages.items():
        path = f"stages.{name}"
        if not NAME_RE.match(name):
            c.add(path, f"{name!r} is not a usable stage name", "use letters, digits, '-' or '_'")
        if not isinstance(stage, dict):
            c.add(path, f"expected a table, found {_type_name(stage)}")
            continue
        good_tables[name] = stage
        c.unknown(stage, STAGE_KEYS, path)
        c.expect(stage, "title", path, str, "text")
        c.expect(stage, "guidance", path, str, "text")
        c.expect(stage, "allow_override", path, bool, "true or false")
        final = c.expect(stage, "final", path, bool, "true or false")
        following = c.expect(stage, "next", path, str, "the name of another stage")
        if following is not None and following not in stages:
            c.add(f"{path}.next", f"there is no stage called {following!r}", f"stages are: {', '.join(names)}")
        if final:
            if "checks" in stage:
                c.add(f"{path}.checks", "a final stage has no checks", "move these checks to the stage before")
            if "next" in stage:
                c.add(f"{path}.next", "a final stage has no next stage", "remove `next` or `final = true`")
        checks = c.expect(stage, "checks", path, list, "a list of [[stages.NAME.checks]] tables")
        if checks is not None:
            _validate_checks(c, checks, path, check_types, roles)

    # The chain of stages: each stage moves to `next`, else the one after it in the file.
    following_of = {}
    for index, name in enumerate(names):
        stage = good_tables.get(name, {})
        if stage.get("final") is True:
            following_of[name] = None
        elif isinstance(stage.get("next"), str) and stage["next"] in stages:
            following_of[name] = stage["next"]
        else:
            following_of[name] = names[index + 1] if index + 1 < len(names) else None
    finals = [n for n in names if good_tables.get(n, {}).get("final") is True]
    if not finals:
        c.add("stages", "no final stage", "end the workflow with a stage that has `final = true`")
    seen: list[str] = []
    current: str | None = names[0]
    while current is not None and current not in seen:
        seen.append(current)
        current = following_of[current]
    if current is not None:
        c.add(f"stages.{seen[-1]}", f"the stages loop back to {current!r} without reaching a final stage",
              "point `next` at a later stage, or end with a final stage")
    elif finals and seen[-1] not in finals:
        c.add(f"stages.{seen[-1]}", "the last stage a project reaches is not final, so no project could finish",
              "add `final = true` to the last stage, or `next` to a final stage")
    for name in names:
        if name not in seen:
            c.add(f"stages.{name}", "no project can reach this stage",
                  "name it in the `next` of an earlier stage, or remove it")


def _validate_checks(c: _Collector, checks: list, stage_path: str,
                     check_types: Mapping[str, ParamValidator | None], roles: dict) -> None:
    ids: dict[str, int] = {}
    known = ", ".join(sorted(check_types))
    for index, check in enumerate(checks):
        path = f"{stage_path}.checks[{index}]"
        if not isinstance(check, dict):
            c.add(path, f"expected a table, found {_type_name(check)}")
            continue
        cid = c.expect(check, "id", path, str, "an id unique within the stage", required=True)
        if cid is not None:
            if not NAME_RE.match(cid):
                c.add(f"{path}.id", f"{cid!r} is not a usable check id", "use letters, digits, '-' or '_'")
            if cid in ids:
                c.add(f"{path}.id", f"the id {cid!r} is used twice in this stage (also checks[{ids[cid]}])",
                      "give every check in a stage its own id")
            ids.setdefault(cid, index)
        ctype = c.expect(check, "type", path, str, "a check type such as \"fact\"", required=True,
                         hint=f"known types: {known}")
        for key in ("title", "hint", "source"):
            c.expect(check, key, path, str, "text")
        severity = c.expect(check, "severity", path, str, "\"required\" or \"advisory\"")
        if severity is not None and severity not in SEVERITIES:
            c.add(f"{path}.severity", f"expected \"required\" or \"advisory\", found {severity!r}")
        if ctype is None:
            continue
        if ctype not in check_types:
            c.add(f"{path}.type", f"unknown check type {ctype!r}",
                  f"known types: {known}; a plugin may provide others (see `coflow plugins`)")
            continue
        if ctype == "signoff":
            _validate_signoff_roles(c, check.get("roles"), path, roles)
        validator = check_types[ctype]
        if validator is None:
            continue
        params = {k: v for k, v in check.items() if k not in CHECK_KEYS}
        try:
            issues = validator(params)
        except Exception as exc:  # a plugin's validator must not crash validation
            issues = [f"the check type's parameter check failed: {exc}"]
        for issue in issues or []:
            key, sep, message = str(issue).partition(": ")
            if sep and PARAM_RE.match(key):
                c.add(f"{path}.{key}", message)
            else:
                c.add(path, str(issue))


def _validate_signoff_roles(c: _Collector, named: Any, path: str, roles: dict) -> None:
    """A sign-off can only be asked of roles the workflow defines in [roles]."""
    if not isinstance(named, list):
        return  # the signoff type's own validator reports the shape
    known = ", ".join(roles) or "none yet"
    for index, role in enumerate(named):
        if isinstance(role, str) and role.strip() and role not in roles:
            c.add(f"{path}.roles[{index}]", f"there is no role called {role!r} in [roles]",
                  f"roles defined: {known}; add it, such as [roles] {role} = {{ title = \"...\" }}")
