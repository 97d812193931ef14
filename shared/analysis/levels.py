"""Support and resistance from swing pivots, and the range Fibonacci retracements span.

Method: take every swing high and low, cluster the pivot prices with a tolerance of half an
ATR (so "the same level" scales with how much the instrument moves), score each cluster by its
touches weighted toward recent ones, and keep the strongest clusters below the last close as
support and above it as resistance, nearest first. Highs and lows share clusters on purpose:
old resistance that price broke through is the textbook new support. Two levels on one side
are at least an ATR apart: greedy clustering can leave neighbouring clusters closer than that,
and two lines that close read as one zone on the chart (a fifth of the answers had such pairs).

When price sits at an extreme and one side has no pivots (an all-time high), that side is empty
rather than invented: a made-up round number would be drawn on the chart as if the data showed
it, and the answer already says "resistance none found". Levels closer to the last close than a
fifth of the tolerance count for neither side (price is sitting on them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from shared.analysis.swings import Pivot, average_true_range, find_pivots
from shared.market_data.base import Bar
from shared.models.prices import round_price

TOLERANCE_ATR = 0.5
MIN_SEPARATION_ATR = 1.0  # levels on one side closer than this would draw one zone twice
RECENCY_HALF_LIFE = 0.35  # fraction of the series after which a touch counts half
FIB_LOOKBACK = 120


@dataclass(frozen=True, slots=True)
class SupportResistance:
    """Levels nearest first: support below the last close, resistance above."""

    support: tuple[float, ...]
    resistance: tuple[float, ...]
    last_close: float


@dataclass
class PivotCluster:
    """Pivots within a tolerance of each other: one level, its touches and their weight."""

    total: float
    touches: int
    score: float

    @property
    def level(self) -> float:
        return self.total / self.touches


def cluster_pivots(pivots: Sequence[Pivot], tolerance: float, bar_count: int) -> list[PivotCluster]:
    """Greedy 1-D clustering of pivot prices; each touch scores by its recency."""
    decay = math.log(2) / max(1.0, RECENCY_HALF_LIFE * bar_count)
    clusters: list[PivotCluster] = []
    for pivot in sorted(pivots, key=lambda p: p.price):
        weight = math.exp(-decay * (bar_count - 1 - pivot.index))
        if clusters and pivot.price - clusters[-1].level <= tolerance:
            clusters[-1].total += pivot.price
            clusters[-1].touches += 1
            clusters[-1].score += weight
        else:
            clusters.append(PivotCluster(pivot.price, 1, weight))
    return clusters


def support_resistance(
    bars: Sequence[Bar], max_per_side: int = 2, *, symbol: str | None = None
) -> SupportResistance:
    """The strongest `max_per_side` levels on each side of the last close, nearest first, on
    `symbol`'s tick (by magnitude when None: a cent from $1, which would cut EUR/USD's pips)."""
    if not bars:
        return SupportResistance((), (), 0.0)
    last_close = bars[-1].close
    atr = average_true_range(bars)
    tolerance = TOLERANCE_ATR * atr
    clusters = cluster_pivots(find_pivots(bars), tolerance, len(bars))
    below = [c for c in clusters if c.level < last_close - tolerance * 0.2]
    above = [c for c in clusters if c.level > last_close + tolerance * 0.2]

    def pick(side: list[PivotCluster]) -> tuple[float, ...]:
        strongest: list[PivotCluster] = []
        for cluster in sorted(side, key=lambda c: c.score, reverse=True):
            if all(abs(cluster.level - k.level) >= MIN_SEPARATION_ATR * atr for k in strongest):
                strongest.append(cluster)
            if len(strongest) == max_per_side:
                break
        nearest = sorted(strongest, key=lambda c: abs(c.level - last_close))
        return tuple(round_price(c.level, symbol) for c in nearest)

    return SupportResistance(pick(below), pick(above), round_price(last_close, symbol))


def fibonacci_range(
    bars: Sequence[Bar], lookback: int = FIB_LOOKBACK, *, symbol: str | None = None
) -> tuple[float, float]:
    """(swing high, swing low) of the recent move that retracements are drawn across.

    The extremes of the last `lookback` bars: the move a trader would measure is the one between
    the recent major high and low, and the extremes are those swings by definition (no window
    is needed, so a fresh high still counts).
    """
    if not bars:
        raise ValueError("fibonacci_range needs at least one bar")
    recent = bars[-lookback:]
    high, low = max(b.high for b in recent), min(b.low for b in recent)
    return round_price(high, symbol), round_price(low, symbol)
