"""The rules planner: deterministic natural language -> `QueryIntent`, in microseconds.

It recognises the whole command grammar (SPEC 5): symbols, timeframes, indicators with periods,
clear/reset, technical analysis, patterns, support/resistance, trendlines, Fibonacci and trade
plans. Anything it cannot map leaves `recognised` False, which is where the optional OpenAI
planner takes over.
"""

from __future__ import annotations

import re

from shared.models.action import ToolName
from shared.models.commands import ClearCommand, IndicatorCommand
from shared.planner.indicators import find_indicators
from shared.planner.intent import QueryIntent
from shared.planner.symbols import find_symbol
from shared.planner.timeframes import find_timeframe


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + "|".join(patterns) + r")(?![a-z])", re.IGNORECASE)


# In the order the page should execute their commands.
TOOL_PATTERNS: tuple[tuple[ToolName, re.Pattern[str]], ...] = (
    ("technical_analysis", _words(
        r"technicals?", r"technical\s+analysis", r"analy[sz]e", r"analysis", r"\bta\b",
        r"overbought", r"oversold", r"how\s+(?:does|is)\s+\S+(?:\s+\S+)?\s+look(?:ing)?",
        r"outlook", r"momentum",
    )),
    ("support_resistance", _words(
        r"supports?", r"resistances?", r"key\s+levels?", r"s\s*/\s*r", r"s\s*&\s*r",
        r"levels?", r"floors?\s+and\s+ceilings?",
    )),
    ("trendline", _words(r"trend\s*-?\s*lines?", r"trend\s+channel", r"channel")),
    ("fibonacci", _words(r"fibs?", r"fibonacci", r"retracements?")),
    ("patterns", _words(
        r"patterns?", r"head\s+(?:and|&)\s+shoulders", r"double\s+(?:top|bottom)s?",
        r"triangles?", r"wedges?", r"flags?", r"pennants?", r"cup\s+(?:and|&)\s+handle",
    )),
    ("trade_plan", _words(
        r"entry", r"entries", r"stop[\s-]?loss", r"stops?", r"price\s+targets?", r"targets?",
        r"trad(?:e|ing)\s+(?:plan|setup|idea)", r"risk\s*/\s*reward", r"where\s+to\s+buy",
    )),
)  # fmt: skip
CLEAR_VERB = _words(
    r"clear",
    r"reset",
    r"remove",
    r"delete",
    r"erase",
    r"wipe",
    r"start\s+over",
    r"clean\s+up",
    r"get\s+rid\s+of",
    r"hide",
)
THEN_ADD = _words(r"then", r"add", r"show", r"draw", r"plot", r"put", r"overlay", r"display")
CLEAR_INDICATORS = _words(r"indicators?", r"studies", r"overlays?", r"oscillators?")
CLEAR_DRAWINGS = _words(
    r"drawings?",
    r"lines?",
    r"levels?",
    r"trend\s*lines?",
    r"annotations?",
    r"fibs?",
    r"supports?",
    r"resistances?",
    r"markups?",
)
OVERBOUGHT = _words(r"overbought", r"oversold")


def _clear(query: str) -> ClearCommand | None:
    """CLEAR:ALL, DRAWINGS or INDICATORS when the query asks to clear something."""
    verb = CLEAR_VERB.search(query)
    if verb is None:
        return None
    scope = query[verb.end() :]
    next_step = THEN_ADD.search(scope)
    scope = scope[: next_step.start()] if next_step else scope
    if CLEAR_INDICATORS.search(scope) or find_indicators(scope):
        return ClearCommand(what="INDICATORS")
    if CLEAR_DRAWINGS.search(scope):
        return ClearCommand(what="DRAWINGS")
    return ClearCommand(what="ALL")


def _after_clear(query: str) -> str:
    """The part of the query that asks for new things (after "clear ... then/and add")."""
    verb = CLEAR_VERB.search(query)
    if verb is None:
        return query
    next_step = THEN_ADD.search(query, verb.end())
    return query[: verb.start()] + (query[next_step.start() :] if next_step else "")


def parse_query(query: str) -> QueryIntent:
    """What the query names and asks for. Never raises; unknown text gives an empty intent."""
    clear = _clear(query)
    wanted = _after_clear(query) if clear else query
    timeframe = find_timeframe(wanted)
    indicators = list(find_indicators(wanted))
    if OVERBOUGHT.search(wanted) and not any(i.name == "RSI" for i in indicators):
        indicators.append(IndicatorCommand(name="RSI", period=14))
    tools: list[ToolName] = ["clear"] if clear else []
    if indicators:
        tools.append("indicators")
    tools += [tool for tool, pattern in TOOL_PATTERNS if pattern.search(wanted)]
    return QueryIntent(
        symbol=find_symbol(query),
        timeframe=timeframe,
        tools=tuple(tools),
        indicators=tuple(indicators),
        clear=clear,
    )
