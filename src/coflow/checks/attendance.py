"""The `attendance` check type: partners came, and were not outnumbered when decisions were made.

Two tests in one type, each switched off by 0: `min` (every partner attended at least
this many sessions, and every session has its attendance recorded) and
`lived_experience_share` (at decision sessions, the share of people present who have
lived experience; it fails while no session is recorded as making decisions, because
the balance when deciding cannot be shown yet). Partners are people taking part who are
not staff.
"""

from __future__ import annotations

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

PARAMS = ("min", "lived_experience_share")


def validate(params: dict[str, Any]) -> list[str]:
    problems = [*unknown_params(params, PARAMS), *common.whole(params, "min", 0),
                *common.number(params, "lived_experience_share", 0, 1)]
    if not problems and params.get("min", 1) == 0 and not params.get("lived_experience_share", 0):
        problems.append("min: with min = 0 and no lived_experience_share this check tests nothing; "
                        "set min to 1 or more, or lived_experience_share above 0")
    return problems


def _per_partner(project: ProjectView, sessions: list[Any], wanted: int) -> tuple[list[str], str]:
    partners = [p for p in project.participants if not common.is_staff(p)]
    if not partners:
        return ["no partners are recorded on this project yet"], \
            "when partners join, record each of them: coflow participant add PROJECT --lived-experience --category CATEGORY"
    if not sessions:
        first = (common.pick(common.by_id(partners)) or ["P-001"])[0]
        return ["no sessions held yet, so nobody has attended one"], \
            common.session_add_hint("DATE", first)
    problems = []
    empty = [str(common.field(s, "id", "?")) for s in sessions if not common.field(s, "attendance")]
    if empty:
        problems.append(f"{common.listing(empty)} {common.verb(empty, 'has', 'have')} no attendance recorded")
    counts: dict[str, int] = {}
    for s in sessions:
        for pid in set(common.field(s, "attendance", ()) or ()):
            counts[pid] = counts.get(pid, 0) + 1
    # people who withdrew are not expected at sessions any more; what they attended still shows
    short = [p for p in partners if not common.gone(p) and counts.get(common.field(p, "id"), 0) < wanted]
    if short:
        if wanted == 1:
            ids = [common.field(p, "id", "?") for p in short]
            problems.append(f"{common.listing(ids)} {common.verb(ids, 'has', 'have')} not attended any session yet")
        else:
            ids = [f"{common.field(p, 'id', '?')}: {counts.get(common.field(p, 'id'), 0)}" for p in short]
            problems.append(f"partners who attended fewer sessions than this workflow asks for ({wanted}): "
                            f"{common.listing(ids)}")
    latest = str(common.field(sessions[-1], "id", "S-001"))
    who = str(common.field((short or partners)[0], "id", "P-001"))
    return problems, (f"invite {who} to the next session (if they have stopped taking part, record that with "
                      f"--withdrawn on their participant record); record who really came to each session: "
                      f"coflow session attend PROJECT {empty[0] if empty else latest} ID")


def _balance(project: ProjectView, sessions: list[Any], share: float) -> tuple[list[str], int, str]:
    """Problems at decision sessions, how many were judged, and the first session at fault."""
    people = common.by_id(project.participants)
    problems, judged, first = [], 0, ""
    for s in sessions:
        if not common.field(s, "decisions", False):
            continue
        sid = str(common.field(s, "id", "?"))
        present = list(dict.fromkeys(common.field(s, "attendance", ()) or ()))
        if not present:
            problems.append(f"{sid} made decisions but has no attendance recorded, so the balance cannot be checked")
            first = first or sid
            continue
        judged += 1
        lived = sum(1 for pid in present if common.field(people.get(pid), "lived_experience", False))
        if lived / len(present) < share:
            problems.append(f"at {sid} ({common.field(s, 'date', 'no date')}) {lived} of "
                            f"{common.plural(len(present), 'person', 'people')} present had lived experience "
                            f"({lived / len(present):.0%}); this workflow asks for at least {share:.0%}")
            first = first or sid
    return problems, judged, first


def _balance_hint(project: ProjectView, session_id: str) -> str:
    """Someone with lived experience not recorded at the session, if they were there."""
    session = next((s for s in project.sessions if common.field(s, "id") == session_id), None)
    present = common.field(session, "attendance", ()) if session is not None else ()
    absent = common.pick(common.by_id(project.participants), lived_only=True, leave_out=present or ())
    if absent:
        return (f"hold decisions where people with lived experience (such as {absent[0]}) can be there; if one "
                f"was at {session_id} and is not recorded, record who really came: "
                f"coflow session update PROJECT {session_id} --add-attendee ID")
    return ("when someone with lived experience joins, record them: "
            "coflow participant add PROJECT --lived-experience --category CATEGORY")


def _no_decisions_hint(project: ProjectView, sessions: list[Any]) -> str:
    """Mark the latest session held as making decisions, or add one with someone there."""
    if sessions:
        sid = common.field(sessions[-1], "id", "S-001")
        return f"if decisions were made at {sid}, record that: coflow session update PROJECT {sid} --decisions"
    people = common.by_id(project.participants)
    who = next(iter(common.pick(people, lived_only=True) or common.pick(people)), None)
    if who is None:
        return ("when someone with lived experience joins, record them: "
                "coflow participant add PROJECT --lived-experience --category CATEGORY")
    return common.session_add_hint("DATE", who, extra="--decisions")


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    sessions = common.held(project.sessions)
    wanted = params.get("min", 1)
    share = params.get("lived_experience_share", 0)
    problems, hints, found = [], [], []
    if wanted:
        partner_problems, hint = _per_partner(project, sessions, wanted)
        problems += partner_problems
        if partner_problems:
            hints.append(hint)
        else:
            found.append(f"every partner attended at least {common.plural(wanted, 'session')}")
    if share:
        balance_problems, judged, first = _balance(project, sessions, share)
        problems += balance_problems
        if balance_problems:
            # Partners who were there but not recorded can be added; otherwise the balance stands.
            hints.append(_balance_hint(project, first))
        elif judged:
            every = "the one decision session" if judged == 1 else f"all {judged} decision sessions"
            found.append(f"people with lived experience were at least {share:.0%} of those present at {every}")
        else:
            problems.append("no decision sessions recorded yet, so the share of people with lived experience "
                            "when decisions were made cannot be shown (a session that made decisions is "
                            "recorded with --decisions)")
            hints.append(_no_decisions_hint(project, sessions))
    if problems:
        return CheckResult(False, "; ".join(problems), hint=hints[0])
    return CheckResult(True, "; ".join(found))
