"""The steps of a chart action, in the order the page should execute their commands.

Each step reads the planner's intent, appends commands and records what it found as an outcome
(`shared.core.outcomes`; `shared.core.render` writes its sentence). Prices are rounded once, to
the instrument's tick, before an outcome or a command is made. Bars are fetched at most once per
request, and only when a step needs prices.

Order on the page: clear, switch the chart, indicators, comparisons, the drawings that need
prices, then the view (RANGE, ZOOM) last so it frames what was drawn. What the query asked but
could not be done (a symbol with no data, "undo") is said, never dropped: the answer is
"nothing to change" only when nothing was asked that the chart does not already show.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.analysis.levels import SupportResistance, fibonacci_range, support_resistance
from shared.analysis.patterns import DETECTED, detect_patterns
from shared.analysis.swings import average_true_range
from shared.analysis.technical import Technical, technical_summary
from shared.analysis.trade_plan import MIN_REWARD_RISK, STOP_ATR, plan_trade, protective_stop
from shared.analysis.trendline import trend_trendline
from shared.core.answers import answer_questions, bars_wanted, cross_periods
from shared.core.outcomes import (
    AddedIndicator,
    Cleared,
    FibonacciRange,
    IndicatorsAdded,
    LevelsFound,
    LooseWords,
    Notice,
    NoTradePlan,
    PatternsFound,
    Switched,
    TechnicalRead,
    TradePlanned,
    TrendlineFound,
    Unavailable,
    UnknownSymbols,
    Unsupported,
)
from shared.core.result import ActionResult
from shared.core.target import Target
from shared.core.views import add_comparisons, add_range, add_zoom
from shared.market_data.base import Bar, MarketDataProvider
from shared.models.action import (
    DetectedPattern,
    Levels,
    MarketDataInfo,
    PatternCheck,
    ToolName,
    TradeDirection,
)
from shared.models.chart import TradeFacts
from shared.models.commands import (
    AnalyzeCommand,
    FibonacciCommand,
    IndicatorCommand,
    LevelCommand,
    LoadCommand,
    PatternCommand,
    RangeCommand,
    TimeframeCommand,
    TrendlineCommand,
)
from shared.models.fields import Timeframe
from shared.models.prices import format_price, price_rounder, round_price
from shared.planner.indicators import PeriodUnit
from shared.planner.intent import BOTH_SIDES, LevelSide, QueryIntent
from shared.planner.periods import equivalent_period

BARS_FOR_ANALYSIS = 300
MAX_BARS = 1000
LEVEL_TOOLS: frozenset[ToolName] = frozenset(
    {"support_resistance", "technical_analysis", "trade_plan"}
)
DATA_TOOLS: frozenset[ToolName] = frozenset(
    {"support_resistance", "trendline", "fibonacci", "technical_analysis", "patterns", "trade_plan"}
)


def run_steps(
    intent: QueryIntent, target: Target, provider: MarketDataProvider, result: ActionResult
) -> None:
    """Clear, switch the chart, add indicators, compare, everything that needs prices, then
    the view; and say what was not understood."""
    if _substitutes_context(intent, target):
        assert target.symbol is not None
        result.ignored += [f"symbol {word}" for word in intent.unknown_symbols]
        result.say(UnknownSymbols(intent.unknown_symbols, kept=target.symbol))
        if intent.loose_words:
            _say_loose(intent, target, result, drew=False)
        _say_unsupported(intent, result)
        return
    if intent.clear is not None:
        kinds = intent.clear_kinds or (intent.clear,)
        result.add("clear", *kinds)
        result.say(Cleared(kinds, intent.removal_limits))
        result.ignored += list(intent.removal_limits)
    switch_chart(target, result)
    before = len(result.commands)
    units = period_units(intent)
    if intent.indicators:
        add_indicators(intent.indicators, units, target.timeframe, result)
    if intent.questions and any(q.kind == "cross" for q in intent.questions):
        add_cross_averages(target.timeframe, result)
    if intent.compare_symbols:
        add_comparisons(intent.compare_symbols, target, provider, result)
    if _wanted_tools(intent) or intent.questions or intent.visible_range:
        price_steps(intent, target, provider, result, units)
    if intent.zoom is not None and not any(isinstance(c, RangeCommand) for c in result.commands):
        add_zoom(intent.zoom, result)  # "zoom in on the last month": the range is the zoom
    if intent.unknown_symbols:
        result.ignored += [f"symbol {word}" for word in intent.unknown_symbols]
        result.say(UnknownSymbols(intent.unknown_symbols, kept=None))
    if intent.loose_words:
        _say_loose(intent, target, result, drew=len(result.commands) > before)
    _say_unsupported(intent, result)
    if not result.sentences and not result.commands:
        result.say(Notice.NOTHING_TO_CHANGE)


def price_steps(
    intent: QueryIntent,
    target: Target,
    provider: MarketDataProvider,
    result: ActionResult,
    units: dict[IndicatorCommand, PeriodUnit],
) -> None:
    """Fetch the bars once, then the drawings and answers that need prices, then the range."""
    if target.symbol is None:
        result.say(Notice.NEED_SYMBOL)
        return
    limit = max(BARS_FOR_ANALYSIS, bars_wanted(intent.questions, units, target.timeframe))
    bars = fetch_bars(target, provider, result, min(limit, MAX_BARS))
    if not bars:
        result.say(Notice.NO_BARS)
        return
    analyse(intent, bars, result, target.symbol, timeframe=target.timeframe, units=units)
    if intent.visible_range is not None:
        add_range(intent.visible_range, target, bars, provider, result)


def _substitutes_context(intent: QueryIntent, target: Target) -> bool:
    """True when a word that looked like a ticker named nothing and the chart's symbol would
    stand in for it silently ("support for blorpco" on a TSLA chart)."""
    return bool(
        intent.unknown_symbols and intent.symbol is None and target.symbol and not target.load
    )


def _say_loose(intent: QueryIntent, target: Target, result: ActionResult, drew: bool) -> None:
    """Name the ordinary-looking words that named nothing, and the chart symbol that stood in
    for them when the request drew or read anything on it (said, so never silent)."""
    read = drew or result.market_data is not None
    used = target.symbol if intent.symbol is None and read else None
    result.ignored += [f"symbol {word}" for word in intent.loose_words]
    result.say(LooseWords(intent.loose_words, used=used))


def _say_unsupported(intent: QueryIntent, result: ActionResult) -> None:
    if intent.unsupported:
        result.ignored += list(intent.unsupported)
        result.say(Unsupported(intent.unsupported))
    if intent.unavailable:
        result.ignored += [f"indicator {name}" for name in intent.unavailable]
        result.say(Unavailable(intent.unavailable))


def _wanted_tools(intent: QueryIntent) -> list[ToolName]:
    """The price-based tools asked for; a pattern question asks for the pattern scan."""
    wanted = [tool for tool in intent.tools if tool in DATA_TOOLS]
    asks_patterns = intent.patterns_named or any(q.kind == "pattern" for q in intent.questions)
    if asks_patterns and "patterns" not in wanted:
        wanted.append("patterns")
    return wanted


def period_units(intent: QueryIntent) -> dict[IndicatorCommand, PeriodUnit]:
    """What each written period counts ("50 day" days), by indicator as the planner wrote it."""
    return dict(zip(intent.indicators, intent.period_units, strict=False))


def add_indicators(
    indicators: Sequence[IndicatorCommand],
    units: dict[IndicatorCommand, PeriodUnit],
    timeframe: Timeframe,
    result: ActionResult,
) -> None:
    """INDICATOR lines, a period written in days or weeks as the chart's bars (and said)."""
    added = []
    for command in indicators:
        drawn, note = command, None
        if command.period is not None:
            period, note = equivalent_period(command.period, units.get(command, "bars"), timeframe)
            drawn = command.model_copy(update={"period": period})
        if all(a.command != drawn for a in added):
            added.append(AddedIndicator(drawn, note))
    result.add("indicators", *(a.command for a in added))
    result.say(IndicatorsAdded(tuple(added)))


