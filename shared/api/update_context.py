"""update_context's routes: the page reports what its chart shows (SPEC 3), and reads the
session's chart document back (issue 22).

Parse and validate with the models, store through the session store, answer; CORS is answered
here because browsers call this function directly. Imports no planner, analysis, market data
or MCP code: a cold start loads only what this function runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Request, Response

from shared.api.transport import Exchange, Routes, parse_model, read_json_body
from shared.auth.doors import Doors
from shared.auth.principal import Principal
from shared.models.context import (
    ChartDocumentRequest,
    ChartDocumentResponse,
    UpdateContextRequest,
    UpdateContextResponse,
)

if TYPE_CHECKING:
    from shared.store.sessions import SessionStore

ROUTES = Routes(
    service="update_context",
    post={
        "/": "update",
        "/api/chatkit/update-context": "update",
        "/document": "document",
        "/api/chatkit/chart-document": "document",
    },
    cors=True,
)


def store_context(
    request: Request, sessions: SessionStore, caller: Principal
) -> UpdateContextResponse:
    """Validate the chart context and store it (ignored if an older `seq`), with the page's
    own edits of the chart document (removed drawings, a clear), under the caller's key for
    the session (the session id itself unless identity is configured)."""
    update = parse_model(UpdateContextRequest, read_json_body(request))
    state, page = update.chart_state(), update.page_edit()
    key = caller.session_key(update.session_id)
    saved = sessions.save(key, state, update.seq, page, update.thread_id, seen=update.seen_version)
    from shared.store.sessions import document_view  # noqa: PLC0415 - loaded with the store

    chart = (
        document_view(saved.context, saved.memory, saved.version or 0)
        if saved.memory is not None
        else None
    )
    return UpdateContextResponse(
        applied=saved.applied,
        session_id=update.session_id,
        chart_context=saved.context,
        expires_at=saved.expires_at,
        chart=chart,
    )


def read_document(
    request: Request, sessions: SessionStore, caller: Principal
) -> ChartDocumentResponse:
    """The session's chart document, for a page that (re)loads or switches thread: one
    document read. A POST, so the session id (a capability) stays out of URLs and their logs;
    the caller's own document of that session."""
    asked = parse_model(ChartDocumentRequest, read_json_body(request))
    read = sessions.read(caller.session_key(asked.session_id))
    chart = read.document(asked.thread_id) if read.context is not None else None
    return ChartDocumentResponse(session_id=asked.session_id, chart=chart)


def update_context(
    request: Request,
    sessions: SessionStore,
    origins: tuple[str, ...] = (),
    doors: Doors | None = None,
) -> Response:
    """The function: one exchange, two routes; the composition root (`shared.app`) hands in
    the session store, the origins CORS answers and who may come in (`shared.auth.doors`)."""
    doors = doors or Doors()
    with Exchange(request, ROUTES, origins) as exchange:
        match exchange.route():
            case "update":
                exchange.reply(store_context(request, sessions, doors.user(request.headers)))
            case "document":
                exchange.reply(read_document(request, sessions, doors.user(request.headers)))
    return exchange.response
