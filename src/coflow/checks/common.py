"""What the built-in check types share: today's date, reading records, plain-word lists,
and parameter validators that say "key: what is wrong".

Checks never show personal data: they only see pseudonymous ids (P-003) and coarse
categories, and name people by id. Erased participants still count for what already
happened (attendance, payments made), and are never named in a hint as someone to
involve, because nobody can follow them up. (One exception, in `payments`: an erased
attendee of a paid session still needs a payment or "declined" record, because what they
were owed does not disappear with their details.)
"""

from __future__ import annotations

from collections.abc import Iterable

# Every time comparison in a check uses this one clock (tests set common.today to fix it).
from coflow.dates import parse_date as as_date  # noqa: F401 - the checks use common.as_date
from coflow.dates import today_utc as today

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

STAFF_ROLE = "staff"
LEVELS = ("inform", "consult", "engage", "co-design", "co-production")
SHOW_AT_MOST = 8


def field(record: Any, key: str, default: Any = None) -> Any:
    """A record's field, tolerant of records written before the field existed."""
    try:
        value = record[key]
    except (KeyError, TypeError):
        return default
    return default if value is None else value


def erased(record: Any) -> bool:
    return bool(field(record, "erased", False))


def withdrawn(person: Any) -> Any:
    """The date a person withdrew (`participant update --withdrawn`), or None. From that
    date they are not expected at sessions; what they did before still counts."""
    return as_date(field(person, "withdrawn"))


def gone(person: Any) -> bool:
    """Erased or withdrawn: not someone a check expects more of, or a hint names."""
    return erased(person) or withdrawn(person) is not None


def attended(person_id: Any, sessions: Iterable[Any], paid_only: bool = False) -> list[Any]:
    """The sessions of `sessions` (held, oldest first) this person is recorded at."""
    return [s for s in sessions if person_id in (field(s, "attendance", ()) or ())
            and (not paid_only or field(s, "paid", False))]


def is_staff(person: Any) -> bool:
    return field(person, "role") == STAFF_ROLE


def by_id(records: Iterable[Any]) -> dict[str, Any]:
    return {field(r, "id"): r for r in records}


def held(sessions: Iterable[Any]) -> list[Any]:
    """Sessions that have taken place (dated today or earlier), oldest first."""
    now = today()
    done = [s for s in sessions if (as_date(field(s, "date")) or now) <= now]
    return sorted(done, key=lambda s: (as_date(field(s, "date")) or now, str(field(s, "id", ""))))


def pick(people: dict[str, Any], *, lived_only: bool = False, prefer: Iterable[str] = (),
         leave_out: Iterable[str] = ()) -> list[str]:
    """People to name in a hint, best first. Never erased or withdrawn people (nobody can
    follow them up). With `lived_only`, only people with lived experience (any role); otherwise
    partners (not staff), those with lived experience first. People in `prefer` come before
    the rest; people in `leave_out` not at all."""
    first, skip = set(prefer), set(leave_out)
    lived = {pid for pid, p in people.items() if field(p, "lived_experience", False)}
    chosen = [pid for pid, p in people.items() if not gone(p) and pid not in skip
              and (pid in lived if lived_only else not is_staff(p))]
    return sorted(chosen, key=lambda pid: (pid not in first, pid not in lived))


def session_add_hint(date: str = "DATE", who: str | None = None, format_: str = "in-person",
                     extra: str = "") -> str:
    """What to do, then the `session add` command that records it. The day, the hours and who
    came are left to the person (DATE, HOURS and ID are refused as typed): a hint never
    records a session on today's date, or someone who was not there. `date` is kept for
    callers and not shown; `who` is named only as someone who could come."""
    could = f" (such as {who}, if they take part)" if who else ""
    how = {"in-person": "", "virtual": " online", "hybrid": " in person and online", "phone": " by phone"}
    came = " and who came" if who else ""
    return (f"hold a session{how.get(format_, ' as ' + format_)} with the people it is for{could}, then record "
            f"it with the real date{', hours' if who else ' and hours'}{came}: coflow session add PROJECT --date DATE "
            f"--format {format_} --hours HOURS" + (" --attendee ID" if who else "") + (f" {extra}" if extra else ""))


def listing(items: Iterable[str], limit: int = SHOW_AT_MOST) -> str:
    """["P-003", "P-007", "P-009"] -> "P-003, P-007 and P-009"; long lists end "and 4 more"."""
    items = list(items)
    if len(items) > limit:
        shown, rest = items[:limit], len(items) - limit
        return f"{', '.join(shown)} and {rest} more"
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def verb(items: list, singular: str, plural: str) -> str:
    """The verb that agrees with a listing: "P-003 has" / "P-003 and P-007 have"."""
    return singular if len(items) == 1 else plural


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


# -- parameter validation ---------------------------------------------------------------

def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def whole(params: dict, key: str, minimum: int = 0) -> list[str]:
    if key not in params:
        return []
    value = params[key]
    if not _is_whole(value) or value < minimum:
        return [f"{key}: expected a whole number of {minimum} or more, found {value!r}"]
    return []


def number(params: dict, key: str, minimum: float = 0, maximum: float | None = None) -> list[str]:
    if key not in params:
        return []
    value = params[key]
    upper = "" if maximum is None else f" and at most {maximum:g}"
    if not _is_number(value) or value < minimum or (maximum is not None and value > maximum):
        return [f"{key}: expected a number of at least {minimum:g}{upper}, found {value!r}"]
    return []


def flag(params: dict, key: str) -> list[str]:
    if key in params and not isinstance(params[key], bool):
        return [f"{key}: expected true or false, found {params[key]!r}"]
    return []


def text(params: dict, key: str, required: bool = False, example: str = "") -> list[str]:
    if key not in params:
        return [f"{key}: missing; expected text such as {example}"] if required else []
    value = params[key]
    if not isinstance(value, str) or not value.strip():
        return [f"{key}: expected text such as {example}, found {value!r}"]
    return []


def choice(params: dict, key: str, options: tuple[str, ...], required: bool = False) -> list[str]:
    quoted = [f'"{o}"' for o in options]
    wanted = " or ".join(quoted) if len(quoted) <= 2 else f"one of {', '.join(quoted)}"
    if key not in params:
        return [f"{key}: missing; expected {wanted}"] if required else []
    if params[key] not in options:
        return [f"{key}: expected {wanted}, found {params[key]!r}"]
    return []
