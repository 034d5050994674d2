"""Declarative, total validation of a parsed workflow file.

Every problem is collected (never stop at the first) with the key path a person can find in
their file, what was expected, and a hint. Nothing in a workflow is evaluated as code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from coflow.workflow.model import CHECK_KEYS, CHOICE_KEYS, DEADLINE_KEYS, STAGE_KEYS

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
PARAM_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SEVERITIES = ("required", "advisory")
TOP_KEYS = ("schema", "workflow", "roles", "stages")
WORKFLOW_KEYS = ("id", "version", "title", "description", "extends", "renamed")
# keys that only a workflow with `extends` uses (coflow.workflow.extends reads them)
LAYER_KEYS = {"workflow": ("drop_stages",), "stage": ("after", "drop_checks")}
ROLE_KEYS = ("title", "lived_experience", "description")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    hint: str | None = None
    file: str | None = None  # set when it differs from the file being read (a parent's)

    def render(self, file: str) -> str:
        file = self.file or file
        where = f"{file}: {self.path}" if self.path else file
        text = f"{where}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


ParamValidator = Callable[["dict[str, Any]"], list[str]]


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

    def unknown(self, table: Mapping, allowed: tuple, path: str, layer: tuple = ()) -> None:
        for key in table:
            if key in layer:
                self.add(f"{path}.{key}", "only a workflow that extends another can use this key",
                         "add `extends = \"ID\"` to [workflow], or remove it")
            elif key not in allowed:
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
        c.unknown(meta, WORKFLOW_KEYS, "workflow", LAYER_KEYS["workflow"])
        wid = c.expect(meta, "id", "workflow", str, "an id such as \"northvale-coproduction\"", required=True)
        if wid is not None and not NAME_RE.match(wid):
            c.add("workflow.id", f"{wid!r} is not a usable id", "use letters, digits, '-', '_' or '.', no spaces")
        c.expect(meta, "version", "workflow", str, "a version in quotes such as \"2026.1\"", required=True,
                 hint="write the version in quotes: version = \"2026.1\"")
        c.expect(meta, "title", "workflow", str, "text")
        c.expect(meta, "description", "workflow", str, "text")
        if "extends" in meta:  # the loader merges it (coflow.workflow.extends) before validation
            c.add("workflow.extends", "this definition still names the workflow it extends",
                  "load the file with coflow.workflow.loader.load_file, which merges it first")

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
    if meta is not None and "renamed" in meta:
        _validate_renamed(c, meta["renamed"], stages if isinstance(stages, dict) else {})
    return c.problems


def _validate_renamed(c: _Collector, renamed: Any, stages: dict) -> None:
    """`renamed = { old = "new" }`: projects at a stage that was renamed can be migrated."""
    if not isinstance(renamed, dict):
        c.add("workflow.renamed", f"expected a table such as {{ design = \"implementation\" }}, found {_type_name(renamed)}")
        return
    for old, new in renamed.items():
        path = f"workflow.renamed.{old}"
        if not isinstance(new, str):
            c.add(path, f"expected the new name of the stage, found {_type_name(new)} {new!r}")
        elif new not in stages:
            c.add(path, f"there is no stage called {new!r}", f"stages are: {', '.join(stages)}")
        if old in stages:
            c.add(path, f"{old!r} is still a stage of this workflow, so it cannot also be renamed",
                  "list only names the workflow no longer has")


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
        c.unknown(stage, STAGE_KEYS, path, LAYER_KEYS["stage"])
        c.expect(stage, "title", path, str, "text")
        c.expect(stage, "guidance", path, str, "text")
        c.expect(stage, "allow_override", path, bool, "true or false")
        c.expect(stage, "override_needs_second", path, bool, "true or false")
        final = c.expect(stage, "final", path, bool, "true or false")
        _validate_next(c, stage, path, names)
        _validate_deadlines(c, stage, path, bool(final))
        if final:
            if "checks" in stage:
                c.add(f"{path}.checks", "a final stage has no checks", "move these checks to the stage before")
            if "next" in stage:
                c.add(f"{path}.next", "a final stage has no next stage", "remove `next` or `final = true`")
        checks = c.expect(stage, "checks", path, list, "a list of [[stages.NAME.checks]] tables")
        if checks is not None:
            _validate_checks(c, checks, path, check_types, roles)

    # Each stage moves to its `next` (one stage, or choices), else the one after it in the file.
    ways: dict[str, list[str]] = {}
    for index, name in enumerate(names):
        stage = good_tables.get(name, {})
        following = stage.get("next")
        if stage.get("final") is True:
            ways[name] = []
        elif isinstance(following, str) and following in stages:
            ways[name] = [following]
        elif isinstance(following, list) and following:
            ways[name] = [item["stage"] for item in following
                          if isinstance(item, dict) and isinstance(item.get("stage"), str) and item["stage"] in stages]
        else:
            ways[name] = [names[index + 1]] if index + 1 < len(names) else []
    finals = [n for n in names if good_tables.get(n, {}).get("final") is True]
    if not finals:
        c.add("stages", "no final stage", "end the workflow with a stage that has `final = true`")
    if all(len(targets) <= 1 for targets in ways.values()):
        seen = _straight_line(c, names, ways, finals)
    else:
        seen = _branches(c, names, ways, finals, good_tables)
    for name in names:
        if name not in seen:
            c.add(f"stages.{name}", "no project can reach this stage",
                  "name it in the `next` of an earlier stage, or remove it")


def _straight_line(c: _Collector, names: list[str], ways: dict[str, list[str]], finals: list[str]) -> set[str]:
    """A workflow without branches: follow the one chain; it must end at a final stage."""
    seen: list[str] = []
    current: str | None = names[0]
    while current is not None and current not in seen:
        seen.append(current)
        current = ways[current][0] if ways[current] else None
    if current is not None:
        c.add(f"stages.{seen[-1]}", f"the stages loop back to {current!r} without reaching a final stage",
              "point `next` at a later stage, or end with a final stage")
    elif finals and seen[-1] not in finals:
        c.add(f"stages.{seen[-1]}", "the last stage a project reaches is not final, so no project could finish",
              "add `final = true` to the last stage, or `next` to a final stage")
    return set(seen)


def _branches(c: _Collector, names: list[str], ways: dict[str, list[str]], finals: list[str],
              tables: dict[str, dict]) -> set[str]:
    """A workflow with branches: every stage reached, and every branch taken, must be able
    to end at a final stage (linear time in stages and ways)."""
    seen: set[str] = set()
    pending = [names[0]]
    while pending:
        current = pending.pop()
        if current not in seen:
            seen.add(current)
            pending.extend(ways[current])
    comes_from: dict[str, list[str]] = {n: [] for n in names}
    for source, targets in ways.items():
        for target in targets:
            comes_from[target].append(source)
    can_finish, pending = set(finals), list(finals)
    while pending:
        for source in comes_from[pending.pop()]:
            if source not in can_finish:
                can_finish.add(source)
                pending.append(source)
    if not finals:
        return seen
    for name in names:
        following = tables.get(name, {}).get("next")
        if name in seen and isinstance(following, list):
            for index, item in enumerate(following):
                branch_to = item.get("stage") if isinstance(item, dict) else None
                if branch_to in ways and branch_to not in can_finish:
                    c.add(f"stages.{name}.next[{index}].stage",
                          f"the branch to {branch_to!r} never reaches a final stage",
                          "point it, or a stage after it, at a stage that leads to a final one")
        if name not in seen or name in can_finish or isinstance(following, list):
            continue
        if not ways[name]:
            c.add(f"stages.{name}", "the last stage a project reaches here is not final, so no project could finish",
                  "add `final = true` to it, or `next` to a final stage")
        else:
            c.add(f"stages.{name}", "from here the stages loop without reaching a final stage",
                  "point `next` at a stage that leads to a final one")
    return seen


def _validate_next(c: _Collector, stage: dict, path: str, names: list[str]) -> None:
    """`next` is one stage's name, or a list of choices { stage = "...", when = ... } tried in order."""
    if "next" not in stage:
        return
    following = stage["next"]
    where = f"{path}.next"
    if isinstance(following, str):
        if following not in names:
            c.add(where, f"there is no stage called {following!r}", f"stages are: {', '.join(names)}")
        return
    example = '[{ stage = "dpia", when = "dpia-needed" }, { stage = "delivery" }]'
    if not isinstance(following, list) or not following:
        found = f"{_type_name(following)} {following!r}" if not isinstance(following, list) else "an empty list"
        c.add(where, f"expected the name of another stage, or a list of choices, found {found}",
              f"such as next = \"delivery\", or next = {example}")
        return
    check_ids = [ch.get("id") for ch in stage.get("checks", []) if isinstance(ch, dict)] \
        if isinstance(stage.get("checks"), list) else []
    targets: dict[str, int] = {}
    for index, item in enumerate(following):
        item_path = f"{where}[{index}]"
        if not isinstance(item, dict):
            c.add(item_path, f"expected a choice such as {{ stage = \"delivery\" }}, found {_type_name(item)} {item!r}",
                  f"such as next = {example}")
            continue
        c.unknown(item, CHOICE_KEYS, item_path)
        target = c.expect(item, "stage", item_path, str, "the name of the stage this choice goes to", required=True,
                          hint=f"stages are: {', '.join(names)}")
        if target is not None:
            if target not in names:
                c.add(f"{item_path}.stage", f"there is no stage called {target!r}", f"stages are: {', '.join(names)}")
            elif target in targets:
                c.add(f"{item_path}.stage", f"{target!r} is already a choice (next[{targets[target]}])",
                      "name each stage once; put the conditions together in one check")
            targets.setdefault(target, index)
        if "when" in item:
            _validate_when(c, item["when"], f"{item_path}.when", check_ids)


