"""The OpenAI fallback through the real chart_action server (functions-framework), its client
pointed at tests/fake_openai.py and the chart context stored by the real update_context: a name
the rules cannot place (unplaced) and a query they cannot map (unmapped) go to the fallback;
when it fails, the answer still names the word, or says it could not map the query. The same
paths in process are in tests/unit/test_planner_fallback.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fake_openai import FakeOpenAI
from tests.helpers import FunctionServers, post_json, store_context
from tests.unit.test_planner_fallback import PLAN  # the Rheinmetall plan, shared

TRENDLINE_PLAN = {**PLAN, "symbol": None, "tools": ["trendline"], "reply": "A trendline."}


@pytest.fixture
def servers(httpserver, servers_with, clean_firestore) -> FunctionServers:
    return servers_with(
        OPENAI_API_KEY="sk-test",
        OPENAI_BASE_URL=httpserver.url_for("/v1"),
        OPENAI_TIMEOUT_SECONDS="1",
    )


@pytest.fixture
def openai(httpserver):
    def serve(mode: str, plan: dict[str, Any] = PLAN) -> FakeOpenAI:
        fake = FakeOpenAI(mode, plan)
        httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_handler(fake)
        return fake

    return serve


def act(servers: FunctionServers, query: str) -> dict[str, Any]:
    session = store_context(servers, "TSLA", tag="fallback")
    response = post_json(
        servers.chart_action_url + "/api/chatkit/chart-action",
        {"session_id": session, "query": query},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_unplaced_the_fallback_places_the_name(servers, openai):
    fake = openai("ok")
    answer = act(servers, "support for rheinmetall")
    assert len(fake.requests) == 1 and answer["data"]["planner"] == "openai"
    assert answer["chart_commands"][0] == "LOAD:RHM.DE"
    assert any(c.startswith("SUPPORT:") for c in answer["chart_commands"])
    assert "not a symbol I know" not in answer["text"]
    assert answer["data"]["chart_context"]["symbol"] == "RHM.DE"


@pytest.mark.parametrize("mode", ["500", "refusal", "malformed"])
def test_unplaced_when_the_fallback_fails_the_word_is_named(servers, openai, mode):
    fake = openai(mode)
    answer = act(servers, "support for rheinmetall")
    assert fake.requests and answer["data"]["planner"] == "rules"
    assert answer["chart_commands"] == []
    assert (
        "'rheinmetall': not a symbol I know; nothing done, the chart stays on TSLA"
        in (answer["text"])
    )
    assert answer["data"]["ignored"] == ["symbol rheinmetall"]


def test_unplaced_a_plan_without_a_symbol_does_not_place_the_name(servers, openai):
    fake = openai("ok", {**PLAN, "symbol": None})
    answer = act(servers, "support for rheinmetall")
    assert fake.requests and answer["data"]["planner"] == "rules"
    assert (
        answer["chart_commands"] == [] and "'rheinmetall': not a symbol I know" in (answer["text"])
    )


def test_unplaced_a_loose_word_without_a_placing_plan_is_drawn_on_the_charts_symbol(
    servers, openai
):
    fake = openai("ok", {**PLAN, "symbol": None})
    answer = act(servers, "support for sunpower")
    assert len(fake.requests) == 1 and answer["data"]["planner"] == "rules"
    assert answer["chart_commands"] and answer["chart_commands"][0].startswith("SUPPORT:")
    assert (
        "'sunpower': not a symbol I know; used TSLA, the chart's symbol, instead"
        in (answer["text"])
    )
    assert answer["data"]["ignored"] == ["symbol sunpower"]


def test_unmapped_the_fallback_plans_on_the_charts_symbol(servers, openai):
    fake = openai("ok", TRENDLINE_PLAN)
    answer = act(servers, "connect the recent swing highs")
    assert len(fake.requests) == 1 and answer["data"]["planner"] == "openai"
    assert [c.split(":")[0] for c in answer["chart_commands"]] == ["TRENDLINE"]
    assert answer["text"].startswith("TSLA 1D: A trendline.")


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("500", "the AI planner is unavailable"), ("refusal", "the model declined")],
)
def test_unmapped_when_the_fallback_fails_the_rules_say_so(servers, openai, mode, reason):
    fake = openai(mode, TRENDLINE_PLAN)
    answer = act(servers, "connect the recent swing highs")
    assert fake.requests and answer["data"]["planner"] == "rules"
    assert answer["chart_commands"] == []
    assert "I could not map 'connect the recent swing highs' to a chart action." in answer["text"]
    assert "answered by the rules planner" in answer["text"] and reason in answer["text"]


def test_a_query_the_rules_understand_never_asks_the_fallback(servers, openai):
    fake = openai("ok")
    answer = act(servers, "compare with RIVN")
    assert fake.requests == [] and answer["chart_commands"] == ["COMPARE:RIVN"]
    assert answer["data"]["planner"] == "rules"
