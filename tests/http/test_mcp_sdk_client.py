"""The official MCP SDK client (`mcp` 2.x, test-only) against chart_action over real HTTP.

Our server validates with `mcp-types` and dispatches itself; this proves a real client agrees,
in each of the SDK's connect modes: the initialize handshake (`legacy`), the `server/discover`
probe (`auto`) and the stateless 2026-07-28 revision pinned without a handshake.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.helpers import new_session_id, post_json

TOKEN = "sdk-token-" + "q4" * 12
MODES = ["legacy", "auto", "2026-07-28"]


@pytest.fixture
def servers(servers_with, clean_firestore):
    return servers_with(CHART_ACTION_TOKEN=TOKEN)


async def _session(url: str, mode: str, token: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """initialize (or discover) -> tools/list -> tools/call, as the SDK's Client does them."""
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
        Client(streamable_http_client(url, http_client=http), mode=mode) as client,
    ):
        listed = await client.list_tools()
        called = await client.call_tool("chart_control", arguments)
        return {"tools": listed.tools, "result": called}


def run_session(url: str, mode: str, arguments: dict[str, Any], token: str = TOKEN) -> Any:
    return asyncio.run(_session(url, mode, token, arguments))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("with_session", [True, False])
def test_sdk_client_gets_the_json_routes_commands(servers, mode: str, with_session: bool):
    arguments = {"query": "draw support and resistance for TSLA"}
    if with_session:
        session = new_session_id("sdk")
        context = {"session_id": session, "symbol": "TSLA", "timeframe": "4H"}
        assert post_json(servers.update_context_url, context).status_code == 200
        arguments["session_id"] = session
    outcome = run_session(servers.chart_action_url + "/api/chatkit/mcp", mode, arguments)
    plain = post_json(
        servers.chart_action_url + "/api/chatkit/chart-action",
        arguments,
        headers={"Authorization": f"Bearer {TOKEN}"},
    ).json()
    assert [tool.name for tool in outcome["tools"]] == ["chart_control"]
    result = outcome["result"]
    assert not result.is_error
    assert result.structured_content["chart_commands"] == plain["chart_commands"]
    assert result.content[0].text == plain["text"]
    assert ("LOAD:TSLA" in plain["chart_commands"]) is not with_session


def leaf(exc: BaseException) -> BaseException:
    """The first real error inside the SDK's (nested) task-group exception groups."""
    while isinstance(exc, BaseExceptionGroup):
        exc = exc.exceptions[0]
    return exc


def failure_of(url: str, mode: str, tool: str, token: str = TOKEN) -> BaseException:
    async def call() -> None:
        async with (
            httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as http,
            Client(streamable_http_client(url, http_client=http), mode=mode) as client,
        ):
            await client.call_tool(tool, {"query": "x"})

    with pytest.raises(BaseExceptionGroup) as raised:
        asyncio.run(call())
    return leaf(raised.value)


@pytest.mark.parametrize("mode", MODES)
def test_sdk_client_sees_tool_errors_and_protocol_errors(servers, mode: str):
    url = servers.chart_action_url + "/mcp"
    bad_arguments = run_session(url, mode, {"query": ""})["result"]
    assert bad_arguments.is_error and "query" in bad_arguments.content[0].text
    unknown = failure_of(url, mode, "no_such_tool")
    assert isinstance(unknown, MCPError) and unknown.error.code == -32602


def test_sdk_client_without_the_token_is_refused(servers):
    refused = failure_of(servers.chart_action_url + "/mcp", "legacy", "chart_control", "wrong")
    assert isinstance(refused, MCPError)  # the SDK reports the HTTP 401 as an error response


@pytest.mark.parametrize("mode", MODES)
def test_sdk_client_calls_with_only_structured_arguments(servers, mode: str):
    """The SDK client validates the answer against the tool's output schema, `structured`
    planner included."""
    arguments = {"symbol": "QQQ", "timeframe": "1D", "tools": ["patterns", "technical_analysis"]}
    outcome = run_session(servers.chart_action_url + "/api/chatkit/mcp", mode, arguments)
    result = outcome["result"]
    assert not result.is_error, result.content
    assert result.structured_content["data"]["planner"] == "structured"
    commands = result.structured_content["chart_commands"]
    assert commands[:2] == ["LOAD:QQQ", "TIMEFRAME:1D"]
    assert {"ANALYZE:TECHNICAL", "ANALYZE:PATTERNS"} <= set(commands)
