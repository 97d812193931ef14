"""MCP on chart_action through real HTTP: handshake, tools, errors, auth (SPEC 7)."""

from __future__ import annotations

import pytest
import requests

from shared.models.action import PLAN_FIELDS, PLAN_TOOLS, ChartActionRequest
from tests.helpers import new_session_id, post_json
from tests.mcp_client import PROTOCOL, McpClient

TOKEN = "mcp-token-" + "x9" * 12


@pytest.fixture
def servers(function_servers, clean_firestore):
    return function_servers


@pytest.fixture(params=["/mcp", "/api/chatkit/mcp"])
def client(servers, request) -> McpClient:
    return McpClient(servers.chart_action_url + request.param)


def store(servers, symbol: str, timeframe: str = "1D") -> str:
    session = new_session_id("mcp")
    body = {"session_id": session, "symbol": symbol, "timeframe": timeframe}
    assert post_json(servers.update_context_url, body).status_code == 200
    return session


def test_handshake_and_tools_list(client: McpClient):
    result = client.handshake()
    assert result["protocolVersion"] == PROTOCOL
    assert result["capabilities"]["tools"] == {"listChanged": False}
    assert result["serverInfo"]["name"] == "chart-control"
    tools = client.call("tools/list")["result"]["tools"]
    assert [t["name"] for t in tools] == ["chart_control"]
    assert tools[0]["inputSchema"] == ChartActionRequest.model_json_schema()
    assert client.call("ping")["result"] == {}


def test_tools_list_shows_the_structured_fields(client: McpClient):
    client.handshake()
    [tool] = client.call("tools/list")["result"]["tools"]
    schema = tool["inputSchema"]
    properties = schema["properties"]
    assert set(PLAN_FIELDS) | {"query", "session_id"} == set(properties)
    assert "required" not in schema  # a query, the structured fields, or both
    for name in PLAN_FIELDS:  # written for a model: what the field means, with an example
        assert len(properties[name]["description"]) > 40, name
    assert properties["tools"]["items"]["enum"] == list(PLAN_TOOLS)
    indicator = schema["$defs"]["PlannedIndicator"]["properties"]
    assert "SMA" in indicator["name"]["enum"] and "200" in indicator["period"]["description"]
    clear = next(option for option in properties["clear"]["anyOf"] if "enum" in option)
    assert {"ALL", "TRENDLINES", "INDICATOR:RSI"} <= set(clear["enum"])
    assert "structured fields" in tool["description"]


def test_tools_call_with_only_structured_arguments_draws_what_they_say(servers, client: McpClient):
    session = store(servers, "TSLA", "1D")
    client.handshake()
    arguments = {
        "session_id": session,
        "symbol": "nvda",
        "timeframe": "weekly",
        "tools": ["support_resistance", "fibonacci"],
        "indicators": [{"name": "EMA", "period": 21}, {"name": "RSI"}],
        "clear": "DRAWINGS",
    }
    result = client.chart_control(**arguments)["result"]
    assert result.get("isError") in (None, False), result
    answer = result["structuredContent"]
    commands = answer["chart_commands"]
    assert commands[:5] == ["CLEAR:DRAWINGS", "LOAD:NVDA", "TIMEFRAME:1W", "INDICATOR:EMA:21",
                            "INDICATOR:RSI"]  # fmt: skip
    assert any(c.startswith("SUPPORT:") for c in commands)
    assert any(c.startswith("FIBONACCI:") for c in commands)
    assert answer["data"]["planner"] == "structured"
    assert answer["data"]["chart_context"]["symbol"] == "NVDA"
    assert set(answer["data"]["tools_used"]) >= {"support_resistance", "fibonacci", "clear"}
    # the same on the JSON door, on a chart as the first was (the answer moved that one to NVDA)
    arguments["session_id"] = store(servers, "TSLA", "1D")
    plain = post_json(servers.chart_action_url, arguments).json()
    assert plain["chart_commands"] == commands


def test_a_trade_plan_from_structured_arguments_beside_the_query(servers, client: McpClient):
    session = store(servers, "AAPL", "4H")
    client.handshake()
    result = client.chart_control(
        query="j'aimerais parier sur une baisse", session_id=session,
        tools=["trade_plan"], trade_direction="short",
    )["result"]  # fmt: skip
    answer = result["structuredContent"]
    assert answer["data"]["planner"] == "structured"
    commands = answer["chart_commands"]  # AAPL 4H is already shown: no LOAD or TIMEFRAME
    if "no short plan" in answer["text"]:  # the market offers no setup that pays 1.5x its risk
        assert commands == []
    else:
        assert "short plan" in answer["text"] and commands[0].startswith("ENTRY:")


@pytest.mark.parametrize("with_session", [True, False])
def test_tools_call_matches_the_json_route(servers, client: McpClient, with_session: bool):
    arguments = {"query": "draw support and resistance for TSLA"}
    if with_session:
        arguments["session_id"] = store(servers, "TSLA", "4H")
    client.handshake()  # the scripted session: initialize, initialized, tools/list, tools/call
    assert [t["name"] for t in client.call("tools/list")["result"]["tools"]] == ["chart_control"]
    result = client.chart_control(**arguments)["result"]
    plain = post_json(servers.chart_action_url + "/api/chatkit/chart-action", arguments).json()
    assert result.get("isError") in (None, False)
    assert result["structuredContent"]["chart_commands"] == plain["chart_commands"]
    assert result["content"] == [{"type": "text", "text": plain["text"]}]
    commands = plain["chart_commands"]
    assert any(c.startswith("SUPPORT:") for c in commands)
    assert ("LOAD:TSLA" in commands) is not with_session


