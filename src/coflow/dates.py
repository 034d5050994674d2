"""Dates and times, one way everywhere: UTC, ISO dates ("2026-03-04") for records and ISO
timestamps with microseconds and a Z ("2026-03-04T10:00:00.000000Z") for events.

Checks, records, reports, reminders and anchors all read and write dates through here, so
"today", "overdue" and "how long" mean the same wherever they are asked.
"""

from __future__ import annotations

import datetime as _dt

from coflow.lazy import lazy_pattern

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

UTC = _dt.timezone.utc
# The one timestamp form in the log (coflow.events.utc_now writes it).
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
TIMESTAMP_RE = lazy_pattern(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
TIMESTAMP_EXAMPLE = "2026-03-04T10:00:00.000000Z"
DATE_RE = lazy_pattern(r"^\d{4}-\d{2}-\d{2}$")


def now_utc() -> _dt.datetime:
    return _dt.datetime.now(UTC)


def today_utc() -> _dt.date:
    """Today in UTC: the one clock checks, records and reminders use."""
    return now_utc().date()


def days_ago(days: int) -> str:
    """The ISO date `days` days before today."""
    return (today_utc() - _dt.timedelta(days=days)).isoformat()


def as_utc(when: _dt.datetime | None) -> _dt.datetime:
    """An aware UTC datetime (now when None; a naive one is taken to be UTC)."""
    if when is None:
        return now_utc()
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def format_timestamp(when: _dt.datetime) -> str:
    """A datetime in the log's timestamp form."""
    return when.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def parse_day(text: str) -> _dt.date:
    """Exactly year-month-day ("2026-03-04"); ValueError for anything else."""
    if not DATE_RE.match(text):
        raise ValueError(f"{text!r} is not a year-month-day date")
    return _dt.date.fromisoformat(text)


def parse_date(value: Any) -> _dt.date | None:
    """A record's date ("2026-03-04", an ISO timestamp, a date or datetime) as a date; None
    when absent or unreadable, so an odd old record never stops a check or a reminder."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return _dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_timestamp(value: Any) -> _dt.datetime | None:
    """An event timestamp or a record date as an aware UTC datetime; None if unusable."""
    if isinstance(value, _dt.datetime):
        return as_utc(value)
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = _dt.date.fromisoformat(text)
            return _dt.datetime(day.year, day.month, day.day, tzinfo=UTC)
        parsed = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return as_utc(parsed)
