"""The people section of a report: who took part, in which roles, groups and routes, with
small numbers hidden so nobody can be picked out; names only when the caller asks."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from coflow.report.basics import ERASED_LABEL, NO_CREDIT_LABEL, _counts, _role_title
from coflow.spelling import spelled

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectState
    from coflow.workflow.model import Workflow


def display_name(record: Mapping[str, Any], personal: Mapping[str, Any] | None) -> str:
    """The name a report may show for one person, honouring how they asked to be credited.

    A name is shown only when the person chose to be credited by name (initials when they
    chose initials); without a recorded choice, nothing of their name is shown.
    """
    if record.get("erased"):
        return ERASED_LABEL
    credit = record.get("credit")
    if credit == "anonymous":
        return "asked not to be named"
    if credit not in ("name", "initials"):
        return NO_CREDIT_LABEL
    name = ""
    if personal:
        name = str(personal.get("name") or personal.get("full_name") or "").strip()
    if not name:
        return "name not recorded"
    if credit == "initials":
        return " ".join(part[0].upper() + "." for part in name.split() if part)
    return name


NOT_SHOWN = "not shown"


def hide_small(rows: list[dict[str, Any]], min_count: int) -> list[dict[str, Any]]:
    """Counts below `min_count` replaced by "fewer than N": in a published report, a group,
    route, role or category reached by one or two people can point at who they are.

    When exactly one row would be hidden, subtracting the others from an exact total would
    give it away, so the next smallest row is hidden too and both read "not shown". Hidden
    rows come last, in name order, so their place in the list says nothing about their size.
    """
    if min_count <= 1:
        return rows
    small = [row for row in rows if row["count"] < min_count]
    shown = [row for row in rows if row["count"] >= min_count]
    label = f"fewer than {min_count}"
    if len(small) == 1 and shown:
        small.append(shown.pop())  # rows come most common first, so the last shown is the next smallest
        label = NOT_SHOWN
    name = next(iter(rows[0])) if rows else ""
    hidden = sorted(small, key=lambda row: str(row[name]))
    return [*shown, *({**row, "count": label} for row in hidden)]


def small_numbers_note(min_count: int, paired: bool = False) -> str:
    note = (f"Roles, groups, recruitment routes and lived-experience categories with fewer than {min_count} "
            f"people are shown as \"fewer than {min_count}\" so that nobody can be identified from them; "
            "the totals are exact.")
    if paired:
        note += (f" Where only one item in a list had fewer than {min_count}, the next smallest is hidden too and "
                 f"both are shown as \"{NOT_SHOWN}\", so the small number cannot be worked out from the total.")
    return note


def _one(name: Any) -> str | None:
    """A route or category in its one spelling (None stays None)."""
    return next(iter(spelled([name])), None)


def participation_section(state: ProjectState, workflow: Workflow, personal: Mapping[str, Mapping] | None,
                          min_count: int = 0) -> dict:
    """Who took part; roles, groups, routes and categories below `min_count` people are not given
    as exact numbers."""
    people = list(state.participants.values())
    attended: Counter = Counter()
    for session in state.sessions.values():
        for pid in dict.fromkeys(session.get("attendance") or []):
            attended[pid] += 1
    total = len(people)
    lived = sum(1 for p in people if p.get("lived_experience"))
    needs = [p for p in people if p.get("access_needs")]
    # one spelling per route, group and category, however it was typed (older records too)
    groups = [g for p in people for g in spelled(p.get("groups") or [])]
    rows = []
    for p in sorted(people, key=lambda r: str(r.get("id", ""))):
        row = {"id": p.get("id"), "role": p.get("role"), "role_title": _role_title(workflow, p.get("role")),
               "lived_experience": bool(p.get("lived_experience")), "sessions_attended": attended[p.get("id")],
               "inducted": bool(p.get("inducted")), "trained": bool(p.get("trained")),
               "erased": bool(p.get("erased")), "withdrawn": p.get("withdrawn")}
        if personal is not None:
            row["name"] = display_name(p, personal.get(str(p.get("id"))))
        rows.append(row)
    group_rows = hide_small(_counts(groups, "group"), min_count)
    route_rows = hide_small(_counts((_one(p.get("route")) for p in people), "route"), min_count)
    role_rows = hide_small([{"role": r["role"], "title": _role_title(workflow, r["role"]), "count": r["count"]}
                            for r in _counts((p.get("role") for p in people), "role")], min_count)
    category_rows = hide_small(_counts((_one(p.get("category")) for p in people), "category"), min_count)
    counts = [row["count"] for row in (*group_rows, *route_rows, *role_rows, *category_rows)]
    hidden = any(isinstance(count, str) for count in counts)
    return {
        "total": total,
        "erased": sum(1 for p in people if p.get("erased")),
        "withdrawn": sum(1 for p in people if p.get("withdrawn")),
        "access_asked": sum(1 for p in people if p.get("access_asked") or p.get("access_needs")),
        "lived_experience": lived,
        "lived_experience_share": (lived / total) if total else None,
        "by_role": role_rows,
        "categories": category_rows,
        "groups": group_rows,
        "routes": route_rows,
        "min_count": min_count if min_count > 1 else None,
        "small_numbers_note": small_numbers_note(min_count, NOT_SHOWN in counts) if hidden else None,
        "access_needs": {"recorded": len(needs), "met": sum(1 for p in needs if p.get("access_needs_met"))},
        "inducted": sum(1 for p in people if p.get("inducted")),
        "trained": sum(1 for p in people if p.get("trained")),
        "took_part": sum(1 for p in people if attended[p.get("id")]),
        "people": rows,
    }
