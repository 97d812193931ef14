"""Which chart timeframe a query names, and the numbers that are not timeframes."""

from __future__ import annotations

import pytest

from shared.models.fields import Timeframe
from shared.planner.rules import parse_query
from shared.planner.timeframes import find_timeframe

TIMEFRAMES: list[tuple[str, str | None]] = [
    # count and unit, every common spelling
    ("4 hour", "4H"), ("4h", "4H"), ("4H", "4H"), ("4hr", "4H"), ("4 hrs", "4H"),
    ("4-hour chart", "4H"), ("four hour chart", "4H"), ("1 hour please", "1H"), ("1h", "1H"),
    ("60m bars", "1H"), ("60 min", "1H"), ("switch to 240 minute", "4H"),
    ("15 minute", "15m"), ("15 min", "15m"), ("15-minute", "15m"), ("15m", "15m"),
    ("15M", "15m"), ("fifteen minute chart", "15m"), ("5m", "5m"), ("5 mins", "5m"),
    ("30 min candles", "30m"), ("thirty minute", "30m"), ("1 minute", "1m"), ("1min", "1m"),
    ("1D", "1D"), ("1d", "1D"), ("1 day chart", "1D"), ("1W", "1W"), ("1 week chart", "1W"),
    ("1 month", "1M"), ("1mo", "1M"), ("1 mth", "1M"),
    # SPEC 3: case matters only for 1m against 1M
    ("tsla 1m", "1m"), ("tsla 1M", "1M"), ("AAPL 1min", "1m"), ("Apple 1 Month chart", "1M"),
    # words
    ("hourly", "1H"), ("daily", "1D"), ("the daily", "1D"), ("weekly", "1W"),
    ("weekly chart", "1W"), ("monthly view", "1M"), ("Daily chart", "1D"),
    ("switch the timeframe to daily", "1D"), ("go back to daily", "1D"),
    ("day chart", "1D"), ("week chart", "1W"), ("hour chart", "1H"), ("an hour chart", "1H"),
    ("one minute candles", "1m"), ("minute chart", "1m"),
    # MetaTrader spellings
    ("H4 chart of eurusd", "4H"), ("M15", "15m"), ("D1", "1D"), ("W1", "1W"), ("MN1", "1M"),
    # in a sentence, with a symbol
    ("show me the 50 day moving average on tsla daily", "1D"),
    ("rsi on the 4 hour chart", "4H"), ("4 hour ema", "4H"), ("tsla,4h", "4H"),
    ("support in 15m", "15m"), ("what's the 1 hour vwap", "1H"),
    ("move from the 4h to the daily", "1D"), ("switch from daily to weekly", "1W"),
    ("daily and weekly", "1D"),
    # indicator periods are not timeframes
    ("add the 50 day moving average", None), ("14 day rsi", None), ("200-day sma", None),
    ("20 day high", None), ("the 1 day high", None), ("1 week high", None),
    ("52 week high", None), ("50-day MA", None), ("20 week ma", None),
    # look-backs, delays and prose
    ("last 3 days", None), ("past 5 days", None), ("in the last hour", None),
    ("over the past 1 hour", None), ("the previous 1 day", None), ("an hour ago", None),
    ("4 hours ago", None), ("in 30 minutes", None), ("in 5 minutes remind me", None),
    ("after 1 hour", None), ("this week", None), ("over the next week", None),
    ("today", None), ("what happened yesterday", None), ("one day it will moon", None),
    ("a day trader's view", None), ("day trading", None), ("what is the low of the day", None),
    # sizes charts do not offer, money, and letters
    ("2h chart", None), ("3 day chart", None), ("3-day chart", None), ("three day chart", None),
    ("tsla 1y", None), ("45 minute", None), ("$5m in volume", None), ("2.5h", None),
    ("D", None), ("W", None), ("M", None), ("h1", None), ("a m", None),
    ("is the 3m chart ok", None), ("100%", None),
]  # fmt: skip


@pytest.mark.parametrize(("query", "expected"), TIMEFRAMES)
def test_timeframes(query: str, expected: str | None):
    assert find_timeframe(query) == (Timeframe(expected) if expected else None)
    assert parse_query(query).timeframe == (Timeframe(expected) if expected else None)


def test_every_canonical_value_is_found_in_a_sentence():
    for timeframe in Timeframe:
        assert find_timeframe(f"switch tsla to {timeframe.value} please") is timeframe
