"""chart_action Cloud Function: the agent asks, the backend answers with chart commands.

Two doors to one answer: the plain JSON route (SPEC 4) and MCP for Agent Builder (SPEC 7).
Thin by design: authenticate, parse with the shared models, load the session's context in one
store read, let the shared planner answer.
"""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from shared.actions import plan_chart_action
from shared.config import get_settings
from shared.http import (
    ApiError,
    Service,
    json_response,
    parse_model,
    read_json_body,
    require_bearer,
)
from shared.market_data.base import MarketDataError
from shared.mcp_server import McpReply, McpServer, ToolFailure
from shared.models.action import ChartActionRequest, ChartActionResponse, ChartQuery
from shared.runtime import boot, fallback_planner, market_data, session_store
from shared.store import StoreError

boot()


def answer(action: ChartActionRequest) -> ChartActionResponse:
    """Load the session's context (one read) and plan the commands."""
    stored = session_store().load(action.session_id) if action.session_id else None
    return plan_chart_action(action, stored, market_data(), fallback_planner())


def authenticate(request: Request) -> None:
    """The bearer token, whenever CHART_ACTION_TOKEN is configured."""
    token = get_settings().chart_action_token
    require_bearer(request, token.get_secret_value() if token else None)


def chart_action_json(request: Request) -> Response:
    """Plain JSON route: the agent's function tool or any HTTP client."""
    authenticate(request)
    return json_response(answer(parse_model(ChartActionRequest, read_json_body(request))))


def run_tool(query: ChartQuery) -> ChartActionResponse:
    """The MCP tool: same answer; dependency failures become an `isError` tool result."""
    try:
        return answer(ChartActionRequest.model_validate(query.model_dump()))
    except (StoreError, MarketDataError) as exc:
        raise ToolFailure(f"chart_control failed: {exc}") from exc


MCP = McpServer(run_tool)


def mcp_reply(request: Request) -> McpReply:
    """The MCP answer; a browser page from a foreign origin is refused (DNS rebinding)."""
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") not in get_settings().allowed_origins:
        return MCP.forbidden_origin()
    try:
        return MCP.handle(read_json_body(request), request.headers)
    except ApiError as exc:
        if exc.info.code != "invalid_json":
            raise
        return MCP.parse_error()  # JSON-RPC's own answer to a body that is not JSON


def chart_action_mcp(request: Request) -> Response:
    """MCP Streamable HTTP: one JSON-RPC message per POST, answered as JSON."""
    authenticate(request)
    reply = mcp_reply(request)
    if reply.body is None:
        return Response(status=reply.status)
    return json_response(reply.body, reply.status)


SERVICE = Service(
    name="chart_action",
    post_routes={
        "/": chart_action_json,
        "/api/chatkit/chart-action": chart_action_json,
        "/mcp": chart_action_mcp,
        "/api/chatkit/mcp": chart_action_mcp,
    },
    post_only=frozenset({"/mcp", "/api/chatkit/mcp"}),
)


@functions_framework.http
def chart_action(request: Request) -> Response:
    """Cloud Functions entry point."""
    return SERVICE(request)
