"""A name the rules planner cannot place goes to the OpenAI fallback (the real `openai` client
against tests/fake_openai.py), which may know it; when the fallback fails the answer still names
the word instead of drawing on the chart's symbol. In process, on `plan_chart_action`; the same
paths through the real chart_action server are in tests/http/test_chart_action_fallback.py."""

from __future__ import annotations

import pytest

from shared.core.action import plan_chart_action
from shared.infra.settings import Settings
from shared.llm.openai_planner import plan_with_openai
from shared.models.action import ChartActionRequest
from shared.models.context import StoredContext
from tests.fake_openai import FakeOpenAI
from tests.helpers import sample_provider

PLAN = {
    "symbol": "RHM.DE",
    "timeframe": None,
    "tools": ["support_resistance"],
    "indicators": [],
    "clear": None,
    "trade_direction": "long",
    "reply": "Rheinmetall trades as RHM.DE in Frankfurt.",
}
TSLA = StoredContext(symbol="TSLA", timeframe="1D", updated_at="2026-12-01T00:00:00Z")


@pytest.fixture
def fallback(httpserver, monkeypatch):
    def serve(mode: str) -> tuple[FakeOpenAI, object]:
        fake = FakeOpenAI(mode, PLAN)
        httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_handler(fake)
        monkeypatch.setenv("OPENAI_BASE_URL", httpserver.url_for("/v1"))
        settings = Settings.from_env({"OPENAI_API_KEY": "sk-test", "OPENAI_TIMEOUT_SECONDS": "1"})
        return fake, lambda query, chart: plan_with_openai(query, chart, settings)

    return serve


def test_the_fallback_places_a_name_the_rules_do_not_know(fallback):
    fake, planner = fallback("ok")
    request = ChartActionRequest(query="support for rheinmetall")
    answer = plan_chart_action(request, TSLA, sample_provider(), planner)
    assert len(fake.requests) == 1 and answer.data.planner == "openai"
    assert answer.chart_commands[0] == "LOAD:RHM.DE"
    assert any(c.startswith("SUPPORT:") for c in answer.chart_commands)
    assert "not a symbol I know" not in answer.text


@pytest.mark.parametrize("mode", ["500", "refusal"])
def test_when_the_fallback_fails_the_word_is_named(fallback, mode):
    fake, planner = fallback(mode)
    answer = plan_chart_action(
        ChartActionRequest(query="support for rheinmetall"), TSLA, sample_provider(), planner
    )
    assert fake.requests and answer.data.planner == "rules"
    assert answer.chart_commands == []
    assert "'rheinmetall': not a symbol I know; nothing done, the chart stays on TSLA" in (
        answer.text
    )


def test_a_query_the_rules_understand_never_asks_the_fallback(fallback):
    fake, planner = fallback("ok")
    answer = plan_chart_action(
        ChartActionRequest(query="compare with RIVN"), TSLA, sample_provider(), planner
    )
    assert fake.requests == [] and answer.chart_commands == ["COMPARE:RIVN"]


def test_a_fallback_plan_without_a_symbol_does_not_place_the_name(fallback):
    without_symbol = {**PLAN, "symbol": None}
    fake, planner = fallback("ok")
    fake.plan = without_symbol
    answer = plan_chart_action(
        ChartActionRequest(query="support for rheinmetall"), TSLA, sample_provider(), planner
    )
    assert fake.requests and answer.data.planner == "rules" and answer.chart_commands == []
    assert "'rheinmetall': not a symbol I know" in answer.text


def test_a_loose_word_asks_the_fallback_then_draws_on_the_charts_symbol(fallback):
    fake, planner = fallback("ok")
    fake.plan = {**PLAN, "symbol": None}
    answer = plan_chart_action(
        ChartActionRequest(query="support for sunpower"), TSLA, sample_provider(), planner
    )
    assert len(fake.requests) == 1 and answer.data.planner == "rules"
    assert answer.chart_commands and answer.chart_commands[0].startswith("SUPPORT:")
    assert "'sunpower': not a symbol I know; used TSLA, the chart's symbol, instead" in answer.text
    assert answer.data.ignored == ["symbol sunpower"]


def test_jargon_never_asks_the_fallback(fallback):
    fake, planner = fallback("ok")
    answer = plan_chart_action(
        ChartActionRequest(query="support and resistance for intraday"),
        TSLA,
        sample_provider(),
        planner,
    )
    assert fake.requests == [] and answer.data.planner == "rules"
    assert any(c.startswith("RESISTANCE:") for c in answer.chart_commands)
    assert answer.data.ignored == []
