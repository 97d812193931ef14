"""A trendline through the latest swings: rising lows in an uptrend, falling highs in a
downtrend — the line a trader would draw first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared.analysis.swings import Pivot, find_pivots
from shared.market_data.base import Bar
from shared.models.prices import round_price

TREND_LOOKBACK = 50


@dataclass(frozen=True, slots=True)
class Trendline:
    """From (t1, p1) to (t2, p2), unix seconds and prices."""

    p1: float
    t1: int
    p2: float
    t2: int


def _latest_pair(pivots: list[Pivot], rising: bool) -> tuple[Pivot, Pivot] | None:
    """The most recent two pivots that slope the trend's way (later one last).

    Not blindly the last two: in an uptrend the latest low may undercut the one before, and a
    falling "uptrend line" is useless. Pairing the latest low with the nearest earlier *lower*
    low also means no swing low between them sits under the line.
    """
    for later_index in range(len(pivots) - 1, 0, -1):
        later = pivots[later_index]
        for earlier in reversed(pivots[:later_index]):
            if (later.price > earlier.price) == rising and later.price != earlier.price:
                return earlier, later
    return None


def latest_trendline(bars: Sequence[Bar], *, symbol: str | None = None) -> Trendline | None:
    """Through the two latest rising swing lows (uptrend) or falling swing highs (downtrend)."""
    if len(bars) < 10:
        return None
    lookback = bars[-min(TREND_LOOKBACK, len(bars))]
    rising = bars[-1].close >= lookback.close
    kind = "low" if rising else "high"
    pivots = [p for p in find_pivots(bars) if p.kind == kind]
    pair = _latest_pair(pivots, rising)
    if pair is None:
        return None
    first, second = pair
    p1, p2 = round_price(first.price, symbol), round_price(second.price, symbol)
    return Trendline(p1, first.time, p2, second.time)
