"""People who stop: a withdrawal date, and when someone was asked about access needs.

A person who withdraws is not erased: what they did still counts (sessions attended,
payments owed), and from the withdrawal date checks stop expecting more of them. Why they
withdrew can be personal, so the reason is kept with their personal details (erasable),
never in the history.
"""

from __future__ import annotations

from collections.abc import Mapping

from coflow.records.values import FieldProblem, day, text

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

REASON_KEY = "withdrawn_reason"


def joined(record: Mapping[str, Any], sessions: Mapping[str, Mapping[str, Any]]) -> str | None:
    """The earliest date recorded for a person taking part: when they were inducted, trained,
    told about payment, asked about access, or first attended a session. The day their
    record was made is not used: records are often made after the fact."""
    pid = record.get("id")
    dates = [str(record.get(key) or "") for key in ("inducted", "trained", "payment_info", "access_asked")]
    dates += [str(s.get("date") or "") for s in sessions.values() if pid in (s.get("attendance") or [])]
    dates = [d for d in dates if d]
    return min(dates) if dates else None


def withdrawal_changes(record: Mapping[str, Any], sessions: Mapping[str, Mapping[str, Any]],
                       given: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(log changes, personal changes) for --withdrawn DATE, --reason TEXT, --access-asked DATE.

    The withdrawal date is a real date, today or earlier, not before the person joined and
    not before a session they attended (they cannot have come after stopping).
    """
    changes: dict[str, Any] = {}
    personal: dict[str, Any] = {}
    pid = record.get("id")
    if "access_asked" in given:
        changes["access_asked"] = day(given["access_asked"], "access_asked", required=True)
    if "withdrawn" in given:
        when = day(given["withdrawn"], "withdrawn", required=True)
        assert when is not None
        first = joined({**record, **changes}, sessions)
        if first and when < first:
            raise FieldProblem("withdrawn", f"{when} is before {pid} joined the project ({first})",
                               hint="give the date they stopped taking part, on or after the date they joined")
        later = sorted((str(s.get("date")), str(s.get("id"))) for s in sessions.values()
                       if pid in (s.get("attendance") or []) and str(s.get("date") or "") > when)
        if later:
            date, sid = later[-1]
            raise FieldProblem("withdrawn", f"{when} is before {sid} ({date}), a session {pid} is recorded at",
                               hint=f"give the date they stopped, on or after {date}; if they were not at {sid}, "
                                    f"correct its attendance with `coflow session update PROJECT {sid} --attendee ...`")
        changes["withdrawn"] = when
    if "withdrawn_reason" in given:
        if "withdrawn" not in changes and not record.get("withdrawn"):
            raise FieldProblem("reason", "is for a withdrawal, and no withdrawal date is given or recorded",
                               hint="give it with the date they stopped: --withdrawn DATE --reason TEXT")
        personal[REASON_KEY] = text(given["withdrawn_reason"], "reason", required=True, max_len=300)
    return changes, personal
