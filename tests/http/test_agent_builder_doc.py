"""docs/agent-builder.md: generated, current, and every snippet in it works."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import re
import subprocess

from devtools.agent_builder_doc import (
    AGENT_INSTRUCTIONS,
    AGENT_SNIPPET,
    DOC,
    SNIPPET,
    STATE_VARIABLE,
    render,
)
from tests.fake_responses import ToolCallingModel
from tests.helpers import new_session_id, post_json
from tests.mcp_client import McpClient


def load(snippet):
    """A snippet file as a module, run exactly as the guide shows it."""
    spec = importlib.util.spec_from_file_location(snippet.stem, snippet)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def json_blocks() -> list[dict]:
    """The guide's JSON blocks in their order: the MCP tool, the structured-arguments example,
    the function tool."""
    return [json.loads(b) for b in re.findall(r"```json\n(.*?)\n```", DOC.read_text(), re.S)]


def mcp_tool() -> dict:
    [tool] = [b for b in json_blocks() if "inputSchema" in b]
    return tool


def function_tool_block() -> dict:
    [tool] = [b for b in json_blocks() if b.get("type") == "function"]
    return tool


def test_doc_is_current():
    assert DOC.read_text() == render(), "docs/agent-builder.md is stale: run `make docs`"


def test_mcp_tool_block_is_what_the_server_lists(function_servers):
    client = McpClient(function_servers.chart_action_url + "/api/chatkit/mcp")
    client.handshake()
    listed = client.call("tools/list")["result"]["tools"]
    assert listed == [mcp_tool()]


def test_function_tool_arguments_work_on_the_json_route(function_servers, clean_firestore):
    function_tool = function_tool_block()
    assert function_tool["parameters"] == mcp_tool()["inputSchema"]  # one input, two doors
    assert "required" not in function_tool["parameters"]  # a query, structured fields, or both
    arguments = {"query": "draw support and resistance for TSLA"}
    answer = post_json(function_servers.chart_action_url + "/api/chatkit/chart-action", arguments)
    assert answer.status_code == 200 and answer.json()["chart_commands"]


def test_structured_example_draws_what_the_guide_says(function_servers, clean_firestore):
    [example] = [b for b in json_blocks() if "tools" in b and "query" in b]
    assert "draws the 200-day SMA and SPY's support levels" in DOC.read_text()
    example = {**example, "session_id": new_session_id("guide")}  # a fresh session, no context
    answer = post_json(function_servers.chart_action_url + "/api/chatkit/chart-action", example)
    commands = answer.json()["chart_commands"]
    assert commands[:3] == ["LOAD:SPY", "TIMEFRAME:1D", "INDICATOR:SMA:200"]
    assert any(c.startswith("SUPPORT:") for c in commands)
    assert not any(c.startswith("RESISTANCE:") for c in commands)  # "where's support?"
    assert answer.json()["data"]["planner"] == "structured"


def test_curl_check_runs_as_written(servers_with):
    token = "doc-token-" + "z7" * 12
    base = servers_with(CHART_ACTION_TOKEN=token).chart_action_url
    command = re.search(r"```bash\n(curl .*?)\n```", DOC.read_text(), re.S).group(1)
    script = command.replace("https://<your base URL>", base)
    env = {"PATH": os.environ["PATH"], "CHART_ACTION_TOKEN": token}
    out = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=30, check=True
    )
    assert json.loads(out.stdout)["result"]["tools"] == [mcp_tool()]


def test_session_snippet_sends_the_state_variable(httpserver, monkeypatch):
    captured = {}

    def chatkit(request):
        from werkzeug import Response  # noqa: PLC0415

        captured.update(json.loads(request.get_data()))
        session = {
            "id": "cksess_1", "object": "chatkit.session", "client_secret": "ek_test_secret",
            "expires_at": 1_800_000_000, "max_requests_per_1_minute": 10, "status": "active",
            "user": captured["user"], "workflow": captured["workflow"],
            "chatkit_configuration": {
                "automatic_thread_titling": {"enabled": True},
                "file_upload": {"enabled": False}, "history": {"enabled": True},
            },
            "rate_limits": {"max_requests_per_1_minute": 10},
        }  # fmt: skip
        return Response(json.dumps(session), 200, content_type="application/json")

    httpserver.expect_request("/v1/chatkit/sessions", method="POST").respond_with_handler(chatkit)
    monkeypatch.setenv("OPENAI_BASE_URL", httpserver.url_for("/v1"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    secret = load(SNIPPET).create_chatkit_session("user-1", "chart_session_0123456789", "wf_123")
    assert secret == "ek_test_secret"
    assert captured["workflow"] == {
        "id": "wf_123",
        "state_variables": {STATE_VARIABLE: "chart_session_0123456789"},
    }


def test_instructions_forward_the_session_id():
    text = DOC.read_text()
    assert f"{{{{state.{STATE_VARIABLE}}}}}" in text and "`chart_control`" in text


AGENT_TOKEN = "agent-token-" + "k3" * 12


def session_id_from_instructions(body: dict) -> dict:
    """What a model following the guide's instructions passes to chart_control."""
    found = re.search(r"`session_id`\s+set to ([A-Za-z0-9_-]+)\.", body["instructions"])
    return {"query": "draw support and resistance", "session_id": found.group(1)}


def test_agents_sdk_snippet_draws_through_the_mcp_tool(
    servers_with, clean_firestore, httpserver, monkeypatch
):
    servers = servers_with(CHART_ACTION_TOKEN=AGENT_TOKEN)
    session = new_session_id("agent")
    context = {"session_id": session, "symbol": "TSLA", "timeframe": "4H"}
    assert post_json(servers.update_context_url, context).status_code == 200
    model = ToolCallingModel("chart_control", session_id_from_instructions)
    httpserver.expect_request("/v1/responses", method="POST").respond_with_handler(model)
    monkeypatch.setenv("OPENAI_BASE_URL", httpserver.url_for("/v1"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_AGENTS_DISABLE_TRACING", "1")  # no trace export in tests
    monkeypatch.setenv("CHART_CONTROL_MCP_URL", servers.chart_action_url + "/api/chatkit/mcp")
    monkeypatch.setenv("CHART_ACTION_TOKEN", AGENT_TOKEN)

    answer = asyncio.run(load(AGENT_SNIPPET).ask_chart_agent("show me S/R", session))

    offered = {tool["name"]: tool for tool in model.requests[0]["tools"]}
    assert offered["chart_control"]["parameters"] == mcp_tool()["inputSchema"]
    plain = post_json(
        servers.chart_action_url + "/api/chatkit/chart-action",
        session_id_from_instructions(model.requests[0]),
        headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
    ).json()
    assert "SUPPORT:" in " ".join(plain["chart_commands"]) and "LOAD:TSLA" not in plain["text"]
    assert plain["text"] in answer


def test_agents_sdk_instructions_are_the_guides_instructions():
    snippet = load(AGENT_SNIPPET).INSTRUCTIONS
    placeholder = f"{{{{state.{STATE_VARIABLE}}}}}"
    assert snippet.format(chart_session_id=placeholder) == AGENT_INSTRUCTIONS
