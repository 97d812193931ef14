"""Fuzzing: hypothesis over the request models and the planner, schemathesis over the OpenAPI
document against both functions running under functions-framework. Zero 5xx allowed."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from devtools.processes import REPO
from shared.core.action import plan_chart_action
from shared.models.action import ChartActionRequest
from shared.models.commands import parse_command
from shared.models.context import StoredContext, UpdateContextRequest
from shared.planner.rules import parse_query
from tests.helpers import sample_provider

SCHEMA = schemathesis.openapi.from_path(REPO / "docs" / "openapi.json")
PROVIDER = sample_provider()
VOCABULARY = (
    "draw",
    "support",
    "resistance",
    "for",
    "TSLA",
    "tesla",
    "apple",
    "$NVDA",
    "weekly",
    "4",
    "hour",
    "daily",
    "15m",
    "1M",
    "1m",
    "50",
    "day",
    "moving",
    "average",
    "ema",
    "rsi",
    "macd",
    "bollinger",
    "vwap",
    "volume",
    "trendline",
    "fibonacci",
    "clear",
    "all",
    "reset",
    "indicators",
    "patterns",
    "analyze",
    "technical",
    "entry",
    "stop",
    "target",
    "bitcoin",
    "BRK.B",
    "^GSPC",
    "ES=F",
    "I",
    "A",
    "IT",
    "ALL",
    "AND",
    "the",
    "on",
    "of",
    "show",
    "me",
    "switch",
    "to",
    "add",
    "remove",
)
WORDS = st.sampled_from(VOCABULARY)
QUERIES = st.one_of(st.text(min_size=1, max_size=300), st.lists(WORDS, min_size=1).map(" ".join))
CONTEXTS = st.one_of(
    st.none(),
    st.builds(
        lambda symbol, tf: StoredContext(
            symbol=symbol, timeframe=tf, updated_at="2026-01-01T00:00:00Z"
        ),
        st.sampled_from(["TSLA", "AAPL", "BTC-USD", "^GSPC"]),
        st.sampled_from(["1m", "1H", "1D", "1W", "1M"]),
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=QUERIES)
def test_parse_query_never_raises(query: str):
    intent = parse_query(query)
    assert isinstance(intent.understood_anything, bool)


@settings(max_examples=200, deadline=None)
@given(query=QUERIES, stored=CONTEXTS)
def test_planner_output_always_parses_back(query: str, stored: StoredContext | None):
    try:
        request = ChartActionRequest(query=query)
    except ValidationError:
        return  # whitespace-only queries are a 400 before the planner
    answer = plan_chart_action(request, stored, PROVIDER)
    lines = answer.text.splitlines()
    assert lines[1:] == answer.chart_commands
    for line in answer.chart_commands:
        command = parse_command(line)
        assert command is not None, line
        assert command.to_string() == line


@settings(max_examples=300, deadline=None)
@given(
    data=st.dictionaries(
        st.sampled_from(["session_id", "symbol", "timeframe", "snapshot_id", "seq", "x"]),
        st.one_of(st.text(max_size=40), st.integers(), st.none(), st.booleans(), st.floats()),
    )
)
def test_update_request_validates_or_rejects_cleanly(data: dict):
    try:
        request = UpdateContextRequest.model_validate(data)
    except ValidationError as exc:
        assert exc.errors()
        return
    assert request.symbol == request.symbol.strip().upper()
    assert UpdateContextRequest.model_validate(request.model_dump()) == request


@SCHEMA.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_5xx(case, function_servers):
    base = (
        function_servers.update_context_url
        if case.path.endswith("update-context")
        else function_servers.chart_action_url
    )
    response = case.call(base_url=base)
    assert response.status_code < 500, response.text
    if response.request.method == "OPTIONS":  # CORS preflight: 204, no body by design
        assert response.status_code == 204
        return
    headers = {name.lower(): values for name, values in response.headers.items()}
    assert headers["content-type"][0].startswith("application/json"), (
        response.status_code,
        response.request.method,
        response.request.headers,
        response.text,
    )
    body = response.json()
    assert ("error" in body) == (response.status_code >= 400) or response.status_code == 200
