"""Analysis on constructed series with planted levels and trends.

Every series is built so the right answer is known: a range bouncing between 100 and 120 has
support at 100 and resistance at 120, a staircase has its old ceiling as the new floor, a
steady climb has no resistance. (`bars_from_closes` and the other shapes are in tests/helpers.py.)
"""

from __future__ import annotations

import itertools
import math
import random

import pytest

from shared.analysis.levels import (
    MIN_SEPARATION_ATR,
    TOLERANCE_ATR,
    fibonacci_range,
    support_resistance,
)
from shared.analysis.swings import average_true_range, find_pivots
from shared.analysis.trendline import Trendline, trend_trendline
from shared.market_data.base import Bar
from shared.market_data.sample import SampleProvider
from shared.models.fields import Timeframe
from shared.models.prices import round_price
from tests.helpers import bars_from_closes, round_trips

DAY = 86400


def bouncing(low: float = 100.0, high: float = 120.0, cycles: int = 8, per_leg: int = 12):
    """Price oscillating between `low` and `high`, ending mid-range."""
    closes = round_trips(low, high, cycles, per_leg)
    closes += [low + (high - low) * i / per_leg for i in range(per_leg // 2 + 1)]
    return bars_from_closes(closes)


def noisy(closes: list[float], seed: int, scale: float = 0.8) -> list[float]:
    rng = random.Random(seed)
    return [c + rng.gauss(0, scale) for c in closes]


def line_at(line: Trendline, t: int) -> float:
    return line.p1 + (line.p2 - line.p1) * (t - line.t1) / (line.t2 - line.t1)


# --- support and resistance -----------------------------------------------------------------


def test_range_yields_support_near_low_and_resistance_near_high():
    levels = support_resistance(bouncing())
    assert levels.support and levels.resistance
    assert levels.support[0] == pytest.approx(100, rel=0.01)
    assert levels.resistance[0] == pytest.approx(120, rel=0.01)
    assert all(s < levels.last_close < r for s in levels.support for r in levels.resistance)


@pytest.mark.parametrize("seed", range(5))
def test_noisy_range_still_yields_the_planted_levels(seed: int):
    closes = [*noisy(round_trips(100, 120, 10, per_leg=15), seed), 110.0]
    bars = bars_from_closes(closes)
    levels = support_resistance(bars)
    # "The same level" in the method's own terms: the noisy lows sit about a point under 100.
    near = TOLERANCE_ATR * average_true_range(bars)
    assert levels.support[0] == pytest.approx(100, abs=near)
    assert levels.resistance[0] == pytest.approx(120, abs=near)
    assert levels.last_close == 110.0


@pytest.mark.parametrize(("end", "side"), [(104.0, "support"), (116.0, "resistance")])
def test_range_levels_hold_when_price_ends_near_one_side(end: float, side: str):
    levels = support_resistance(bars_from_closes([*round_trips(100, 120, 8), 110.0, end]))
    assert levels.support[0] == pytest.approx(100, rel=0.01), side
    assert levels.resistance[0] == pytest.approx(120, rel=0.01), side


def test_staircase_old_ceiling_becomes_support():
    closes = round_trips(100, 120, 6) + round_trips(120, 140, 6) + [130.0]
    levels = support_resistance(bars_from_closes(closes), max_per_side=2)
    assert levels.support[0] == pytest.approx(120, rel=0.01)
    assert levels.resistance[0] == pytest.approx(140, rel=0.01)
    assert any(s == pytest.approx(100, rel=0.01) for s in levels.support[1:])


def test_levels_are_nearest_first_and_capped_per_side():
    closes = [100 + 30 * math.sin(i / 5) + (i % 7) * 0.3 for i in range(300)]
    for cap in (1, 2, 3):
        levels = support_resistance(bars_from_closes(closes), max_per_side=cap)
        below = [levels.last_close - s for s in levels.support]
        above = [r - levels.last_close for r in levels.resistance]
        assert below == sorted(below) and above == sorted(above)
        assert 1 <= len(below) <= cap and 1 <= len(above) <= cap
        assert all(d > 0 for d in below + above)


def test_levels_are_rounded_prices():
    levels = support_resistance(bars_from_closes(noisy(round_trips(100, 120, 8), 3)))
    for price in (*levels.support, *levels.resistance, levels.last_close):
        assert price == round_price(price)


def test_at_all_time_high_resistance_side_is_empty():
    levels = support_resistance(bars_from_closes([100 + i for i in range(60)]))
    assert levels.resistance == ()


def test_at_all_time_low_support_side_is_empty():
    closes = [200 - i + 3 * math.sin(i / 2) for i in range(80)]
    closes += [min(closes) - 2 * k for k in range(1, 6)]  # a fresh low
    levels = support_resistance(bars_from_closes(closes))
    assert levels.support == ()
    assert levels.resistance


@pytest.mark.parametrize("count", [0, 1, 5])
def test_too_few_bars_give_no_levels(count: int):
    levels = support_resistance(bars_from_closes([100.0] * max(count, 1))[:count])
    assert levels.support == () and levels.resistance == ()


def test_flat_series_has_no_levels_and_does_not_fail():
    levels = support_resistance(bars_from_closes([50.0] * 100, wiggle=0.0))
    assert levels == type(levels)((), (), 50.0)


def test_sample_analysis_finds_both_sides_for_most_symbols():
    provider = SampleProvider(clock=lambda: 1_767_225_600)
    symbols = ("TSLA", "AAPL", "NVDA", "SPY", "BTC-USD", "ES=F", "XYZ", "ETH-USD")
    found = [support_resistance(provider.get_bars(s, Timeframe.D1, 300)) for s in symbols]
    assert all(levels.support or levels.resistance for levels in found)
    assert sum(bool(levels.support and levels.resistance) for levels in found) >= 6


# --- trendlines -----------------------------------------------------------------------------


def test_uptrend_trendline_rises_through_the_lows():
    closes = [100 + i * 0.5 + 4 * math.sin(i / 3) for i in range(120)]
    bars = bars_from_closes(closes)
    line = trend_trendline(bars)
    assert line is not None
    assert line.t1 < line.t2 and line.p2 > line.p1
    lows = {b.time: b.low for b in bars}
    assert line.p1 == pytest.approx(lows[line.t1], abs=0.01)
    assert line.p2 == pytest.approx(lows[line.t2], abs=0.01)
    # No swing low between the two sits under the line (bars just after a trough may dip a bit:
    # the line is steeper than price leaving a rounded bottom).
    between = [p for p in find_pivots(bars) if p.kind == "low" and line.t1 < p.time < line.t2]
    assert all(p.price >= line_at(line, p.time) for p in between)
    atr = average_true_range(bars)
    assert all(b.low >= line_at(line, b.time) - atr for b in bars if line.t1 <= b.time <= line.t2)


def test_downtrend_trendline_falls_through_the_highs():
    closes = [200 - i * 0.5 + 4 * math.sin(i / 3) for i in range(120)]
    bars = bars_from_closes(closes)
    line = trend_trendline(bars)
    assert line is not None and line.t1 < line.t2 and line.p2 < line.p1
    highs = {b.time: b.high for b in bars}
    assert line.p1 == pytest.approx(highs[line.t1], abs=0.01)
    assert line.p2 == pytest.approx(highs[line.t2], abs=0.01)


@pytest.mark.parametrize("symbol", ["TSLA", "AAPL", "NVDA", "SPY", "BTC-USD", "ES=F", "QQQ"])
def test_the_trendline_is_the_trend_over_the_bars(symbol):
    """The README's rule on the 300 bars a page shows: it starts at the extreme swing of the
    first three quarters (so it spans at least the last quarter), slopes the way the closes'
    regression does, and no swing on its side after the start crosses it."""
    bars = SampleProvider(clock=lambda: 1_767_225_600).get_bars(symbol, Timeframe.D1, 300)
    line = trend_trendline(bars)
    assert line is not None
    index = {b.time: i for i, b in enumerate(bars)}
    n = len(bars)
    rising = line.p2 > line.p1
    closes = [b.close for b in bars]
    slope = sum((i - (n - 1) / 2) * (c - sum(closes) / n) for i, c in enumerate(closes))
    assert rising == (slope >= 0)
    kind = "low" if rising else "high"
    pivots = [p for p in find_pivots(bars) if p.kind == kind]
    start = index[line.t1]
    assert start <= 0.75 * n
    early = [p.price for p in pivots if p.index <= 0.75 * n]
    assert line.p1 == round_price(min(early) if rising else max(early), symbol)

    def at(i: int) -> float:
        return line.p1 + (line.p2 - line.p1) * (i - start) / (index[line.t2] - start)

    tick = 0.01
    after = [p for p in pivots if p.index > start]
    if rising:
        assert all(p.price >= at(p.index) - tick for p in after)
    else:
        assert all(p.price <= at(p.index) + tick for p in after)


def test_trendline_times_are_bar_times():
    bars = bars_from_closes(noisy([100 + i * 0.3 for i in range(200)], 5, 2.0))
    line = trend_trendline(bars)
    assert line is not None
    assert {line.t1, line.t2} <= {b.time for b in bars}


def test_no_trendline_without_two_swings():
    assert trend_trendline(bars_from_closes([100.0 + i for i in range(8)])) is None
    assert trend_trendline(bars_from_closes([100.0 + i for i in range(60)])) is None


# --- Fibonacci, pivots, ATR -----------------------------------------------------------------


def test_fibonacci_range_spans_the_recent_move():
    high, low = fibonacci_range(bouncing())
    assert high == pytest.approx(120.4, abs=0.5) and low == pytest.approx(99.6, abs=0.5)


def test_fibonacci_range_ignores_moves_before_the_lookback():
    closes = [300.0] * 10 + [150 + 10 * math.sin(i / 4) for i in range(200)]
    high, low = fibonacci_range(bars_from_closes(closes))
    assert high < 161 and low > 139
    with pytest.raises(ValueError):
        fibonacci_range([])


def test_pivots_mark_the_planted_swings():
    bars = bouncing()
    pivots = find_pivots(bars)
    assert {p.kind for p in pivots} == {"high", "low"}
    for pivot in pivots:
        bar = bars[pivot.index]
        assert pivot.time == bar.time
        assert pivot.price == (bar.high if pivot.kind == "high" else bar.low)
    assert all(p.price == pytest.approx(120.4, abs=0.6) for p in pivots if p.kind == "high")
    assert all(p.price == pytest.approx(99.6, abs=0.6) for p in pivots if p.kind == "low")


def test_a_plateau_is_one_pivot_and_the_newest_bars_are_never_pivots():
    closes = [100, 101, 102, 103, 105, 105, 105, 103, 102, 101, 100, 99, 98]
    window = 3
    pivots = find_pivots(bars_from_closes(closes, wiggle=0.0), window=window)
    assert [(p.index, p.kind) for p in pivots if p.kind == "high"] == [(4, "high")]
    assert all(window <= p.index < len(closes) - window for p in pivots)
    with pytest.raises(ValueError):
        find_pivots(bouncing(), window=0)


def test_wider_windows_find_fewer_swings():
    bars = bars_from_closes(noisy([100 + 10 * math.sin(i / 6) for i in range(300)], 2, 1.5))
    counts = [len(find_pivots(bars, window)) for window in (2, 3, 5, 8)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_average_true_range_counts_gaps():
    bars = [Bar(i * DAY, 100, 101, 99, 100, 1.0) for i in range(20)]
    assert average_true_range(bars) == pytest.approx(2.0)
    gapped = [*bars, Bar(20 * DAY, 110, 111, 109, 110, 1.0)]  # true range 111 - 100 = 11
    assert average_true_range(gapped) == pytest.approx((13 * 2 + 11) / 14)
    assert average_true_range(bars[:1]) == 2.0 and average_true_range([]) == 0.0


def test_analysis_handles_long_series():
    bars = SampleProvider(clock=lambda: 1_767_225_600).get_bars("QQQ", Timeframe.M5, 5000)
    levels = support_resistance(bars, max_per_side=3)
    assert len(levels.support) <= 3 and len(levels.resistance) <= 3
    assert all(b.time < a.time for a, b in itertools.pairwise(reversed(bars)))
    assert trend_trendline(bars) is not None


def test_levels_on_one_side_are_at_least_an_atr_apart():
    """Lows at 100 and 101.6 form two clusters (more than half an ATR apart) but one zone on the
    chart; the second support must be the separate low at 94, not a near-duplicate line."""
    turning_points = (110, 100, 115, 101.6, 115, 94, 115, 100, 115, 101.6, 115, 100.2, 112)
    closes = [
        start + (end - start) * i / 8
        for start, end in itertools.pairwise(turning_points)
        for i in range(8)
    ] + [turning_points[-1]]
    bars = bars_from_closes(closes, wiggle=0.3)
    levels = support_resistance(bars)
    assert len(levels.support) == 2
    assert 99.0 < levels.support[0] < 102.0 and levels.support[1] == pytest.approx(94, abs=0.5)
    assert levels.support[0] - levels.support[1] >= MIN_SEPARATION_ATR * average_true_range(bars)
