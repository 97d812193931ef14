"""The trendline a trader draws over the bars on screen: from the swing where the trend started
to the swing that, with it, holds every later swing on one side.

The rule (stated in the README's "How good are the levels?"): the trend's direction is the sign
of the least-squares slope of the closes over the bars. In an uptrend the line starts at the
lowest swing low of the first three quarters of the bars (so it spans at least the last quarter)
and runs to the later swing low that gives the flattest rise: no swing low after the start sits
under it — the support line under the rally. A downtrend mirrors it on the swing highs. Slopes
are measured per bar, as the chart's time axis counts bars. When the extreme leaves no such
line (the last quarter broke below the start), it falls back to the two latest swings that
slope the trend's way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.analysis.swings import Pivot, find_pivots
from shared.market_data.base import Bar
from shared.models.prices import round_price

MIN_BARS = 10
START_SPAN = 0.75  # the line starts in the first three quarters of the bars


@dataclass(frozen=True, slots=True)
class Trendline:
    """From (t1, p1) to (t2, p2), unix seconds and prices."""

    p1: float
    t1: int
    p2: float
    t2: int


def closes_rising(bars: Sequence[Bar]) -> bool:
    """The sign of the least-squares slope of the closes against the bar index."""
    n = len(bars)
    mean_i = (n - 1) / 2
    mean_c = sum(b.close for b in bars) / n
    return sum((i - mean_i) * (b.close - mean_c) for i, b in enumerate(bars)) >= 0


def _slope(a: Pivot, b: Pivot) -> float:
    return (b.price - a.price) / (b.index - a.index)


def _hull_line(pivots: list[Pivot], n: int, rising: bool) -> tuple[Pivot, Pivot] | None:
    """From the extreme swing of the first three quarters to the later swing with the flattest
    slope the trend's way: every swing after the start is on the line or beyond it."""
    early = [p for p in pivots if p.index <= n * START_SPAN]
    if not early:
        return None
    start = (min if rising else max)(early, key=lambda p: (p.price, p.index))
    later = [p for p in pivots if p.index > start.index]
    if not later:
        return None
    end = (min if rising else max)(later, key=lambda p: _slope(start, p))
    slope = _slope(start, end)
    return (start, end) if (slope > 0 if rising else slope < 0) else None


def _latest_pair(pivots: list[Pivot], rising: bool) -> tuple[Pivot, Pivot] | None:
    """The most recent two swings that slope the trend's way (the fallback)."""
    for later_index in range(len(pivots) - 1, 0, -1):
        later = pivots[later_index]
        for earlier in reversed(pivots[:later_index]):
            if (later.price > earlier.price) == rising and later.price != earlier.price:
                return earlier, later
    return None


def trend_trendline(bars: Sequence[Bar], *, symbol: str | None = None) -> Trendline | None:
    """The trendline of the trend over `bars` (see the module docstring), or None."""
    if len(bars) < MIN_BARS:
        return None
    rising = closes_rising(bars)
    kind = "low" if rising else "high"
    pivots = [p for p in find_pivots(bars) if p.kind == kind]
    pair = _hull_line(pivots, len(bars), rising) or _latest_pair(pivots, rising)
    if pair is None:
        return None
    first, second = pair
    p1, p2 = round_price(first.price, symbol), round_price(second.price, symbol)
    return Trendline(p1, first.time, p2, second.time)
