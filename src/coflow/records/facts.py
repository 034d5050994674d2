"""Withdrawing a fact: `coflow record PROJECT --unset KEY --reason TEXT`.

A fact recorded under a mistyped key (or one that should not have been recorded) can be
withdrawn. The history keeps both the fact and its withdrawal, with who did it and why;
the project's facts, and so its checks, no longer see it.
"""

from __future__ import annotations

from coflow.errors import NotFound, UsageError
from coflow.events import FACT_UNSET

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project_writer import ProjectWriter
    from coflow.storage.base import Transaction


def unset(engine: ProjectWriter, project: str, actor: str, key: str, reason: str | None) -> Any:
    """Withdraw fact `key`; a reason is required and recorded. Returns the event."""
    why = (reason or "").strip()
    if not why:
        raise UsageError(f"withdrawing the fact {key!r} needs a reason, and it is kept in the history",
                         hint=f"add --reason \"why\", such as: coflow record {project} --unset {key} "
                              "--reason \"mistyped key\"")
    if len(why) > 500:
        raise UsageError("the reason is longer than 500 characters", hint="say it in fewer words")

    def build(state: Any, view: Any, tx: Transaction) -> dict:
        if key not in state.facts:
            known = ", ".join(sorted(state.facts)) or "none yet"
            raise NotFound(f"project {project} has no fact called {key!r}",
                           hint=f"its facts are: {known}")
        return {"key": key, "reason": why}

    event, _state = engine.change(project, actor, FACT_UNSET, build)
    return event
