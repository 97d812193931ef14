"""Follow-ups resolved against the chart document, before any model is asked.

A message read on its own ("weekly", "the same for NVDA", "remove it", "why?") means something
else after an answer: the document says what is drawn and what the last answer did and quoted,
so the rules can finish the thought the user started:

- a bare symbol or timeframe, or "the same for ...", carries the analysis on the chart (the
  tools behind its drawings, and the last answer's) to the new chart;
- "remove it" and undo take away the most recent drawings only (one CLEAR of a kind when that
  is exactly them, else `REMOVE:<id>` for each), never everything;
- "add IWM too" beside a comparison adds an overlay instead of loading the symbol;
- "why?", "when?" and "how far?" are answered from the last answer's facts, with no command;
- "the opposite trade" plans the last trade the other way.

What cannot be resolved is said, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from shared.models.action import ToolName
from shared.models.chart import ChartIndicator, ChartMemory, Drawing, Facts, Overlay
from shared.models.chart_edits import CLEARED_KINDS
from shared.models.commands import BaseCommand, ClearCommand, RemoveCommand
from shared.models.prices import format_price
from shared.planner.followups import FollowUpWords, follow_up_words
from shared.planner.intent import BOTH_SIDES, QueryIntent

# The tools a follow-up carries to a new chart: the ones computed from its bars.
CARRIED: tuple[ToolName, ...] = (
    "technical_analysis", "support_resistance", "trendline", "fibonacci", "patterns", "trade_plan",
)  # fmt: skip
NOTHING_TO_REMOVE = "nothing to remove: the chart shows no drawing of this conversation."
NOTHING_TO_EXPLAIN = "there is no earlier answer on this chart to explain yet."


@dataclass(frozen=True, slots=True)
class FollowUp:
    """How a follow-up was resolved: a new intent for the steps to run, or the commands and the
    sentence that answer it directly (`commands` may be empty: a question)."""

    intent: QueryIntent | None = None
    commands: tuple[BaseCommand, ...] = ()
    sentence: str | None = None


def resolve(query: str, intent: QueryIntent, memory: ChartMemory) -> FollowUp | None:
    """The follow-up the message is, or None when it stands alone."""
    words = follow_up_words(query)
    if words.remove_it or (words.undo and _bare(intent, allow=("clear",))):
        return remove_recent(memory)
    if memory.last_answer is None:
        return FollowUp(sentence=NOTHING_TO_EXPLAIN) if _only_asks(words, intent) else None
    return _about_last(words, intent, memory)


def _about_last(words: FollowUpWords, intent: QueryIntent, memory: ChartMemory) -> FollowUp | None:
    """The follow-ups that build on the last answer."""
    last = memory.last_answer
    assert last is not None
    if words.opposite and "trade_plan" in last.plan.tools and _bare(intent):
        flipped = "short" if last.plan.direction != "short" else "long"
        return FollowUp(intent=replace(intent, tools=("trade_plan",), trade_direction=flipped))
    if _only_asks(words, intent):
        return FollowUp(sentence=explain(words, last.facts, last.plan.tools))
    if words.too and intent.symbol and _bare(intent) and (memory.overlays or last.plan.compare):
        return FollowUp(intent=replace(intent, symbol=None, compare_symbols=(intent.symbol,)))
    if (intent.symbol or intent.timeframe or words.same) and _bare(intent):
        return carry(intent, memory)
    return None


def _bare(intent: QueryIntent, allow: Sequence[str] = ()) -> bool:
    """True when the message asks for no tool, indicator, question or view of its own (a
    symbol or timeframe at most): what it wants must come from the conversation."""
    return not (
        [t for t in intent.tools if t not in allow]
        or intent.indicators
        or intent.questions
        or intent.compare_symbols
        or intent.visible_range
        or intent.zoom
        or intent.patterns_named
        or (intent.clear is not None and "clear" not in allow)
    )


def _only_asks(words: FollowUpWords, intent: QueryIntent) -> bool:
    """A bare "why?" / "when?" / "how far?": nothing new asked, no other chart named."""
    return words.asks_about_last and _bare(intent) and not (intent.symbol or intent.timeframe)


def carry(intent: QueryIntent, memory: ChartMemory) -> FollowUp | None:
    """The analysis on the chart (its drawings' tools, then the last answer's) on the chart the
    message names; None when there is nothing to carry (a plain switch)."""
    last = memory.last_answer
    tools = [d.tool for d in memory.drawings if d.tool in CARRIED]
    # and what the last answer ran that drew nothing (no pattern found, no setup worth taking):
    # what it drew is on the chart or was removed since, and then is not carried
    if last is not None:
        tools += [t for t in last.plan.tools if t in CARRIED and t not in last.plan.drew]
    carried = tuple(t for t in CARRIED if t in tools)
    if not carried:
        return None
    sides = tuple(last.plan.level_sides) if last and last.plan.level_sides else BOTH_SIDES
    direction = last.plan.direction if last and last.plan.direction else "long"
    return FollowUp(
        intent=replace(
            intent,
            tools=tuple(dict.fromkeys((*intent.tools, *carried))),
            level_sides=sides,
            trade_direction=direction,
        )
    )


def remove_recent(memory: ChartMemory) -> FollowUp:
    """Take away the items the most recent answer that drew anything added."""
    items = memory.items()
    if not items:
        return FollowUp(sentence=NOTHING_TO_REMOVE)
    turn = max(item.turn for item in items)
    recent = [item for item in items if item.turn == turn]
    commands = removal_commands(memory, recent)
    names = ", ".join(dict.fromkeys(_name(item) for item in recent))
    return FollowUp(commands=tuple(commands), sentence=f"removing the most recent: {names}.")


def removal_commands(
    memory: ChartMemory, recent: Sequence[Drawing | ChartIndicator | Overlay]
) -> list[BaseCommand]:
    """One CLEAR of a kind where it removes exactly these items (every page understands it),
    else REMOVE:<id> for each."""
    ids = {item.id for item in recent}
    commands: list[BaseCommand] = []
    for what in ("LEVELS", "FIBONACCI", "TRENDLINES", "PATTERNS"):
        kinds = CLEARED_KINDS[what]
        mine = [d for d in memory.drawings if d.kind in kinds and d.id in ids]
        if not mine:
            continue
        if all(d.id in ids for d in memory.drawings if d.kind in kinds):
            commands.append(ClearCommand(what=what))
        else:
            commands += [RemoveCommand(id=d.id) for d in mine]
    for name in dict.fromkeys(i.name for i in memory.indicators if i.id in ids):
        same = [i for i in memory.indicators if i.name == name]
        if all(i.id in ids for i in same):
            commands.append(ClearCommand(what="INDICATOR", indicator=name))
        else:
            commands += [RemoveCommand(id=i.id) for i in same if i.id in ids]
    commands += [RemoveCommand(id=o.id) for o in memory.overlays if o.id in ids]
    return commands


def _name(item: Drawing | ChartIndicator | Overlay) -> str:
    if isinstance(item, Overlay):
        return f"the {item.symbol} comparison"
    if isinstance(item, ChartIndicator):
        return f"{item.name} {item.period}" if item.period else item.name
    return {"support": "support", "resistance": "resistance", "entry": "the trade plan",
            "target": "the trade plan", "stoploss": "the trade plan"}.get(
        item.kind, f"the {item.kind}"
    )  # fmt: skip


def explain(words: FollowUpWords, facts: Facts, tools: Sequence[str]) -> str:
    """The answer to a question about the last answer, from the facts it quoted."""
    parts = []
    if words.why:
        parts.append(_why(facts, tools))
    if words.when:
        parts.append(_when(facts))
    if words.how_far:
        parts.append(_how_far(facts))
    return " ".join(parts)


def _why(facts: Facts, tools: Sequence[str]) -> str:
    if facts.trade is not None:
        return "; ".join(facts.trade.reasons) + "."
    if facts.support or facts.resistance:
        return (
            "the levels are the swing highs and lows where price turned most often in the bars "
            "analysed (pivots within half an ATR count as one level, recent touches weigh "
            f"more). {_how_far(facts)}"
        )
    if facts.cross is not None:
        return _when(facts)
    said = f' The last answer said: "{facts.sentence}"' if facts.sentence else ""
    return f"the last answer ({', '.join(tools) or 'a chart change'}) gave no reason.{said}"


def _when(facts: Facts) -> str:
    cross = facts.cross
    if cross is not None:
        averages = f"SMA {cross.fast_period} and SMA {cross.slow_period}"
        if cross.last is None or cross.date is None:
            return f"{averages} have not crossed in the bars analysed."
        ago = f", {cross.bars_ago} bars ago" if cross.bars_ago is not None else ""
        return f"the last {cross.last} cross of {averages} was on {cross.date}{ago}."
    if facts.patterns:
        return "the patterns found span: " + ", ".join(facts.patterns) + "."
    return "the last answer quoted no date."


def _how_far(facts: Facts) -> str:
    close = facts.close
    if facts.nearest_levels:
        said = [
            f"{d.side} {format_price(d.price)} is {abs(d.distance_pct):.1f}% "
            f"{'below' if d.side == 'support' else 'above'} the close"
            for d in facts.nearest_levels
            if d.price is not None and d.distance_pct is not None
        ]
        if said:
            return "; ".join(said) + "."
    if close is None or not (facts.support or facts.resistance):
        return "the last answer quoted no level to measure from."
    said = []
    if facts.support:
        level = facts.support[0]
        said.append(f"support {format_price(level)} is {(close - level) / close:.1%} below")
    if facts.resistance:
        level = facts.resistance[0]
        said.append(f"resistance {format_price(level)} is {(level - close) / close:.1%} above")
    return "; ".join(said) + f" the close {format_price(close)}."