def add_cross_averages(timeframe: Timeframe, result: ActionResult) -> None:
    """A cross question draws the two averages it is about, unless they are already drawn."""
    wanted = [IndicatorCommand(name="SMA", period=p) for p in cross_periods(timeframe)]
    missing = [c for c in wanted if c not in result.commands]
    if missing:
        result.add("indicators", *missing)
        result.say(IndicatorsAdded(tuple(AddedIndicator(c) for c in missing)))


def switch_chart(target: Target, result: ActionResult) -> None:
    """LOAD/TIMEFRAME only when the chart must change (or nothing is known of it)."""
    if target.load and target.symbol is not None:
        result.add("load_symbol", LoadCommand(symbol=target.symbol))
        result.say(Switched(symbol=target.symbol))
    if target.switch_timeframe:
        result.add("set_timeframe", TimeframeCommand(timeframe=target.timeframe))
        if not target.load:  # a LOAD already names the timeframe in the answer's prefix
            result.say(Switched(timeframe=target.timeframe))


def fetch_bars(
    target: Target,
    provider: MarketDataProvider,
    result: ActionResult,
    limit: int = BARS_FOR_ANALYSIS,
) -> list[Bar]:
    """Recent bars for the target chart; the provider's errors become 503/504/404 upstream."""
    assert target.symbol is not None
    bars = provider.get_bars(target.symbol, target.timeframe, limit)
    result.market_data = MarketDataInfo(
        provider=provider.name,
        sample=provider.is_sample,
        bars=len(bars),
        last_close=bars[-1].close if bars else None,
        last_time=bars[-1].time if bars else None,
    )
    if provider.is_sample:
        result.say(Notice.SAMPLE_DATA)
    return bars


