"""The `sessions` check type: enough sessions, spread out, in several formats, co-authored,
and no decisions before people with lived experience were in the room.

Only sessions that have taken place count (dated today or earlier). Two rules about
decisions: `decisions_after_involvement` (no decision dated before the first session someone
with lived experience attended, as first shipped) and the stricter
`decisions_with_lived_experience` (added later as its own parameter, so that projects pinned
to an older workflow keep the rule they started with).
"""

from __future__ import annotations

import datetime as _dt

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params
from coflow.checks.session_people import decision_balance, with_lived_experience
from coflow.records.sessions import FORMATS

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from coflow.project import ProjectView

    # a session rule: (problems, hint, what was found) from the sessions and the people
    Judge = Callable[[list[Any], dict[str, Any]], tuple[list[str], str | None, str | None]]

PARAMS = ("min", "min_span_weeks", "min_formats", "coauthored", "decisions_after_involvement",
          "decisions_with_lived_experience", "decision_share", "min_with_lived_experience")


def validate(params: dict[str, Any]) -> list[str]:
    return [*unknown_params(params, PARAMS),
            *common.whole(params, "min", 0), *common.number(params, "min_span_weeks", 0),
            *common.whole(params, "min_formats", 0), *common.flag(params, "coauthored"),
            *common.flag(params, "decisions_after_involvement"),
            *common.flag(params, "decisions_with_lived_experience"),
            *common.number(params, "decision_share", 0, 1), *common.whole(params, "min_with_lived_experience", 0)]


def _sid(session: Any) -> str:
    return str(common.field(session, "id", "?"))


def _labelled(session: Any) -> str:
    when = common.field(session, "date")
    return f"{_sid(session)} ({when})" if when else _sid(session)


def _lived(people: dict[str, Any], ids: Any) -> list[str]:
    return [i for i in (ids or ()) if common.field(people.get(i), "lived_experience", False)]


def _candidates(people: dict[str, Any], session: Any = None) -> list[str]:
    """People with lived experience who could be recorded at a session: those who attended
    it first, then everyone else with lived experience (never erased people)."""
    came = common.field(session, "attendance", ()) if session is not None else ()
    return common.pick(people, lived_only=True, prefer=came or ())


def _weeks(weeks: float) -> str:
    """A number of weeks as people write it: 12 weeks, 2.5 weeks, 1 week."""
    shown = f"{weeks:.1f}".removesuffix(".0")
    return f"{shown} week" + ("" if shown == "1" else "s")


def _attendee(people: dict[str, Any]) -> str | None:
    """A real participant to name in a `session add` hint (never erased people, never staff)."""
    return next(iter(common.pick(people)), None)


def _add_hint(people: dict[str, Any], date: str, format_: str = "in-person") -> str:
    """A `session add` command that records who came, so the session counts for people."""
    return common.session_add_hint(date, _attendee(people), format_)


def _unused_format(used: list[str]) -> str:
    return next((f for f in FORMATS if f not in used), "hybrid")


def _coauthored(sessions: list[Any], people: dict[str, Any]) -> tuple[list[str], str | None, str | None]:
    """(problems, hint, found) for "every agenda co-written with someone with lived experience"."""
    alone = [s for s in sessions if not _lived(people, common.field(s, "agenda_coauthors"))]
    if not alone:
        found = "every agenda co-authored with a partner with lived experience" if sessions else None
        return [], None, found
    ids = [_sid(s) for s in alone]
    problem = f"{common.listing(ids)} {common.verb(ids, 'has', 'have')} no agenda co-author with lived experience"
    who = _candidates(people, alone[0])
    if not who:
        return [problem + "; nobody with lived experience is recorded yet"], \
            ("once someone with lived experience joins, record them: "
            "coflow participant add PROJECT --lived-experience --category CATEGORY"), None
    return [problem], (f"write the next agenda with a partner with lived experience (such as {who[0]}); if one "
                       f"helped write the agenda of {ids[0]}, record who: "
                       f"coflow session update PROJECT {ids[0]} --add-agenda-by ID"), None


def _not_before_involvement(sessions: list[Any], people: dict[str, Any]) -> tuple[list[str], str | None, str | None]:
    """(problems, hint, found) for `decisions_after_involvement`, the rule as first shipped:
    no session recorded as making decisions is dated before the first session someone with
    lived experience attended (the same day is not before it; undated sessions are not judged).
    """
    involved = [s for s in sessions if _lived(people, common.field(s, "attendance"))]
    first_day = common.as_date(common.field(involved[0], "date")) if involved else None
    early = [s for s in sessions if common.field(s, "decisions", False)
             and (first_day is None or (common.as_date(common.field(s, "date")) or first_day) < first_day)]
    if not early:
        found = f"people with lived experience involved from {_labelled(involved[0])}, before any decision" \
            if involved else None
        return [], None, found
    since = (f"before {_labelled(involved[0])}, the first session people with lived experience attended"
             if involved else "but no session has been attended by anyone with lived experience")
    problem = f"decisions were made at {common.listing([_labelled(s) for s in early])}, {since}"
    who = _candidates(people, None)
    if not who:
        return [problem + "; nobody with lived experience is recorded yet"], \
            ("once someone with lived experience joins, record them: "
            "coflow participant add PROJECT --lived-experience --category CATEGORY"), None
    return [problem], (f"if someone with lived experience was at {_sid(early[0])} and is not recorded, record "
                       f"who really came: coflow session update PROJECT {_sid(early[0])} --add-attendee ID"), None


