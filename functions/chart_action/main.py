"""chart_action Cloud Function: the agent asks, the backend answers with chart commands
(the plain JSON route, SPEC 4, and MCP, SPEC 7).

The composition root: the routes, the action core and the error table live in `shared`.
"""

import functions_framework
from flask import Request, Response

from shared.api.chart_action import chart_action as serve
from shared.infra.runtime import boot

boot()


@functions_framework.http
def chart_action(request: Request) -> Response:
    """Cloud Functions entry point."""
    return serve(request)
