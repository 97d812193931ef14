"""Pattern detection and the technical summary on constructed series."""

from __future__ import annotations

import itertools

import pytest

from shared.analysis.levels import support_resistance
from shared.analysis.patterns import detect_patterns
from shared.analysis.technical import rsi, technical_summary
from tests.test_analysis import bars_from_closes


def legs(*points: float, per_leg: int = 8) -> list[float]:
    """Straight legs between turning points."""
    closes: list[float] = []
    for start, end in itertools.pairwise(points):
        closes += [start + (end - start) * i / per_leg for i in range(per_leg)]
    return [*closes, points[-1]]


def names(closes: list[float]) -> list[str]:
    return [p.name for p in detect_patterns(bars_from_closes(closes, wiggle=0.3))]


def test_planted_double_top_is_found():
    found = detect_patterns(bars_from_closes(legs(90, 100, 120, 105, 120, 100), wiggle=0.3))
    assert "DOUBLE_TOP" in [p.name for p in found]
    top = next(p for p in found if p.name == "DOUBLE_TOP")
    assert top.t1 < top.t2 and top.level == pytest.approx(104.7, abs=1.0)


def test_planted_double_bottom_is_found():
    assert "DOUBLE_BOTTOM" in names(legs(130, 120, 100, 115, 100, 120))


def test_planted_head_and_shoulders_is_found():
    assert "HEAD_AND_SHOULDERS" in names(legs(90, 100, 110, 100, 125, 100, 110, 95))


def test_planted_inverse_head_and_shoulders_is_found():
    assert "INVERSE_HEAD_AND_SHOULDERS" in names(legs(130, 120, 110, 120, 95, 120, 110, 125))


def test_planted_ascending_triangle_is_found():
    assert "ASCENDING_TRIANGLE" in names(legs(100, 120, 104, 120, 108, 120, 112, 120, 115))


def test_planted_descending_triangle_is_found():
    assert "DESCENDING_TRIANGLE" in names(legs(120, 100, 116, 100, 112, 100, 108, 100, 105))


@pytest.mark.parametrize("slope", [0.8, -0.8])
def test_clean_trend_has_no_pattern(slope: float):
    closes = [100 + slope * i for i in range(200)]
    assert names(closes) == []


def test_rsi_extremes_and_technical_trend():
    rising = [100 + i for i in range(60)]
    assert rsi(rising) == 100.0
    assert rsi([100 - i * 0.5 for i in range(60)]) == pytest.approx(0.0, abs=1e-9)
    bars = bars_from_closes([100 + i * 0.5 + (i % 3) for i in range(120)])
    summary = technical_summary(bars, support_resistance(bars))
    assert summary.trend == "up" and summary.rsi is not None and summary.rsi > 50


@pytest.mark.parametrize(("symbol", "tick"), [("AAPL", 0.01), ("ES=F", 0.25), ("ZN=F", 1 / 64)])
def test_technical_averages_are_rounded_to_the_instruments_tick(symbol: str, tick: float):
    bars = bars_from_closes([100 + i * 0.37 + (i % 5) * 0.113 for i in range(120)])
    summary = technical_summary(bars, support_resistance(bars), symbol)
    for value in (summary.sma_fast, summary.sma_slow):
        assert value is not None
        assert value / tick == pytest.approx(round(value / tick), abs=1e-9)
        assert len(repr(value).partition(".")[2]) <= 6  # no float noise such as 236.21700000000004
