"""What a conversation costs in model calls and tokens, counted at a local server that speaks
both OpenAI APIs the chat uses (Responses for the agent, Chat Completions for the planner),
with the real chatkit function, the real `openai` / `openai-agents` clients and the emulator.

The scripted model reads each message the way a model would: offered `chart_control`, it gives
its reading in the structured fields when the tool's schema asks for them, and only `query`
otherwise (what models did with the old schema). Tokens are the fake's estimate from request
sizes (tests/fake_responses.py), so the counts compare runs, not bills.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.chatkit_client import ChatKitClient, chart_page
from tests.fake_openai import FakeOpenAI
from tests.fake_responses import ToolCallingModel, last_user_text

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
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def costed_chat(function_servers, chatkit_with, both_apis, clean_firestore):
    """(chat, agent fake, planner fake) for a TSLA 1D page."""
    agent = ToolCallingModel("chart_control", reading_for)
    planner = Planner("ok")
    both_apis.expect_request("/v1/responses", method="POST").respond_with_handler(agent)
    both_apis.expect_request("/v1/chat/completions", method="POST").respond_with_handler(planner)
    url = chatkit_with(
        OPENAI_API_KEY="sk-cost", OPENAI_BASE_URL=both_apis.url_for("/v1"), OPENAI_TIMEOUT_SECONDS="5"
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


def converse(chat: ChatKitClient, turns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The conversation in one thread; each turn's stream must end without an error."""
    streams = [chat.create(turns[0])]
    thread = streams[0].thread_id()
    streams += [chat.add(thread, text) for text in turns[1:]]
    return [{"types": s.types(), "text": s.assistant_text()} for s in streams]


def test_five_turns_cost(costed_chat, capsys):
    chat, agent, planner = costed_chat
    streams = [chat.create(CONVERSATION[0])]
    per_turn = [spent(agent, planner)]
    for text in CONVERSATION[1:]:
        streams.append(chat.add(streams[0].thread_id(), text))
        per_turn.append(spent(agent, planner))
    with capsys.disabled():
        print(f"\n5 turns: {per_turn[-1]}")
        for a, b in zip([Cost(0, 0, 0), *per_turn], per_turn, strict=False):
            print(b.calls - a.calls, b.input_tokens - a.input_tokens, b.output_tokens - a.output_tokens)
        print(f"agent calls {len(agent.requests)}, planner calls {len(planner.requests)}")
        print([s.types().count("client_effect") for s in streams], [s.of_type("error") for s in streams])
