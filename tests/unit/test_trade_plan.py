"""The trade plan: a target that pays for the risk, a stop scaled by volatility, no bad plans,
and shorts as the mirror image of longs."""

from __future__ import annotations

import pytest

from shared.analysis.levels import SupportResistance
from shared.analysis.trade_plan import MIN_REWARD_RISK, STOP_ATR, TradeDirection, plan_trade
from shared.core.result import ActionResult
from shared.core.steps import analyse
from shared.models.commands import LevelCommand
from shared.planner.intent import QueryIntent
from shared.planner.rules import parse_query
from tests.helpers import bars_from_closes, round_trips


def test_target_skips_resistance_too_close_to_pay_for_the_risk():
    levels = SupportResistance(support=(100.0,), resistance=(101.0, 130.0), last_close=100.9)
    plan = plan_trade(levels, atr=2.0)
    assert plan is not None
    assert (plan.entry, plan.target, plan.stop) == (100.9, 130.0, 100.0 - STOP_ATR * 2.0)
    assert plan.reward_risk >= MIN_REWARD_RISK


def test_no_plan_when_no_resistance_pays_for_the_risk():
    levels = SupportResistance(support=(100.0,), resistance=(101.0, 102.0), last_close=100.9)
    assert plan_trade(levels, atr=2.0) is None


@pytest.mark.parametrize("atr", [0.5, 2.0, 4.0])
def test_stop_sits_under_support_by_a_fraction_of_the_atr(atr: float):
    levels = SupportResistance(support=(100.0, 90.0), resistance=(150.0,), last_close=102.0)
    plan = plan_trade(levels, atr)
    assert plan is not None and plan.stop == pytest.approx(100.0 - STOP_ATR * atr)


def test_no_plan_without_support_or_with_a_stop_below_zero():
    assert plan_trade(SupportResistance((), (120.0,), 100.0), atr=1.0) is None
    assert plan_trade(SupportResistance((0.5,), (120.0,), 1.0), atr=2.0) is None


def test_a_short_stops_over_resistance_and_targets_support_that_pays():
    levels = SupportResistance(support=(119.0, 90.0), resistance=(120.0,), last_close=119.1)
    plan = plan_trade(levels, atr=2.0, direction="short")
    assert plan is not None
    assert (plan.entry, plan.target, plan.stop) == (119.1, 90.0, 120.0 + STOP_ATR * 2.0)
    assert plan.reward_risk >= MIN_REWARD_RISK
    assert plan_trade(SupportResistance((119.0,), (), 119.5), 2.0, "short") is None


def plan_for_range_ending_at(last: float, direction: TradeDirection = "long") -> ActionResult:
    """A market bouncing between 100 and 120 whose last close is `last`."""
    closes = round_trips(100.0, 120.0, cycles=6)
    closes += [100.0 + (last - 100.0) * i / 6 for i in range(7)]
    result = ActionResult()
    intent = QueryIntent(tools=("trade_plan",), trade_direction=direction)
    analyse(intent, bars_from_closes(closes), result, "AAPL")
    return result


def drawn_plan(result: ActionResult) -> dict[str, float]:
    return {c.verb: c.price for c in result.commands if isinstance(c, LevelCommand)}


def test_near_support_the_long_targets_the_top_of_the_range():
    result = plan_for_range_ending_at(103.0)
    plan = drawn_plan(result)
    assert plan["ENTRY"] == 103.0
    assert plan["TARGET"] == pytest.approx(120.0, abs=1.0)
    assert 97.0 < plan["STOPLOSS"] < 100.0
    assert result.sentences[-1].startswith("long plan: ") and "reward/risk" in result.sentences[-1]


def test_near_resistance_the_short_targets_the_bottom_of_the_range():
    result = plan_for_range_ending_at(117.0, "short")
    plan = drawn_plan(result)
    assert plan["ENTRY"] == 117.0
    assert plan["TARGET"] == pytest.approx(100.0, abs=1.0)
    assert 120.0 < plan["STOPLOSS"] < 123.0
    assert result.sentences[-1].startswith("short plan: ")


@pytest.mark.parametrize("direction", ["long", "short"])
def test_mid_range_there_is_no_plan_and_the_answer_says_why(direction: TradeDirection):
    result = plan_for_range_ending_at(111.0, direction)
    assert result.commands == []
    assert result.sentences[-1].startswith(f"no {direction} plan: no ")
    assert "pays 1.5x the risk" in result.sentences[-1]


@pytest.mark.parametrize(
    ("query", "direction"),
    [
        ("trade plan to short TSLA", "short"),
        ("short setup for nvda", "short"),
        ("give me a sell setup on amd with a stop", "short"),
        ("where to put my stop on a short in spy", "short"),
        ("short-term trade plan for msft", "long"),
        ("long setup for tsla", "long"),
        ("entry, target and stop for AAPL", "long"),
    ],
)
def test_the_planner_reads_the_trade_direction(query: str, direction: str):
    intent = parse_query(query)
    assert "trade_plan" in intent.tools and intent.trade_direction == direction
