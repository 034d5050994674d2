"""Events in plain words, for notifiers that write to people (email, chat cards).

Built only from the event, which holds ids and coarse categories, never personal data.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any



def _when(ts: str) -> str:
    return f"{ts[:10]} at {ts[11:16]} UTC" if len(ts) >= 16 else ts


def headline(event: dict[str, Any]) -> str:
    """One line: what happened to which project."""
    d = event.get("data") or {}
    p = event.get("project", "?")
    kind = event.get("type", "")
    if kind == "advanced" and d.get("override"):
        return f"{p} moved from {d.get('from')!r} to {d.get('to')!r} by override: its gate was not met"
    if kind == "advanced":
        return f"{p} moved from {d.get('from')!r} to {d.get('to')!r}"
    if kind == "blocked":
        return f"{p} could not move on from {d.get('stage')!r}: its gate is not met"
    if kind == "signed_off":
        return f"{p}: stage {d.get('stage')!r} signed off as {d.get('role')}"
    if kind == "created":
        return f"{p} started at stage {d.get('stage')!r}"
    if kind == "reopened":
        return f"{p} reopened at stage {d.get('to')!r}"
    if kind in ("reminder", "overdue", "escalation") and d.get("kind") == "due":
        if kind == "reminder":
            left = d.get("days_left")
            when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
            return f"{p}: stage {d.get('stage')!r} is due {when} ({d.get('due')})"
        late = f"{d.get('days')} day{'s' if d.get('days') != 1 else ''}"
        if kind == "escalation":
            return f"{p}: ESCALATED: stage {d.get('stage')!r} was due on {d.get('due')}, {late} ago"
        return f"{p}: stage {d.get('stage')!r} is overdue: it was due on {d.get('due')}, {late} ago"
    if kind == "overdue":
        if d.get("kind") == "payment":
            return f"{p}: payment {d.get('id')} has been pending for {d.get('days')} days"
        return f"{p} has been at stage {d.get('stage')!r} for {d.get('days')} days"
    return f"{p}: {kind.replace('_', ' ')}"


def details(event: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs worth showing beside the headline."""
    d = event.get("data") or {}
    rows = [("Project", str(event.get("project", ""))), ("When", _when(str(event.get("ts", ""))))]
    if event.get("type") not in ("overdue", "reminder", "escalation"):
        rows.append(("By", str(event.get("actor", ""))))
    kind = event.get("type")
    if kind == "advanced" and d.get("override"):
        rows.append(("Checks not met", ", ".join(d["override"].get("failing") or []) or "none"))
        rows.append(("Reason given", str(d["override"].get("reason") or "")))
    if kind == "blocked":
        rows.append(("Checks not met", ", ".join(d.get("failing") or []) or "a plugin's veto"))
    if kind == "reopened":
        rows.append(("Reason given", str(d.get("reason") or "")))
    if d.get("kind") == "due":
        rows.append(("Due", str(d.get("due", ""))))
        rows.append(("Due date from", "the workflow" if d.get("source") == "workflow" else "coflow due"))
    elif kind == "overdue":
        rows.append(("Since", str(d.get("since", ""))))
        rows.append(("Limit", f"{d.get('limit')} days"))
    return rows


def body(event: dict[str, Any]) -> str:
    """A short plain-text message: headline, details, and where to look next."""
    lines = [headline(event) + ".", ""]
    lines += [f"{name}: {value}" for name, value in details(event)]
    lines += ["", f"See where it stands with: coflow status {event.get('project', '')}",
              "", "This message was sent by coflow. It holds no personal details of participants."]
    return "\n".join(lines) + "\n"
