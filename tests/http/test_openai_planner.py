"""The OpenAI planner with the real `openai` client against a local Chat Completions server:
success, malformed output, invalid plan, refusal, timeout, 429 and 500 all answer in time."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from typing import get_args

import pytest
from pytest_httpserver import HTTPServer

from devtools.processes import REPO, free_port
from shared.core.action import plan_chart_action
from shared.infra.settings import Settings
from shared.llm.openai_planner import OpenAIPlanner, plan_with_openai
from shared.models.action import ChartActionRequest, ToolName
from shared.models.commands import IndicatorName
from shared.models.fields import Timeframe
from tests.fake_openai import FakeOpenAI
from tests.helpers import post_json, sample_provider
from tests.mcp_client import McpClient

SWING_PLAN = {
    "symbol": None,
    "timeframe": "4H",
    "tools": ["support_resistance", "trendline"],
    "indicators": [{"name": "EMA", "period": 21}, {"name": "RSI", "period": None}],
    "clear": "DRAWINGS",
    "trade_direction": "long",
    "reply": "Setting up a swing view: 4H with levels, a trendline, the 21 EMA and RSI.",
}
QUERY = "make the chart look like a swing trader's setup"


@pytest.fixture
def fake_openai(httpserver, monkeypatch):
    def serve(mode: str = "ok", delay: float = 0) -> tuple[FakeOpenAI, Settings]:
        fake = FakeOpenAI(mode, SWING_PLAN, delay)
        httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_handler(fake)
        monkeypatch.setenv("OPENAI_BASE_URL", httpserver.url_for("/v1"))
        settings = Settings.from_env({"OPENAI_API_KEY": "sk-test", "OPENAI_TIMEOUT_SECONDS": "1"})
        return fake, settings

    return serve


def fallback_for(settings: Settings):
    return lambda query, chart: plan_with_openai(query, chart, settings)


def test_free_form_query_gets_validated_commands(fake_openai):
    fake, settings = fake_openai()
    answer = plan_chart_action(
        ChartActionRequest(query=QUERY), None, sample_provider(), fallback_for(settings)
    )
    assert answer.data.planner == "openai"
    commands = answer.chart_commands
    assert commands[0] == "CLEAR:DRAWINGS" and "TIMEFRAME:4H" in commands
    assert "INDICATOR:EMA:21" in commands and "INDICATOR:RSI" in commands
    request = fake.requests[0]
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["strict"] is True
    assert QUERY in request["messages"][-1]["content"]


def test_the_model_can_ask_for_a_short(fake_openai):
    fake, settings = fake_openai()
    fake.plan = {**SWING_PLAN, "symbol": "TSLA", "tools": ["trade_plan"], "indicators": [],
                 "clear": None, "trade_direction": "short"}  # fmt: skip
    query = "I want to bet against this one, where would I get in and out?"
    outcome = plan_with_openai(query, None, settings)
    assert outcome.intent is not None and outcome.intent.trade_direction == "short"
    answer = plan_chart_action(
        ChartActionRequest(query=query), None, sample_provider(), fallback_for(settings)
    )
    assert answer.data.planner == "openai"
    assert "short plan" in answer.text or "no short plan" in answer.text


def test_prices_come_from_our_analysis_not_the_model(fake_openai):
    _, settings = fake_openai()
    from shared.models.context import StoredContext  # noqa: PLC0415

    stored = StoredContext(symbol="NVDA", timeframe="1D", updated_at="2026-11-24T00:00:00Z")
    answer = plan_chart_action(
        ChartActionRequest(query=QUERY), stored, sample_provider(), fallback_for(settings)
    )
    assert answer.data.levels is not None and answer.data.levels.support
    assert any(c.startswith("SUPPORT:") for c in answer.chart_commands)
    assert any(c.startswith("TRENDLINE:") for c in answer.chart_commands)


@pytest.mark.parametrize(
    ("mode", "delay", "reason"),
    [("malformed", 0, "invalid"), ("invalid", 0, "invalid"), ("refusal", 0, "declined"),
     ("429", 0, "rate limited"), ("500", 0, "unavailable"), ("ok", 2.5, "timed out")],
)  # fmt: skip
def test_failures_fall_back_to_rules_within_the_timeout(fake_openai, mode, delay, reason):
    _, settings = fake_openai(mode, delay)
    started = time.monotonic()
    answer = plan_chart_action(
        ChartActionRequest(query=QUERY), None, sample_provider(), fallback_for(settings)
    )
    assert time.monotonic() - started < 2.5  # hang bound: cut before the model's 2.5 s
    assert answer.success and answer.data.planner == "rules"
    assert answer.chart_commands == []
    assert reason in answer.text and "could not map" in answer.text


def test_recognised_queries_never_call_openai(fake_openai):
    fake, settings = fake_openai()
    answer = plan_chart_action(
        ChartActionRequest(query="support for TSLA"),
        None,
        sample_provider(),
        fallback_for(settings),
    )
    assert answer.data.planner == "rules" and fake.requests == []


def test_rules_path_does_not_import_openai():
    probe = (
        "import sys\n"
        "from flask import Flask\n"
        "import functions_framework\n"
        "app = functions_framework.create_app('chart_action', 'functions/chart_action/main.py')\n"
        "client = app.test_client()\n"
        "reply = client.post('/', json={'query': 'support for TSLA'})\n"
        "assert reply.status_code == 200, reply.data\n"
        "call = {'jsonrpc': '2.0', 'id': 1, 'method': 'tools/call',\n"
        "        'params': {'name': 'chart_control', 'arguments': {'query': 'weekly AAPL'}}}\n"
        "reply = client.post('/mcp', json=call)\n"
        "assert reply.json['result']['structuredContent']['data']['planner'] == 'rules'\n"
        "print('openai' in sys.modules)"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "OPENAI_API_KEY": "sk-test"}
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_through_the_function(fake_openai, httpserver, servers_with, clean_firestore):
    servers = servers_with(
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=httpserver.url_for("/v1"),
        OPENAI_TIMEOUT_SECONDS="1",
    )
    fake, _ = fake_openai()
    answer = post_json(servers.chart_action_url, {"query": QUERY}).json()
    assert answer["data"]["planner"] == "openai"
    assert "INDICATOR:EMA:21" in answer["chart_commands"]
    assert len(fake.requests) == 1


@pytest.fixture
def threaded_httpserver():
    """A second fake API that serves requests concurrently (the drip outlives its caller)."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_a_trickling_server_still_meets_the_deadline(threaded_httpserver, monkeypatch):
    fake = FakeOpenAI("drip", SWING_PLAN, delay=0.02)  # 0.02 s a byte: ~8 s for the body
    threaded_httpserver.expect_request("/v1/chat/completions").respond_with_handler(fake)
    monkeypatch.setenv("OPENAI_BASE_URL", threaded_httpserver.url_for("/v1"))
    settings = Settings.from_env({"OPENAI_API_KEY": "sk-drip", "OPENAI_TIMEOUT_SECONDS": "1"})
    started = time.monotonic()
    outcome = plan_with_openai(QUERY, None, settings)
    elapsed = time.monotonic() - started
    assert outcome.intent is None and outcome.failure == "the AI planner timed out"
    assert elapsed < 3, elapsed  # hang bound: the 1 s deadline, not the ~8 s trickle


