"""The `sample` provider: one deterministic synthetic market per symbol, on its real calendar.

Zero setup for local runs, tests and demos, and clearly labelled: `is_sample` puts
`"sample": true` in every response that used it.

Every timeframe is cut from the same market, top-down (`sample_paths`): a daily path a year at a
time, each day split into its 4-hour bars, each of those into hours, and so on down to minutes,
each split a bridge that reproduces its parent's open, high, low, close and volume exactly; weeks
and months aggregate days. So a 1D bar is exactly its hours, a month exactly its days, and the
last price is the same on every timeframe. Sessions, bar times and weekly and monthly alignment
come from `calendars` (NYSE hours for stocks, 24/7 for crypto, ...); the symbol's level,
volatility, drift and volume from `sample_market`.

- **Seeds.** SHA-256 of (symbol, year) for the daily path and (symbol, timeframe, bar start) for
  each split: Python's `hash` is salted per process, so it would give every Cloud Functions
  instance different prices. A bar never depends on which request made it.
- **Time.** The market has history from FIRST_YEAR and the price sits at the symbol's level at
  the end of ANCHOR_YEAR - 1; a request sees the sessions that closed by 00:00 UTC of the clock's
  day. So the bars are the same all day on every instance (tests and demos are stable; `clock`
  can be injected to pin the day), and the next day adds the sessions that closed meanwhile
  without rewriting the past, as a real market does.
- **Cost.** Only the bars a request needs are made: the years it spans (and those between it
  and ANCHOR_YEAR, which fix the level), and the sub-bars of the sessions it shows, newest first.
  Everything is cached per process: a series per (symbol, timeframe, day), a year per symbol,
  the sub-bars per parent bar.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING

from shared.market_data.base import Bar
from shared.market_data.calendars import Session, period_key, period_start, utc_day
from shared.market_data.sample_market import activity, base_price, profile
from shared.market_data.sample_paths import DayPath, bridge, seeded, year_path
from shared.models.fields import Timeframe
from shared.models.prices import price_rounder

if TYPE_CHECKING:
    from shared.infra.settings import Settings

__all__ = ["HISTORY", "MAX_LIMIT", "SampleProvider", "base_price"]

DAY = 86_400
HISTORY = 300  # bars generated at least (what analysis asks for); a request takes the tail
MAX_LIMIT = 5000
FIRST_YEAR = 2000  # 300 monthly bars back from the 2020s
ANCHOR_YEAR = 2026
CACHE_SERIES = 64  # series of ~300 bars
CACHE_YEARS = 1024  # years of ~250 sessions
CACHE_SPLITS = 16_384  # sub-bars of one parent bar (2-6 of them)
# Each intraday timeframe is split from the one before it: a session into 4-hour bars, ...
SPLITS = (Timeframe.H4, Timeframe.H1, Timeframe.M30, Timeframe.M15, Timeframe.M5, Timeframe.M1)


@lru_cache(maxsize=CACHE_YEARS)
def _year(symbol: str, year: int) -> tuple[DayPath, ...]:
    """The year's sessions with log prices relative to the close before it."""
    return year_path(profile(symbol), year)


@lru_cache(maxsize=CACHE_YEARS)
def _level_before(symbol: str, year: int) -> float:
    """Log price at the close before `year`'s first session (anchored at ANCHOR_YEAR)."""
    if year == ANCHOR_YEAR:
        return math.log(profile(symbol).price)
    if year > ANCHOR_YEAR:
        previous = _year(symbol, year - 1)
        return _level_before(symbol, year - 1) + (previous[-1].close if previous else 0.0)
    days = _year(symbol, year)
    return _level_before(symbol, year + 1) - (days[-1].close if days else 0.0)


def _days_newest_first(symbol: str, cutoff: int) -> Iterator[DayPath]:
    """Sessions closed by `cutoff`, newest first, with absolute (unsnapped) prices."""
    exp = math.exp
    for year in range(utc_day(cutoff - 1).year, FIRST_YEAR - 1, -1):
        days = _year(symbol, year)
        if not days or days[0].session.close > cutoff:
            continue
        level = _level_before(symbol, year)
        for day in reversed(days):
            if day.session.close <= cutoff:
                yield DayPath(
                    day.session,
                    exp(level + day.open),
                    exp(level + day.high),
                    exp(level + day.low),
                    exp(level + day.close),
                    day.volume,
                )


def _bar(time_: int, prices: DayPath, snap: Callable[[float], float]) -> Bar:
    return Bar(time_, snap(prices.open), snap(prices.high), snap(prices.low),
               snap(prices.close), float(prices.volume))  # fmt: skip


