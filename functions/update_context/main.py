"""update_context Cloud Function: the page reports what its chart shows (SPEC 3).

The composition root (`shared.app`) builds the door once per process, with its session store;
the routes, the store and the error table live in `shared`.
"""

from shared.app.startup import collector_paused

with collector_paused():
    import functions_framework
    from flask import Request, Response

    from shared.app.runtime import boot

    door = boot().update_context_door


@functions_framework.http
def update_context(request: Request) -> Response:
    """Cloud Functions entry point."""
    return door(request)