def test_a_call_past_its_deadline_is_cancelled_and_frees_its_slot(
    threaded_httpserver, monkeypatch, caplog
):
    """The lane cancels a trickling call at the deadline (its connection closed), so one
    gate slot serves the next call at once instead of staying taken until the drip ends."""
    fake = FakeOpenAI("drip", SWING_PLAN, delay=0.02)
    threaded_httpserver.expect_request("/v1/chat/completions").respond_with_handler(fake)
    monkeypatch.setenv("OPENAI_BASE_URL", threaded_httpserver.url_for("/v1"))
    env = {"OPENAI_API_KEY": "sk-drip", "OPENAI_TIMEOUT_SECONDS": "1", "OPENAI_MAX_CALLS": "1"}
    planner = OpenAIPlanner(Settings.from_env(env))
    assert planner(QUERY, None).failure == "the AI planner timed out"
    time.sleep(0.3)  # the cancellation runs on the lane
    assert planner(QUERY, None).failure == "the AI planner timed out"  # not "busy"
    assert len(fake.requests) == 2
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.fields["model_call"]["outcome"] for r in warnings] == ["timeout", "timeout"]  # type: ignore[attr-defined]


def test_every_request_is_capped_and_not_stored_and_each_call_is_logged(fake_openai, caplog):
    fake, settings = fake_openai()
    caplog.set_level(logging.INFO, "chart_control.model")
    plan_with_openai(QUERY, None, settings)
    request = fake.requests[0]
    assert request["store"] is False and request["max_tokens"] == 300
    [line] = [r for r in caplog.records if r.name == "chart_control.model"]
    assert line.levelname == "INFO"
    assert line.fields["model_call"] | {"latency": 0} == {  # type: ignore[attr-defined]
        "model": "gpt-4.1-mini", "call": "planner", "latency": 0, "outcome": "ok",
        "input_tokens": fake.usages[0]["prompt_tokens"],
        "output_tokens": fake.usages[0]["completion_tokens"],
    }  # fmt: skip


