"""The answer's words: one sentence per outcome, rendered from the structured results, and the
answer's text and command lines (`answer`).

Every price arrives already on the instrument's tick (the steps round once); this module only
writes them (`format_price`, the same form as the command grammar) and chooses the words.
Sentences are one line each: the answer's first line is the summary, the rest are commands.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from shared.analysis.patterns import BEARISH, DETECTED
from shared.analysis.trade_plan import MIN_REWARD_RISK
from shared.core.outcomes import (
    AddedIndicator,
    Cleared,
    Compared,
    CrossAnswer,
    FibonacciRange,
    IndicatorAnswer,
    IndicatorsAdded,
    LevelsFound,
    LooseWords,
    NearLevelAnswer,
    Notice,
    NoTradePlan,
    Outcome,
    PatternsFound,
    RangeNotShown,
    RangeShown,
    Switched,
    TechnicalRead,
    TradePlanned,
    TrendAnswer,
    TrendlineFound,
    Unavailable,
    UnknownSymbols,
    Unsupported,
    Zoomed,
)
from shared.models.action import DetectedPattern, IndicatorValue, LevelDistance, Levels
from shared.models.commands import BaseCommand, ClearCommand, command_strings
from shared.models.context import ChartState
from shared.models.prices import format_price

NEED_SYMBOL = "Which symbol? Name one (e.g. TSLA) or open a chart first."
REMOVED_KINDS = {
    "TRENDLINES": "the trendlines", "LEVELS": "the levels", "FIBONACCI": "the Fibonacci levels",
    "PATTERNS": "the patterns", "DRAWINGS": "the drawings", "INDICATORS": "the indicators",
    "ALL": "everything",
}  # fmt: skip
ZOOM_WORDS = {"IN": "zooming in.", "OUT": "zooming out.", "FIT": "fitting the whole chart."}
INDICATOR_WORDS = {
    "SMA": "SMA", "EMA": "EMA", "RSI": "RSI", "MACD": "MACD", "BBANDS": "Bollinger Bands",
    "VWAP": "VWAP", "VOLUME": "volume",
}  # fmt: skip
RSI_HIGH, RSI_LOW = 70.0, 30.0


def percent(value: float) -> str:
    """Distance as "2.5%", or as "0.03%" on intraday charts, where one decimal reads "0.0%"."""
    return f"{value:.1f}%" if value >= 1 else f"{value:.2f}%"


def human_pattern(name: str) -> str:
    """`DOUBLE_TOP` -> "double top": the names traders say."""
    return name.lower().replace("_", " ")


def and_list(items: Sequence[str]) -> str:
    """Joins with commas and a final "and": a, b and c."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def when(time: int, intraday: bool) -> str:
    """A bar's time as its UTC date, with the time of day on intraday charts."""
    moment = datetime.fromtimestamp(time, UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC" if intraday else "%Y-%m-%d")


def describe_levels(
    levels: Levels,
    sides: Sequence[str] = ("support", "resistance"),
    nearest_pct: tuple[float | None, float | None] = (None, None),
) -> str:
    """`support 238.40, 221.10; resistance 262.90, 275.00.` for the sides asked.

    With `nearest_pct` (support, resistance distances of the nearest level from the close, as a
    technical analysis computes them) the nearest level of each side carries its distance,
    `support 238.40 (2.1% below)`, so the answer names each price once.
    """
    parts = []
    sided = (
        ("support", levels.support, nearest_pct[0], "below"),
        ("resistance", levels.resistance, nearest_pct[1], "above"),
    )
    for name, prices, distance, where in sided:
        if name not in sides:
            continue
        shown = [format_price(p) for p in prices]
        if shown and distance is not None:
            shown[0] += f" ({percent(distance)} {where})"
        parts.append(f"{name} {', '.join(shown) if shown else 'none found'}")
    return "; ".join(parts) + "."


def describe_pattern(pattern: DetectedPattern) -> str:
    """Name and key level, e.g. "double top (neckline 104.70)": where the breakout counts."""
    side = "flat side" if pattern.name.endswith("TRIANGLE") else "neckline"
    return f"{human_pattern(pattern.name)} ({side} {format_price(pattern.level)})"


def _cleared(kinds: Sequence[ClearCommand]) -> str:
    coarse = [k for k in kinds if k.what in ("ALL", "DRAWINGS", "INDICATORS")]
    if coarse and len(kinds) == 1:
        return f"cleared {coarse[0].what.lower()}."
    named = [REMOVED_KINDS.get(k.what) or _removed_indicator(k.indicator or "") for k in kinds]
    return f"removed {and_list(named)}."


def _limit(tag: str) -> str:
    """A removal's limit, said: "remove resistance only", "keep SMA 200 only"."""
    verb, what, *rest = tag.split()
    if verb == "remove":
        other = "support" if what == "resistance" else "resistance"
        return f"(support and resistance are removed together; ask for {other} to draw it again.)"
    shown = INDICATOR_WORDS.get(what, what)
    return f"(kept every {shown}, not only the {rest[0]}: a removal takes every period of it.)"


def _removed_indicator(name: str) -> str:
    """An indicator's removal takes every period of it: "SMA (every period)"."""
    every = " (every period)" if name in {"SMA", "EMA"} else ""
    return INDICATOR_WORDS.get(name, name) + every


def _added(added: Sequence[AddedIndicator]) -> str:
    """ "added SMA 10; 50-day drawn as 10-week on the 1W chart.": the notes after the list."""
    names = ", ".join(" ".join(item.command.args()) for item in added)
    notes = [item.note for item in added if item.note]
    return f"added {'; '.join([names, *notes])}."


def _pattern_checks(found: PatternsFound) -> str:
    """Each named pattern found or not, and what was found instead."""
    names = {p.name for p in found.patterns}
    said = []
    for name in found.named:
        if name in names:
            hits = [describe_pattern(p) for p in found.patterns if p.name == name]
            said.append(f"{', '.join(hits)}: found")
        elif name in DETECTED:
            said.append(f"no {human_pattern(name)} in the recent bars")
        else:
            kinds = and_list([human_pattern(n) for n in sorted(DETECTED)])
            said.append(f"{human_pattern(name)}: not a pattern I detect (I look for {kinds})")
    others = [describe_pattern(p) for p in found.patterns if p.name not in found.named]
    if others:
        said.append(f"found instead: {', '.join(others)}")
    elif not found.patterns:
        said.append("no other classic pattern either")
    return "; ".join(said) + "."


VALUE_FORMATS: dict[str, Callable[[float], str]] = {
    "RSI": lambda v: f"{v:.1f}", "VOLUME": lambda v: f"{v:,.0f}", "MACD": lambda v: f"{v:.4g}",
}  # fmt: skip


def _price_or_value(value: IndicatorValue) -> str:
    """RSI to a tenth, volume in whole units, MACD to four digits, prices as the grammar."""
    if value.value is None:
        return ""
    return VALUE_FORMATS.get(value.name, format_price)(value.value)


def _indicator_answer(answer: IndicatorAnswer) -> str:
    value = answer.value
    name = INDICATOR_WORDS[value.name] + (f" {value.period}" if value.period else "")
    if value.value is None:
        return f"{name}: not enough bars ({answer.bars}) to compute it."
    text = f"{name} is {_price_or_value(value)}"
    if value.name == "RSI":
        zone = (
            "overbought" if value.value >= RSI_HIGH
            else "oversold" if value.value <= RSI_LOW else "neither overbought nor oversold"
        )  # fmt: skip
        text += f" ({zone})"
    elif value.name == "MACD" and value.signal is not None and value.histogram is not None:
        side = "above" if value.histogram > 0 else "below"
        text += f", signal {value.signal:.4g}, histogram {value.histogram:.4g} ({side} its signal)"
    elif value.name == "BBANDS" and value.upper is not None and value.lower is not None:
        text = (
            f"{name}: middle {format_price(value.value)}, upper {format_price(value.upper)}, "
            f"lower {format_price(value.lower)}"
        )
    elif value.name in ("SMA", "EMA", "VWAP") and value.value > 0:
        gap = (answer.close - value.value) / value.value * 100
        side = "above" if gap >= 0 else "below"
        text += f"; the close {format_price(answer.close)} is {percent(abs(gap))} {side} it"
    elif value.name == "VOLUME":
        text += " on the last bar"
        if value.average:
            ratio = value.value / value.average
            text += f", {ratio:.1f}x the 20-bar average of {value.average:,.0f}"
    return text + (f" ({answer.note})." if answer.note else ".")


def _trend_answer(answer: TrendAnswer) -> str:
    if answer.asked is None:
        return f"The trend is {answer.trend}."
    word = "uptrend" if answer.asked == "up" else "downtrend"
    if answer.trend == answer.asked:
        return f"{word.capitalize()}? yes."
    return f"{word.capitalize()}? no, the trend is {answer.trend}."


def _cross_answer(answer: CrossAnswer) -> str:
    cross = answer.cross
    fast, slow = f"SMA{cross.fast_period}", f"SMA{cross.slow_period}"
    note = f" ({answer.note})" if answer.note else ""
    if cross.fast is None or cross.slow is None:
        return f"not enough bars ({answer.bars}) for {slow}, so no cross to report{note}."
    now = (
        f"{fast} {format_price(cross.fast)} is {'above' if cross.fast >= cross.slow else 'below'}"
        f" {slow} {format_price(cross.slow)}"
    )
    if cross.last is None or cross.time is None:
        asked = f"{answer.asked} cross" if answer.asked else "cross"
        return f"no {asked} in the last {answer.bars} bars: {now}{note}."
    direction = "above" if cross.last == "golden" else "below"
    event = (
        f"{cross.last} cross: {fast} crossed {direction} {slow} on "
        f"{when(cross.time, answer.intraday)} ({cross.bars_ago} bars ago)"
    )
    if answer.asked and answer.asked != cross.last:
        return f"no {answer.asked} cross since the last {event}; {now}{note}."
    return f"yes, {event}; {now}{note}." if answer.asked else f"last {event}; {now}{note}."


def _distance(level: LevelDistance) -> str:
    if level.price is None:
        where = "below" if level.side == "support" else "above"
        return f"no {level.side} found {where} the close"
    where = "below" if level.side == "support" else "above"
    atr = f", {level.distance_atr:.1f} ATR" if level.distance_atr is not None else ""
    pct = percent(level.distance_pct) if level.distance_pct is not None else "?"
    return f"{level.side} {format_price(level.price)} is {pct} {where}{atr}"


def _near_answer(answer: NearLevelAnswer) -> str:
    wanted = [d for d in answer.distances if answer.asked in (None, d.side)]
    near = [d for d in wanted if d.near]
    asked = answer.asked or "a level"
    verdict = "yes" if near else "no"
    return f"Near {asked}? {verdict}: {'; '.join(_distance(d) for d in wanted)}."


def _unknown(outcome: UnknownSymbols) -> str:
    words = and_list([repr(w) for w in outcome.words])
    kept = f"; nothing done, the chart stays on {outcome.kept}" if outcome.kept else ""
    return f"{words}: not a symbol I know{kept}."


def _loose(outcome: LooseWords) -> str:
    words = and_list([repr(w) for w in outcome.words])
    used = f"; used {outcome.used}, the chart's symbol, instead" if outcome.used else ""
    return f"{words}: not a symbol I know{used}."


def _unsupported(outcome: Unsupported) -> str:
    words = and_list([repr(w) for w in outcome.words])
    return (
        f"{words}: not something I can do on the chart; say what to remove instead "
        '(e.g. "remove the trendline").'
    )


def _unavailable(outcome: Unavailable) -> str:
    drawn = and_list(list(INDICATOR_WORDS.values()))
    return f"{and_list(list(outcome.names))}: not on this chart (it draws {drawn})."


def _compared(outcome: Compared) -> str:
    parts = []
    if outcome.symbols:
        shown = and_list(list(outcome.symbols))
        parts.append(f"comparing with {shown} (percent change from the first visible bar)")
    if outcome.unknown:
        parts.append(f"{and_list(list(outcome.unknown))}: no market data, not compared")
    if outcome.unavailable:
        failed = and_list(list(outcome.unavailable))
        parts.append(f"{failed}: market data unavailable right now, not compared")
    return "; ".join(parts) + "."


def _range_not_shown(outcome: RangeNotShown) -> str:
    why = {
        "future": "no bars there yet",
        "short": f"shorter than two bars of the {outcome.timeframe.value} chart",
        "no_anchor": "no such bars in the data",
        "impossible": "not a time span any chart can show",
    }[outcome.reason]
    return f"{outcome.phrase}: {why}, so the view is unchanged."


def _technical(outcome: TechnicalRead) -> str:
    parts = [f"trend {outcome.trend}"]
    if outcome.sma_fast is not None and outcome.sma_slow is not None:
        parts[0] += (
            f" (SMA20 {format_price(outcome.sma_fast)}, SMA50 {format_price(outcome.sma_slow)})"
        )
    if outcome.rsi is not None:
        parts.append(f"RSI {outcome.rsi:.0f}")
    return ", ".join(parts) + "."


def _leaning_patterns(outcome: PatternsFound) -> str:
    """ "any bearish patterns?": the bearish ones found, or none and what was found instead."""
    word = "bearish" if outcome.leaning == "down" else "bullish"
    bearish = outcome.leaning == "down"
    matching = [p for p in outcome.patterns if (p.name in BEARISH) == bearish]
    if matching:
        return f"{word} patterns: {', '.join(describe_pattern(p) for p in matching)}."
    others = [describe_pattern(p) for p in outcome.patterns]
    instead = f"; found instead: {', '.join(others)}" if others else ""
    return f"no {word} pattern in the recent bars{instead}."


def _patterns(outcome: PatternsFound) -> str:
    if outcome.named:
        return _pattern_checks(outcome)
    if outcome.leaning:
        return _leaning_patterns(outcome)
    if not outcome.patterns:
        return "no classic pattern in the recent bars."
    return f"patterns: {', '.join(describe_pattern(p) for p in outcome.patterns)}."


def _planned(plan: TradePlanned) -> str:
    return (
        f"{plan.direction} plan: entry {format_price(plan.entry)}, target "
        f"{format_price(plan.target)}, stop {format_price(plan.stop)}, reward/risk "
        f"{plan.reward_risk:.1f}."
    )


def _no_plan(outcome: NoTradePlan) -> str:
    if outcome.missing_side:
        return "no trade plan: need support below and resistance above."
    ahead = "resistance above" if outcome.direction == "long" else "support below"
    stop = outcome.stop
    where = f" to a stop at {format_price(stop)}" if stop and stop > 0 else ""
    return f"no {outcome.direction} plan: no {ahead} pays {MIN_REWARD_RISK:g}x the risk{where}."


# One writer per outcome type: adding an outcome without its words fails at the first answer.
WRITERS: dict[type, Callable[[Any], str]] = {
    Cleared: lambda o: " ".join([_cleared(o.kinds), *map(_limit, o.limits)]),
    Switched: lambda o: f"loading {o.symbol}." if o.symbol else f"switching to {o.timeframe}.",
    IndicatorsAdded: lambda o: _added(o.added),
    Compared: _compared,
    RangeShown: lambda o: (
        f"showing {o.phrase} ({when(o.t1, o.intraday)} to {when(o.t2, o.intraday)})."
    ),
    RangeNotShown: _range_not_shown,
    Zoomed: lambda o: ZOOM_WORDS[o.mode],
    TechnicalRead: _technical,
    LevelsFound: lambda o: describe_levels(o.levels, o.sides, o.nearest_pct),
    TrendlineFound: lambda o: f"trendline from {format_price(o.p1)} to {format_price(o.p2)}.",
    FibonacciRange: lambda o: f"Fibonacci from {format_price(o.high)} to {format_price(o.low)}.",
    PatternsFound: _patterns,
    TradePlanned: _planned,
    NoTradePlan: _no_plan,
    IndicatorAnswer: _indicator_answer,
    TrendAnswer: _trend_answer,
    CrossAnswer: _cross_answer,
    NearLevelAnswer: _near_answer,
    UnknownSymbols: _unknown,
    LooseWords: _loose,
    Unsupported: _unsupported,
    Unavailable: _unavailable,
}


NOTICES = {
    Notice.NEED_SYMBOL: NEED_SYMBOL,
    Notice.SAMPLE_DATA: "(sample data, not real prices)",
    Notice.NO_BARS: "no market data for this chart.",
    Notice.NO_TRENDLINE: "no trendline: not enough swings yet.",
    Notice.NOTHING_TO_CHANGE: "nothing to change.",
}


def answer(
    chart: ChartState | None, sentences: Sequence[str], commands: Sequence[BaseCommand]
) -> tuple[str, list[str]]:
    """(summary, command lines): the summary "TSLA 1D: ..." is one line; the response's `text`
    is it followed by every command line (so a page that sees only the agent's message can
    still parse them)."""
    lines = command_strings(commands)
    prefix = f"{chart.symbol} {chart.timeframe.value}: " if chart else ""
    return prefix + (" ".join(sentences) or "done."), lines


def sentence(outcome: Outcome) -> str:
    """The words for one outcome."""
    if isinstance(outcome, Notice):
        return NOTICES[outcome]
    return WRITERS[type(outcome)](outcome)
