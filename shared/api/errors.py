"""The one error table: how each SPEC 6 error code is answered, on HTTP and over MCP.

Layers raise a `ChartControlError` whose `code` says what went wrong (the store's
`StoreTimeout` is `timeout`, market data's `UnknownSymbolError` is `not_found`, a body that is
not JSON is `invalid_json`); this table alone turns a code into an HTTP status, a Retry-After
and its MCP form, and `render` builds the envelope from it. JSON-RPC protocol errors keep the
statuses the MCP SDK assigns (`shared.api.mcp_server`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from shared.models.errors import (
    ChartControlError,
    ErrorCode,
    ErrorDetail,
    ErrorInfo,
    ErrorResponse,
)

RETRY_AFTER_SECONDS = "2"
# How the MCP door answers an error raised while it works:
#   http        a JSON-RPC error (id null) with the table's HTTP status, before the message
#               is read (auth, media type, size; `shared.api.mcp_http`)
#   parse_error JSON-RPC's own -32700 (the body is not JSON)
#   tool_error  an `isError` tool result the model can read and act on (a dependency failed)
McpForm = Literal["http", "parse_error", "tool_error"]


@dataclass(frozen=True, slots=True)
class ErrorRule:
    """How one error code is answered."""

    status: int
    retry_after: bool = False
    mcp: McpForm = "http"


ERRORS: Mapping[ErrorCode, ErrorRule] = MappingProxyType(
    {
        "invalid_json": ErrorRule(400, mcp="parse_error"),
        "invalid_request": ErrorRule(400),
        "unauthorized": ErrorRule(401),
        "not_found": ErrorRule(404, mcp="tool_error"),
        "method_not_allowed": ErrorRule(405),
        "payload_too_large": ErrorRule(413),
        "unsupported_media_type": ErrorRule(415),
        "store_unavailable": ErrorRule(503, retry_after=True, mcp="tool_error"),
        "market_data_unavailable": ErrorRule(503, retry_after=True, mcp="tool_error"),
        # the ID token cannot be checked: refused before the message is read, on MCP too
        "identity_unavailable": ErrorRule(503, retry_after=True),
        "timeout": ErrorRule(504, retry_after=True, mcp="tool_error"),
        "internal_error": ErrorRule(500),
    }
)


class RequestError(ChartControlError):
    """A transport-level refusal (bad body, wrong method, no token) with its extra headers."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: list[ErrorDetail] | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(message, details, code=code)
        self.headers = dict(headers or {})


def rule_for(error: ChartControlError) -> ErrorRule:
    """The table's row for an error."""
    return ERRORS[error.code]


def render(error: ChartControlError) -> tuple[int, ErrorResponse, dict[str, str]]:
    """Status, SPEC 6 body and headers of an error."""
    rule = rule_for(error)
    headers = dict(getattr(error, "headers", {}))
    if rule.retry_after:
        headers["Retry-After"] = RETRY_AFTER_SECONDS
    info = ErrorInfo(code=error.code, message=str(error), details=error.details)
    return rule.status, ErrorResponse(error=info), headers


INTERNAL = ChartControlError("internal error")
