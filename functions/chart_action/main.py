"""chart_action Cloud Function: the agent asks, the backend answers with chart commands (SPEC 4).

Thin by design: authenticate, parse with the shared models, load the session's context in one
store read, let the shared planner answer.
"""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from shared.actions import plan_chart_action
from shared.config import get_settings
from shared.http import Service, json_response, parse_model, read_json_body, require_bearer
from shared.models.action import ChartActionRequest
from shared.runtime import boot, market_data, session_store

boot()


def chart_action_json(request: Request) -> Response:
    """Plain JSON route: the agent's function tool or any HTTP client."""
    token = get_settings().chart_action_token
    require_bearer(request, token.get_secret_value() if token else None)
    action = parse_model(ChartActionRequest, read_json_body(request))
    stored = session_store().load(action.session_id) if action.session_id else None
    return json_response(plan_chart_action(action, stored, market_data()))


SERVICE = Service(
    name="chart_action",
    post_routes={"/": chart_action_json, "/api/chatkit/chart-action": chart_action_json},
)


@functions_framework.http
def chart_action(request: Request) -> Response:
    """Cloud Functions entry point."""
    return SERVICE(request)
