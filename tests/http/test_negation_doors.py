"""Negation and scope through the doors (issue 22): rows of every language's single-turn table,
asked of the real chart_action function on a TSLA 1D chart stored by the real update_context,
as JSON and through the MCP tool, give the table's commands and `data.ignored`."""

from __future__ import annotations

import json

import pytest

from tests.helpers import post_json, store_context
from tests.mcp_client import McpClient
from tests.unit.test_planner_negation import TABLES, shown

# Rows whose answer does not hang on the day's bars (no pattern scan), a few per language.
PICKED = {
    "en": ["get rid of the moving averages", "draw support but not resistance",
           "technical analysis but no resistance", "clear everything but keep the levels",
           "support and resistance and the stochastic"],
    "es": ["quita las medias móviles", "no dibujes líneas de tendencia, solo fibonacci",
           "borra todo excepto los niveles"],
    "fr": ["enlève les moyennes mobiles", "ne montre que la résistance",
           "support et résistance et le stochastique"],
    "de": ["weg mit den gleitenden Durchschnitten", "nur Unterstützung",
           "Unterstützungs- und Widerstandslinien"],
    "pt": ["não quero mais as médias móveis", "apenas a resistência", "apoio e resistência"],
}  # fmt: skip
EXPECTED = {q: (c, i) for rows in TABLES.values() for q, c, i in rows}
ROWS = [pytest.param(q, id=f"{lang}: {q}") for lang, qs in PICKED.items() for q in qs]


@pytest.fixture
def session(function_servers, clean_firestore) -> str:
    return store_context(function_servers, "TSLA")


@pytest.mark.parametrize("query", ROWS)
def test_json_door(function_servers, session, query):
    url = function_servers.chart_action_url + "/api/chatkit/chart-action"
    answer = post_json(url, {"query": query, "session_id": session}).json()
    assert (shown(answer["chart_commands"]), answer["data"]["ignored"]) == EXPECTED[query]


@pytest.mark.parametrize("query", ROWS)
def test_mcp_door(function_servers, session, query):
    client = McpClient(function_servers.chart_action_url + "/mcp")
    client.handshake()
    result = client.chart_control(query=query, session_id=session)["result"]
    answer = result.get("structuredContent") or json.loads(result["content"][0]["text"])
    assert (shown(answer["chart_commands"]), answer["data"]["ignored"]) == EXPECTED[query]