def _validate_when(c: _Collector, when: Any, path: str, check_ids: list) -> None:
    """A choice holds when a check of the same stage passes, or when a fact condition holds."""
    if isinstance(when, str):
        if when not in check_ids:
            known = ", ".join(str(i) for i in check_ids) or "none"
            c.add(path, f"there is no check {when!r} in this stage",
                  f"name a check of this stage (its checks: {known}), or give a fact condition "
                  "such as when = { key = \"dpia_needed\", op = \"==\", value = true }")
        return
    if not isinstance(when, dict):
        c.add(path, f"expected the id of a check in this stage, or a fact condition, found {_type_name(when)} {when!r}",
              "such as when = \"dpia-needed\", or when = { key = \"dpia_needed\", op = \"==\", value = true }")
        return
    from coflow.checks.fact import validate as fact_condition

    for issue in fact_condition(dict(when)):
        key, sep, message = issue.partition(": ")
        if sep and PARAM_RE.match(key):
            c.add(f"{path}.{key}", message)
        else:
            c.add(path, issue)


def _validate_deadlines(c: _Collector, stage: dict, path: str, final: bool) -> None:
    """Days are whole numbers: due from entering the stage, a reminder before, an escalation after."""
    values = {}
    for key in DEADLINE_KEYS:
        value = c.expect(stage, key, path, int, "a whole number of days, such as 30",
                         hint=f"a whole number without quotes, such as {key} = 30")
        if value is None:
            continue
        if value < 1:
            c.add(f"{path}.{key}", f"expected a whole number of days above 0, found {value}",
                  f"such as {key} = {30 if key == 'due_days' else 7}")
            continue
        if final:
            c.add(f"{path}.{key}", "a final stage has no deadline", "move it to the stage before")
        values[key] = value
    if "due_days" in values and values.get("remind_days", 0) > values["due_days"]:
        c.add(f"{path}.remind_days", f"a reminder {values['remind_days']} days before a due date only "
              f"{values['due_days']} days after entering the stage would come before the stage began",
              f"use at most {values['due_days']}")


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
        if ctype == "involvement_level" and isinstance(check.get("approval_role"), str):
            _validate_signoff_roles(c, [check["approval_role"]], path, roles, key="approval_role")
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


def _validate_signoff_roles(c: _Collector, named: Any, path: str, roles: dict, key: str = "") -> None:
    """A sign-off can only be asked of roles the workflow defines in [roles]."""
    if not isinstance(named, list):
        return  # the signoff type's own validator reports the shape
    known = ", ".join(roles) or "none yet"
    for index, role in enumerate(named):
        if isinstance(role, str) and role.strip() and role not in roles:
            c.add(f"{path}.{key or f'roles[{index}]'}", f"there is no role called {role!r} in [roles]",
                  f"roles defined: {known}; add it, such as [roles] {role} = {{ title = \"...\" }}")
