"""update_context's routes: the page reports what its chart shows (SPEC 3), and reads the
session's chart document back (issue 22).

Parse and validate with the models, store through the session store, answer; CORS is answered
here because browsers call this function directly. Imports no planner, analysis, market data
or MCP code: a cold start loads only what this function runs.
"""

from __future__ import annotations

from flask import Request, Response

from shared.api.transport import Exchange, Routes, parse_model, read_json_body
from shared.infra.runtime import runtime
from shared.models.context import (
    ChartDocumentRequest,
    ChartDocumentResponse,
    UpdateContextRequest,
    UpdateContextResponse,
)

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


def store_context(request: Request) -> UpdateContextResponse:
    """Validate the chart context and store it (ignored if an older `seq`)."""
    update = parse_model(UpdateContextRequest, read_json_body(request))
    state, page = update.chart_state(), update.page_edit()
    saved = runtime().sessions.save(update.session_id, state, update.seq, page)
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


def read_document(request: Request) -> ChartDocumentResponse:
    """The session's chart document, for a page that (re)loads or switches thread: one
    document read. A POST, so the session id (a capability) stays out of URLs and their logs."""
    asked = parse_model(ChartDocumentRequest, read_json_body(request))
    read = runtime().sessions.read(asked.session_id)
    chart = read.document() if read.context is not None else None
    return ChartDocumentResponse(session_id=asked.session_id, chart=chart)


def update_context(request: Request) -> Response:
    """The function: one exchange, one route."""
    with Exchange(request, ROUTES) as exchange:
        match exchange.route():
            case "update":
                exchange.reply(store_context(request))
            case "document":
                exchange.reply(read_document(request))
    return exchange.response
