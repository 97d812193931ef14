"""chatkit Cloud Function: a ChatKit server whose answers drive the page's chart (SPEC 8).

The page's ChatKit talks to `POST /api/chatkit` with its chart session in `X-Chart-Session`; the
turn's chart commands reach the page as a `chart_commands` client effect. An async function:
functions-framework serves it with `--asgi` locally and with FUNCTION_USE_ASGI=true deployed.
"""

from __future__ import annotations

from shared.app.startup import collector_paused

with collector_paused():
    import functions_framework.aio
    from starlette.requests import Request
    from starlette.responses import Response

    from shared.app.runtime import boot

    # The composition root builds the endpoint at cold start (thread store, server, the one
    # action core), so the first turn finds it ready.
    endpoint = boot().chat_endpoint


@functions_framework.aio.http
async def chatkit(request: Request) -> Response:
    """Cloud Functions entry point."""
    return await endpoint(request)
