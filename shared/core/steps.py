"""The steps of a chart action, in the order the page should execute their commands.

Each step reads the planner's intent and appends commands, a sentence and its tool name to the
`ActionResult`. Bars are fetched at most once per request, and only when a step needs prices.
"""

from __future__ import annotations

from collections.abc import Sequence

from shared.analysis.levels import SupportResistance, fibonacci_range, support_resistance
from shared.analysis.patterns import detect_patterns
from shared.analysis.swings import average_true_range
from shared.analysis.technical import Technical, technical_summary
from shared.analysis.trade_plan import MIN_REWARD_RISK, plan_trade, protective_stop
from shared.analysis.trendline import latest_trendline
from shared.core.result import ActionResult, describe_levels
from shared.core.target import Target
from shared.market_data.base import Bar, MarketDataProvider
from shared.models.action import (
    Analysis,
    DetectedPattern,
    Levels,
    MarketDataInfo,
    ToolName,
    TradeDirection,
)
from shared.models.commands import (
    AnalyzeCommand,
    FibonacciCommand,
    LevelCommand,
    LoadCommand,
    PatternCommand,
    TimeframeCommand,
    TrendlineCommand,
)
from shared.models.prices import format_price, round_price
from shared.planner.intent import BOTH_SIDES, LevelSide, QueryIntent

BARS_FOR_ANALYSIS = 300
DATA_TOOLS: frozenset[ToolName] = frozenset(
    {"support_resistance", "trendline", "fibonacci", "technical_analysis", "patterns", "trade_plan"}
)


def run_steps(
    intent: QueryIntent, target: Target, provider: MarketDataProvider, result: ActionResult
) -> None:
    """Clear, switch the chart, add indicators, then everything that needs prices."""
    if intent.clear is not None:
        result.add("clear", intent.clear)
        result.sentences.append(f"cleared {intent.clear.what.lower()}.")
    switch_chart(target, result)
    if intent.indicators:
        result.add("indicators", *intent.indicators)
        names = ", ".join(" ".join(c.args()) for c in intent.indicators)
        result.sentences.append(f"added {names}.")
    wanted = [tool for tool in intent.tools if tool in DATA_TOOLS]
    if not wanted:
        if not result.sentences and not result.commands:
            result.sentences.append("nothing to change.")
        return
    if target.symbol is None:
        result.sentences.append("Which symbol? Name one (e.g. TSLA) or open a chart first.")
        return
    bars = fetch_bars(target, provider, result)
    analyse(intent, bars, result, target.symbol)


def switch_chart(target: Target, result: ActionResult) -> None:
    """LOAD/TIMEFRAME only when the chart must change (or nothing is known of it)."""
    if target.load and target.symbol is not None:
        result.add("load_symbol", LoadCommand(symbol=target.symbol))
        result.sentences.append(f"loading {target.symbol}.")
    if target.switch_timeframe:
        result.add("set_timeframe", TimeframeCommand(timeframe=target.timeframe))
        if not target.load:  # a LOAD already names the timeframe in the answer's prefix
            result.sentences.append(f"switching to {target.timeframe.value}.")


def fetch_bars(target: Target, provider: MarketDataProvider, result: ActionResult) -> list[Bar]:
    """Recent bars for the target chart; the provider's errors become 503/504/404 upstream."""
    assert target.symbol is not None
    bars = provider.get_bars(target.symbol, target.timeframe, BARS_FOR_ANALYSIS)
    result.market_data = MarketDataInfo(
        provider=provider.name,
        sample=provider.is_sample,
        bars=len(bars),
        last_close=bars[-1].close if bars else None,
        last_time=bars[-1].time if bars else None,
    )
    if provider.is_sample:
        result.sentences.append("(sample data, not real prices)")
    return bars


def snap_levels(levels: SupportResistance, symbol: str) -> SupportResistance:
    """Levels on the instrument's tick grid (a quarter point for ES=F, a cent for stocks)."""
    return SupportResistance(
        support=tuple(round_price(p, symbol) for p in levels.support),
        resistance=tuple(round_price(p, symbol) for p in levels.resistance),
        last_close=round_price(levels.last_close, symbol),
    )


def analyse(intent: QueryIntent, bars: list[Bar], result: ActionResult, symbol: str) -> None:
    """Run the price-based steps the query asked for, in page order; a technical analysis
    always shows both sides, a levels request the sides it named."""
    wanted = intent.tools
    if not bars:
        result.sentences.append("no market data for this chart.")
        return
    levels = snap_levels(support_resistance(bars), symbol)
    if "technical_analysis" in wanted:
        summary = add_technical(bars, levels, result, symbol)
        nearest = (summary.support_distance_pct, summary.resistance_distance_pct)
        add_levels(levels, result, BOTH_SIDES, nearest)
    elif "support_resistance" in wanted:
        add_levels(levels, result, intent.level_sides)
    if "trendline" in wanted:
        add_trendline(bars, result, symbol)
    if "fibonacci" in wanted:
        high, low = (round_price(p, symbol) for p in fibonacci_range(bars))
        result.add("fibonacci", FibonacciCommand(high=high, low=low))
        result.sentences.append(f"Fibonacci from {format_price(high)} to {format_price(low)}.")
    if "patterns" in wanted:
        add_patterns(bars, result, symbol)
    if "trade_plan" in wanted:
        add_trade_plan(bars, levels, result, symbol, intent.trade_direction)


