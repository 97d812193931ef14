"""chart_action through real HTTP, with contexts stored by the real update_context (SPEC 4, 6)."""

from __future__ import annotations

import pytest
import requests

from shared.models.commands import parse_command
from tests.helpers import FunctionServers, new_session_id, post_json, post_raw, store_context

TOKEN = "test-token-" + "s3cr3t" * 4


@pytest.fixture
def servers(function_servers: FunctionServers, clean_firestore: str) -> FunctionServers:
    return function_servers


def action_url(servers: FunctionServers, path: str = "/api/chatkit/chart-action") -> str:
    return servers.chart_action_url + path


def ask(servers: FunctionServers, query: str, **extra) -> dict:
    response = post_json(action_url(servers), {"query": query, **extra})
    assert response.status_code == 200, response.text
    return response.json()


def test_support_and_resistance_with_stored_context(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = ask(servers, "draw support and resistance for TSLA", session_id=session)
    assert answer["success"] is True and answer["error"] is None
    commands = answer["chart_commands"]
    assert not any(c.startswith(("LOAD:", "TIMEFRAME:")) for c in commands)  # chart already TSLA
    supports = [c for c in commands if c.startswith("SUPPORT:")]
    resistances = [c for c in commands if c.startswith("RESISTANCE:")]
    assert supports and resistances
    data = answer["data"]
    assert data["tools_used"] == ["support_resistance"]
    assert data["planner"] == "rules"
    assert data["chart_context"] == {"symbol": "TSLA", "timeframe": "1D", "snapshot_id": "s1"}
    last_close = data["market_data"]["last_close"]
    assert all(p < last_close for p in data["levels"]["support"])
    assert all(p > last_close for p in data["levels"]["resistance"])
    assert [float(c.split(":")[1]) for c in supports] == data["levels"]["support"]
    assert data["market_data"]["provider"] == "sample" and data["market_data"]["sample"] is True
    text_lines = answer["text"].splitlines()
    assert text_lines[0].startswith("TSLA 1D: ") and "support" in text_lines[0]
    assert text_lines[1:] == commands


def test_asking_for_one_side_draws_only_that_side(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = ask(servers, "where is support?", session_id=session)
    assert answer["chart_commands"] and all(
        c.startswith("SUPPORT:") for c in answer["chart_commands"]
    )
    assert answer["data"]["levels"]["resistance"] == []
    assert "resistance" not in answer["text"]
    both = ask(servers, "technical analysis with support", session_id=session)
    assert any(c.startswith("RESISTANCE:") for c in both["chart_commands"])


def test_a_timeframe_switch_says_so(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = ask(servers, "show me the weekly", session_id=session)
    assert answer["chart_commands"] == ["TIMEFRAME:1W"]
    assert answer["text"].splitlines()[0] == "TSLA 1W: switching to 1W."


def test_every_command_parses_back(servers: FunctionServers):
    answer = ask(
        servers,
        "clear the chart, load NVDA weekly, add 50 day moving average and rsi, "
        "draw support and resistance, a trendline, fibonacci and a trade plan",
    )
    for line in answer["chart_commands"]:
        command = parse_command(line)
        assert command is not None and command.to_string() == line


def test_query_symbol_beats_stored_context(servers: FunctionServers):
    session = store_context(servers, "TSLA", "1H")
    answer = ask(servers, "support and resistance for AAPL", session_id=session)
    assert answer["chart_commands"][0] == "LOAD:AAPL"
    assert "TIMEFRAME:1H" not in answer["chart_commands"]  # timeframe unchanged
    assert answer["data"]["chart_context"] == {
        "symbol": "AAPL",
        "timeframe": "1H",
        "snapshot_id": None,
    }


def test_override_beats_stored_context_but_not_the_query(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = ask(servers, "draw support", session_id=session, symbol="msft", timeframe="weekly")
    assert answer["chart_commands"][:2] == ["LOAD:MSFT", "TIMEFRAME:1W"]
    named = ask(servers, "levels for AMD", session_id=session, symbol="MSFT")
    assert named["chart_commands"][0] == "LOAD:AMD"


def test_without_context_loads_the_named_symbol(servers: FunctionServers):
    answer = ask(servers, "draw support and resistance for TSLA")
    assert answer["chart_commands"][:2] == ["LOAD:TSLA", "TIMEFRAME:1D"]


def test_unknown_or_expired_session_reads_as_no_context(servers: FunctionServers):
    answer = ask(servers, "support and resistance", session_id=new_session_id("none"))
    assert answer["chart_commands"] == []
    assert "Which symbol" in answer["text"]


def test_unrecognised_query_says_so(servers: FunctionServers):
    answer = ask(servers, "tell me a joke")
    assert answer["success"] is True and answer["chart_commands"] == []
    assert "could not map" in answer["text"]


def test_indicator_only_needs_no_market_data(servers: FunctionServers):
    session = store_context(servers, "SPY")
    answer = ask(servers, "add the 20 ema", session_id=session)
    assert answer["chart_commands"] == ["INDICATOR:EMA:20"]
    assert answer["data"]["market_data"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "query"),
        ({"query": ""}, "query"),
        ({"query": "x" * 2001}, "query"),
        ({"query": "hi", "session_id": "bad id"}, "session_id"),
        ({"query": "hi", "symbol": "???"}, "symbol"),
        ({"query": "hi", "timeframe": "3D"}, "timeframe"),
        ({"query": 5}, "query"),
    ],
)
def test_invalid_requests(servers: FunctionServers, body: dict, field: str):
    response = post_json(action_url(servers), body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in [d["field"] for d in error["details"]]


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("nope", "application/json", 400, "invalid_json"),
        ("query=x", "text/plain", 415, "unsupported_media_type"),
        ('{"query": "' + "x" * 20000 + '"}', "application/json", 413, "payload_too_large"),
    ],
)
def test_body_errors(servers: FunctionServers, data: str, content_type: str, status, code):
    response = post_raw(action_url(servers, "/"), data, content_type)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_method_not_allowed_and_health(servers: FunctionServers):
    response = requests.delete(action_url(servers), timeout=10)
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    health = requests.get(servers.chart_action_url, timeout=10).json()
    assert health["status"] == "ok" and health["service"] == "chart_action"


class TestBearerToken:
    @pytest.fixture
    def secured(self, servers_with, clean_firestore: str) -> str:
        return servers_with(CHART_ACTION_TOKEN=TOKEN).chart_action_url + "/api/chatkit/chart-action"

    @pytest.mark.parametrize(
        "header",
        [None, "Bearer wrong", "Basic " + TOKEN, TOKEN, "Bearer " + TOKEN[:-1], "Bearer"],
    )
    def test_rejects_missing_or_wrong_token(self, secured: str, header: str | None):
        headers = {"Authorization": header} if header else {}
        response = post_json(secured, {"query": "support for TSLA"}, headers)
        assert response.status_code == 401
        body = response.json()
        assert body["error"]["code"] == "unauthorized"
        assert TOKEN not in response.text

    def test_accepts_the_token(self, secured: str):
        headers = {"Authorization": f"Bearer {TOKEN}"}
        response = post_json(secured, {"query": "support for TSLA"}, headers)
        assert response.status_code == 200
        assert any(c.startswith("SUPPORT:") for c in response.json()["chart_commands"])

    def test_token_never_logged(self, servers_with, secured: str):
        post_json(secured, {"query": "support for TSLA"}, {"Authorization": "Bearer " + TOKEN})
        post_json(secured, {"query": "x"}, {"Authorization": "Bearer nope-" + TOKEN})
        process = servers_with(CHART_ACTION_TOKEN=TOKEN).processes[1]
        assert TOKEN not in process.log_path.read_text()