def _aggregate(days: list[DayPath]) -> DayPath:
    """One bar of sessions given newest first (raw prices: snapping commutes with max/min)."""
    return DayPath(
        days[-1].session,
        days[-1].open,
        max(d.high for d in days),
        min(d.low for d in days),
        days[0].close,
        sum(d.volume for d in days),
    )


def _periods_newest_first(days: Iterator[DayPath], timeframe: Timeframe) -> Iterator[DayPath]:
    """Weeks or months of sessions, newest first; a period cut by the start of history is left
    out (its first session would be missing)."""
    group: list[DayPath] = []
    for day in days:
        if group and period_key(day.session, timeframe) != period_key(group[0].session, timeframe):
            yield _aggregate(group)
            group = []
        group.append(day)
    if group and period_start(group[-1].session.day, timeframe).year >= FIRST_YEAR:
        yield _aggregate(group)


@lru_cache(maxsize=CACHE_SPLITS)
def _split(
    symbol: str, timeframe: Timeframe, session: Session, parent: Bar, span: tuple[int, int]
) -> tuple[Bar, ...]:
    """The `timeframe` bars of the parent bar spanning [start, end) of the session."""
    start, end = span
    calendar = profile(symbol).calendar
    step = timeframe.seconds
    starts = range(start, end, step)
    weights = [activity(calendar, session, t, min(t + step, end)) for t in starts]
    rng = seeded(symbol, timeframe.value, str(start))
    prices = (parent.open, parent.high, parent.low, parent.close, int(parent.volume))
    parts = bridge(rng, prices, weights, price_rounder(symbol))
    return tuple(
        Bar(t, o, h, low, c, float(v)) for t, (o, h, low, c, v) in zip(starts, parts, strict=True)
    )


def _expand(
    symbol: str, session: Session, parent: Bar, span: tuple[int, int], *, level: int, depth: int
) -> Iterator[Bar]:
    """The parent's bars at split `depth`, newest first, splitting only the bars read."""
    children = _split(symbol, SPLITS[level], session, parent, span)
    if level == depth:
        yield from reversed(children)
        return
    end = span[1]
    for child in reversed(children):
        yield from _expand(symbol, session, child, (child.time, end), level=level + 1, depth=depth)
        end = child.time


def _intraday_newest_first(
    symbol: str, timeframe: Timeframe, days: Iterator[DayPath]
) -> Iterator[Bar]:
    depth, snap = SPLITS.index(timeframe), price_rounder(symbol)
    for day in days:
        session = day.session
        parent = _bar(session.bar_time, day, snap)
        span = (session.open, session.close)
        yield from _expand(symbol, session, parent, span, level=0, depth=depth)


class SampleProvider:
    """Synthetic OHLCV bars; labelled as sample data in every response."""

    name = "sample"
    is_sample = True
    configurable = True  # the registry passes the settings (SAMPLE_MARKET_DAY)

    def __init__(
        self, settings: Settings | None = None, *, clock: Callable[[], float] | None = None
    ) -> None:
        """`clock` (unix seconds) picks the UTC day: bars of the sessions closed before it.
        Without one, SAMPLE_MARKET_DAY pins the day, and without that the wall clock does."""
        day = settings.sample_market_day if settings else None
        if clock is None and day is not None:
            pinned = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
            clock = lambda: pinned  # noqa: E731 - a constant clock
        self._clock = clock or time.time

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        """The most recent `limit` bars (1..MAX_LIMIT), oldest first; fewer when the sample's
        history (from FIRST_YEAR) holds fewer."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        day = int(self._clock()) // DAY
        series = _series(symbol.strip().upper(), timeframe, day, max(limit, HISTORY))
        return list(series[-limit:])


@lru_cache(maxsize=CACHE_SERIES)
def _series(symbol: str, timeframe: Timeframe, day: int, count: int) -> tuple[Bar, ...]:
    """The newest `count` bars as of 00:00 UTC of `day`, oldest first."""
    days = _days_newest_first(symbol, day * DAY)
    snap = price_rounder(symbol)
    if timeframe is Timeframe.D1:
        bars = (_bar(d.session.bar_time, d, snap) for d in days)
    elif timeframe in (Timeframe.W1, Timeframe.MN1):
        bars = (_bar(p.session.bar_time, p, snap) for p in _periods_newest_first(days, timeframe))
    else:
        bars = _intraday_newest_first(symbol, timeframe, days)
    newest = list(islice(bars, count))
    newest.reverse()
    return tuple(newest)
