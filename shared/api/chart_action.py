"""chart_action's routes: two doors to one answer (SPEC 4 and 7).

The plain JSON route (the agent's function tool, any HTTP client) and MCP (the Agents SDK,
Agent Builder's MCP node) both authenticate the same way (the agent's bearer token, or a user's
ID token with identity configured: `shared.auth.doors`) and end in the action core,
`shared.core.action.answer_chart_action`.
"""

from __future__ import annotations

from flask import Request, Response

from shared.api import mcp_http
from shared.api.transport import Exchange, Routes, parse_model, read_json_body
from shared.auth.principal import Principal
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
    error_renderers={"/mcp": mcp_http.render_error, "/api/chatkit/mcp": mcp_http.render_error},
)


def authenticate(request: Request) -> Principal:
    """The agent's bearer token (CHART_ACTION_TOKEN), or a user's ID token with identity
    configured (`shared.auth.doors`); anyone when neither is."""
    return runtime().doors.agent_or_user(request.headers)


def answer_json(request: Request, caller: Principal) -> ChartActionResponse:
    """The plain JSON door; the session is the caller's."""
    parsed = parse_model(ChartActionRequest, read_json_body(request))
    return answer_chart_action(caller.scope(parsed))


def chart_action(request: Request) -> Response:
    """The function: route, authenticate, answer."""
    with Exchange(request, ROUTES) as exchange:
        match exchange.route():
            case "json":
                exchange.reply(answer_json(request, authenticate(request)))
            case "mcp":
                reply = mcp_http.answer(request, authenticate(request))
                exchange.reply(reply.body, reply.status)
    return exchange.response
