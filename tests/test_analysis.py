"""Analysis on constructed series with planted levels, and the sample provider's properties."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys

import pytest

from devtools.processes import REPO
from shared.analysis.levels import fibonacci_range, support_resistance
from shared.analysis.swings import average_true_range, find_pivots
from shared.analysis.trendline import latest_trendline
from shared.market_data.base import Bar
from shared.market_data.registry import get_provider
from shared.market_data.sample import SampleProvider
from shared.models.fields import Timeframe

DAY = 86400


def bars_from_closes(closes: list[float], wiggle: float = 0.4) -> list[Bar]:
    bars, previous = [], closes[0]
    for i, close in enumerate(closes):
        high, low = max(previous, close) + wiggle, min(previous, close) - wiggle
        bars.append(Bar(1_700_000_000 + i * DAY, previous, high, low, close, 1000.0))
        previous = close
    return bars


def bouncing(low: float = 100.0, high: float = 120.0, cycles: int = 8, per_leg: int = 12):
    """Price oscillating between `low` and `high`, ending mid-range."""
    closes = []
    for _ in range(cycles):
        closes += [low + (high - low) * i / per_leg for i in range(per_leg)]
        closes += [high - (high - low) * i / per_leg for i in range(per_leg)]
    closes += [low + (high - low) * i / per_leg for i in range(per_leg // 2 + 1)]
    return bars_from_closes(closes)


def test_range_yields_support_near_low_and_resistance_near_high():
    levels = support_resistance(bouncing())
    assert levels.support and levels.resistance
    assert levels.support[0] == pytest.approx(100, rel=0.01)
    assert levels.resistance[0] == pytest.approx(120, rel=0.01)
    assert all(s < levels.last_close < r for s in levels.support for r in levels.resistance)


def test_levels_are_nearest_first():
    closes = [100 + 30 * math.sin(i / 5) + (i % 7) * 0.3 for i in range(300)]
    levels = support_resistance(bars_from_closes(closes), max_per_side=3)
    below = [levels.last_close - s for s in levels.support]
    above = [r - levels.last_close for r in levels.resistance]
    assert below == sorted(below) and above == sorted(above)


def test_at_all_time_high_resistance_side_is_empty():
    levels = support_resistance(bars_from_closes([100 + i for i in range(60)]))
    assert levels.resistance == ()


def test_uptrend_trendline_rises_through_the_lows():
    closes = [100 + i * 0.5 + 4 * math.sin(i / 3) for i in range(120)]
    bars = bars_from_closes(closes)
    line = latest_trendline(bars)
    assert line is not None
    assert line.t1 < line.t2 and line.p2 > line.p1
    lows = {b.time: b.low for b in bars}
    assert line.p1 == pytest.approx(lows[line.t1], abs=0.01)


def test_downtrend_trendline_falls_through_the_highs():
    closes = [200 - i * 0.5 + 4 * math.sin(i / 3) for i in range(120)]
    line = latest_trendline(bars_from_closes(closes))
    assert line is not None and line.p2 < line.p1


def test_fibonacci_range_spans_the_recent_move():
    high, low = fibonacci_range(bouncing())
    assert high == pytest.approx(120.4, abs=0.5) and low == pytest.approx(99.6, abs=0.5)


def test_pivots_and_atr():
    bars = bouncing()
    kinds = {p.kind for p in find_pivots(bars)}
    assert kinds == {"high", "low"}
    assert average_true_range(bars) > 0


@pytest.mark.parametrize("timeframe", list(Timeframe))
def test_sample_bars_are_valid_for_every_timeframe(timeframe: Timeframe):
    bars = SampleProvider().get_bars("TSLA", timeframe, 300)
    assert len(bars) == 300
    assert {b.time - a.time for a, b in itertools.pairwise(bars)} == {timeframe.seconds}
    for bar in bars:
        assert 0 < bar.low <= min(bar.open, bar.close) <= max(bar.open, bar.close) <= bar.high
        assert bar.volume > 0


def test_sample_is_deterministic_and_symbol_specific():
    provider = SampleProvider()
    assert provider.get_bars("AAPL", Timeframe.D1, 50) == provider.get_bars(
        "AAPL", Timeframe.D1, 50
    )
    assert provider.get_bars("AAPL", Timeframe.D1, 50) != provider.get_bars(
        "MSFT", Timeframe.D1, 50
    )
    assert provider.get_bars("BTC-USD", Timeframe.D1, 1)[0].close > 1000


def test_sample_analysis_finds_both_sides_for_common_symbols():
    for symbol in ("TSLA", "AAPL", "NVDA", "SPY", "BTC-USD"):
        levels = support_resistance(SampleProvider().get_bars(symbol, Timeframe.D1, 300))
        assert levels.support or levels.resistance, symbol


def test_registry_is_lazy_and_rejects_unknown_names():
    probe = (
        "import sys\n"
        "from shared.runtime import market_data\n"
        "from shared.models.fields import Timeframe\n"
        "market_data().get_bars('A', Timeframe.D1, 5)\n"
        "heavy = ('httpx', 'shared.market_data.alpaca', 'openai')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"
    assert get_provider("sample") is get_provider("sample")
    with pytest.raises(ValueError, match="known: sample, alpaca"):
        get_provider("bloomberg")
