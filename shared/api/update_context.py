"""update_context's routes: the page reports what its chart shows (SPEC 3).

Parse and validate with the models, store through the session store, answer; CORS is answered
here because browsers call this function directly. Imports no planner, analysis, market data
or MCP code: a cold start loads only what this function runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Request, Response

from shared.api.transport import Exchange, Routes, parse_model, read_json_body
from shared.auth.doors import Doors
from shared.models.context import UpdateContextRequest, UpdateContextResponse

if TYPE_CHECKING:
    from shared.store.sessions import SessionStore

ROUTES = Routes(
    service="update_context",
    post={"/": "update", "/api/chatkit/update-context": "update"},
    cors=True,
)


def store_context(request: Request, sessions: SessionStore, doors: Doors) -> UpdateContextResponse:
    """Validate the chart context and store it (ignored if an older `seq`), under the caller's
    key for the session (the session id itself unless identity is configured)."""
    caller = doors.user(request.headers)
    update = parse_model(UpdateContextRequest, read_json_body(request))
    key = caller.session_key(update.session_id)
    saved = sessions.save(key, update.chart_state(), update.seq)
    return UpdateContextResponse(
        applied=saved.applied,
        session_id=update.session_id,
        chart_context=saved.context,
        expires_at=saved.expires_at,
    )


def update_context(
    request: Request,
    sessions: SessionStore,
    origins: tuple[str, ...] = (),
    doors: Doors | None = None,
) -> Response:
    """The function: one exchange, one route; the composition root (`shared.app`) hands in the
    session store, the origins CORS answers and who may come in (`shared.auth.doors`)."""
    with Exchange(request, ROUTES, origins) as exchange:
        if exchange.route() == "update":
            exchange.reply(store_context(request, sessions, doors or Doors()))
    return exchange.response
