"""Timeframe-aware periods: what "50 day" means on a weekly, monthly or intraday chart."""

from __future__ import annotations

import pytest

from shared.models.fields import Timeframe
from shared.planner.periods import equivalent_period


@pytest.mark.parametrize(
    ("period", "unit", "timeframe", "expected", "note_says"),
    [
        (50, "days", "1D", 50, None),
        (200, "days", "1D", 200, None),
        (50, "days", "1W", 10, "50-day drawn as 10-week on the 1W chart"),
        (200, "days", "1W", 40, "200-day drawn as 40-week"),
        (200, "days", "1M", 10, "200-day drawn as 10-month"),
        (9, "days", "1M", 1, "9-day drawn as 1-month"),
        (20, "weeks", "1D", 100, "20-week drawn as 100-day"),
        (10, "weeks", "1W", 10, None),
        (200, "weeks", "1D", 500, "1000 would be exact"),
        (50, "days", "1H", 50, "drew 50 bars of 1H, not 50 days"),
        (20, "weeks", "5m", 20, "drew 20 bars of 5m, not 20 weeks"),
        (50, "bars", "1W", 50, None),
        (14, "bars", "1m", 14, None),
    ],
)  # fmt: skip
def test_equivalent_period(period, unit, timeframe, expected, note_says):
    converted = equivalent_period(period, unit, Timeframe(timeframe))
    assert converted.period == expected
    if note_says is None:
        assert converted.note is None
    else:
        assert converted.note is not None and note_says in converted.note


def test_every_timeframe_gives_a_valid_period():
    for timeframe in Timeframe:
        for unit in ("bars", "days", "weeks"):
            for period in (1, 2, 50, 200, 500):
                assert 1 <= equivalent_period(period, unit, timeframe).period <= 500
