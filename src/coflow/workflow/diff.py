"""What changed between two versions of a workflow: stages, checks, parameters and roles.

`coflow migrate` shows it before (or after) moving a project on, so a person sees what the
new file asks of the project, not only which checks would now fail. Each change is a plain
dict (for --json) and `describe` turns one into a sentence. Order follows the new file,
with what was removed listed where it used to be.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


# The fields compared (the workflow file's key names), and how a person reads a few of them.
STAGE_FIELDS = ("title", "next", "final", "allow_override", "guidance")
CHECK_FIELDS = ("type", "title", "severity", "hint", "source")
ROLE_FIELDS = ("title", "lived_experience")
LABELS = {"next": "next stage", "allow_override": "allow override", "lived_experience": "lived experience"}


def _change(what: str, change: str, **where: Any) -> dict[str, Any]:
    return {"what": what, "change": change, **where}


def workflow_changes(old: Any, new: Any) -> list[dict[str, Any]]:
    """Every difference between workflow models `old` and `new`, as dicts:

    {"what": "workflow"|"stage"|"check"|"parameter"|"role", "change": "added"|"removed"|"changed",
     "stage": ..., "check": ..., "field": ..., "old": ..., "new": ...} (only the keys that apply).
    """
    changes: list[dict[str, Any]] = []
    for name in ("version", "title"):
        if getattr(old, name) != getattr(new, name):
            changes.append(_change("workflow", "changed", field=name,
                                   old=getattr(old, name), new=getattr(new, name)))
    for stage_id in _merged(list(old.stages), list(new.stages)):
        before, after = old.stages.get(stage_id), new.stages.get(stage_id)
        if before is None:
            changes.append(_change("stage", "added", stage=stage_id, title=after.title,
                                   checks=[c.id for c in after.checks]))
        elif after is None:
            changes.append(_change("stage", "removed", stage=stage_id, title=before.title,
                                   checks=[c.id for c in before.checks]))
        else:
            changes += _stage_changes(before, after)
    for role_id in _merged(list(old.roles), list(new.roles)):
        before, after = old.roles.get(role_id), new.roles.get(role_id)
        if before is None:
            changes.append(_change("role", "added", role=role_id, title=after.title))
        elif after is None:
            changes.append(_change("role", "removed", role=role_id, title=before.title))
        else:
            for name in ROLE_FIELDS:
                if getattr(before, name) != getattr(after, name):
                    changes.append(_change("role", "changed", role=role_id, field=name,
                                           old=getattr(before, name), new=getattr(after, name)))
    return changes


def _stage_changes(before: Any, after: Any) -> list[dict[str, Any]]:
    stage = before.id
    changes = [_change("stage", "changed", stage=stage, field=name,
                       old=getattr(before, name), new=getattr(after, name))
               for name in STAGE_FIELDS if getattr(before, name) != getattr(after, name)]
    old_checks = {c.id: c for c in before.checks}
    new_checks = {c.id: c for c in after.checks}
    for check_id in _merged(list(old_checks), list(new_checks)):
        was, now = old_checks.get(check_id), new_checks.get(check_id)
        if was is None:
            assert now is not None  # every id is in one of the two
            changes.append(_change("check", "added", stage=stage, check=check_id, title=now.title,
                                   type=now.type, severity=now.severity))
        elif now is None:
            changes.append(_change("check", "removed", stage=stage, check=check_id, title=was.title,
                                   type=was.type, severity=was.severity))
        else:
            changes += [_change("check", "changed", stage=stage, check=check_id, field=name,
                                old=getattr(was, name), new=getattr(now, name))
                        for name in CHECK_FIELDS if getattr(was, name) != getattr(now, name)]
            for key in _merged(list(was.params), list(now.params)):
                if key not in now.params:
                    changes.append(_change("parameter", "removed", stage=stage, check=check_id,
                                           field=key, old=was.params[key]))
                elif key not in was.params:
                    changes.append(_change("parameter", "added", stage=stage, check=check_id,
                                           field=key, new=now.params[key]))
                elif was.params[key] != now.params[key]:
                    changes.append(_change("parameter", "changed", stage=stage, check=check_id,
                                           field=key, old=was.params[key], new=now.params[key]))
    return changes


def _merged(old: list[str], new: list[str]) -> list[str]:
    """The names of `new` in order, each name only in `old` placed after the one before it."""
    result = list(new)
    for index, name in enumerate(old):
        if name in result:
            continue
        earlier = [n for n in old[:index] if n in result]
        result.insert(result.index(earlier[-1]) + 1 if earlier else 0, name)
    return result


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f'"{text}"'
    return str(value)


def _field_changed(change: dict[str, Any]) -> str:
    label = LABELS.get(change["field"], change["field"])
    return f"{label} changed from {_shown(change['old'])} to {_shown(change['new'])}"


def describe(change: dict[str, Any]) -> str:
    """One change as a sentence, such as: stage 'planning': check 'budget' parameter 'value'
    changed from 500 to 1000."""
    what, kind = change["what"], change["change"]
    if what == "workflow":
        return f"workflow {_field_changed(change)}"
    if what == "role":
        place = f"role {change['role']!r}"
        if kind == "changed":
            return f"{place}: {_field_changed(change)}"
        return f"{place} ({change['title']}) {kind}"
    place = f"stage {change['stage']!r}"
    if what == "stage":
        if kind == "changed":
            return f"{place}: {_field_changed(change)}"
        count = len(change["checks"])
        return f"{place} ({change['title']}) {kind}, with {count} check{'s' if count != 1 else ''}"
    check = f"{place}: check {change['check']!r}"
    if what == "check":
        if kind == "changed":
            return f"{check}: {_field_changed(change)}"
        advisory = " (advisory)" if change["severity"] == "advisory" else ""
        return f"{check} {kind}{advisory}: {change['title']}"
    parameter = f"{check} parameter {change['field']!r}"
    if kind == "added":
        return f"{parameter} added: {_shown(change['new'])}"
    if kind == "removed":
        return f"{parameter} removed (was {_shown(change['old'])})"
    return f"{parameter} changed from {_shown(change['old'])} to {_shown(change['new'])}"
