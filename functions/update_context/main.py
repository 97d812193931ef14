"""update_context Cloud Function: the page reports what its chart shows (SPEC 3).

The composition root: the routes, the store and the error table live in `shared.api`.
"""

import functions_framework
from flask import Request, Response

from shared.api.update_context import update_context as serve
from shared.infra.runtime import boot

boot()


@functions_framework.http
def update_context(request: Request) -> Response:
    """Cloud Functions entry point."""
    return serve(request)
