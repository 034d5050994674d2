"""What every report section shares: the report's constants and small derivations
(durations, counts, ordering, titles), kept apart so the sections stay small."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping

from coflow.dates import parse_timestamp as parse_when

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.workflow.model import Workflow

REPORT_VERSION = 1
OVERDUE_DAYS = 30
ERASED_LABEL = "participant erased"
NO_CREDIT_LABEL = "credit preference not recorded"
# The involvement continuum, lightest first (guidance 003).
LEVELS = ("inform", "consult", "engage", "co-design", "co-production")
# The six "right circumstances" criteria of the suitability assessment (guidance 004).
CRITERIA = ("authority", "shared_aims", "scale", "outcomes", "resources", "delivery_role")
# Payment statuses that mean the person has been recognised.
SETTLED_PAYMENTS = ("paid", "voucher")
# What re-checking a stored evidence file found, in the words every format shows.
FILE_CHECK_WORDS = {"matches": "file checked: matches", "missing": "file missing",
                    "changed": "file changed since it was recorded", "unreadable": "file could not be read"}


# -- time ---------------------------------------------------------------------------------

def seconds_between(start: Any, end: Any) -> float | None:
    a, b = parse_when(start), parse_when(end)
    if a is None or b is None:
        return None
    return max(0.0, (b - a).total_seconds())


def days_since(value: Any, now: dt.datetime) -> int | None:
    when = parse_when(value)
    if when is None:
        return None
    return (now.date() - when.date()).days


# -- small helpers ------------------------------------------------------------------------

def _counts(values: Iterable[Any], key: str) -> list[dict[str, Any]]:
    """[{key: value, "count": n}] most common first, ties in name order; blanks dropped."""
    counter = Counter(v for v in values if v not in (None, ""))
    return [{key: value, "count": n} for value, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]


def _in_order(mapping: Mapping[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    """The mapping with known keys in their natural order first, then any others by name."""
    known = [k for k in order if k in mapping]
    return {k: mapping[k] for k in [*known, *sorted(k for k in mapping if k not in order)]}


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0  # infinity and NaN count as nothing


def _by_date(items: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Oldest first; records without a usable date go last, in id order."""
    far = dt.datetime.max.replace(tzinfo=dt.timezone.utc)
    return sorted(items, key=lambda r: (parse_when(r.get("date")) or far, str(r.get("id", ""))))


def _stage_title(workflow: Workflow, stage: str | None) -> str | None:
    if stage is None:
        return None
    stages = getattr(workflow, "stages", {}) or {}
    found = stages.get(stage)
    return getattr(found, "title", None) or stage


def _role_title(workflow: Workflow, role: str | None) -> str | None:
    if role is None:
        return None
    roles = getattr(workflow, "roles", {}) or {}
    found = roles.get(role)
    return getattr(found, "title", None) or role


def _lived_role(workflow: Workflow, role: str | None) -> bool:
    roles = getattr(workflow, "roles", {}) or {}
    found = roles.get(role) if role else None
    return bool(getattr(found, "lived_experience", False))


def _check(c: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": c.get("id"), "title": c.get("title") or c.get("id"), "status": c.get("status"),
            "severity": c.get("severity", "required"), "message": c.get("message") or ""}
