"""chart_action's routes: two doors to one answer (SPEC 4 and 7).

The plain JSON route (the agent's function tool, any HTTP client) and MCP (the Agents SDK,
Agent Builder's MCP node) both authenticate the same way (the agent's bearer token, or a user's
ID token with identity configured: `shared.auth.doors`) and end in the one `ActionCore` the
composition root (`shared.app`) hands in. The MCP modules (the SDK's protocol types, both
protocol versions' models) load when the first MCP message arrives, so a cold start on the
JSON route never pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Request, Response

from shared.api.bars import BARS_PATHS, answer_bars
from shared.api.transport import Exchange, Routes, parse_model, read_json_body
from shared.auth.doors import Doors
from shared.auth.principal import Principal
from shared.auth.spender import client_address
from shared.models.action import ChartActionRequest, ChartActionResponse

if TYPE_CHECKING:
    from shared.core.action import ActionCore
    from shared.models.errors import ChartControlError


def render_mcp_error(error: ChartControlError) -> tuple[int, dict[str, Any], dict[str, str]]:
    """A refusal on `/mcp` as JSON-RPC (`mcp_http.render_error`, loaded with MCP)."""
    from shared.api import mcp_http  # noqa: PLC0415 - MCP loads on its first message

    return mcp_http.render_error(error)


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
    error_renderers={"/mcp": render_mcp_error, "/api/chatkit/mcp": render_mcp_error},
)


def answer_json(request: Request, core: ActionCore, caller: Principal) -> ChartActionResponse:
    """The plain JSON door; the session is the caller's, and so is any model spend."""
    request_model = caller.scope(parse_model(ChartActionRequest, read_json_body(request)))
    return core.answer(request_model, payer=caller)


def chart_action(
    request: Request,
    core: ActionCore,
    doors: Doors | None = None,
    origins: tuple[str, ...] = (),
    client_ip_hop: int = 2,
) -> Response:
    """The function: route, authenticate (`doors`: the agent's CHART_ACTION_TOKEN, or a user's
    ID token with identity configured; anyone when neither is), answer with `core`. The caller
    carries the client address the load balancer reports (CHATKIT_CLIENT_IP_HOP entries from
    the right of X-Forwarded-For): the spender when there is no user."""
    doors = doors or Doors()
    with Exchange(request, ROUTES, origins) as exchange:
        match exchange.route():
            case "json":
                caller = _caller(request, doors, client_ip_hop)
                exchange.reply(answer_json(request, core, caller))
            case "mcp":
                caller = _caller(request, doors, client_ip_hop)
                from shared.api import mcp_http  # noqa: PLC0415 - MCP loads on its first message

                reply = mcp_http.answer(request, core, origins, caller)
                exchange.reply(reply.body, reply.status)
            case "bars":
                answer_bars(request, exchange, core.market_data)
    return exchange.response


def _caller(request: Request, doors: Doors, client_ip_hop: int) -> Principal:
    """Who may come in (or a refusal), at the address the load balancer reports."""
    forwarded = request.headers.get("X-Forwarded-For")
    address = client_address(forwarded, request.remote_addr, client_ip_hop)
    return doors.agent_or_user(request.headers).at(address)
