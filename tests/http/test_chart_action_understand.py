"""chart_action over real HTTP acts on everything the planner understood (issue 14): comparisons,
ranges, zoom, precise removals, answers with values in `data.analysis`, and what it could not do
named in `text` and `data.ignored`. Contexts are stored by the real update_context."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.models.commands import RangeCommand, parse_command
from tests.helpers import FunctionServers, post_json, store_context


@pytest.fixture
def servers(function_servers: FunctionServers, clean_firestore: str) -> FunctionServers:
    return function_servers


def ask(servers: FunctionServers, query: str, session: str) -> dict:
    url = servers.chart_action_url + "/api/chatkit/chart-action"
    response = post_json(url, {"query": query, "session_id": session})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["text"].splitlines()[1:] == answer["chart_commands"]
    for line in answer["chart_commands"]:
        assert parse_command(line) is not None, line
    return answer


def test_compare_zoom_and_undo_on_a_stored_chart(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    compared = ask(servers, "compare TSLA and RIVN", session)
    assert compared["chart_commands"] == ["COMPARE:RIVN"]
    assert "comparing with RIVN" in compared["text"]
    assert compared["data"]["tools_used"] == ["compare"]
    zoomed = ask(servers, "zoom out", session)
    assert zoomed["chart_commands"] == ["ZOOM:OUT"]
    # the chart document remembers the comparison: undo takes away that last drawing only
    # (issue 22; before the document, "undo" could only be named as ignored)
    undone = ask(servers, "undo", session)
    (removal,) = undone["chart_commands"]
    assert removal.startswith("REMOVE:") and "undo" not in undone["data"]["ignored"]


def test_the_rsi_question_answers_with_its_value(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = ask(servers, "what's the RSI on META right now", session)
    assert answer["chart_commands"] == ["LOAD:META", "INDICATOR:RSI"]
    (reading,) = answer["data"]["analysis"]["indicators"]
    assert reading["name"] == "RSI" and reading["period"] == 14
    assert 0 <= reading["value"] <= 100
    assert f"RSI 14 is {reading['value']:.1f}" in answer["text"]


def test_a_golden_cross_question_on_a_weekly_chart(servers: FunctionServers):
    session = store_context(servers, "SPY", "1W")
    answer = ask(servers, "golden cross?", session)
    assert answer["chart_commands"] == ["INDICATOR:SMA:10", "INDICATOR:SMA:40"]
    cross = answer["data"]["analysis"]["cross"]
    assert (cross["fast_period"], cross["slow_period"]) == (10, 40)
    if cross["last"] is not None:
        assert cross["date"] in answer["text"]
    assert "50-day drawn as 10-week" in answer["text"]


def test_a_range_lands_on_bar_times(servers: FunctionServers):
    session = store_context(servers, "AAPL")
    answer = ask(servers, "show me the last 3 months", session)
    (line,) = answer["chart_commands"]
    command = parse_command(line)
    assert isinstance(command, RangeCommand)
    assert command.t2 == answer["data"]["market_data"]["last_time"]
    days = (command.t2 - command.t1) / 86_400
    assert 85 <= days <= 95
    assert datetime.fromtimestamp(command.t1, UTC).strftime("%Y-%m-%d") in answer["text"]


def test_a_named_pattern_is_found_or_not_in_human_words(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    answer = ask(servers, "head and shoulders on qqq?", session)
    assert answer["chart_commands"][:2] == ["LOAD:QQQ", "ANALYZE:PATTERNS"]
    (check,) = answer["data"]["analysis"]["patterns_asked"]
    assert check["name"] == "HEAD_AND_SHOULDERS"
    assert ("no head and shoulders" in answer["text"]) != check["found"]
    assert "HEAD_AND_SHOULDERS" not in answer["text"].splitlines()[0]


def test_removing_one_kind_and_an_unknown_symbol(servers: FunctionServers):
    session = store_context(servers, "TSLA")
    removed = ask(servers, "clear the trendlines and fib", session)
    assert removed["chart_commands"] == ["CLEAR:TRENDLINES", "CLEAR:FIBONACCI"]
    unknown = ask(servers, "load $^", session)
    assert unknown["chart_commands"] == []
    assert "'$^': not a symbol I know" in unknown["text"]
    assert unknown["data"]["chart_context"]["symbol"] == "TSLA"