def test_unknown_protocol_version_is_countered_with_ours(client: McpClient):
    client_info = {"name": "x", "version": "1"}
    answer = client.call(
        "initialize",
        {"protocolVersion": "1999-01-01", "capabilities": {}, "clientInfo": client_info},
    )
    assert answer["result"]["protocolVersion"] == "2025-11-25"


def test_stateless_revision_without_initialize(client: McpClient):
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "x", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    discovered = client.call("server/discover", {"_meta": meta})["result"]
    assert "2026-07-28" in discovered["supportedVersions"]
    called = client.call(
        "tools/call",
        {"_meta": meta, "name": "chart_control", "arguments": {"query": "weekly AAPL"}},
    )["result"]
    assert called["structuredContent"]["chart_commands"] == ["LOAD:AAPL", "TIMEFRAME:1W"]


@pytest.mark.parametrize(
    ("method", "params", "code"),
    [
        ("resources/read_everything", None, -32601),
        ("tools/call", {"name": "other_tool", "arguments": {}}, -32602),
        ("tools/call", {"arguments": {}}, -32602),
    ],
)
def test_json_rpc_errors(client: McpClient, method: str, params, code: int):
    client.handshake()
    answer = client.call(method, params)
    assert answer["error"]["code"] == code
    assert "result" not in answer


@pytest.mark.parametrize(
    ("arguments", "field"),
    [({"query": ""}, "query"), ({"query": "x", "bogus": 1}, "bogus"), ({}, "query"),
     ({"query": "support", "session_id": "short"}, "session_id"),
     ({"tools": ["draw_everything"]}, "tools.0"), ({"clear": "INDICATOR"}, "clear"),
     ({"indicators": [{"name": "SMA", "period": 900}]}, "indicators.0.period"),
     ({"symbol": "TSLA", "trade_direction": "sideways"}, "trade_direction")],
)  # fmt: skip
def test_bad_arguments_are_tool_errors_the_model_can_read(client: McpClient, arguments, field):
    client.handshake()
    result = client.chart_control(**arguments)["result"]
    assert result["isError"] is True and "structuredContent" not in result
    assert result["content"][0]["text"].startswith("invalid arguments for chart_control: ")
    assert field in result["content"][0]["text"]


def test_parse_error_and_invalid_request(client: McpClient):
    raw = requests.post(
        client.url, data="{nope", headers={"Content-Type": "application/json"}, timeout=10
    )
    assert raw.status_code == 400 and raw.json() == {
        "jsonrpc": "2.0",
        "id": None,  # JSON-RPC: null when the request's id could not be read
        "error": {"code": -32700, "message": "parse error: the body is not valid JSON"},
    }
    invalid = client.post({"id": 1, "params": {}})
    assert invalid.status_code == 400 and invalid.json()["error"]["code"] == -32600
    assert invalid.json()["id"] == 1
    batch = client.post([{"jsonrpc": "2.0", "id": 1, "method": "ping"}])  # batches left in 2025-06
    assert batch.status_code == 400 and batch.json()["id"] is None
    bad_notification = client.post({"jsonrpc": "1.0", "method": "notifications/initialized"})
    assert bad_notification.status_code == 400
    assert bad_notification.json()["error"]["code"] == -32600


def test_get_is_405_not_an_event_stream(client: McpClient):
    response = requests.get(client.url, headers={"Accept": "text/event-stream"}, timeout=5)
    assert response.status_code == 405 and response.headers["Allow"] == "POST"


def test_bearer_token_guards_mcp(servers_with, clean_firestore):
    url = servers_with(CHART_ACTION_TOKEN=TOKEN).chart_action_url + "/mcp"
    anonymous = McpClient(url).post({"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert anonymous.status_code == 401
    wrong = McpClient(url, token="nope").post({"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert wrong.status_code == 401
    client = McpClient(url, token=TOKEN)
    client.handshake()
    assert client.chart_control(query="support for NVDA")["result"]["structuredContent"]["success"]


def test_store_failure_is_a_tool_error(servers_with):
    servers = servers_with(FIRESTORE_EMULATOR_HOST="127.0.0.1:9", STORE_TIMEOUT_SECONDS="1")
    client = McpClient(servers.chart_action_url + "/mcp")
    client.handshake()
    result = client.chart_control(query="support", session_id=new_session_id("x"))["result"]
    assert result["isError"] is True
    assert "store" in result["content"][0]["text"]


def test_unsupported_protocol_version_header_is_400(client: McpClient):
    client.version = "1999-01-01"
    for message in (
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
    ):
        answer = client.post(message)
        assert answer.status_code == 400
        error = answer.json()["error"]
        assert error["code"] == -32022
        assert error["data"]["requested"] == "1999-01-01"
        assert "2025-06-18" in error["data"]["supported"]


def test_stateless_revision_errors_carry_http_status(client: McpClient):
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    unknown = client.post({"jsonrpc": "2.0", "id": 1, "method": "nope", "params": {"_meta": meta}})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == -32601
    bad = client.post(
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
         "params": {"_meta": meta, "arguments": {}}}  # no tool name
    )  # fmt: skip
    assert bad.status_code == 400 and bad.json()["error"]["code"] == -32602
    client.version = "2025-06-18"  # a header that contradicts the request's own envelope
    mismatch = client.post(
        {"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": {"_meta": meta}}
    )
    assert mismatch.status_code == 400 and mismatch.json()["error"]["code"] == -32020


def test_browser_origins_are_checked(client: McpClient):
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    foreign = requests.post(
        client.url, json=ping, headers={"Origin": "https://evil.example"}, timeout=5
    )
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == -32600
    local = requests.post(
        client.url, json=ping, headers={"Origin": "http://localhost:5173"}, timeout=5
    )
    assert local.status_code == 200 and local.json()["result"] == {}
