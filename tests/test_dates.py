"""coflow.dates: the one way dates and timestamps are read and written."""

from __future__ import annotations

import datetime as dt

import pytest

from coflow import dates
from coflow.events import utc_now


def test_the_logs_timestamps_match_the_one_timestamp_form():
    stamp = utc_now()
    assert dates.TIMESTAMP_RE.match(stamp) and dates.TIMESTAMP_RE.match(dates.TIMESTAMP_EXAMPLE)
    assert dates.format_timestamp(dates.parse_timestamp(stamp)) == stamp


def test_the_logs_timestamps_are_now_in_utc_to_the_microsecond_each_time_they_are_asked_for():
    import time

    for _ in range(2):
        before = dt.datetime.now(dt.timezone.utc)
        stamp = utc_now()
        after = dt.datetime.now(dt.timezone.utc)
        assert before <= dates.parse_timestamp(stamp) <= after, (before, stamp, after)
        time.sleep(1.01)  # the next call is in another second: its date and time are made again


def test_a_day_must_be_written_year_month_day():
    assert dates.parse_day("2026-03-04") == dt.date(2026, 3, 4)
    for bad in ("20260304", "2026-3-4", "04/03/2026", "2026-02-30", "2026-03-04T10:00:00"):
        with pytest.raises(ValueError):
            dates.parse_day(bad)


def test_record_dates_are_read_leniently_and_unreadable_ones_are_none():
    assert dates.parse_date("2026-03-04") == dt.date(2026, 3, 4)
    assert dates.parse_date("2026-03-04T23:59:59.000001Z") == dt.date(2026, 3, 4)
    assert dates.parse_date(dt.datetime(2026, 3, 4, 12)) == dt.date(2026, 3, 4)
    assert [dates.parse_date(v) for v in (None, "", "soon", "2026-13-01", 20260304)] == [None] * 5


def test_timestamps_and_dates_become_aware_utc_datetimes():
    assert dates.parse_timestamp("2026-03-04") == dt.datetime(2026, 3, 4, tzinfo=dt.timezone.utc)
    assert dates.parse_timestamp("2026-03-04T10:00:00+01:00") == dt.datetime(2026, 3, 4, 9, tzinfo=dt.timezone.utc)
    assert dates.parse_timestamp(dt.datetime(2026, 3, 4, 10)).tzinfo is not None
    assert [dates.parse_timestamp(v) for v in (None, " ", "last week", 5)] == [None] * 4


def test_days_ago_counts_back_from_today_in_utc():
    assert dates.days_ago(0) == dates.today_utc().isoformat()
    assert dt.date.fromisoformat(dates.days_ago(14)) == dates.today_utc() - dt.timedelta(days=14)
