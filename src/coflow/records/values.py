"""Turning what people type, or what a spreadsheet cell holds, into checked record values.

Every parser takes the raw value (text from the command line or a CSV cell, or an already
typed value from Python) and the field's name, and raises FieldProblem naming the field,
what was wrong and what would do. The command line and the importer share these, so a
value means the same wherever it comes from.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from coflow.dates import parse_day
from coflow.dates import today_utc as today
from coflow.errors import UsageError
from coflow.lazy import lazy_pattern

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from decimal import Decimal
    from typing import Any

RECORD_ID_RE = lazy_pattern(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
NAME_RE = lazy_pattern(r"^[a-z0-9][a-z0-9-]{0,59}$")
TRUE_WORDS = ("yes", "y", "true", "t", "1")
FALSE_WORDS = ("no", "n", "false", "f", "0")


class FieldProblem(UsageError):
    """One field of one record is wrong; `about()` or the importer adds which record."""

    def __init__(self, field: str, problem: str, hint: str | None = None):
        super().__init__(f"{field}: {problem}", hint=hint)
        self.field = field
        self.problem = problem


@contextmanager
def about(record: str) -> Iterator[None]:
    """Name the record in any field problem raised inside: "new payment: amount: ..."."""
    try:
        yield
    except FieldProblem as exc:
        raise UsageError(f"{record}: {exc.field}: {exc.problem}", hint=exc.hint) from None


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def refuse_placeholder(value: Any, field: str) -> None:
    """A hint's stand-in ("DATE", "AMOUNT", "...") typed as it stands: the real value is
    wanted, so following a hint literally never records something that did not happen."""
    from coflow.names import PLACEHOLDERS

    if isinstance(value, str) and value.strip() in PLACEHOLDERS:
        raise FieldProblem(field, f"{value.strip()!r} stands for the real {field.replace('_', ' ')} in a hint",
                           hint="give what is true instead (see the command's --help for the form it takes)")


def text(value: Any, field: str, *, required: bool = False, max_len: int = 200) -> str | None:
    refuse_placeholder(value, field)
    if blank(value):
        if required:
            raise FieldProblem(field, "is missing", hint=f"give the {field.replace('_', ' ')}")
        return None
    result = " ".join(str(value).split())
    if len(result) > max_len:
        raise FieldProblem(field, f"is {len(result)} characters long; at most {max_len} fit here",
                           hint="shorten it; keep longer documents as evidence")
    return result


def name(value: Any, field: str, *, required: bool = False, example: str = "ground-rules") -> str | None:
    """A short lowercase name such as an evidence kind or a role: what checks match on."""
    if blank(value):
        if required:
            raise FieldProblem(field, "is missing", hint=f"give one, such as {example}")
        return None
    result = str(value).strip()
    if not NAME_RE.match(result):
        suggestion = re.sub(r"[^a-z0-9]+", "-", result.lower()).strip("-")
        raise FieldProblem(field, f"{result!r} is not a usable name",
                           hint=f"use lowercase letters, digits and '-', such as {suggestion or example}")
    return result


def record_id(value: Any, field: str) -> str:
    refuse_placeholder(value, field)
    result = str(value).strip() if not blank(value) else ""
    if not RECORD_ID_RE.match(result):
        raise FieldProblem(field, f"{result!r} is not a usable id",
                           hint="use letters, digits, '.', '-' or '_', such as P-001")
    return result


def choice(value: Any, field: str, choices: Sequence[str], *, default: str | None = None) -> str | None:
    if blank(value):
        if default is None:
            raise FieldProblem(field, "is missing", hint=f"give one of: {', '.join(choices)}")
        return default
    result = str(value).strip().lower()
    if result not in choices:
        raise FieldProblem(field, f"{str(value).strip()!r} is not one of the known values",
                           hint=f"use one of: {', '.join(choices)}")
    return result


def flag(value: Any, field: str, *, default: bool | None = None) -> bool | None:
    """yes/no, true/false, y/n, 1/0 (a blank cell is the default)."""
    if isinstance(value, bool):
        return value
    if blank(value):
        return default
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldProblem(field, f"{str(value).strip()!r} is not yes or no", hint="write yes or no")


def day(value: Any, field: str, *, required: bool = False, past_only: bool = True,
        default_today: bool = False) -> str | None:
    """An ISO date (or "today"); `past_only` refuses dates after today (things already done)."""
    refuse_placeholder(value, field)
    if blank(value):
        if default_today:
            return today().isoformat()
        if required:
            raise FieldProblem(field, "is missing", hint="give a date as year-month-day, such as 2026-03-04")
        return None
    if isinstance(value, _dt.datetime):
        parsed = value.date()
    elif isinstance(value, _dt.date):
        parsed = value
    else:
        raw = str(value).strip()
        if raw.lower() == "today":
            parsed = today()
        else:
            try:
                parsed = parse_day(raw)
            except ValueError:
                raise FieldProblem(field, f"{raw!r} is not a date",
                                   hint="write dates as year-month-day, such as 2026-03-04 "
                                        "(in a spreadsheet, format the column as yyyy-mm-dd)") from None
    if past_only and parsed > today():
        raise FieldProblem(field, f"{parsed.isoformat()} is in the future",
                           hint="this records something already done: give the day it really happened")
    return parsed.isoformat()


def _decimal(value: Any, field: str, what: str) -> Decimal:
    # decimal is loaded only when a number is given: it costs every command 1 ms
    from decimal import Decimal, InvalidOperation

    raw = str(value).strip().replace(",", "")
    if raw.startswith("£"):
        raw = raw[1:].strip()
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise FieldProblem(field, f"{str(value).strip()!r} is not {what}", hint="write a number, such as 25 or 12.50") from None
    if not number.is_finite():
        raise FieldProblem(field, f"{str(value).strip()!r} is not {what}", hint="write a number, such as 25 or 12.50")
    return number


# Larger amounts are typing slips; they also could not be held exactly, or at all, as numbers.
MONEY_LIMIT = 10**12


def _plain(number: Decimal) -> int | float:
    return int(number) if number == number.to_integral_value() else float(number)


def money(value: Any, field: str, *, required: bool = False, default: int | float | None = None) -> int | float | None:
    """An amount in pounds: 0 or more, at most two decimal places ("£25" and "12.50" do)."""
    refuse_placeholder(value, field)
    if blank(value):
        if required:
            raise FieldProblem(field, "is missing", hint="give the amount in pounds, such as 25 (0 if nothing)")
        return default
    number = _decimal(value, field, "an amount of money")
    if number < 0:
        raise FieldProblem(field, f"{number} is below zero", hint="amounts are 0 or more")
    if number >= MONEY_LIMIT:
        raise FieldProblem(field, f"{str(value).strip()!r} is too large to be an amount of money here",
                           hint="give the amount in pounds, such as 25 or 12.50")
    if number != number.quantize(type(number)("0.01")):
        raise FieldProblem(field, f"{number} has more than two decimal places", hint="round it to pence, such as 12.50")
    return _plain(number)


def hours(value: Any, field: str, *, required: bool = False) -> int | float | None:
    refuse_placeholder(value, field)
    if blank(value):
        if required:
            raise FieldProblem(field, "is missing", hint="give how long it lasted in hours, such as 2 or 1.5")
        return None
    number = _decimal(value, field, "a number of hours")
    if number <= 0 or number > 24:
        raise FieldProblem(field, f"{number} hours is not possible for one session",
                           hint="give a number of hours above 0 and up to 24, such as 2 or 1.5")
    return _plain(number)


def score(value: Any, field: str) -> int:
    if isinstance(value, bool) or blank(value):
        raise FieldProblem(field, "is missing", hint="score it 0, 1 or 2")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise FieldProblem(field, f"{str(value).strip()!r} is not a score", hint="score it 0, 1 or 2") from None
    if number not in (0, 1, 2):
        raise FieldProblem(field, f"{number} is not a score", hint="score it 0, 1 or 2")
    return number


def listing(value: Any, separators: str = ";,") -> list[str]:
    """A list from repeated options, or a spreadsheet cell separated by ';' (or ',')."""
    if blank(value):
        return []
    parts = re.split(f"[{re.escape(separators)}]", value) if isinstance(value, str) else [str(v) for v in value]
    result: list[str] = []
    for part in parts:
        part = " ".join(part.split())
        if part and part not in result:
            result.append(part)
    return result


def known_ids(values: Any, field: str, records: dict[str, Any], what: str, hint: str) -> list[str]:
    """Ids that must name existing records (participants in a session, a paid session)."""
    ids = listing(values)
    for value in ids:
        refuse_placeholder(value, field)
    unknown = [i for i in ids if i not in records]
    if unknown:
        many = len(unknown) > 1
        raise FieldProblem(field, f"{', '.join(unknown)} {'are not' if many else 'is not a'} "
                                  f"{what}{'s' if many else ''} of this project", hint=hint)
    return ids
