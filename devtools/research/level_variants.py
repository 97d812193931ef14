"""Alternative support/resistance methods, measured against the product's by the walk-forward.

Each is what some trading text calls support and resistance; levels.md (beside this file) has
their edge over distance-matched placebo levels on the real series. None is used by the product: the
point of keeping them is that the comparison can be re-run, and a new idea added in one line.
Every method returns (supports below the last close, resistances above it).
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Callable, Sequence

from devtools.research.level_backtest import LevelMethod, swing_levels
from shared.analysis.levels import cluster_pivots
from shared.analysis.swings import Pivot, average_true_range, find_pivots
from shared.market_data.base import Bar

Levels = tuple[list[float], list[float]]


def split(levels: Sequence[float], past: Sequence[Bar], margin_atr: float = 0.1) -> Levels:
    """Levels below / above the last close, ignoring those price is sitting on."""
    close, margin = past[-1].close, margin_atr * average_true_range(past)
    below = [lv for lv in levels if lv < close - margin]
    return below, [lv for lv in levels if lv > close + margin]


def clustered(
    window: int = 3,
    min_pivots: int = 1,
    per_side: int = 2,
    pivots: Callable[[list[Pivot], float], tuple[list[Pivot], list[Pivot]]] | None = None,
) -> LevelMethod:
    """Swing-pivot clusters like the product's, with one knob turned."""

    def method(past: Sequence[Bar]) -> Levels:
        atr, close = average_true_range(past), past[-1].close
        found = find_pivots(past, window)
        below, above = pivots(found, close) if pivots else (found, found)

        def strongest(side: list[Pivot], keep: Callable[[float], bool]) -> list[float]:
            clusters = cluster_pivots(side, 0.5 * atr, len(past))
            clusters = [c for c in clusters if c.touches >= min_pivots and keep(c.level)]
            return [c.level for c in sorted(clusters, key=lambda c: -c.score)[:per_side]]

        margin = 0.1 * atr
        return (
            strongest(below, lambda lv: lv < close - margin),
            strongest(above, lambda lv: lv > close + margin),
        )

    return method


def untested(per_side: int = 2) -> LevelMethod:
    """The newest swings price has not come back to since they formed ("fresh" levels)."""

    def method(past: Sequence[Bar]) -> Levels:
        atr, close = average_true_range(past), past[-1].close
        support: list[float] = []
        resistance: list[float] = []
        for pivot in sorted(find_pivots(past), key=lambda p: -p.index):
            revisited = any(
                b.low <= pivot.price + atr / 4 and b.high >= pivot.price - atr / 4
                for b in past[pivot.index + 4 :]
            )
            if revisited:
                continue
            if pivot.kind == "low" and pivot.price < close - atr / 10:
                support.append(pivot.price)
            if pivot.kind == "high" and pivot.price > close + atr / 10:
                resistance.append(pivot.price)
        return support[:per_side], resistance[:per_side]

    return method


def role_reversal(found: list[Pivot], close: float) -> tuple[list[Pivot], list[Pivot]]:
    """Support only from broken highs, resistance only from broken lows."""
    return [p for p in found if p.kind == "high"], [p for p in found if p.kind == "low"]


def weekly(method: LevelMethod) -> LevelMethod:
    """`method` run on the daily bars folded into five-day bars."""

    def on_weeks(past: Sequence[Bar]) -> Levels:
        weeks = [
            Bar(chunk[0].time, chunk[0].open, max(b.high for b in chunk),
                min(b.low for b in chunk), chunk[-1].close, sum(b.volume for b in chunk))
            for chunk in (past[i : i + 5] for i in range(0, len(past), 5))
        ]  # fmt: skip
        support, resistance = method(weeks)
        return split([*support, *resistance], past)

    return on_weeks


def channel(days: int) -> LevelMethod:
    """Lowest low and highest high of the last `days` bars (Donchian channel)."""
    return lambda past: (
        [min(b.low for b in past[-days:])],
        [max(b.high for b in past[-days:])],
    )


def round_numbers(per_decade: int) -> LevelMethod:
    """The round numbers either side of the close: steps of 1/`per_decade` of its decade."""

    def method(past: Sequence[Bar]) -> Levels:
        close = past[-1].close
        step = 10 ** math.floor(math.log10(close)) / per_decade
        below = math.floor(close / step) * step
        return [below], [below + step]

    return method


