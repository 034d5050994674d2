"""Groups a project means to reach: under-represented groups named, and what was done to
reach each of them ("take positive steps to identify and include under-represented groups").

A group is named in its one spelling ("Young Men" -> young-men), so it matches the groups
participants chose to share (`participant add --group`). An action says what was done
and when, in words that name no person (the history keeps them).
"""

from __future__ import annotations

from coflow.errors import NotFound, UsageError
from coflow.records.reducers import GROUP_ACTION, GROUP_NAMED
from coflow.records.values import FieldProblem, about, day, text

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter


def spelled_name(value: Any) -> tuple[str, str]:
    """(one spelling, the words as typed) of a group's name; refused when it has no letters."""
    from coflow.spelling import one_spelling

    typed = text(value, "group", required=True, max_len=60) or ""
    name = one_spelling(typed)
    if not name:
        raise FieldProblem("group", f"{typed!r} has no letters or digits",
                           hint='give the group in words, such as "young men" or "Gypsy and Traveller communities"')
    return name, typed


def named(state: Any) -> dict[str, dict[str, Any]]:
    return dict(state.records.get("groups", {}))


def name(engine: ProjectWriter, project: str, actor: str, group: str) -> tuple[dict[str, Any], bool]:
    """Name a group the project means to reach. Returns (group, newly named)."""

    def build(state: Any, view: Any, tx: Any) -> dict | None:
        with about("group"):
            key, typed = spelled_name(group)
        if key in named(state):
            return None
        return {"name": key, "label": typed}

    event, state = engine.change(project, actor, GROUP_NAMED, build)
    key = spelled_name(group)[0]
    return dict(named(state)[key]), event is not None


def find(state: Any, group: str) -> str:
    key = spelled_name(group)[0]
    if key not in named(state):
        known = ", ".join(named(state)) or "none yet"
        raise NotFound(f"project {state.id} has not named the group {group!r}",
                       hint=f"groups named: {known}; name it first with "
                            f"`coflow group add {state.id} \"{group}\"`")
    return key


def act(engine: ProjectWriter, project: str, actor: str, group: str, date: Any, action: str) -> dict[str, Any]:
    """Record something done to reach a named group, on the day it was done."""

    def build(state: Any, view: Any, tx: Any) -> dict:
        key = find(state, group)
        with about(f"action for group {key}"):
            when = day(date, "date", required=True)
            words = text(action, "action", required=True, max_len=200)
        if words and words.strip() in ("...", "TEXT", "ACTION"):
            raise UsageError(f"{words!r} stands for what was really done",
                             hint='say what you did, such as "asked the youth football club to share the call"')
        return {"group": key, "date": when, "action": words}

    _, state = engine.change(project, actor, GROUP_ACTION, build)
    return dict(named(state)[find(state, group)])
