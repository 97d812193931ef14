"""Answers to the questions a query asks, with values from our analysis of the chart's bars.

"What's the RSI" reads the indicator at the last bar (on the period the page draws, converted
from days or weeks to the chart's bars); "is it in an uptrend" the moving-average trend;
"golden cross?" the last cross of SMA 50 and SMA 200 (their equivalents on weekly and monthly
charts, bars on intraday ones) with its date; "is it near support" the distance to the nearest
level in percent and in ATRs (within one ATR counts as near). Named patterns are answered by the
pattern step itself (found or not, and what was found instead). Every value goes into
`data.analysis` rounded once: prices to the instrument's tick.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from shared.analysis.indicators import Reading, last_cross, reading
from shared.analysis.levels import SupportResistance
from shared.analysis.swings import average_true_range
from shared.analysis.technical import Technical
from shared.core.outcomes import CrossAnswer, IndicatorAnswer, NearLevelAnswer, TrendAnswer
from shared.core.result import ActionResult
from shared.market_data.base import Bar
from shared.market_data.calendars import INTRADAY
from shared.models.action import CrossInfo, IndicatorValue, LevelDistance
from shared.models.commands import IndicatorCommand
from shared.models.fields import Timeframe
from shared.models.prices import round_price
from shared.planner.indicators import PeriodUnit
from shared.planner.intent import BOTH_SIDES, Question
from shared.planner.periods import equivalent_period

CROSS_DAYS = (50, 200)
NEAR_ATR = 1.0
PRICE_INDICATORS = frozenset({"SMA", "EMA", "BBANDS", "VWAP"})


def cross_periods(timeframe: Timeframe) -> tuple[int, int]:
    """SMA 50/200 days as bars of the chart (10/40 on 1W); bars as they are on intraday charts."""
    fast, slow = (equivalent_period(days, "days", timeframe).period for days in CROSS_DAYS)
    return fast, slow


def bars_wanted(
    questions: Sequence[Question], units: dict[IndicatorCommand, PeriodUnit], timeframe: Timeframe
) -> int:
    """Bars the answers need: a cross needs history before its slow average starts (300 bars
    to look back over), an SMA its period, an EMA or RSI three periods (their seed fades)."""
    wanted = 0
    for question in questions:
        if question.kind == "cross":
            wanted = max(wanted, cross_periods(timeframe)[1] + 300)
        elif question.kind == "indicator_value" and question.indicator is not None:
            indicator = question.indicator
            if indicator.period is None:
                continue
            unit = units.get(indicator, "bars")
            period = equivalent_period(indicator.period, unit, timeframe).period
            wanted = max(wanted, period if indicator.name == "SMA" else period * 3)
    return wanted


def to_value(found: Reading, symbol: str) -> IndicatorValue:
    """A reading as response data, prices on the tick, RSI to a tenth, MACD to 6 digits."""
    parts = dict(found.parts)

    def tick(value: float | None) -> float | None:
        return round_price(value, symbol) if value is not None and value > 0 else None

    if found.name in PRICE_INDICATORS:
        value = tick(found.value)
    elif found.name == "RSI" and found.value is not None:
        value = round(found.value, 1)
    elif found.name == "MACD" and found.value is not None:
        value = round(found.value, 6)
    else:
        value = found.value
    macd = found.name == "MACD"
    return IndicatorValue(
        name=found.name,  # type: ignore[arg-type]
        period=found.period,
        value=value,
        signal=round(parts["signal"], 6) if macd and "signal" in parts else None,
        histogram=round(parts["histogram"], 6) if macd and "histogram" in parts else None,
        upper=tick(parts.get("upper")),
        lower=tick(parts.get("lower")),
        average=round(parts["average"]) if "average" in parts else None,
    )


def answer_indicator(
    indicator: IndicatorCommand,
    *,
    unit: PeriodUnit,
    bars: Sequence[Bar],
    symbol: str,
    timeframe: Timeframe,
    result: ActionResult,
    drawn: bool = False,
) -> None:
    """The indicator's value at the last bar, on the period drawn for it on this chart."""
    period, note = indicator.period, None
    if period is not None:
        period, note = equivalent_period(period, unit, timeframe)
    if drawn:
        note = None
    value = to_value(reading(bars, indicator.name, period), symbol)
    result.note_analysis(indicators=[*(result.analysis.indicators if result.analysis else []),
                                     value])  # fmt: skip
    close = round_price(bars[-1].close, symbol)
    result.say(IndicatorAnswer(value, close, len(bars), note))


