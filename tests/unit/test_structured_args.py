"""Structured tool arguments: which requests they plan, the conversion to an intent, precedence
over the query's words, validation, and the one model the OpenAI planner shares."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from shared.core.action import plan_chart_action
from shared.llm.plan import ChartPlan
from shared.models.action import (
    PLAN_FIELDS,
    PLAN_TOOLS,
    ChartActionRequest,
    ChartArguments,
)
from shared.models.commands import (
    CLEAR_TARGETS,
    ClearCommand,
    IndicatorCommand,
    IndicatorName,
    parse_command,
)
from shared.models.context import StoredContext
from shared.models.fields import Timeframe
from shared.planner.intent import PlannerOutcome
from shared.planner.rules import parse_query
from shared.planner.structured import is_structured, to_intent
from tests.helpers import sample_provider

PROVIDER = sample_provider()


def request(**fields: Any) -> ChartActionRequest:
    return ChartActionRequest.model_validate(fields)


def stored(symbol: str = "TSLA", timeframe: str = "1D") -> StoredContext:
    return StoredContext(symbol=symbol, timeframe=timeframe, updated_at="2026-12-01T00:00:00Z")


def answer(context: StoredContext | None = None, fallback=None, **fields: Any):
    return plan_chart_action(request(**fields), context, PROVIDER, fallback)


@pytest.mark.parametrize(
    ("fields", "structured"),
    [
        ({"query": "support for TSLA"}, False),
        ({"query": "support", "symbol": "AMD"}, False),  # an override, as before
        ({"query": "support", "timeframe": "1W", "symbol": "AMD"}, False),
        ({"query": "support", "tools": ["trendline"]}, True),
        ({"query": "support", "indicators": [{"name": "RSI"}]}, True),
        ({"query": "clear it", "clear": "ALL"}, True),
        ({"query": "a trade", "trade_direction": "short"}, True),
        ({"symbol": "AMD"}, True),  # no query: the fields are the whole plan
        ({"timeframe": "4H"}, True),
        ({"query": "support", "tools": []}, False),  # an empty list sets nothing
    ],
)
def test_which_requests_are_structured(fields: dict[str, Any], structured: bool):
    assert is_structured(request(**fields)) is structured


def test_structured_only_is_the_plan():
    intent = to_intent(
        request(
            symbol="spy", timeframe="weekly",
            tools=["trendline", "support_resistance", "trendline"],
            indicators=[{"name": "SMA", "period": 200}, {"name": "RSI"}], clear="LEVELS",
            trade_direction="short",
        )
    )  # fmt: skip
    assert intent.symbol == "SPY" and intent.timeframe is Timeframe.W1
    assert intent.tools == ("clear", "indicators", "trendline", "support_resistance")
    assert intent.indicators == (
        IndicatorCommand(name="SMA", period=200),
        IndicatorCommand(name="RSI"),
    )
    assert intent.clear == ClearCommand(what="DRAWINGS")  # the family; only the kinds are sent
    assert intent.clear_kinds == (ClearCommand(what="LEVELS"),)
    assert intent.trade_direction == "short" and intent.period_units == ()


@pytest.mark.parametrize(
    ("target", "coarse", "precise"),
    [
        ("ALL", ClearCommand(what="ALL"), ClearCommand(what="ALL")),
        ("INDICATORS", ClearCommand(what="INDICATORS"), ClearCommand(what="INDICATORS")),
        ("TRENDLINES", ClearCommand(what="DRAWINGS"), ClearCommand(what="TRENDLINES")),
        ("PATTERNS", ClearCommand(what="DRAWINGS"), ClearCommand(what="PATTERNS")),
        ("INDICATOR:RSI", ClearCommand(what="INDICATORS"),
         ClearCommand(what="INDICATOR", indicator="RSI")),
    ],
)  # fmt: skip
def test_clear_targets_as_the_grammar_writes_them(target, coarse, precise):
    intent = to_intent(request(clear=target))
    assert (intent.clear, intent.clear_kinds) == (coarse, (precise,))
    assert intent.tools == ("clear",)


def test_structured_fields_beat_the_querys_words():
    query = "draw a trendline on AMD weekly and add the 20 ema"
    intent = to_intent(
        request(query=query, symbol="NVDA", timeframe="4H", tools=["fibonacci"],
                indicators=[{"name": "RSI"}]),
        parse_query(query),
    )  # fmt: skip
    assert intent.symbol == "NVDA" and intent.timeframe is Timeframe.H4
    assert intent.tools == ("indicators", "fibonacci")
    assert intent.indicators == (IndicatorCommand(name="RSI"),)


def test_the_query_fills_what_the_fields_leave_open():
    query = "compare amd with nvda weekly, where is resistance? zoom in. is it overbought?"
    parsed = parse_query(query)
    intent = to_intent(request(query=query, tools=["support_resistance"]), parsed)
    assert intent.symbol == parsed.symbol == "AMD" and intent.timeframe is Timeframe.W1
    assert intent.level_sides == ("resistance",)
    assert intent.compare_symbols == ("NVDA",) and intent.zoom == "IN"
    assert intent.questions == parsed.questions and intent.questions
    assert intent.indicators == parsed.indicators  # "overbought?" reads the RSI: left open
    assert [t for t in intent.tools if t != "indicators"] == ["support_resistance"]


def test_the_querys_analyses_fill_in_when_tools_are_left_open():
    query = "short setup with a trendline and the 50 day moving average"
    intent = to_intent(request(query=query, symbol="NVDA"), parse_query(query))
    assert intent.symbol == "NVDA" and intent.trade_direction == "short"
    assert {"trade_plan", "trendline"} <= set(intent.tools) and "indicators" in intent.tools
    assert intent.period_units == ("days",)  # still converted on a weekly chart
    structured = to_intent(
        request(query=query, indicators=[{"name": "SMA", "period": 50}]), parse_query(query)
    )
    assert structured.period_units == ("days",)  # the words said what the period counts
    other = to_intent(
        request(query=query, indicators=[{"name": "SMA", "period": 20}]), parse_query(query)
    )
    assert other.period_units == ()  # a period the words did not name counts bars


def test_a_named_symbol_settles_the_querys_unknown_tickers():
    query = "chart blorpco with support"
    parsed = parse_query(query)
    assert parsed.unknown_symbols, "the rules see a word that looks like a ticker"
    assert to_intent(request(query=query, symbol="BLRP"), parsed).unknown_symbols == ()
    assert to_intent(request(query=query, tools=["trendline"]), parsed).unknown_symbols


def test_the_compare_list_never_holds_the_symbol_itself():
    query = "compare TSLA and RIVN"
    intent = to_intent(request(query=query, symbol="RIVN"), parse_query(query))
    assert intent.symbol == "RIVN" and "RIVN" not in intent.compare_symbols


def test_only_structured_arguments_draw_on_the_sample_market():
    result = answer(
        symbol="MSFT", tools=["support_resistance", "trade_plan"],
        indicators=[{"name": "EMA", "period": 21}], trade_direction="short",
    )  # fmt: skip
    commands = result.chart_commands
    assert commands[:3] == ["LOAD:MSFT", "TIMEFRAME:1D", "INDICATOR:EMA:21"]
    assert any(c.startswith("SUPPORT:") for c in commands)
    assert any(c.startswith("ENTRY:") for c in commands)
    assert result.data.planner == "structured"
    assert "short plan" in result.text or "no short plan" in result.text
    assert result.data.levels is not None and result.data.levels.support  # our own prices


def test_structured_arguments_use_the_stored_chart():
    result = answer(stored("AAPL", "4H"), tools=["fibonacci"])
    assert [c.split(":")[0] for c in result.chart_commands] == ["FIBONACCI"]  # nothing to switch
    assert result.data.chart_context is not None
    assert result.data.chart_context.symbol == "AAPL"


def test_structured_arguments_never_ask_the_fallback():
    calls: list[str] = []

    def fallback(query, chart):
        calls.append(query)
        return PlannerOutcome(None, failure="should not be asked")

    result = answer(stored(), fallback, query="what a week it has been", tools=["trendline"])
    assert calls == [] and result.data.planner == "structured"
    assert any(c.startswith("TRENDLINE:") for c in result.chart_commands)
    rules = answer(stored(), fallback, query="what a week it has been")
    assert calls == ["what a week it has been"] and rules.data.planner == "rules"


def test_overrides_beside_a_query_alone_keep_their_meaning():
    result = answer(stored(), query="levels for AMD", symbol="MSFT")
    assert result.data.planner == "rules" and result.chart_commands[0] == "LOAD:AMD"
    structured = answer(stored(), query="levels for AMD", symbol="MSFT", tools=["trendline"])
    assert structured.data.planner == "structured" and structured.chart_commands[0] == "LOAD:MSFT"


def test_a_symbol_alone_loads_it():
    result = answer(stored(), symbol="nvda")
    assert result.chart_commands == ["LOAD:NVDA"] and result.data.planner == "structured"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "query"),
        ({"query": None, "tools": []}, "query"),
        ({"session_id": "chart_session_0123456789"}, "query"),
        ({"tools": ["load_symbol"]}, "tools.0"),  # own fields: say it with symbol
        ({"tools": "support_resistance"}, "tools"),
        ({"indicators": [{"name": "STOCH"}]}, "indicators.0.name"),
        ({"indicators": [{"name": "SMA", "period": 0}]}, "indicators.0.period"),
        ({"indicators": [{"name": "SMA", "length": 9}]}, "indicators.0.length"),
        ({"clear": "INDICATOR"}, "clear"),
        ({"clear": "INDICATOR:STOCH"}, "clear"),
        ({"trade_direction": "up"}, "trade_direction"),
        ({"symbol": "not a ticker!"}, "symbol"),
        ({"timeframe": "fortnightly"}, "timeframe"),
    ],
)
def test_invalid_values_name_the_field(fields: dict[str, Any], field: str):
    with pytest.raises(ValidationError) as caught:
        ChartActionRequest.model_validate(fields)
    fields_named = {".".join(map(str, e["loc"])) for e in caught.value.errors()}
    assert field in fields_named


def test_a_request_with_neither_names_every_field_it_could_give():
    with pytest.raises(ValidationError) as caught:
        ChartActionRequest.model_validate({})
    [error] = caught.value.errors()
    assert all(name in error["msg"] for name in ("query", *PLAN_FIELDS))


def test_one_vocabulary_for_agents_and_the_openai_planner():
    assert issubclass(ChartPlan, ChartArguments) and issubclass(ChartActionRequest, ChartArguments)
    assert set(ChartPlan.model_fields) == set(PLAN_FIELDS) | {"reply"}
    for name in PLAN_FIELDS:  # inherited, not restated
        assert repr(ChartPlan.model_fields[name]) == repr(ChartArguments.model_fields[name])
    plan = ChartPlan.model_validate(
        {"symbol": "tsla", "timeframe": "1W", "tools": ["patterns"], "indicators": [],
         "clear": "INDICATOR:MACD", "trade_direction": None, "reply": "Patterns on TSLA."}
    )  # fmt: skip
    assert plan.to_intent() == to_intent(request(symbol="TSLA", timeframe="1W", tools=["patterns"],
                                                 clear="INDICATOR:MACD"))  # fmt: skip


STRUCTURED = st.fixed_dictionaries(
    {},
    optional={
        "query": st.sampled_from(["", "support for TSLA", "compare amd and nvda", "what a day"]),
        "symbol": st.sampled_from(["TSLA", "btc-usd", "ES=F", "^GSPC", "BRK.B"]),
        "timeframe": st.sampled_from([t.value for t in Timeframe] + ["weekly", "hourly"]),
        "tools": st.lists(st.sampled_from(PLAN_TOOLS), max_size=4),
        "indicators": st.lists(
            st.fixed_dictionaries(
                {"name": st.sampled_from(get_args(IndicatorName))},
                optional={"period": st.one_of(st.none(), st.integers(1, 500))},
            ),
            max_size=3,
        ),
        "clear": st.one_of(st.none(), st.sampled_from(CLEAR_TARGETS)),
        "trade_direction": st.sampled_from(["long", "short", None]),
    },
)


@settings(max_examples=150, deadline=None)
@given(fields=STRUCTURED, context=st.sampled_from([None, ("TSLA", "1D"), ("EURUSD", "1H")]))
def test_any_structured_arguments_answer_with_valid_commands(fields, context):
    try:
        valid = ChartActionRequest.model_validate(fields)
    except ValidationError as exc:  # only an empty query, or a body that asks nothing
        assert {e["loc"] for e in exc.errors()} == {("query",)}
        return
    result = plan_chart_action(valid, stored(*context) if context else None, PROVIDER)
    assert result.text.splitlines()[1:] == result.chart_commands
    assert all(parse_command(line) is not None for line in result.chart_commands)
    assert result.data.planner == ("structured" if is_structured(valid) else "rules")
