"""Swing pivots: the local highs and lows every other analysis is built from.

A fractal pivot (Bill Williams' rule, generalised to `window` bars each side) is what a trader
means by "a swing": a high no bar near it exceeded. It needs `window` bars after it to be
confirmed, so the newest `window` bars never hold a pivot: levels are not redrawn by one tick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from shared.market_data.base import Bar


@dataclass(frozen=True, slots=True)
class Pivot:
    """A swing high or low at bar `index`."""

    index: int
    time: int
    price: float
    kind: Literal["high", "low"]


def find_pivots(bars: Sequence[Bar], window: int = 3) -> list[Pivot]:
    """Fractal pivots: a bar whose high (low) is the extreme of the `window` bars each side.

    Ties resolve to the first bar of a flat top, so a plateau yields one pivot, not several.
    A bar can be both (an outside bar). O(len(bars) * window); 1000 bars take about a millisecond.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    highs = [b.high for b in bars]
    lows = [b.low for b in bars]
    pivots: list[Pivot] = []
    for i in range(window, len(bars) - window):
        high, low = highs[i], lows[i]
        if high > max(highs[i - window : i]) and high >= max(highs[i + 1 : i + window + 1]):
            pivots.append(Pivot(i, bars[i].time, high, "high"))
        if low < min(lows[i - window : i]) and low <= min(lows[i + 1 : i + window + 1]):
            pivots.append(Pivot(i, bars[i].time, low, "low"))
    return pivots


def average_true_range(bars: Sequence[Bar], period: int = 14) -> float:
    """Mean true range of the last `period` bars: the yardstick for "close enough" in price."""
    if len(bars) < 2:
        return bars[0].high - bars[0].low if bars else 0.0
    ranges = [
        max(cur.high, prev.close) - min(cur.low, prev.close)
        for prev, cur in zip(bars[-period - 1 : -1], bars[-period:], strict=False)
    ]
    return sum(ranges) / len(ranges)