def answer_cross(
    asked: str | None,
    bars: Sequence[Bar],
    symbol: str,
    timeframe: Timeframe,
    result: ActionResult,
) -> None:
    fast, slow = cross_periods(timeframe)
    now_fast, now_slow = (reading(bars, "SMA", p).value for p in (fast, slow))
    found = last_cross(bars, fast, slow) if now_slow is not None else None
    info = CrossInfo(
        fast_period=fast,
        slow_period=slow,
        fast=round_price(now_fast, symbol) if now_fast else None,
        slow=round_price(now_slow, symbol) if now_slow else None,
        last=found.kind if found else None,
        time=found.time if found else None,
        date=datetime.fromtimestamp(found.time, UTC).strftime("%Y-%m-%d") if found else None,
        bars_ago=found.bars_ago if found else None,
    )
    result.note_analysis(cross=info)
    note = None
    if timeframe in INTRADAY:
        note = f"{fast} and {slow} bars of the {timeframe.value} chart, not days"
    elif timeframe is not Timeframe.D1:
        note = f"the 50- and 200-day averages as {fast} and {slow} bars of {timeframe.value}"
    result.say(CrossAnswer(asked, info, len(bars), timeframe in INTRADAY, note))  # type: ignore[arg-type]


def nearest_levels(
    levels: SupportResistance, bars: Sequence[Bar], symbol: str
) -> tuple[LevelDistance, ...]:
    """The nearest support and resistance with their distances from the close."""
    close = bars[-1].close
    atr = average_true_range(bars)
    out = []
    for side, prices in (("support", levels.support), ("resistance", levels.resistance)):
        if not prices:
            out.append(LevelDistance(side=side))  # type: ignore[arg-type]
            continue
        gap = abs(prices[0] - close)
        out.append(
            LevelDistance(
                side=side,  # type: ignore[arg-type]
                price=round_price(prices[0], symbol),
                distance_pct=round(gap / close * 100, 2),
                distance_atr=round(gap / atr, 2) if atr > 0 else None,
                near=atr > 0 and gap <= NEAR_ATR * atr,
            )
        )
    return tuple(out)


def answer_questions(
    questions: Sequence[Question],
    *,
    units: dict[IndicatorCommand, PeriodUnit],
    bars: Sequence[Bar],
    levels: SupportResistance,
    technical: Technical | None,
    symbol: str,
    timeframe: Timeframe,
    result: ActionResult,
) -> None:
    """One answer per question, in the order asked (patterns are the pattern step's)."""
    for question in questions:
        if question.kind == "indicator_value" and question.indicator is not None:
            unit = units.get(question.indicator, "bars")
            # an indicator also drawn has had its period note said where it was added
            answer_indicator(
                question.indicator,
                unit=unit,
                bars=bars,
                symbol=symbol,
                timeframe=timeframe,
                result=result,
                drawn=question.indicator in units,
            )
        elif question.kind == "trend" and technical is not None:
            result.say(TrendAnswer(question.direction, technical.trend))
        elif question.kind == "cross":
            answer_cross(question.cross, bars, symbol, timeframe, result)
        elif question.kind == "near_level":
            distances = nearest_levels(levels, bars, symbol)
            result.note_analysis(nearest_levels=list(distances))
            sides = (question.side,) if question.side else BOTH_SIDES
            result.say(NearLevelAnswer(question.side, tuple(d for d in distances
                                                            if d.side in sides)))  # fmt: skip
