"""Who was in the room: the `sessions` settings `decision_share` and
`min_with_lived_experience`, judged from attendance, never from a typed fact.

`decision_share`: at every session recorded as making decisions, people with lived
experience were present and made up at least this share of those present; a decision
session with none fails, named. `min_with_lived_experience`: at least this many sessions
were held with someone with lived experience there (a partner took part in planning
before the planning gate closes, for example agreeing the decision space together).
"""

from __future__ import annotations

from coflow.checks import common

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

ADD_PARTNER = "coflow participant add PROJECT --lived-experience --category CATEGORY"


def _lived(people: dict[str, Any], ids: Any) -> list[str]:
    return [i for i in (ids or ()) if common.field(people.get(i), "lived_experience", False)]


def _labelled(session: Any) -> str:
    return f"{common.field(session, 'id', '?')} ({common.field(session, 'date', 'no date')})"


def decision_balance(sessions: list[Any], people: dict[str, Any],
                     share: float) -> tuple[list[str], str | None, str | None]:
    """(problems, hint, found) for decision sessions, each named when it falls short."""
    decided = [s for s in sessions if common.field(s, "decisions", False)]
    if not decided:
        return [], None, "no session recorded as making decisions yet"
    problems, first = [], None
    for s in decided:
        present = list(dict.fromkeys(common.field(s, "attendance", ()) or ()))
        lived = _lived(people, present)
        if not present:
            problems.append(f"{_labelled(s)} made decisions but has no attendance recorded")
        elif not lived:
            problems.append(f"{_labelled(s)} made decisions with nobody with lived experience present")
        elif len(lived) / len(present) < share:
            problems.append(f"at {_labelled(s)} {len(lived)} of {common.plural(len(present), 'person', 'people')} "
                            f"present had lived experience ({len(lived) / len(present):.0%}); this workflow asks "
                            f"for at least {share:.0%} when decisions are made")
        else:
            continue
        first = first or s
    if not problems:
        return [], None, (f"people with lived experience were at least {share:.0%} of those present at "
                          f"{common.plural(len(decided), 'decision session')}")
    problems[-1] += ("; a decision taken without them is not made good by a later record: if people with "
                     "lived experience were there but not recorded, correct the attendance with who really came; "
                     "otherwise take the decision again with them, and move on only by an override with the "
                     "reason recorded")
    return problems, f"coflow session update PROJECT {common.field(first, 'id', '?')} --add-attendee ID", None


def with_lived_experience(sessions: list[Any], people: dict[str, Any],
                          needed: int) -> tuple[list[str], str | None, str | None]:
    """(problems, hint, found) for "at least `needed` sessions with someone with lived experience there"."""
    shared = [s for s in sessions if _lived(people, common.field(s, "attendance", ()))]
    if len(shared) >= needed:
        return [], None, (f"{common.plural(len(shared), 'session')} with people with lived experience there "
                          f"(first {_labelled(shared[0])})")
    have = (f"{common.plural(len(shared), 'session')} held so far" if shared else "no session held so far")
    problem = (f"{have} had someone with lived experience there; this workflow asks for at least {needed}, "
               "so that partners take part from the start (for example in agreeing the decision space): "
               "hold it with them, then record it with who came")
    if not common.pick(people, lived_only=True):
        return [problem + "; nobody with lived experience is recorded yet"], ADD_PARTNER, None
    return [problem], ("coflow session add PROJECT --date DATE --format in-person --hours HOURS "
                       "--attendee ID --kind planning"), None
