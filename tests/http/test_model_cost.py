"""What a conversation costs in model calls and tokens, counted at a local server that speaks
both OpenAI APIs the chat uses (Responses for the agent, Chat Completions for the planner),
with the real chatkit function, the real `openai` / `openai-agents` clients and the emulator.

The scripted model reads each message the way a model would: offered `chart_control`, it gives
its reading in the structured fields when the tool's schema asks for them, and only `query`
otherwise (what models did with the old schema). Tokens are the fake's estimate from request
sizes (tests/fake_responses.py), so the counts compare runs, not bills.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.chatkit_client import chart_page
from tests.fake_openai import FakeOpenAI
from tests.fake_responses import ToolCallingModel, last_user_text, threaded_api

SWING = "make it look like a swing trader's chart"
CONVERSATION = (
    "draw support and resistance for TSLA",  # the rules map it: the fast path
    SWING,  # the agent decides, with the tool
    "support for rheinmetall",  # a name the rules cannot place
    "connect the recent swing highs",  # the rules cannot map it
    "what's the RSI?",  # the fast path again
)
# What the scripted model understands of each message the rules cannot handle alone.
READINGS: dict[str, dict[str, Any]] = {
    SWING: {"timeframe": "4H", "tools": ["support_resistance", "trendline"],
            "indicators": [{"name": "EMA", "period": 21}]},
    "support for rheinmetall": {"symbol": "RHM.DE", "tools": ["support_resistance"]},
    "connect the recent swing highs": {"tools": ["trendline"]},
}  # fmt: skip
# The most model calls each kind of turn may make (the README's promise): the fast path
# narrates once; the agent decides, runs the tool, and answers.
PROMISED_CALLS = {"fast": 1, "agent": 2}


def reading_for(body: dict[str, Any]) -> dict[str, Any]:
    """The tool's arguments: the reading in the structured fields when the schema asks for
    them (they are required), else only the user's words."""
    text = last_user_text(body)
    offered = {t["name"]: t for t in body.get("tools", [])}["chart_control"]["parameters"]
    if "tools" not in offered.get("required", []):
        return {"query": text}
    fields = {name: None for name in offered["properties"]}
    return {**fields, "tools": [], "indicators": [], "query": text, **READINGS.get(text, {})}


class Planner(FakeOpenAI):
    """The Chat Completions side: the planner's plan for the request it is sent."""

    def answer(self) -> tuple[int, dict[str, Any]]:
        request = self.requests[-1]["messages"][-1]["content"].split("Request: ", 1)[-1]
        self.plan = {
            "symbol": None, "timeframe": None, "tools": [], "indicators": [], "clear": None,
            "trade_direction": None, "reply": "Drawing it.", **READINGS.get(request, {}),
        }  # fmt: skip
        return super().answer()


@dataclass
class Cost:
    calls: int
    input_tokens: int
    output_tokens: int


@pytest.fixture
def both_apis() -> Iterator[HTTPServer]:
    with threaded_api() as server:
        yield server


@pytest.fixture
def costed_chat(function_servers, chatkit_with, both_apis, clean_firestore):
    """(chat, agent fake, planner fake) for a TSLA 1D page."""
    agent = ToolCallingModel("chart_control", reading_for)
    planner = Planner("ok")
    both_apis.expect_request("/v1/responses", method="POST").respond_with_handler(agent)
    both_apis.expect_request("/v1/chat/completions", method="POST").respond_with_handler(planner)
    url = chatkit_with(
        OPENAI_API_KEY="sk-cost",
        OPENAI_BASE_URL=both_apis.url_for("/v1"),
        OPENAI_TIMEOUT_SECONDS="10",
        CHATKIT_TURNS_PER_MINUTE="1000",
        # what the paths cost, not the spend ceiling (tests/http/test_spend.py has that)
        CHATKIT_MODEL_TURNS_PER_HOUR="1000",
        CHATKIT_MODEL_TURNS_PER_INSTANCE_MINUTE="1000",
    )
    return chart_page(function_servers.update_context_url, url + "/api/chatkit"), agent, planner


def spent(agent: ToolCallingModel, planner: FakeOpenAI) -> Cost:
    """What the fakes counted: every call, and the tokens their answers reported."""
    return Cost(
        calls=len(agent.requests) + len(planner.requests),
        input_tokens=sum(u["input_tokens"] for u in agent.usages)
        + sum(u["prompt_tokens"] for u in planner.usages),
        output_tokens=sum(u["output_tokens"] for u in agent.usages)
        + sum(u["completion_tokens"] for u in planner.usages),
    )


def test_five_turns_cost(costed_chat, capsys):
    """The note's measurement: calls and tokens of a 5-turn conversation (printed), and what
    the paths promise (asserted). Before issue 28 the same conversation cost 10 calls
    (3 of them the planner's) and ~11.9k input / ~0.7k output tokens."""
    chat, agent, planner = costed_chat
    streams = [chat.create(CONVERSATION[0])]
    per_turn = [spent(agent, planner)]
    for text in CONVERSATION[1:]:
        streams.append(chat.add(streams[0].thread_id(), text))
        per_turn.append(spent(agent, planner))
    total = per_turn[-1]
    with capsys.disabled():
        steps = zip([Cost(0, 0, 0), *per_turn[:-1]], per_turn, strict=True)
        deltas = [(b.calls - a.calls, b.input_tokens - a.input_tokens) for a, b in steps]
        print(f"\n5 turns: {total}; per turn (calls, input tokens): {deltas}")
    assert all(not s.of_type("error") and len(s.effects()) == 1 for s in streams)
    assert planner.requests == []  # the chat never asks the planner: the agent is the model
    assert total.calls == 2 * PROMISED_CALLS["fast"] + 3 * PROMISED_CALLS["agent"]
    assert total.input_tokens < 11_931 and total.output_tokens < 690


def test_a_hundred_turns_cost_no_more_calls_than_the_paths_promise(costed_chat):
    chat, agent, planner = costed_chat
    threads = 20
    for _ in range(threads):
        thread = chat.create(CONVERSATION[0]).thread_id()
        for text in CONVERSATION[1:]:
            assert not chat.add(thread, text).of_type("error")
    fast = sum(1 for text in CONVERSATION if text not in READINGS) * threads
    decided = len(READINGS) * threads
    assert fast + decided == 100
    assert planner.requests == []
    assert len(agent.requests) == fast * PROMISED_CALLS["fast"] + decided * PROMISED_CALLS["agent"]
    assert all(r["store"] is False and r["max_output_tokens"] for r in agent.requests)