def analyse(
    intent: QueryIntent,
    bars: list[Bar],
    result: ActionResult,
    symbol: str,
    *,
    timeframe: Timeframe = Timeframe.D1,
    units: dict[IndicatorCommand, PeriodUnit] | None = None,
) -> None:
    """Run the price-based steps the query asked for, in page order, then answer its
    questions; a technical analysis always shows both sides, a levels request the sides it
    named. Levels, patterns and the trend read the latest `BARS_FOR_ANALYSIS` bars whatever
    more a question fetched, so asking a question never moves a level."""
    if not bars:
        result.say(Notice.NO_BARS)
        return
    recent = bars[-BARS_FOR_ANALYSIS:]
    wanted = _wanted_tools(intent)
    asks = {q.kind for q in intent.questions}
    asks_trend = "trend" in asks
    needs_levels = bool(LEVEL_TOOLS.intersection(wanted)) or bool(asks & {"trend", "near_level"})
    # levels cost most of an analysis: a question about the RSI or a range needs none
    levels = (
        support_resistance(recent, symbol=symbol)
        if needs_levels
        else SupportResistance((), (), recent[-1].close)
    )
    summary = (
        technical_summary(recent, levels, symbol)
        if "technical_analysis" in wanted or asks_trend
        else None
    )
    if summary is not None and "technical_analysis" in wanted:
        add_technical(summary, result)
        nearest = (summary.support_distance_pct, summary.resistance_distance_pct)
        sides = analysis_sides(intent)
        if sides:
            add_levels(levels, result, sides, nearest)
    elif "support_resistance" in wanted:
        add_levels(levels, result, intent.level_sides)
    if "trendline" in wanted:
        add_trendline(recent, result, symbol)
    if "fibonacci" in wanted:
        high, low = fibonacci_range(recent, symbol=symbol)
        result.add("fibonacci", FibonacciCommand(high=high, low=low))
        result.say(FibonacciRange(high, low))
    if "patterns" in wanted:
        leaning = next((q.direction for q in intent.questions if q.kind == "pattern"), None)
        add_patterns(recent, result, symbol, intent.patterns_named, leaning)
    if "trade_plan" in wanted:
        add_trade_plan(recent, levels, result, symbol, intent.trade_direction)
    if intent.questions:
        if summary is not None and "technical_analysis" not in wanted:
            note_technical(summary, result)
        answer_questions(
            intent.questions,
            units=units or {},
            bars=bars,
            levels=levels,
            technical=summary,
            symbol=symbol,
            timeframe=timeframe,
            result=result,
        )


def analysis_sides(intent: QueryIntent) -> tuple[LevelSide, ...]:
    """A technical analysis draws both sides of the levels, less what the request ruled out
    ("technicals but no resistance", "analyze it but don't draw any levels")."""
    if "support_resistance" in intent.ruled_out:
        return ()
    return tuple(side for side in BOTH_SIDES if side not in intent.ruled_out)


def note_technical(summary: Technical, result: ActionResult) -> None:
    """The trend/RSI summary and the distances to the nearest levels in `data.analysis`."""
    result.note_analysis(
        trend=summary.trend,
        close=summary.close,
        sma_20=summary.sma_fast,
        sma_50=summary.sma_slow,
        rsi_14=summary.rsi,
        support_distance_pct=summary.support_distance_pct,
        resistance_distance_pct=summary.resistance_distance_pct,
    )


def add_technical(summary: Technical, result: ActionResult) -> None:
    """ANALYZE:TECHNICAL plus the trend/RSI summary in text and in `data.analysis` (the levels
    sentence that follows shows the distances)."""
    result.add("technical_analysis", AnalyzeCommand(kind="TECHNICAL"))
    note_technical(summary, result)
    result.say(TechnicalRead(summary.trend, summary.sma_fast, summary.sma_slow, summary.rsi))


def add_patterns(
    bars: list[Bar],
    result: ActionResult,
    symbol: str,
    named: Sequence[str] = (),
    leaning: str | None = None,
) -> None:
    """ANALYZE:PATTERNS and one PATTERN command per detected pattern (the page draws its
    neckline or flat side between the two times, at the level in `data.analysis.patterns`);
    the patterns the query named are answered found or not."""
    patterns = detect_patterns(bars)
    result.add(
        "patterns",
        AnalyzeCommand(kind="PATTERNS"),
        *(PatternCommand(name=p.name, t1=p.t1, t2=p.t2) for p in patterns),
    )
    detected = [
        DetectedPattern(name=p.name, t1=p.t1, t2=p.t2, level=round_price(p.level, symbol))
        for p in patterns
    ]
    found = {p.name for p in detected}
    checks = [PatternCheck(name=n, found=n in found, detected_kind=n in DETECTED) for n in named]
    result.note_analysis(patterns=detected, patterns_asked=checks)
    result.say(PatternsFound(tuple(detected), tuple(named), leaning))


