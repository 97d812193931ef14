"""update_context Cloud Function: the page reports what its chart shows (SPEC 3).

Thin by design: parse and validate with the shared models, store through the shared store,
answer. CORS is answered here because browsers call this function directly.
"""

from __future__ import annotations

import functions_framework
from flask import Request, Response

from shared.config import get_settings
from shared.http import Service, json_response, parse_model, read_json_body
from shared.models.context import UpdateContextRequest, UpdateContextResponse
from shared.runtime import boot, session_store

boot()


def store_context(request: Request) -> Response:
    """Validate the chart context and store it (ignored if an older `seq`)."""
    update = parse_model(UpdateContextRequest, read_json_body(request))
    saved = session_store().save(update.session_id, update.chart_state(), update.seq)
    return json_response(
        UpdateContextResponse(
            applied=saved.applied,
            session_id=update.session_id,
            chart_context=saved.context,
            expires_at=saved.expires_at,
        )
    )


SERVICE = Service(
    name="update_context",
    post_routes={"/": store_context, "/api/chatkit/update-context": store_context},
    cors_origins=lambda: get_settings().allowed_origins,
)


@functions_framework.http
def update_context(request: Request) -> Response:
    """Cloud Functions entry point."""
    return SERVICE(request)
