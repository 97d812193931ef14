"""Structured tool arguments on chart_action's JSON route, through real HTTP and a context
stored by the real update_context: only structured fields, fields beside a query, and invalid
values answered 400 naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from shared.models.action import PLAN_FIELDS
from shared.models.commands import parse_command
from tests.helpers import FunctionServers, new_session_id, post_json


@pytest.fixture
def servers(function_servers: FunctionServers, clean_firestore: str) -> FunctionServers:
    return function_servers


def store_context(servers: FunctionServers, symbol: str, timeframe: str = "1D") -> str:
    session = new_session_id("args")
    body = {"session_id": session, "symbol": symbol, "timeframe": timeframe, "snapshot_id": "s9"}
    assert post_json(servers.update_context_url, body).status_code == 200
    return session


def act(servers: FunctionServers, body: dict[str, Any]) -> dict[str, Any]:
    response = post_json(servers.chart_action_url + "/api/chatkit/chart-action", body)
    assert response.status_code == 200, response.text
    return response.json()


def test_only_structured_arguments_draw_what_they_say(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = act(servers, {
        "session_id": session, "symbol": "AAPL", "timeframe": "4H",
        "tools": ["support_resistance", "trendline"],
        "indicators": [{"name": "SMA", "period": 50}, {"name": "MACD", "period": None}],
        "clear": "ALL",
    })  # fmt: skip
    commands = answer["chart_commands"]
    assert commands[:5] == ["CLEAR:ALL", "LOAD:AAPL", "TIMEFRAME:4H", "INDICATOR:SMA:50",
                            "INDICATOR:MACD"]  # fmt: skip
    assert any(c.startswith("SUPPORT:") for c in commands)
    assert any(c.startswith("RESISTANCE:") for c in commands)
    assert any(c.startswith("TRENDLINE:") for c in commands)
    assert all(parse_command(c) is not None for c in commands)
    data = answer["data"]
    assert data["planner"] == "structured"
    assert data["chart_context"] == {"symbol": "AAPL", "timeframe": "4H", "snapshot_id": None}
    assert data["levels"]["support"] and data["market_data"]["provider"] == "sample"
    assert answer["text"].splitlines()[1:] == commands


def test_structured_arguments_on_the_charts_own_symbol(servers: FunctionServers):
    session = store_context(servers, "NVDA", "1W")
    answer = act(servers, {"session_id": session, "tools": ["trade_plan"],
                           "trade_direction": "short"})  # fmt: skip
    assert [c.split(":")[0] for c in answer["chart_commands"]] in (
        ["ENTRY", "TARGET", "STOPLOSS"],
        [],  # no short plan on these bars: the text says so
    )
    assert answer["text"].startswith("NVDA 1W: ") and "short plan" in answer["text"]
    assert answer["data"]["chart_context"]["snapshot_id"] == "s9"  # the chart did not change


def test_structured_fields_win_and_the_query_fills_the_rest(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = act(servers, {
        "query": "¿dónde está la resistencia de apple?",
        "session_id": session, "symbol": "MSFT", "tools": ["support_resistance"],
    })  # fmt: skip
    commands = answer["chart_commands"]
    assert commands[0] == "LOAD:MSFT"  # the agent's symbol, not the words' Apple
    assert any(c.startswith("RESISTANCE:") for c in commands)
    assert not any(c.startswith("SUPPORT:") for c in commands)  # the words chose the side
    assert answer["data"]["planner"] == "structured"


def test_a_query_with_only_overrides_is_still_the_rules_planners(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = act(servers, {"query": "levels for AMD", "session_id": session, "symbol": "MSFT"})
    assert answer["chart_commands"][0] == "LOAD:AMD" and answer["data"]["planner"] == "rules"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "query"),
        ({"session_id": "chart_session_0123456789"}, "query"),
        ({"query": None, "tools": [], "indicators": []}, "query"),
        ({"tools": ["support_resistance", "<script>alert(1)</script>"]}, "tools.1"),
        ({"tools": ["clear"]}, "tools.0"),
        ({"indicators": [{"name": "SMA", "period": 501}]}, "indicators.0.period"),
        ({"indicators": [{"name": "ICHIMOKU"}]}, "indicators.0.name"),
        ({"indicators": [{"period": 20}]}, "indicators.0.name"),
        ({"clear": "EVERYTHING"}, "clear"),
        ({"trade_direction": "SHORT!"}, "trade_direction"),
        ({"query": "support", "tools": ["trendline"], "timeframe": "3D"}, "timeframe"),
    ],
)
def test_invalid_structured_values_are_400_naming_the_field(
    servers: FunctionServers, body: dict[str, Any], field: str
):
    response = post_json(servers.chart_action_url, body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in [d["field"] for d in error["details"]]
    assert field in error["message"]
    assert "<script>" not in response.text  # never echoed


def test_neither_query_nor_fields_says_what_to_give(servers: FunctionServers):
    response = post_json(servers.chart_action_url, {"session_id": new_session_id("none")})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_request"
    [detail] = response.json()["error"]["details"]
    assert detail["field"] == "query"
    assert all(name in detail["message"] for name in PLAN_FIELDS)


@pytest.mark.parametrize(
    ("target", "sent"),
    [("TRENDLINES", "CLEAR:TRENDLINES"), ("INDICATOR:RSI", "CLEAR:INDICATOR:RSI")],
)
def test_a_precise_clear_reaches_the_page_without_its_family(
    servers: FunctionServers, target: str, sent: str
):
    """Only the precise kind is sent: a page that predates the kinds ignores it (issue 14),
    while also sending CLEAR:DRAWINGS would wipe every drawing on a page that knows them."""
    session = store_context(servers, "TSLA")
    answer = act(servers, {"session_id": session, "clear": target})
    assert [c for c in answer["chart_commands"] if c.startswith("CLEAR")] == [sent]
