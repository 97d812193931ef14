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
    """The plain JSON door; the session is the caller's."""
    return core.answer(caller.scope(parse_model(ChartActionRequest, read_json_body(request))))


def chart_action(
    request: Request,
    core: ActionCore,
    doors: Doors | None = None,
    origins: tuple[str, ...] = (),
) -> Response:
    """The function: route, authenticate (`doors`: the agent's CHART_ACTION_TOKEN, or a user's
    ID token with identity configured; anyone when neither is), answer with `core`."""
    doors = doors or Doors()
    with Exchange(request, ROUTES, origins) as exchange:
        match exchange.route():
            case "json":
                caller = doors.agent_or_user(request.headers)
                exchange.reply(answer_json(request, core, caller))
            case "mcp":
                caller = doors.agent_or_user(request.headers)
                from shared.api import mcp_http  # noqa: PLC0415 - MCP loads on its first message

                reply = mcp_http.answer(request, core, origins, caller)
                exchange.reply(reply.body, reply.status)
            case "bars":
                answer_bars(request, exchange, core.market_data)
    return exchange.response
