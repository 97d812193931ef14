"""A trade setup read off the levels: enter at the close, stop beyond the nearest level behind
the trade, target a level ahead of it that pays for the risk.

Why not simply "target the nearest level": when the close sits just under resistance that gives
plans such as reward/risk 0.1, which no trader would take. The target is the nearest level
that pays at least `MIN_REWARD_RISK` times the risk; when none does, there is no plan and the
caller says why instead of drawing a bad one. The stop sits a fraction of an ATR beyond the
level rather than a fixed percentage, so it clears the day's noise on a volatile coin and stays
tight on a bond future; not on the level itself, because levels everyone watches are run
through more often than others (devtools/research/levels.md). A short is the mirror image of a long.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.analysis.levels import SupportResistance
from shared.models.action import TradeDirection

__all__ = [
    "MIN_REWARD_RISK",
    "STOP_ATR",
    "TradeDirection",
    "TradePlan",
    "plan_trade",
    "protective_stop",
]
MIN_REWARD_RISK = 1.5
STOP_ATR = 0.5  # how far beyond the level behind the trade the stop sits, in ATRs


@dataclass(frozen=True, slots=True)
class TradePlan:
    """Entry, target and stop of one trade, in the prices the chart will show (`plan_trade`
    snaps them before judging the plan, so the ratio it promises is the ratio drawn)."""

    entry: float
    target: float
    stop: float

    @property
    def reward_risk(self) -> float:
        """How many times the risk (entry to stop) the reward (entry to target) is."""
        return abs(self.target - self.entry) / abs(self.entry - self.stop)


def protective_stop(
    levels: SupportResistance, atr: float, direction: TradeDirection = "long"
) -> float | None:
    """`STOP_ATR` under the nearest support (long) or over the nearest resistance (short)."""
    behind = levels.support if direction == "long" else levels.resistance
    if not behind:
        return None
    return behind[0] - STOP_ATR * atr if direction == "long" else behind[0] + STOP_ATR * atr


def plan_trade(
    levels: SupportResistance,
    atr: float,
    direction: TradeDirection = "long",
    snap: Callable[[float], float] = float,
) -> TradePlan | None:
    """The plan targeting the nearest level ahead worth `MIN_REWARD_RISK`, or None. `snap`
    rounds a price to the instrument's tick first: judged on unrounded prices, a plan at 1.5x
    could be drawn at 1.499x (the date sweep found one)."""
    stop = protective_stop(levels, atr, direction)
    if stop is None:
        return None
    entry, stop = snap(levels.last_close), snap(stop)
    ahead = levels.resistance if direction == "long" else levels.support
    if stop <= 0 or stop == entry or (stop < entry) != (direction == "long"):
        return None
    plans = (TradePlan(entry, snap(target), stop) for target in ahead)
    return next((plan for plan in plans if plan.reward_risk >= MIN_REWARD_RISK), None)
