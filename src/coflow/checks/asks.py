"""What each built-in check asks for in numbers, in plain words, for `coflow workflow show`.

The numbers a workflow sets (sessions, weeks, partners, routes, shares, days) are that
workflow's own choices, local starting points rather than rules from the guidance, so they
are shown as such: "this workflow asks for at least 4 sessions held".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any


def _n(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _count(value: Any, one: str, many: str) -> str:
    return f"{_n(value)} {one if value == 1 else many}"


def _share(value: Any) -> str:
    return f"{float(value):.0%}"


# (check type, setting) -> how the number reads
WORDS: dict[tuple[str, str], Callable[[Any, Mapping[str, Any]], str]] = {
    ("sessions", "min"): lambda v, p: f"at least {_count(v, 'session', 'sessions')} held",
    ("sessions", "min_span_weeks"): lambda v, p: f"sessions spread over at least {_n(v)} weeks",
    ("sessions", "min_formats"): lambda v, p: f"sessions in at least {_n(v)} formats",
    ("sessions", "decision_share"):
        lambda v, p: f"people with lived experience at least {_share(v)} of those present at each decision session",
    ("sessions", "min_with_lived_experience"):
        lambda v, p: f"at least {_count(v, 'session', 'sessions')} with someone with lived experience there",
    ("participants", "min"): lambda v, p: (f"at least {_count(v, 'person', 'people')}" + (" with lived experience" if p.get("lived_experience") else "")
                                           + (f" with the role {p['role']!r}" if p.get("role") else "")),
    ("participants", "min_routes"): lambda v, p: f"at least {_count(v, 'recruitment route', 'recruitment routes')}",
    ("participants", "min_groups"): lambda v, p: f"at least {_n(v)} groups or communities",
    ("attendance", "min"): lambda v, p: f"every partner at {_count(v, 'session', 'sessions')} or more",
    ("attendance", "lived_experience_share"):
        lambda v, p: f"people with lived experience at least {_share(v)} of those present at decisions",
    ("payments", "max_pending_days"): lambda v, p: f"payment within {_count(v, 'day', 'days')}" + (" of the session" if p.get("late_from_session") else ""),
    ("payments", "hourly_rate"): lambda v, p: f"at least {_n(v)} an hour",
    ("feedback", "min"): lambda v, p: f"at least {_count(v, 'item', 'items')} of \"you said, we did\"",
    ("evidence", "min"): lambda v, p: f"at least {_count(v, 'piece', 'pieces')} of evidence",
    ("elapsed", "min_days"): lambda v, p: f"at least {_count(v, 'day', 'days')}",
    ("elapsed", "max_days"): lambda v, p: f"at most {_count(v, 'day', 'days')}",
}
SKIP_ZERO = {("attendance", "min"), ("sessions", "min"), ("sessions", "min_formats"), ("participants", "min_routes"),
             ("participants", "min_groups")}


def asks(check_type: str, params: Mapping[str, Any]) -> list[str]:
    """The numbers a check of a built-in type asks for, in plain words ([] for none)."""
    found = []
    for (kind, key), words in WORDS.items():
        if kind != check_type or key not in params or isinstance(params[key], bool):
            continue
        if (kind, key) in SKIP_ZERO and not params[key]:
            continue
        found.append(words(params[key], params))
    if check_type == "fact" and params.get("op") in (">", ">=", "<", "<=") and "value" in params:
        from coflow.checks.fact import asks as fact_asks

        found.append(f"{params['key']}: " + fact_asks(params["op"], params["value"]).removeprefix("this workflow asks for "))
    return found
