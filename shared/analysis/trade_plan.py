"""A long setup read off the levels: enter at the close, stop under support, target a resistance
that pays for the risk.

Why not simply "target the nearest resistance": when the close sits just under resistance that
gives plans such as reward/risk 0.1, which no trader would take. The target is the nearest
resistance that pays at least `MIN_REWARD_RISK` times the risk; when none does, there is no
plan and the caller says why instead of drawing a bad one. The stop sits a fraction of an ATR
under support rather than a fixed percentage, so it clears the day's noise on a volatile coin
and stays tight on a bond future; not on the level itself, because levels everyone watches are
run through more often than others (docs/levels.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.analysis.levels import SupportResistance

MIN_REWARD_RISK = 1.5
STOP_ATR = 0.5  # how far under the nearest support the stop sits, in ATRs


@dataclass(frozen=True, slots=True)
class TradePlan:
    """Entry, target and stop of a long trade; prices unrounded, callers snap them to the tick."""

    entry: float
    target: float
    stop: float

    @property
    def reward_risk(self) -> float:
        """How many times the risk (entry to stop) the reward (entry to target) is."""
        return (self.target - self.entry) / (self.entry - self.stop)


def stop_below_support(levels: SupportResistance, atr: float) -> float | None:
    """Where the stop goes: `STOP_ATR` under the nearest support, or None without support."""
    if not levels.support:
        return None
    return levels.support[0] - STOP_ATR * atr


def long_plan(levels: SupportResistance, atr: float) -> TradePlan | None:
    """The plan targeting the nearest resistance worth `MIN_REWARD_RISK`, or None."""
    stop = stop_below_support(levels, atr)
    entry = levels.last_close
    if stop is None or not 0 < stop < entry:
        return None
    plans = (TradePlan(entry, target, stop) for target in levels.resistance)
    return next((plan for plan in plans if plan.reward_risk >= MIN_REWARD_RISK), None)
