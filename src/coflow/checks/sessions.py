"""The `sessions` check type: enough sessions, spread out, in several formats, co-authored,
and no decisions before people with lived experience were in the room.

Only sessions that have taken place count (dated today or earlier).
"""

from __future__ import annotations

from typing import Any

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

PARAMS = ("min", "min_span_weeks", "min_formats", "coauthored", "decisions_after_involvement")
ADD = "coflow session add PROJECT --date {date} --format in-person --hours 2"


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS),
            *common.whole(params, "min", 0), *common.number(params, "min_span_weeks", 0),
            *common.whole(params, "min_formats", 0), *common.flag(params, "coauthored"),
            *common.flag(params, "decisions_after_involvement")]


def _sid(session: Any) -> str:
    return str(common.field(session, "id", "?"))


def _labelled(session: Any) -> str:
    when = common.field(session, "date")
    return f"{_sid(session)} ({when})" if when else _sid(session)


def _lived(people: dict[str, Any], ids: Any) -> list[str]:
    return [i for i in (ids or ()) if common.field(people.get(i), "lived_experience", False)]


def check(project: Any, params: dict[str, Any]) -> CheckResult:
    sessions = common.held(project.sessions)
    people = common.by_id(project.participants)
    today = common.today().isoformat()
    planned = len(project.sessions) - len(sessions)
    later = f" ({common.plural(planned, 'more session')} dated after today not counted)" if planned else ""
    problems: list[str] = []
    hints: list[str] = []
    found = [common.plural(len(sessions), "session") + " held"]

    wanted = params.get("min", 1)
    if len(sessions) < wanted:
        problems.append(f"{common.plural(len(sessions), 'session')} held; at least {wanted} needed{later}")
        hints.append(ADD.format(date=today))

    weeks = params.get("min_span_weeks", 0)
    if weeks and sessions:
        first = common.as_date(common.field(sessions[0], "date"))
        last = common.as_date(common.field(sessions[-1], "date"))
        span = (last - first).days / 7 if first and last else 0
        if span < weeks:
            problems.append(f"the sessions so far span {span:.1f} weeks; at least {weeks:g} needed")
            hints.append(ADD.format(date="DATE"))
        else:
            found.append(f"over {span:.1f} weeks")
    elif weeks:
        problems.append(f"no sessions held yet, so they cannot span {weeks:g} weeks")

    formats_needed = params.get("min_formats", 0)
    if formats_needed:
        formats = sorted({str(f) for f in (common.field(s, "format") for s in sessions) if f})
        shown = f" ({common.listing(formats)})" if formats else ""
        if len(formats) < formats_needed:
            problems.append(f"{common.plural(len(formats), 'format')} used{shown}; at least {formats_needed} needed")
            hints.append("coflow session add PROJECT --date DATE --format virtual --hours 2")
        else:
            found.append(f"in {common.plural(len(formats), 'format')}{shown}")

    if params.get("coauthored"):
        alone = [_sid(s) for s in sessions if not _lived(people, common.field(s, "agenda_coauthors"))]
        if alone:
            problems.append(f"{common.listing(alone)} {common.verb(alone, 'has', 'have')} no agenda co-author "
                            "with lived experience")
            hints.append("coflow session add PROJECT --date DATE --format in-person --hours 2 --agenda-by P-001")
        elif sessions:
            found.append("every agenda co-authored with a partner with lived experience")

    if params.get("decisions_after_involvement"):
        involved = [s for s in sessions if _lived(people, common.field(s, "attendance"))]
        first_date = common.as_date(common.field(involved[0], "date")) if involved else None
        early = [_labelled(s) for s in sessions if common.field(s, "decisions", False)
                 and (first_date is None or (common.as_date(common.field(s, "date")) or first_date) < first_date)]
        if early:
            since = (f"before {_labelled(involved[0])}, the first session people with lived experience attended"
                     if involved else "but no session has been attended by anyone with lived experience")
            problems.append(f"decisions were made at {common.listing(early)}, {since}")
            hints.append("coflow session add PROJECT --date DATE --format in-person --hours 2 --attendee P-001")
        elif involved:
            found.append(f"people with lived experience involved from {_labelled(involved[0])}, before any decision")

    if problems:
        return CheckResult(False, "; ".join(problems), hint=hints[0] if hints else ADD.format(date=today))
    return CheckResult(True, ", ".join(found))