def add_technical(
    bars: list[Bar], levels: SupportResistance, result: ActionResult, symbol: str
) -> Technical:
    """ANALYZE:TECHNICAL plus the trend/RSI summary in text and, with the distances to the
    nearest levels, in `data.analysis` (the levels sentence that follows shows the distances)."""
    summary = technical_summary(bars, levels, symbol)
    result.add("technical_analysis", AnalyzeCommand(kind="TECHNICAL"))
    analysis = result.analysis or Analysis()
    result.analysis = analysis.model_copy(
        update={
            "trend": summary.trend,
            "close": summary.close,
            "sma_20": summary.sma_fast,
            "sma_50": summary.sma_slow,
            "rsi_14": summary.rsi,
            "support_distance_pct": summary.support_distance_pct,
            "resistance_distance_pct": summary.resistance_distance_pct,
        }
    )
    parts = [f"trend {summary.trend}"]
    if summary.sma_fast is not None and summary.sma_slow is not None:
        parts[0] += (
            f" (SMA20 {format_price(summary.sma_fast)}, SMA50 {format_price(summary.sma_slow)})"
        )
    if summary.rsi is not None:
        parts.append(f"RSI {summary.rsi:.0f}")
    result.sentences.append(", ".join(parts) + ".")
    return summary


def add_patterns(bars: list[Bar], result: ActionResult, symbol: str) -> None:
    """ANALYZE:PATTERNS and one PATTERN command per detected pattern, with its key level."""
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
    result.analysis = (result.analysis or Analysis()).model_copy(update={"patterns": detected})
    if not patterns:
        result.sentences.append("no classic pattern in the recent bars.")
        return
    described = ", ".join(describe_pattern(p) for p in detected)
    result.sentences.append(f"patterns: {described}.")


def describe_pattern(pattern: DetectedPattern) -> str:
    """Name and key level, e.g. "double top (neckline 104.70)": where the breakout counts."""
    name = pattern.name.lower().replace("_", " ")
    side = "flat side" if pattern.name.endswith("TRIANGLE") else "neckline"
    return f"{name} ({side} {format_price(pattern.level)})"


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
    result.sentences.append(describe_levels(result.levels, sides, nearest_pct))


def add_trendline(bars: list[Bar], result: ActionResult, symbol: str) -> None:
    """The trendline through the latest swings, if the bars have two."""
    line = latest_trendline(bars)
    if line is None:
        result.sentences.append("no trendline: not enough swings yet.")
        return
    p1, p2 = round_price(line.p1, symbol), round_price(line.p2, symbol)
    result.add("trendline", TrendlineCommand(p1=p1, t1=line.t1, p2=p2, t2=line.t2))
    result.sentences.append(f"trendline from {format_price(p1)} to {format_price(p2)}.")


def add_trade_plan(
    bars: list[Bar],
    levels: SupportResistance,
    result: ActionResult,
    symbol: str,
    direction: TradeDirection = "long",
) -> None:
    """ENTRY/TARGET/STOPLOSS of a setup worth taking, or a sentence saying why not."""
    if not levels.support or not levels.resistance:
        result.sentences.append("no trade plan: need support below and resistance above.")
        return
    atr = average_true_range(bars)
    plan = plan_trade(levels, atr, direction)
    prices = [round_price(p, symbol) for p in (plan.entry, plan.target, plan.stop)] if plan else []
    if plan is None or min(prices) <= 0:  # a stop under one tick of a future is no stop
        stop = protective_stop(levels, atr, direction)
        ahead = "resistance above" if direction == "long" else "support below"
        where = (
            f" to a stop at {format_price(round_price(stop, symbol))}" if stop and stop > 0 else ""
        )
        result.sentences.append(
            f"no {direction} plan: no {ahead} pays {MIN_REWARD_RISK:g}x the risk{where}."
        )
        return
    entry, target, stop = prices
    result.add(
        "trade_plan",
        LevelCommand(verb="ENTRY", price=entry),
        LevelCommand(verb="TARGET", price=target),
        LevelCommand(verb="STOPLOSS", price=stop),
    )
    result.sentences.append(
        f"{direction} plan: entry {format_price(entry)}, target {format_price(target)}, "
        f"stop {format_price(stop)}, reward/risk {plan.reward_risk:.1f}."
    )
