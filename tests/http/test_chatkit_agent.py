"""The chatkit function with OPENAI_API_KEY: the real openai-agents package, streamed through
chatkit's agent helpers, against a local server speaking the Responses API (model calls are
counted there), the real chart action and the real emulator."""

from __future__ import annotations

import time

import pytest

from devtools.processes import free_port
from shared.chat.agent import tool_parameters
from tests.chatkit_client import ChatKitClient, Stream, chart_page, unreachable_market_data
from tests.fake_responses import NARRATION, ToolCallingModel, relay_summary

SWING = "make it look like a swing trader's chart"
TOOL_QUERY = "add the 50 day moving average and draw support and resistance"


@pytest.fixture
def agent_chat(function_servers, chatkit_with, httpserver, clean_firestore):
    """(model, client): a page with a TSLA 1D context, chatkit pointed at the fake model."""

    def start(model: ToolCallingModel) -> ChatKitClient:
        httpserver.expect_request("/v1/responses", method="POST").respond_with_handler(model)
        url = chatkit_with(
            OPENAI_API_KEY="sk-test",
            OPENAI_BASE_URL=httpserver.url_for("/v1"),
            OPENAI_TIMEOUT_SECONDS="10",  # generous: the timeouts are in test_model_path.py
        )
        return chart_page(function_servers.update_context_url, url + "/api/chatkit")

    return start


def first_text(stream: Stream) -> int:
    """Where the model's text first reaches the page: its checked, complete message (no
    text delta goes out before the number check)."""
    assert not [
        e
        for e in stream.of_type("thread.item.updated")
        if e["update"]["type"].startswith("assistant_message.")
    ]
    return next(
        i
        for i, e in enumerate(stream.events)
        if e["type"] == "thread.item.done" and e["item"]["type"] == "assistant_message"
    )


def test_mapped_message_costs_one_model_call_and_the_effect_comes_first(agent_chat):
    model = ToolCallingModel("chart_control", lambda body: {"query": TOOL_QUERY})
    stream = agent_chat(model).create("draw support and resistance")
    assert len(model.requests) == 1
    assert not model.requests[0].get("tools")  # narrating, not deciding
    assert "error" not in stream.types()
    effect_at = stream.types().index("client_effect")
    assert effect_at < first_text(stream)
    commands = stream.effects()[0]["data"]["commands"]
    assert any(c.startswith("SUPPORT:") for c in commands)
    assert stream.assistant_text().strip() == NARRATION
    request = model.requests[0]
    assert "TSLA on the 1D timeframe" in request["instructions"]
    note = request["input"][-1]
    assert note["role"] == "developer" and "support" in str(note["content"]).lower()


def test_unmapped_message_goes_to_the_agent_which_calls_the_tool(agent_chat):
    model = ToolCallingModel(
        "chart_control", lambda body: {"query": TOOL_QUERY}, narration=relay_summary
    )
    stream = agent_chat(model).create(SWING)
    assert len(model.requests) == 2
    offered = {tool["name"]: tool for tool in model.requests[0]["tools"]}
    assert offered["chart_control"]["parameters"] == tool_parameters()
    assert "session_id" not in offered["chart_control"]["parameters"]["properties"]
    assert "error" not in stream.types()
    commands = stream.effects()[0]["data"]["commands"]
    assert "INDICATOR:SMA:50" in commands and any(c.startswith("SUPPORT:") for c in commands)
    assert stream.types().index("client_effect") < first_text(stream)
    assert "support" in stream.assistant_text().lower()  # the fake relays the result
    assert not model.requests[1].get("tools")  # the narration carries no tool schema


def test_conversation_history_reaches_the_model(agent_chat):
    model = ToolCallingModel("chart_control", lambda body: {"query": TOOL_QUERY})
    chat = agent_chat(model)
    thread_id = chat.create("draw support and resistance").thread_id()
    chat.add(thread_id, "weekly")
    texts = str(model.requests[-1]["input"])
    assert "draw support and resistance" in texts and NARRATION in texts


@pytest.mark.parametrize(
    ("model", "says"),
    [
        (ToolCallingModel("chart_control", dict, status=429), "rate limited"),
        (ToolCallingModel("chart_control", dict, status=503), "unavailable"),
    ],
    ids=["429", "503"],
)
def test_model_failures_end_the_stream_cleanly_after_the_effect(agent_chat, model, says):
    chat = agent_chat(model)
    started = time.perf_counter()
    stream = chat.create("draw support and resistance")
    assert time.perf_counter() - started < 10  # hang bound
    assert stream.status == 200
    assert stream.effects(), "the fast path's effect went out before the model failed"
    assert stream.types()[-1] == "error" or stream.of_type("error")
    error = stream.of_type("error")[0]
    assert says in error["message"] and error["allow_retry"] is True
    assert stream.types().index("client_effect") < stream.types().index("error")
    items = chat.call("items.list", thread_id=stream.thread_id(), limit=10).json()["data"]
    assert [i["type"] for i in items] == ["user_message"]  # no half answer stored


def test_a_failing_tool_ends_the_turn_with_a_readable_error(
    function_servers, chatkit_with, httpserver, clean_firestore
):
    model = ToolCallingModel("chart_control", lambda body: {"query": TOOL_QUERY})
    httpserver.expect_request("/v1/responses", method="POST").respond_with_handler(model)
    url = chatkit_with(
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=httpserver.url_for("/v1"),
        **unreachable_market_data(free_port()),
    )
    stream = chart_page(function_servers.update_context_url, url + "/api/chatkit").create(SWING)
    assert len(model.requests) == 1  # the tool failed: no second call narrates a failure
    errors = stream.of_type("error")
    assert errors and "market data" in errors[0]["message"].lower(), stream.events
    assert not stream.effects()


def test_the_agent_passes_structured_arguments_to_the_tool(agent_chat):
    """The tool's schema offers the structured fields, and a call with nothing else draws them."""
    structured = {
        "symbol": "AMD", "timeframe": "1W", "tools": ["fibonacci"],
        "indicators": [{"name": "BBANDS", "period": 20}],
    }  # fmt: skip
    model = ToolCallingModel("chart_control", lambda body: structured, narration=relay_summary)
    stream = agent_chat(model).create(SWING)
    parameters = {t["name"]: t for t in model.requests[0]["tools"]}["chart_control"]["parameters"]
    assert {"symbol", "timeframe", "tools", "indicators", "clear", "trade_direction"} <= set(
        parameters["properties"]
    )
    assert "fibonacci" in parameters["properties"]["tools"]["items"]["enum"]
    assert "error" not in stream.types()
    [effect] = stream.effects()
    commands = effect["data"]["commands"]
    assert commands[:3] == ["LOAD:AMD", "TIMEFRAME:1W", "INDICATOR:BBANDS:20"]
    assert any(c.startswith("FIBONACCI:") for c in commands)
    assert effect["data"]["data"]["planner"] == "structured"
    assert "AMD" in stream.assistant_text()  # the fake relays the tool's result


@pytest.mark.parametrize("period", ["50", True, 50.0])
def test_the_chat_tool_takes_only_integer_periods(agent_chat, period):
    """Issue 25: "50" or true is not coerced (true drew SMA 1): the tool tells the model which
    argument is wrong, and nothing is drawn."""
    arguments = {"indicators": [{"name": "SMA", "period": period}]}
    model = ToolCallingModel("chart_control", lambda body: arguments)
    stream = agent_chat(model).create(SWING)
    assert not stream.effects(), stream.events
    assert "invalid indicators.0.period" in stream.assistant_text(), stream.assistant_text()