def _decisions(sessions: list[Any], people: dict[str, Any]) -> tuple[list[str], str | None, str | None]:
    """(problems, hint, found) for `decisions_with_lived_experience`: people with lived
    experience were there before, or at, every decision.

    A decision session is fine when someone with lived experience attended it, or a session
    held on an earlier day. With nobody with lived experience at any session, the check fails
    even if no decision is recorded: the involvement it asks for has not been shown.
    """
    if not sessions:
        return [], None, None
    involved = [s for s in sessions if _lived(people, common.field(s, "attendance"))]
    first_day = common.as_date(common.field(involved[0], "date")) if involved else None
    early = []
    for s in sessions:
        if not common.field(s, "decisions", False) or _lived(people, common.field(s, "attendance")):
            continue
        held_on = common.as_date(common.field(s, "date"))
        if first_day is None or held_on is None or held_on <= first_day:
            early.append(s)
    if early:
        made = f"decisions were made at {common.listing([_labelled(s) for s in early])}"
        problem = (f"{made} with nobody with lived experience there or at an earlier session "
                   f"(the first session they attended: {_labelled(involved[0])})" if involved
                   else f"{made}, but no session has been attended by anyone with lived experience")
        target = early[0]
    elif not involved:
        problem = ("no session held so far has been attended by anyone with lived experience, "
                   "so their involvement before decisions cannot be shown")
        target = sessions[0]
    else:
        decided = sum(1 for s in sessions if common.field(s, "decisions", False))
        made = (f"before any of the {common.plural(decided, 'decision session')}" if decided
                else "; no session is recorded as making decisions yet")
        return [], None, f"people with lived experience involved from {_labelled(involved[0])}{' ' if decided else ''}{made}"
    who = _candidates(people, None)
    if not who:
        return [problem + "; nobody with lived experience is recorded yet"], \
            ("once someone with lived experience joins, record them: "
            "coflow participant add PROJECT --lived-experience --category CATEGORY"), None
    return [problem], (f"if someone with lived experience was at {_sid(target)} and is not recorded, record "
                       f"who really came: coflow session update PROJECT {_sid(target)} --add-attendee ID"), None


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
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
        problems.append(f"{common.plural(len(sessions), 'session')} held; this workflow asks for at least "
                        f"{wanted}{later}")
        hints.append(_add_hint(people, today))

    weeks = params.get("min_span_weeks", 0)
    if weeks and sessions:
        first = common.as_date(common.field(sessions[0], "date"))
        last = common.as_date(common.field(sessions[-1], "date"))
        span = (last - first).days / 7 if first and last else 0
        spread = ("the sessions so far all fall on one day" if first and last and first == last
                  else f"the sessions so far spread over {_weeks(span)}")
        if span < weeks and first:
            ready = first + _dt.timedelta(weeks=weeks)
            when = ("the next one today or later" if ready <= common.today()
                    else f"the next one on or after {ready.isoformat()}")
            problems.append(f"{spread}; this workflow asks for them to spread over at least {_weeks(weeks)} ({when})")
            hints.append(_add_hint(people, today))
        elif span < weeks:
            problems.append(f"{spread}; this workflow asks for them to spread over at least {_weeks(weeks)}")
            hints.append(_add_hint(people, today))
        else:
            found.append(f"over {span:.1f} weeks")
    elif weeks:
        problems.append(f"no sessions held yet, so they cannot spread over {_weeks(weeks)}")
        hints.append(_add_hint(people, today))

    formats_needed = params.get("min_formats", 0)
    if formats_needed:
        formats = sorted({str(f) for f in (common.field(s, "format") for s in sessions) if f})
        shown = f" ({common.listing(formats)})" if formats else ""
        if len(formats) < formats_needed:
            problems.append(f"{common.plural(len(formats), 'format')} used{shown}; "
                            f"this workflow asks for at least {formats_needed} different formats")
            hints.append(_add_hint(people, today, _unused_format(formats)))
        else:
            found.append(f"in {common.plural(len(formats), 'format')}{shown}")

    # decisions_with_lived_experience is the stricter rule and includes the older one.
    strict = bool(params.get("decisions_with_lived_experience"))
    judges: list[Judge] = [judge for wanted_here, judge in (("coauthored", _coauthored),
                                               ("decisions_with_lived_experience", _decisions),
                                               ("decisions_after_involvement", _not_before_involvement))
              if params.get(wanted_here) and not (strict and judge is _not_before_involvement)]
    share = params.get("decision_share", 0)
    if share:
        judges.append(lambda s, p: decision_balance(s, p, share))
    needed = params.get("min_with_lived_experience", 0)
    if needed:
        judges.append(lambda s, p: with_lived_experience(s, p, needed))
    for judge in judges:
        more, hint, good = judge(sessions, people)
        problems += more
        if hint:
            hints.append(hint)
        if good:
            found.append(good)

    if problems:
        if not _attendee(people) and any(h.startswith("coflow session add") for h in hints[:1]):
            problems.append("record who attended with --attendee P-001 once participants are added")
        return CheckResult(False, "; ".join(problems), hint=hints[0] if hints else _add_hint(people, today))
    return CheckResult(True, ", ".join(found))