@pytest.mark.parametrize(
    "case",
    [("429", "rate_limited", 429), ("500", "status_error", 500), ("malformed", "invalid", None),
     ("dead", "connection_error", None)],  # a timeout: test_a_call_past_its_deadline...
    ids=["429", "500", "malformed", "connection"],
)  # fmt: skip
def test_each_planner_failure_is_one_warning_with_its_cause(fake_openai, caplog, monkeypatch, case):
    mode, outcome, status = case
    _, settings = fake_openai(mode)
    if mode == "dead":
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{free_port()}/v1")
    caplog.set_level(logging.INFO)
    plan_with_openai(QUERY, None, settings)
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in lines] == ["chart_control.model"], [r.getMessage() for r in lines]
    cause = lines[0].fields["model_call"]  # type: ignore[attr-defined]
    assert cause["outcome"] == outcome and cause["status"] == status and cause["error_type"]


def test_the_models_sentence_never_carries_a_price(fake_openai):
    fake, settings = fake_openai()
    fake.plan = {**SWING_PLAN, "reply": "Support sits at 251.30, so buy the dip."}
    outcome = plan_with_openai(QUERY, None, settings)
    assert outcome.intent is not None and outcome.reply == ""
    for advice in ("Support is near 95 and resistance near 99, buy the dip",
                   "TSLA will double by Friday, buy now"):  # fmt: skip
        fake.plan = {**SWING_PLAN, "reply": advice}
        assert plan_with_openai(QUERY, None, settings).reply == ""
    fake.plan = {**SWING_PLAN, "reply": "Adding the 21 EMA on the 4H chart."}
    assert plan_with_openai(QUERY, None, settings).reply == "Adding the 21 EMA on the 4H chart."


def test_an_empty_plan_falls_back_with_a_reason(fake_openai):
    fake, settings = fake_openai()
    fake.plan = {**SWING_PLAN, "timeframe": None, "tools": [], "indicators": [], "clear": None}
    answer = plan_chart_action(
        ChartActionRequest(query=QUERY), None, sample_provider(), fallback_for(settings)
    )
    assert answer.data.planner == "rules" and "found nothing to draw" in answer.text


def test_the_plan_schema_is_derived_from_the_models(fake_openai):
    fake, settings = fake_openai()
    plan_with_openai(QUERY, None, settings)
    schema = fake.requests[0]["response_format"]["json_schema"]["schema"]
    tools = set(schema["properties"]["tools"]["items"]["enum"])
    assert tools == set(get_args(ToolName)) - {
        "load_symbol",
        "set_timeframe",
        "indicators",
        "clear",
    }
    indicator = schema["$defs"]["PlannedIndicator"]["properties"]["name"]["enum"]
    assert indicator == list(get_args(IndicatorName))
    assert schema["$defs"]["Timeframe"]["enum"] == [t.value for t in Timeframe]
    assert schema["additionalProperties"] is False and set(schema["required"]) == set(
        schema["properties"]
    )


def test_through_mcp(fake_openai, httpserver, servers_with, clean_firestore):
    servers = servers_with(
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=httpserver.url_for("/v1"),
        OPENAI_TIMEOUT_SECONDS="1",
    )
    fake_openai()
    client = McpClient(servers.chart_action_url + "/mcp")
    client.handshake()
    result = client.chart_control(query=QUERY)["result"]
    assert result["structuredContent"]["data"]["planner"] == "openai"
    assert "INDICATOR:EMA:21" in result["content"][0]["text"].splitlines()
