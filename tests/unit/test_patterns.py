"""Pattern detection and the technical summary on constructed series."""

from __future__ import annotations

import math

import pytest

from shared.analysis.levels import support_resistance
from shared.analysis.patterns import (
    DETECTED,
    DETECTORS,
    Pattern,
    agreeing_with_latest,
    detect_patterns,
)
from shared.analysis.swings import average_true_range, find_pivots
from shared.analysis.technical import rsi, technical_summary
from shared.core.render import percent
from shared.core.result import ActionResult
from shared.core.steps import analyse
from shared.models.prices import format_price
from shared.planner.intent import QueryIntent
from tests.helpers import bars_from_closes, legs


def names(closes: list[float]) -> list[str]:
    return [p.name for p in detect_patterns(bars_from_closes(closes, wiggle=0.3))]


def test_planted_double_top_is_found():
    found = detect_patterns(bars_from_closes(legs(90, 100, 120, 105, 120, 100), wiggle=0.3))
    assert "DOUBLE_TOP" in [p.name for p in found]
    top = next(p for p in found if p.name == "DOUBLE_TOP")
    assert top.t1 < top.t2 and top.level == pytest.approx(104.7, abs=1.0)


# Each planted pattern is the whole answer: the H&S neckline's two equal lows are not also a
# double bottom, nor a triangle's flat side a double top.
@pytest.mark.parametrize(
    ("turning_points", "expected"),
    [
        ((130, 120, 100, 115, 100, 120), "DOUBLE_BOTTOM"),
        ((90, 100, 110, 100, 125, 100, 110, 95), "HEAD_AND_SHOULDERS"),
        ((130, 120, 110, 120, 95, 120, 110, 125), "INVERSE_HEAD_AND_SHOULDERS"),
        ((100, 120, 104, 120, 108, 120, 112, 120, 115), "ASCENDING_TRIANGLE"),
        ((120, 100, 116, 100, 112, 100, 108, 100, 105), "DESCENDING_TRIANGLE"),
    ],
)
def test_planted_pattern_is_found_alone(turning_points: tuple[float, ...], expected: str):
    assert names(legs(*turning_points)) == [expected]


PLANTED = {
    "DOUBLE_TOP": (90, 100, 120, 105, 120, 100),
    "DOUBLE_BOTTOM": (130, 120, 100, 115, 100, 120),
    "HEAD_AND_SHOULDERS": (90, 100, 110, 100, 125, 100, 110, 95),
    "INVERSE_HEAD_AND_SHOULDERS": (130, 120, 110, 120, 95, 120, 110, 125),
    "ASCENDING_TRIANGLE": (100, 120, 104, 120, 108, 120, 112, 120, 115),
    "DESCENDING_TRIANGLE": (120, 100, 116, 100, 112, 100, 108, 100, 105),
}


@pytest.mark.parametrize("detect", DETECTORS, ids=lambda d: d.__name__)
def test_detected_names_exactly_what_each_detector_returns(detect):
    """DETECTED is derived from the detectors' names; the pattern each one returns must carry
    that name, or a query naming a pattern we do find would be told it is not detected."""
    assert len(DETECTED) == len(DETECTORS)
    bars = bars_from_closes(legs(*PLANTED[detect.__name__.upper()]), wiggle=0.3)
    pivots = find_pivots(bars)
    highs = [p for p in pivots if p.kind == "high"]
    lows = [p for p in pivots if p.kind == "low"]
    found = detect(highs, lows, average_true_range(bars))
    assert found is not None and found.name in DETECTED
    assert found.name == detect.__name__.upper()


@pytest.mark.parametrize(
    ("turning_points", "expected"),
    [
        ((110, 120, 100, 120, 100, 115), "DOUBLE_BOTTOM"),
        ((110, 100, 120, 100, 120, 105), "DOUBLE_TOP"),
    ],
)
def test_a_range_reports_only_the_pattern_completed_last(
    turning_points: tuple[float, ...], expected: str
):
    """Two equal highs and two equal lows interleaved: an M and a W. The later second touch
    held, so the earlier pattern pointing the other way failed and is not drawn."""
    assert names(legs(*turning_points)) == [expected]


def test_patterns_pointing_the_same_way_are_all_kept():
    double_bottom = Pattern("DOUBLE_BOTTOM", t1=10, t2=30, level=100.0)
    triangle = Pattern("ASCENDING_TRIANGLE", t1=5, t2=40, level=120.0)
    failed_top = Pattern("DOUBLE_TOP", t1=12, t2=35, level=110.0)
    kept = agreeing_with_latest([double_bottom, failed_top, triangle])
    assert kept == [triangle, double_bottom]
    assert agreeing_with_latest([]) == []


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


def test_answer_names_each_pattern_with_its_level_on_the_tick():
    bars = bars_from_closes(legs(90, 100, 110, 100.003, 125, 100.004, 110, 95), wiggle=0.3)
    result = ActionResult()
    analyse(QueryIntent(tools=("patterns",)), bars, result, "ES=F")
    [pattern] = result.analysis.patterns if result.analysis else []
    assert pattern.name == "HEAD_AND_SHOULDERS"
    assert pattern.level == pytest.approx(99.75, abs=0.5)  # the lows beside the head, not 110
    assert pattern.level / 0.25 == round(pattern.level / 0.25)  # ES trades in quarter points
    assert result.sentences[-1] == (
        f"patterns: head and shoulders (neckline {format_price(pattern.level)})."
    )


@pytest.mark.parametrize(("value", "shown"), [(2.54, "2.5%"), (1.0, "1.0%"), (0.031, "0.03%")])
def test_distances_keep_their_digits_on_intraday_charts(value: float, shown: str):
    assert percent(value) == shown


def test_technical_answer_names_each_level_once_with_the_nearest_distances():
    bars = bars_from_closes([110 + 9 * math.sin(i / 7) for i in range(300)], wiggle=0.8)
    result = ActionResult()
    analyse(QueryIntent(tools=("technical_analysis",)), bars, result, "AAPL")
    technical, levels = result.sentences[-2:]
    analysis = result.analysis
    assert analysis is not None and result.levels is not None
    assert technical.startswith(f"trend {analysis.trend}") and "%" not in technical
    support, resistance = result.levels.support, result.levels.resistance
    assert support and resistance
    nearest_support = f"{format_price(support[0])} ({percent(analysis.support_distance_pct)} below)"
    nearest_resistance = (
        f"{format_price(resistance[0])} ({percent(analysis.resistance_distance_pct)} above)"
    )
    assert levels.startswith(f"support {nearest_support}")
    assert f"; resistance {nearest_resistance}" in levels
    assert levels.count("%") == 2
