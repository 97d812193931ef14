"""chart_action's bars route through real HTTP: the bars the analysis read, cacheable, CORS for
allowed origins, and errors that name the field."""

from __future__ import annotations

import pytest
import requests

from tests.helpers import FunctionServers, post_json, store_context

pytestmark = pytest.mark.usefixtures("clean_firestore")
TOKEN = "test-token-" + "b4rs" * 6
BARS = "/api/chatkit/bars"


def bars_url(servers: FunctionServers, path: str = BARS) -> str:
    return servers.chart_action_url + path


def test_the_bars_are_the_ones_the_levels_were_computed_on(function_servers: FunctionServers):
    session = store_context(function_servers, "TSLA")
    action = post_json(
        function_servers.chart_action_url + "/api/chatkit/chart-action",
        {"query": "draw support and resistance", "session_id": session},
    ).json()
    params = {"symbol": "tsla", "timeframe": "1d"}
    response = requests.get(bars_url(function_servers), params=params, timeout=10)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["success"], body["symbol"], body["timeframe"]) == (True, "TSLA", "1D")
    assert body["market_data"] == action["data"]["market_data"]  # provider, sample, count, last
    assert body["market_data"]["sample"] is True and body["market_data"]["bars"] == 300
    bars = body["bars"]
    assert len(bars) == 300 and set(bars[0]) == {"time", "open", "high", "low", "close", "volume"}
    assert [b["time"] for b in bars] == sorted({b["time"] for b in bars})  # oldest first
    levels = action["data"]["levels"]
    low, high = min(b["low"] for b in bars), max(b["high"] for b in bars)
    assert all(low <= p <= high for p in levels["support"] + levels["resistance"])


def test_cacheable_with_an_etag(function_servers: FunctionServers):
    params = {"symbol": "AAPL", "timeframe": "1H"}
    first = requests.get(bars_url(function_servers, "/bars"), params=params, timeout=10)
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "application/json"
    cache = first.headers["Cache-Control"]
    assert "public" in cache and "max-age=900" in cache  # a quarter of an hour bar
    etag = first.headers["ETag"]
    again = requests.get(
        bars_url(function_servers), params=params, headers={"If-None-Match": etag}, timeout=10
    )
    assert (again.status_code, again.content) == (304, b"")


def test_bad_queries_name_the_field(function_servers: FunctionServers):
    for params, field in [
        ({"timeframe": "1D"}, "symbol"),
        ({"symbol": "TSLA", "timeframe": "2D"}, "timeframe"),
        ({"symbol": "<script>", "timeframe": "1D"}, "symbol"),
        ({"symbol": "TSLA", "limit": "5"}, "limit"),
    ]:
        response = requests.get(bars_url(function_servers), params=params, timeout=10)
        assert response.status_code == 400, (params, response.text)
        error = response.json()["error"]
        assert error["code"] == "invalid_request" and field in error["message"]
        assert "<script>" not in response.text and "2D" not in error["message"]


def test_cors_for_allowed_origins_only(function_servers: FunctionServers):
    origin = "http://localhost:5173"
    params = {"symbol": "TSLA"}
    url = bars_url(function_servers)
    allowed = requests.get(url, params=params, headers={"Origin": origin}, timeout=10)
    assert allowed.headers["Access-Control-Allow-Origin"] == origin
    preflight = requests.options(
        function_servers.chart_action_url + "/api/chatkit/chart-action",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
        timeout=10,
    )  # fmt: skip
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    evil = {"Origin": "https://evil.example"}
    foreign = requests.get(url, params=params, headers=evil, timeout=10)
    assert foreign.status_code == 200 and "Access-Control-Allow-Origin" not in foreign.headers


def test_no_token_needed_for_the_bars_while_the_action_needs_it(servers_with):
    servers = servers_with(CHART_ACTION_TOKEN=TOKEN)
    bars = requests.get(bars_url(servers), params={"symbol": "TSLA"}, timeout=10)
    assert bars.status_code == 200
    action = post_json(servers.chart_action_url + "/api/chatkit/chart-action", {"query": "support"})
    assert action.status_code == 401