def add_levels(
    levels: SupportResistance,
    result: ActionResult,
    sides: Sequence[LevelSide],
    nearest_pct: tuple[float | None, float | None] = (None, None),
) -> None:
    """SUPPORT/RESISTANCE lines of the asked sides, plus the `levels` data and sentence."""
    support = list(levels.support) if "support" in sides else []
    resistance = list(levels.resistance) if "resistance" in sides else []
    result.levels = Levels(support=support, resistance=resistance)
    commands = [LevelCommand(verb="SUPPORT", price=p) for p in support]
    commands += [LevelCommand(verb="RESISTANCE", price=p) for p in resistance]
    result.add("support_resistance", *commands)
    result.say(LevelsFound(result.levels, tuple(sides), nearest_pct))


def add_trendline(bars: list[Bar], result: ActionResult, symbol: str) -> None:
    """The trendline of the trend over the bars (`trend_trendline`), if they have one."""
    line = trend_trendline(bars, symbol=symbol)
    if line is None:
        result.say(Notice.NO_TRENDLINE)
        return
    p1, p2 = line.p1, line.p2
    result.add("trendline", TrendlineCommand(p1=p1, t1=line.t1, p2=p2, t2=line.t2))
    result.say(TrendlineFound(p1, p2))


def add_trade_plan(
    bars: list[Bar],
    levels: SupportResistance,
    result: ActionResult,
    symbol: str,
    direction: TradeDirection = "long",
) -> None:
    """ENTRY/TARGET/STOPLOSS of a setup worth taking, or a sentence saying why not."""
    if not levels.support or not levels.resistance:
        result.say(NoTradePlan(direction, missing_side=True))
        result.trade = TradeFacts(direction=direction, reasons=[_MISSING_SIDE])
        return
    atr = average_true_range(bars)
    plan = plan_trade(levels, atr, direction, price_rounder(symbol))
    prices = [plan.entry, plan.target, plan.stop] if plan else []
    if plan is None or min(prices) <= 0:  # a stop under one tick of a future is no stop
        stop = protective_stop(levels, atr, direction)
        shown = round_price(stop, symbol) if stop and stop > 0 else None
        result.say(NoTradePlan(direction, missing_side=False, stop=shown))
        ahead = "resistance above" if direction == "long" else "support below"
        reason = f"no {direction} plan: no {ahead} the close pays {MIN_REWARD_RISK:g}x the risk"
        where = f" to a stop at {format_price(shown)}" if shown else ""
        result.trade = TradeFacts(direction=direction, stop=shown, reasons=[reason + where])
        return
    entry, target, stop = prices
    result.trade = TradeFacts(
        direction=direction,
        entry=entry,
        target=target,
        stop=stop,
        reward_risk=round(plan.reward_risk, 2),
        reasons=trade_reasons(levels, direction, prices, atr, plan.reward_risk, symbol),
    )
    result.add(
        "trade_plan",
        LevelCommand(verb="ENTRY", price=entry),
        LevelCommand(verb="TARGET", price=target),
        LevelCommand(verb="STOPLOSS", price=stop),
    )
    result.say(TradePlanned(direction, entry, target, stop, plan.reward_risk))


_MISSING_SIDE = "no trade plan: it needs support below and resistance above the close"


def trade_reasons(  # noqa: PLR0917 - the plan's parts, each needed in its sentence
    levels: SupportResistance,
    direction: TradeDirection,
    prices: list[float],
    atr: float,
    reward_risk: float,
    symbol: str,
) -> list[str]:
    """Why the entry, stop and target are where they are (the answer to "why?" after it)."""
    entry, target, stop = (format_price(p) for p in prices)
    long = direction == "long"
    behind = levels.support[0] if long else levels.resistance[0]
    side, ahead = ("support", "resistance") if long else ("resistance", "support")
    where = "below" if long else "above"
    return [
        f"entry {entry} is the last close",
        f"stop {stop} sits {STOP_ATR:g} ATR ({format_price(round_price(atr, symbol))}) {where} "
        f"the nearest {side} at {format_price(behind)}, so the day's noise does not reach it",
        f"target {target} is the nearest {ahead} that pays at least {MIN_REWARD_RISK:g}x the "
        f"risk (reward/risk {reward_risk:.1f})",
    ]