def moving_average(days: int) -> LevelMethod:
    """The simple moving average as dynamic support (below price) or resistance (above)."""
    return lambda past: split([sum(b.close for b in past[-days:]) / days], past, 0.0)


def volume_peaks(bins: int = 50, per_side: int = 2) -> LevelMethod:
    """Peaks of the volume-at-price profile, each bar's volume spread over its range."""

    def method(past: Sequence[Bar]) -> Levels:
        low, high = min(b.low for b in past), max(b.high for b in past)
        width = (high - low) / bins or 1.0
        profile = [0.0] * bins
        for bar in past:
            first, last = int((bar.low - low) / width), min(bins - 1, int((bar.high - low) / width))
            for i in range(first, last + 1):
                profile[i] += bar.volume / (last - first + 1)
        peaks = sorted(
            (i for i in range(1, bins - 1) if profile[i - 1] <= profile[i] > profile[i + 1]),
            key=lambda i: -profile[i],
        )
        support, resistance = split([low + (i + 0.5) * width for i in peaks], past)
        return support[:per_side], resistance[:per_side]

    return method


def floor_pivots(days: int) -> LevelMethod:
    """Floor-trader pivot P with S1 and R1, from the high, low and close of the last `days`."""

    def method(past: Sequence[Bar]) -> Levels:
        window = past[-days:]
        high, low = max(b.high for b in window), min(b.low for b in window)
        pivot = (high + low + window[-1].close) / 3
        return split([pivot, 2 * pivot - low, 2 * pivot - high], past, 0.0)

    return method


def fibonacci(days: int) -> LevelMethod:
    """38.2%, 50% and 61.8% retracements of the last `days` bars' range."""

    def method(past: Sequence[Bar]) -> Levels:
        window = past[-days:]
        high, low = max(b.high for b in window), min(b.low for b in window)
        return split([low + r * (high - low) for r in (0.382, 0.5, 0.618)], past, 0.0)

    return method


def bollinger(days: int = 20, deviations: float = 2.0) -> LevelMethod:
    """Bollinger bands: the `days` mean of closes plus and minus `deviations` deviations."""

    def method(past: Sequence[Bar]) -> Levels:
        closes = [b.close for b in past[-days:]]
        mean, spread = statistics.fmean(closes), deviations * statistics.pstdev(closes)
        return split([mean - spread, mean + spread], past, 0.0)

    return method


def uninformed(past: Sequence[Bar]) -> Levels:
    """Control: two levels a side at random distances (0.3 to 5 ATRs), blind to the history.

    Seeded by the cut-off's time, so a run is reproducible. Its edge should be zero, whatever
    the market: anything else would mean the measurement itself favours or penalises levels.
    """
    rng, atr, close = random.Random(past[-1].time), average_true_range(past), past[-1].close
    return (
        [close - rng.uniform(0.3, 5) * atr for _ in range(2)],
        [close + rng.uniform(0.3, 5) * atr for _ in range(2)],
    )


VARIANTS: dict[str, LevelMethod] = {
    "product: 3-bar swing clusters, 2 per side": swing_levels,
    "5-bar swings": clustered(window=5),
    "10-bar swings": clustered(window=10),
    "clusters of 2+ swings": clustered(min_pivots=2),
    "clusters of 3+ swings": clustered(min_pivots=3),
    "strongest cluster only": clustered(per_side=1),
    "untested swings (not revisited since they formed)": untested(),
    "role reversal (broken highs support, broken lows resist)": clustered(pivots=role_reversal),
    "swing clusters on weekly bars": weekly(swing_levels),
    "20-day high/low": channel(20),
    "60-day high/low": channel(60),
    "250-day high/low": channel(250),
    "round numbers (decade / 4)": round_numbers(4),
    "round numbers (decade / 10)": round_numbers(10),
    "SMA 50": moving_average(50),
    "SMA 200": moving_average(200),
    "volume-profile peaks": volume_peaks(),
    "floor pivots (P, S1, R1) of 20 days": floor_pivots(20),
    "Fibonacci 38/50/62% of 120 days": fibonacci(120),
    "Bollinger bands (20 days, 2 deviations)": bollinger(),
    "control: random distances, blind to history": uninformed,
}
