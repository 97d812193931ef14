"""The trade plan: a target that pays for the risk, a stop scaled by volatility, no bad plans."""

from __future__ import annotations

import pytest

from shared.action_result import ActionResult
from shared.analysis.levels import SupportResistance
from shared.analysis.trade_plan import MIN_REWARD_RISK, STOP_ATR, long_plan
from shared.models.commands import LevelCommand
from shared.steps import analyse
from tests.test_analysis import bars_from_closes, legs


def test_target_skips_resistance_too_close_to_pay_for_the_risk():
    levels = SupportResistance(support=(100.0,), resistance=(101.0, 130.0), last_close=100.9)
    plan = long_plan(levels, atr=2.0)
    assert plan is not None
    assert (plan.entry, plan.target, plan.stop) == (100.9, 130.0, 100.0 - STOP_ATR * 2.0)
    assert plan.reward_risk >= MIN_REWARD_RISK


def test_no_plan_when_no_resistance_pays_for_the_risk():
    levels = SupportResistance(support=(100.0,), resistance=(101.0, 102.0), last_close=100.9)
    assert long_plan(levels, atr=2.0) is None


@pytest.mark.parametrize("atr", [0.5, 2.0, 4.0])
def test_stop_sits_under_support_by_a_fraction_of_the_atr(atr: float):
    levels = SupportResistance(support=(100.0, 90.0), resistance=(150.0,), last_close=102.0)
    plan = long_plan(levels, atr)
    assert plan is not None and plan.stop == pytest.approx(100.0 - STOP_ATR * atr)


def test_no_plan_without_support_or_with_a_stop_below_zero():
    assert long_plan(SupportResistance((), (120.0,), 100.0), atr=1.0) is None
    assert long_plan(SupportResistance((0.5,), (120.0,), 1.0), atr=2.0) is None


def plan_for_range_ending_at(last: float) -> ActionResult:
    """A market bouncing between 100 and 120 whose last close is `last`."""
    closes = legs(100.0, 120.0, cycles=6)
    closes += [100.0 + (last - 100.0) * i / 6 for i in range(7)]
    result = ActionResult()
    analyse(["trade_plan"], bars_from_closes(closes), result, "AAPL")
    return result


def test_near_support_the_plan_targets_the_top_of_the_range():
    result = plan_for_range_ending_at(103.0)
    plan = {c.verb: c.price for c in result.commands if isinstance(c, LevelCommand)}
    assert plan["ENTRY"] == 103.0
    assert plan["TARGET"] == pytest.approx(120.0, abs=1.0)
    assert 97.0 < plan["STOPLOSS"] < 100.0
    assert "reward/risk" in result.sentences[-1]


def test_mid_range_there_is_no_plan_and_the_answer_says_why():
    result = plan_for_range_ending_at(111.0)
    assert result.commands == []
    assert result.sentences[-1].startswith("no trade plan: no resistance above pays 1.5x the risk")
