"""Timeframe-aware periods: "50 day moving average" on a weekly chart is a 10-week average.

A period written in days or weeks is converted to bars of the chart's timeframe with market
calendars (5 trading days a week, 21 a month): 50 days -> 10 on 1W, 2 on 1M; 20 weeks -> 100
on 1D. On intraday charts a day has no fixed number of bars (6.5 hours for US stocks, 24 for
crypto), so the period is kept as bars and the note says what was drawn. A period in bars
("sma 50") is never converted; one longer than the 500 bars allowed is capped, and says so.
The note is None when nothing needs saying.
"""

from __future__ import annotations

from typing import NamedTuple

from shared.models.fields import Timeframe
from shared.planner.indicators import MAX_PERIOD, PeriodUnit

DAYS_PER_BAR: dict[Timeframe, int] = {Timeframe.D1: 1, Timeframe.W1: 5, Timeframe.MN1: 21}
DAYS_PER_UNIT: dict[PeriodUnit, int] = {"days": 1, "weeks": 5}
BAR_NAMES: dict[Timeframe, str] = {
    Timeframe.D1: "day", Timeframe.W1: "week", Timeframe.MN1: "month",
}  # fmt: skip
UNIT_NAMES: dict[PeriodUnit, str] = {"days": "day", "weeks": "week", "bars": "bar"}


class EquivalentPeriod(NamedTuple):
    """The period to draw on the chart, and a sentence for the answer when it differs."""

    period: int
    note: str | None


def equivalent_period(
    period: int, unit: PeriodUnit, chart_timeframe: Timeframe
) -> EquivalentPeriod:
    """`period` `unit`s as bars of `chart_timeframe` (see the module docstring)."""
    if unit == "bars":
        return EquivalentPeriod(period, None)
    written = f"{period}-{UNIT_NAMES[unit]}"
    per_bar = DAYS_PER_BAR.get(chart_timeframe)
    if per_bar is None:
        return EquivalentPeriod(
            period,
            f"{written} asked on the {chart_timeframe.value} chart: drew {period} bars of "
            f"{chart_timeframe.value}, not {period} {UNIT_NAMES[unit]}s",
        )
    exact = max(1, round(period * DAYS_PER_UNIT[unit] / per_bar))
    bars = min(MAX_PERIOD, exact)
    if per_bar == DAYS_PER_UNIT[unit] and bars == exact:
        return EquivalentPeriod(bars, None)
    name = BAR_NAMES[chart_timeframe]
    note = f"{written} drawn as {bars}-{name} on the {chart_timeframe.value} chart"
    if bars != exact:
        note += f" (the longest period allowed; {exact} would be exact)"
    return EquivalentPeriod(bars, note)
