"""chart_action's routes: two doors to one answer (SPEC 4 and 7).

The plain JSON route (the agent's function tool, any HTTP client) and MCP (the Agents SDK,
Agent Builder's MCP node) both authenticate with the same bearer token and end in the action
core, `shared.core.action.answer_chart_action`.
"""

from __future__ import annotations

from flask import Request, Response

from shared.api import mcp_http
from shared.api.bars import BARS_PATHS, answer_bars
from shared.api.transport import Exchange, Routes, parse_model, read_json_body, require_bearer
from shared.core.action import answer_chart_action
from shared.infra.runtime import runtime
from shared.models.action import ChartActionRequest, ChartActionResponse

ROUTES = Routes(
    service="chart_action",
    post={
        "/": "json",
        "/api/chatkit/chart-action": "json",
        "/mcp": "mcp",
        "/api/chatkit/mcp": "mcp",
    },
    post_only=frozenset({"/mcp", "/api/chatkit/mcp"}),
    get=dict.fromkeys(BARS_PATHS, "bars"),
    cors=True,  # ALLOWED_ORIGINS: a page there reads the bars (POST still needs the token)
    error_renderers={"/mcp": mcp_http.render_error, "/api/chatkit/mcp": mcp_http.render_error},
)


def authenticate(request: Request) -> None:
    """The bearer token, whenever CHART_ACTION_TOKEN is configured."""
    token = runtime().settings.chart_action_token
    require_bearer(request, token.get_secret_value() if token else None)


def answer_json(request: Request) -> ChartActionResponse:
    """The plain JSON door."""
    return answer_chart_action(parse_model(ChartActionRequest, read_json_body(request)))


def chart_action(request: Request) -> Response:
    """The function: route, authenticate, answer."""
    with Exchange(request, ROUTES) as exchange:
        match exchange.route():
            case "json":
                authenticate(request)
                exchange.reply(answer_json(request))
            case "mcp":
                authenticate(request)
                reply = mcp_http.answer(request)
                exchange.reply(reply.body, reply.status)
            case "bars":
                answer_bars(request, exchange)
    return exchange.response
