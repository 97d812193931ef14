"""The HTTP side of the MCP door: every failure on `/mcp` is a JSON-RPC error.

An MCP client reads a JSON-RPC error out of any answer, so a refusal before the message is
even read (wrong method, no token, a foreign Origin, a bad `Accept`, the wrong media type, a
body too big, broken framing, a body that is not strict JSON) carries the HTTP status of the
error table (`shared.api.errors`) and a JSON-RPC body with `id: null` - the shape the official
SDK's Streamable HTTP server gives its own transport errors (`_create_error_response`: code
-32600 unless the body did not parse, which is -32700).

`Accept` follows the SDK's JSON-response mode (`check_accept_headers`): the client must accept
`application/json` (or `application/*`, `*/*`), else 406. One deliberate difference: a request
with no `Accept` header at all is served, as RFC 9110 12.5.1 reads it ("any media type"),
because the SDK and the Agents SDK always send one and plain HTTP clients (urllib) send none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mcp_types as mcp
from flask import Request

from shared.api import mcp_server
from shared.api.errors import render
from shared.api.transport import foreign_origin, read_json_body
from shared.auth.principal import ANONYMOUS, Principal
from shared.models.errors import ChartControlError

if TYPE_CHECKING:
    from shared.core.action import ActionCore

JSON = "application/json"
ACCEPTED = frozenset({JSON, "application/*", "*/*"})
PARSE_ERROR_MESSAGE = "parse error: the body is not valid JSON"
# JSON-RPC codes for the error table's codes; every other transport refusal is -32600.
_CODES = {"invalid_json": mcp.PARSE_ERROR, "internal_error": mcp.INTERNAL_ERROR}


def answer(
    request: Request, core: ActionCore, origins: tuple[str, ...], caller: Principal = ANONYMOUS
) -> mcp_server.McpReply:
    """One POST on the MCP door: guards first (the order the SDK checks them), then the
    message, answered with `core`. Refusals raised here or below are rendered by
    `render_error`."""
    if foreign_origin(request, origins):  # a browser page from another origin (DNS rebinding)
        return mcp_server.error_reply(None, mcp.INVALID_REQUEST, "origin not allowed", 403)
    if not accepts_json(request.headers.get("Accept")):
        return mcp_server.error_reply(
            None, mcp.INVALID_REQUEST, "Not Acceptable: Client must accept application/json", 406
        )
    return mcp_server.handle(read_json_body(request), request.headers, core, caller)


def accepts_json(accept: str | None) -> bool:
    """The SDK's rule (media ranges, parameters ignored); no header at all accepts anything."""
    if accept is None:
        return True
    ranges = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    return bool(ranges & ACCEPTED)


def render_error(error: ChartControlError) -> tuple[int, dict[str, Any], dict[str, str]]:
    """An HTTP-level refusal on `/mcp` as a JSON-RPC error: the table's status and headers
    (Allow, WWW-Authenticate, Retry-After), a JSON-RPC body with a null id."""
    status, _, headers = render(error)
    code = _CODES.get(error.code, mcp.INVALID_REQUEST)
    message = PARSE_ERROR_MESSAGE if code == mcp.PARSE_ERROR else str(error)
    reply = mcp_server.error_reply(None, code, message, status)
    assert reply.body is not None
    return status, reply.body, headers
