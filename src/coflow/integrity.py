"""A project's history checked whenever a command reads or writes it, cheaply.

`coflow verify` is the full check; this is the everyday one. Reading a project already
folds all its events, so each event's hash is recomputed as well (about 10 microseconds an
event) and the store's recorded head is compared: an edited, deleted, inserted or
reordered event shows. Only when that quick look finds something is the verdict taken from
the same check `coflow verify` uses (coflow.anchor.check_chain), so both say the same.

Reading a broken project warns on stderr; writing to one is refused (exit 5) unless the
person says --force with a reason, and then a `history_break_noted` event records who went
on past which break, and why, before the change itself.
"""

from __future__ import annotations

from coflow.errors import IntegrityError
from coflow.events import Event, first_break

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

BREAK_NOTED = "history_break_noted"


def chain_problem(events: list[Event], row: Any) -> tuple[int, str] | None:
    """(first bad seq, why) for one project's events and the store's row for it, or None."""
    if (events and row is not None and row.seq == len(events) and row.head_hash == events[-1].hash
            and first_break(events) is None):
        return None
    from coflow.anchor import check_chain

    return check_chain(events, row)


def warning(project_id: str, broken: tuple[int, str]) -> str:
    seq, why = broken
    return (f"Warning: the history of project {project_id} does not verify: event {seq}: {why}. "
            f"Its records may have been changed outside coflow: run `coflow verify {project_id}` and see "
            "docs/security.md. Changes to it are refused until then (or given with --force --reason).")


def refusal(project_id: str, broken: tuple[int, str]) -> IntegrityError:
    seq, why = broken
    return IntegrityError(
        f"project {project_id}'s history does not verify (event {seq}: {why}), so nothing was written to it",
        project_id, seq,
        hint=f"run `coflow verify {project_id}` and restore the store from a backup if you can (docs/security.md); "
             "to record this change anyway, run the same command again with --force --reason \"why\": "
             "your name, the reason and the break are kept in the history")


def noted(broken: tuple[int, str], reason: str) -> dict[str, Any]:
    """The data of the event that records a write past a broken history."""
    seq, why = broken
    return {"broken_at": seq, "why": why, "reason": reason}
