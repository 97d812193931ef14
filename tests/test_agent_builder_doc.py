"""docs/agent-builder.md: generated, current, and every snippet in it works."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess

from devtools.agent_builder_doc import DOC, SNIPPET, STATE_VARIABLE, render
from tests.http_client import post_json
from tests.mcp_client import McpClient


def json_blocks() -> list[dict]:
    return [json.loads(b) for b in re.findall(r"```json\n(.*?)\n```", DOC.read_text(), re.S)]


def test_doc_is_current():
    assert DOC.read_text() == render(), "docs/agent-builder.md is stale: run `make docs`"


def test_mcp_tool_block_is_what_the_server_lists(function_servers):
    client = McpClient(function_servers.chart_action_url + "/api/chatkit/mcp")
    client.handshake()
    listed = client.call("tools/list")["result"]["tools"]
    assert listed == [json_blocks()[0]]


def test_function_tool_arguments_work_on_the_json_route(function_servers, clean_firestore):
    function_tool = json_blocks()[1]
    assert function_tool["parameters"] == json_blocks()[0]["inputSchema"]  # one input, two doors
    assert function_tool["parameters"]["required"] == ["query"]
    arguments = {"query": "draw support and resistance for TSLA"}
    answer = post_json(function_servers.chart_action_url + "/api/chatkit/chart-action", arguments)
    assert answer.status_code == 200 and answer.json()["chart_commands"]


def test_curl_check_runs_as_written(servers_with):
    token = "doc-token-" + "z7" * 12
    base = servers_with(CHART_ACTION_TOKEN=token).chart_action_url
    command = re.search(r"```bash\n(curl .*?)\n```", DOC.read_text(), re.S).group(1)
    script = command.replace("https://<your base URL>", base)
    env = {"PATH": os.environ["PATH"], "CHART_ACTION_TOKEN": token}
    out = subprocess.run(
        ["bash", "-c", script], env=env, capture_output=True, text=True, timeout=30, check=True
    )
    assert json.loads(out.stdout)["result"]["tools"] == [json_blocks()[0]]


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
    spec = importlib.util.spec_from_file_location("snippet", SNIPPET)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    secret = module.create_chatkit_session("user-1", "chart_session_0123456789", "wf_123")
    assert secret == "ek_test_secret"
    assert captured["workflow"] == {
        "id": "wf_123",
        "state_variables": {STATE_VARIABLE: "chart_session_0123456789"},
    }


def test_instructions_forward_the_session_id():
    text = DOC.read_text()
    assert f"{{{{state.{STATE_VARIABLE}}}}}" in text and "`chart_control`" in text
