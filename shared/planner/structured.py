"""Structured tool arguments -> `QueryIntent`: what the caller says it understood is the plan.

An LLM agent calling `chart_control` understands its user better than any rules can, so when it
states the plan in the structured fields (`ChartArguments`: symbol, timeframe, tools,
indicators, clear, trade_direction) those fields win. The rules planner's reading of `query`
only fills the fields left open, and brings what the structured fields cannot say (compare,
range, zoom, questions, which side of the levels). The OpenAI planner answers with the same
model (`ChartPlan`) and goes through the same conversion, with nothing from the rules.

Compatibility: `symbol`/`timeframe` beside a query and nothing else are the context overrides
they always were (the query's own symbol or timeframe wins, the rules planner answers);
`is_structured` draws that line.
"""

from __future__ import annotations

from shared.models.action import (
    OWN_FIELD_TOOLS,
    ChartActionRequest,
    ChartArguments,
    ToolName,
)
from shared.models.commands import ClearCommand, IndicatorCommand
from shared.planner.indicators import PeriodUnit
from shared.planner.intent import QueryIntent

NOTHING = QueryIntent()
# The fields that make a request structured even beside a query.
PLAN_ONLY_FIELDS = frozenset({"tools", "indicators", "clear", "trade_direction"})
# A kind of drawing belongs to the coarse DRAWINGS family, an indicator to INDICATORS. The
# family is the intent's `clear` (what the rules planner also fills: it says a removal was
# asked for, and which family); only the precise kinds (`clear_kinds`) reach the page, since a
# page that predates the kinds ignores CLEAR:TRENDLINES (issue 14) where CLEAR:DRAWINGS would
# wipe every drawing.
DRAWING_KINDS = frozenset({"TRENDLINES", "LEVELS", "FIBONACCI", "PATTERNS"})


def is_structured(request: ChartActionRequest) -> bool:
    """True when the request's structured fields are its plan: it sets tools, indicators,
    clear or trade_direction, or it has no query (then symbol/timeframe are the whole plan)."""
    given = request.fields_given()
    return bool(given) and (request.query is None or not PLAN_ONLY_FIELDS.isdisjoint(given))


def clear_commands(target: str) -> tuple[ClearCommand, ClearCommand]:
    """(coarse, precise) for a CLEAR argument as the grammar writes it ("INDICATOR:RSI")."""
    what, _, indicator = target.partition(":")
    if indicator:
        return ClearCommand(what="INDICATORS"), ClearCommand(what="INDICATOR", indicator=indicator)
    precise = ClearCommand(what=what)  # type: ignore[arg-type]  # validated as ClearTarget
    return (ClearCommand(what="DRAWINGS") if what in DRAWING_KINDS else precise), precise


def to_intent(arguments: ChartArguments, parsed: QueryIntent = NOTHING) -> QueryIntent:
    """The structured fields as an intent; `parsed` (the rules' reading of the query) fills
    each field they leave open. Raises only on values the models reject (the OpenAI planner's
    answer; a request's fields were validated already)."""
    symbol = arguments.symbol or parsed.symbol
    if arguments.indicators:
        indicators = tuple(
            IndicatorCommand(name=i.name, period=i.period) for i in arguments.indicators
        )
        units = _units(indicators, parsed)
    else:
        indicators, units = parsed.indicators, parsed.period_units
    if arguments.clear:
        coarse, precise = clear_commands(arguments.clear)
        clear, kinds = coarse, (precise,)
    else:
        clear, kinds = parsed.clear, parsed.clear_kinds
    analyses: tuple[ToolName, ...] = tuple(
        dict.fromkeys(arguments.tools)
        if arguments.tools
        else (t for t in parsed.tools if t not in OWN_FIELD_TOOLS)
    )
    tools: tuple[ToolName, ...] = (
        (("clear",) if clear else ()) + (("indicators",) if indicators else ()) + analyses
    )
    return QueryIntent(
        symbol=symbol,
        timeframe=arguments.timeframe or parsed.timeframe,
        tools=tools,
        indicators=indicators,
        clear=clear,
        level_sides=parsed.level_sides,
        trade_direction=arguments.trade_direction or parsed.trade_direction,
        period_units=units,
        clear_kinds=kinds,
        compare_symbols=tuple(s for s in parsed.compare_symbols if s != symbol),
        visible_range=parsed.visible_range,
        zoom=parsed.zoom,
        questions=parsed.questions,
        patterns_named=parsed.patterns_named,
        # the caller named the symbol: the query's ticker-like words are not left unknown
        unknown_symbols=() if arguments.symbol else parsed.unknown_symbols,
        loose_words=() if arguments.symbol else parsed.loose_words,
        unsupported=parsed.unsupported,
    )


def _units(indicators: tuple[IndicatorCommand, ...], parsed: QueryIntent) -> tuple[PeriodUnit, ...]:
    """What each structured period counts: what the query said of the same indicator and
    period ("the 50 day" -> days, converted on a weekly chart), else bars of the chart."""
    said = dict(zip(parsed.indicators, parsed.period_units, strict=False))
    units = tuple(said.get(command, "bars") for command in indicators)
    return units if any(unit != "bars" for unit in units) else ()
