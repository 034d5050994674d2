"""The `fact` check type: a recorded fact exists, is a date, or compares with a value.

`op = "past_date"` is for facts that mean "done on a date" (payment information given,
feedback sent): only a real date, today or earlier, passes; `false`, `no`, 2026-02-30 or a
date still to come do not. `op = "date"` takes any real date (a retention date to come).
"""

from __future__ import annotations

import datetime as _dt

from coflow.checks import common
from coflow.checks.base import CheckResult, unknown_params
from coflow.lazy import lazy_pattern

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

OPS = ("exists", "==", "!=", ">", ">=", "<", "<=", "in", "date", "past_date")
_DATES = ("date", "past_date")
_VALUELESS = ("exists", *_DATES)
_ISO_DAY = lazy_pattern(r"^\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?$")
_ORDERED = (">", ">=", "<", "<=")
_WORDS = {"==": "is", "!=": "is not", ">": "is more than", ">=": "is at least",
          "<": "is less than", "<=": "is at most", "in": "is one of"}


def validate(params: dict[str, Any]) -> list[str]:
    problems = unknown_params(params, ("key", "op", "value"))
    key = params.get("key")
    if not isinstance(key, str) or not key.strip():
        problems.append("key: missing; expected the name of a fact, such as \"sponsor\"")
    op = params.get("op", "exists")
    if op not in OPS:
        problems.append(f"op: expected one of {', '.join(OPS)}, found {op!r}")
        return problems
    if op not in _VALUELESS and "value" not in params:
        problems.append(f"value: missing; op {op!r} compares the fact with a value")
    value = params.get("value")
    if op == "in" and "value" in params and not isinstance(value, list):
        problems.append("value: op \"in\" needs a list, such as [\"yes\", \"agreed\"]")
    if op in _ORDERED and "value" in params and not _orderable(value):
        problems.append(f"value: op {op!r} needs a number or a date to compare with, such as 500 or "
                        f"2026-03-04, found {value!r}; text has no order: to match text use "
                        "op = \"==\" or op = \"in\"")
    if op in _VALUELESS and "value" in params:
        problems.append(f"value: op \"{op}\" takes no value; use op = \"==\" to compare")
    return problems


def _day(value: Any) -> _dt.date | None:
    """A fact's value as a real calendar date ("2026-03-04", or a TOML date); None otherwise."""
    if isinstance(value, str):
        return common.as_date(value.strip()) if _ISO_DAY.match(value.strip()) else None
    return common.as_date(value) if isinstance(value, _dt.date) else None


def _date_hint(key: str, op: str) -> str:
    """Say what to record, leaving the real day to the person (DATE is refused as typed)."""
    what = "once it has been done, record the day it was done" if op == "past_date" else "record the date"
    return f"{what}: coflow record PROJECT {key} DATE"


def _date_check(key: str, op: str, actual: Any) -> CheckResult:
    hint = _date_hint(key, op)
    day = _day(actual)
    if day is None:
        return CheckResult(False, f"{key} is {_show(actual)}, which is not a date; "
                                  "record the date it was done, as year-month-day", hint=hint)
    if op == "past_date" and day > common.today():
        return CheckResult(False, f"{key} is {day.isoformat()}, which is after today: "
                                  "record it once it has been done", hint=hint)
    return CheckResult(True, f"{key} is recorded: {day.isoformat()}")


def _orderable(value: Any) -> bool:
    """Ordered ops compare numbers or dates (a TOML date, or text holding an ISO date)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, _dt.date)):
        return True
    if isinstance(value, str):
        try:
            _dt.date.fromisoformat(value.strip())
        except ValueError:
            return False
        return True
    return False


def _show(value: Any, quote: bool = True) -> str:
    """A value as a person writes it: yes/no, 2026-03-04, 1500 or 12.5, text in quotes."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return " or ".join(_show(v, quote) for v in value)
    if isinstance(value, str) and (not quote or _day(value) is not None):
        return value
    return f'"{value}"'


PLACEHOLDER = "VALUE"  # in hints: the value is the person's to give; `coflow record` refuses it as typed


_ASKS = {"==": "", "!=": "anything but ", ">": "more than ", ">=": "at least ", "<": "less than ",
         "<=": "at most ", "in": "one of "}


def asks(op: str, value: Any) -> str:
    """What the workflow asks for, said as its own choice: "this workflow asks for at least 4"."""
    return f"this workflow asks for {_ASKS.get(op, '')}{_show(value)}"


def _comparable(a: Any, b: Any) -> bool:
    numbers = (int, float)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    if isinstance(a, numbers) and isinstance(b, numbers):
        return True
    return isinstance(a, str) and isinstance(b, str)


_YES_NO = {"yes": True, "true": True, "no": False, "false": False}


def _as_yes_no(value: Any) -> Any:
    """The text yes/no/true/false (any case) as yes or no; a list item by item; else as is."""
    if isinstance(value, (list, tuple)):
        return [_as_yes_no(v) for v in value]
    if isinstance(value, str) and value.strip().lower() in _YES_NO:
        return _YES_NO[value.strip().lower()]
    return value


def check(project: ProjectView, params: dict[str, Any]) -> CheckResult:
    key = params["key"]
    op = params.get("op", "exists")
    facts = project.facts
    if key not in facts or facts[key] in ("", None):
        if op in _DATES:
            hint = _date_hint(key, op)
        else:
            wanted = f" ({asks(op, params.get('value'))})" if op != "exists" else ""
            hint = f"once it is so, record what is true{wanted}: coflow record PROJECT {key} {PLACEHOLDER}"
        wanted = f"; {asks(op, params.get('value'))}" if op not in _VALUELESS else ""
        return CheckResult(False, f"no {key!r} recorded yet{wanted}", hint=hint)
    actual = facts[key]
    if op in _DATES:
        return _date_check(key, op, actual)
    if op == "exists":
        return CheckResult(True, f"{key} is recorded: {_show(actual, quote=False)}")
    expected = params["value"]
    if isinstance(expected, (_dt.date, _dt.datetime)):
        expected = expected.isoformat()
    if isinstance(actual, bool):
        # `coflow record` reads yes/no/true/false as yes or no; a workflow written to
        # compare with the text "yes" still means yes
        expected = _as_yes_no(expected)
    if op == "in":
        ok = actual in expected
    elif op in ("==", "!="):
        ok = (actual == expected) == (op == "==")
    else:
        if not _comparable(actual, expected):
            return CheckResult(False, f"{key} is {_show(actual)}, which cannot be compared with {_show(expected)}; "
                                      f"{asks(op, expected)}",
                               hint=f"record what is true, as a number or date: coflow record PROJECT {key} {PLACEHOLDER}")
        ok = {">": actual > expected, ">=": actual >= expected,
              "<": actual < expected, "<=": actual <= expected}[op]
    expectation = f"{key} {_WORDS[op]} {_show(expected)}"
    if not ok and isinstance(expected, bool) and str(actual).strip().lower() in ("yes", "no", "true", "false"):
        return CheckResult(False, f"{key} is recorded as the text {_show(actual)}, not as yes or no (it was "
                                  "recorded before coflow read these words as yes or no); record it again",
                           hint=f"record it again as yes or no, whichever is true: coflow record PROJECT {key} {PLACEHOLDER}")
    if ok:
        return CheckResult(True, f"{expectation} (recorded: {_show(actual)})")
    return CheckResult(False, f"{key} is {_show(actual)}; {asks(op, expected)}",
                       hint=f"once it is so, record what is true: coflow record PROJECT {key} {PLACEHOLDER}")
