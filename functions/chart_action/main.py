"""chart_action Cloud Function: the agent asks, the backend answers with chart commands
(the plain JSON route, SPEC 4, and MCP, SPEC 7).

The composition root (`shared.app`) builds the door once per process, with the one action core
(its store, market data and fallback planner); the routes, the core and the error table live
in `shared`.
"""

from shared.app.startup import collector_paused

with collector_paused():
    import functions_framework
    from flask import Request, Response

    from shared.app.runtime import boot

    door = boot().chart_action_door


@functions_framework.http
def chart_action(request: Request) -> Response:
    """Cloud Functions entry point."""
    return door(request)
