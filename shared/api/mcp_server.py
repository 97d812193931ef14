"""MCP (Streamable HTTP, stateless, JSON responses): the chart_control tool (SPEC 7).

Every POST carries one JSON-RPC message and is answered on its own, so the server keeps no
session and runs inside a plain Flask Cloud Function (no ASGI lifespan, no SSE stream to leak).
Messages are validated with the official SDK's protocol types (`mcp-types`): its JSON-RPC
envelopes, its per-version request surfaces (`parse_client_request`) and result shapes
(`serialize_server_result`), its error codes and error-data models, so nothing about the
protocol's shapes is written by hand here. Clients on the handshake versions
(2024-11-05 .. 2025-11-25) send `initialize` first; clients on the stateless 2026-07-28 revision
skip it and name their version in every request's `_meta`.

A parsed request is one of the SDK's request types, dispatched with `match`; the tool calls the
`ActionCore` it is handed. Error codes and the HTTP status of a JSON-RPC error on the 2026-07-28
wire are the SDK's own (`mcp_types`, and `ERROR_CODE_HTTP_STATUS` from the `mcp` package);
a domain error inside the tool is answered as the error table (`shared.api.errors`) says.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import mcp_types as mcp
from mcp_types.methods import parse_client_request, serialize_server_result
from mcp_types.version import (
    HANDSHAKE_PROTOCOL_VERSIONS,
    KNOWN_PROTOCOL_VERSIONS,
    MODERN_PROTOCOL_VERSIONS,
)
from pydantic import ValidationError

from shared import __version__
from shared.api.errors import rule_for
from shared.auth.principal import ANONYMOUS, Principal
from shared.infra.dependency_log import log_dependency_failure
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.errors import ChartControlError, ErrorDetail

if TYPE_CHECKING:
    from shared.core.action import ActionCore

TOOL_NAME = "chart_control"
TOOL_DESCRIPTION = (
    "Draw on the user's trading chart. Pass what the user asked as `query` (e.g. 'draw support "
    "and resistance for TSLA', 'add the 50 day moving average', 'switch to weekly'), the chart "
    "session id, and what you understood in the structured fields (symbol, timeframe, tools, "
    "indicators, clear, trade_direction), which the backend follows before its own reading of "
    "the words; it computes every price itself. Returns chart commands for the page plus a "
    "one-line summary to relay."
)
INSTRUCTIONS = "Use chart_control for anything the user wants to see or draw on the chart."
VERSION_HEADER = "mcp-protocol-version"
# Ids come back in every answer, so a string id is used only when short and plain (UUIDs,
# counters, "req-1"): an id carrying markup or kilobytes of input is never echoed.
PLAIN_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
ID_RULE = "the id must be an integer or a string of at most 128 of [A-Za-z0-9._:-]"
# A protocol version is echoed back (UnsupportedProtocolVersionErrorData) only in this form.
PLAIN_VERSION = re.compile(r"[A-Za-z0-9._-]{1,32}")


def _sdk_inbound() -> ModuleType:
    """The SDK's `mcp.shared.inbound`, a pure module (its own docstring: no I/O, no transport),
    loaded from the installed `mcp` package without running `mcp/__init__.py`, which imports
    the SDK's whole client and server stack (starlette, anyio, httpx: about a second)."""
    package = importlib.util.find_spec("mcp")
    assert package is not None and package.submodule_search_locations, "mcp is not installed"
    path = Path(next(iter(package.submodule_search_locations))) / "shared" / "inbound.py"
    spec = importlib.util.spec_from_file_location("_mcp_sdk_inbound", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# HTTP status of a JSON-RPC error on the 2026-07-28 wire, as the SDK's servers send it.
# Handshake-era errors travel in a 200, as the SDK's JSON-response transport sends them.
MODERN_ERROR_STATUS: Mapping[int, int] = _sdk_inbound().ERROR_CODE_HTTP_STATUS


@dataclass(frozen=True)
class McpReply:
    """HTTP status and JSON body (None for 202 Accepted)."""

    status: int
    body: dict[str, Any] | None


class _Rejected(Exception):
    """A JSON-RPC error for the current request; `status` None means "by protocol version"."""

    def __init__(self, code: int, message: str, data: Any = None, status: int | None = None):
        super().__init__(message)
        self.code, self.data, self.status = code, data, status


def tool_definition() -> mcp.Tool:
    """The one tool, its schemas derived from the pydantic models."""
    return mcp.Tool(
        name=TOOL_NAME,
        title="Chart control",
        description=TOOL_DESCRIPTION,
        input_schema=ChartActionRequest.model_json_schema(),
        output_schema=ChartActionResponse.model_json_schema(mode="serialization"),
    )


def error_reply(id_: Any, code: int, message: str, status: int = 200, data: Any = None) -> McpReply:
    """A JSON-RPC error body; `id` stays on the wire as null when the request's is unknown."""
    error = mcp.JSONRPCError(
        jsonrpc="2.0", id=id_, error=mcp.ErrorData(code=code, message=message, data=data)
    )
    body = error.model_dump(mode="json", by_alias=True, exclude_none=True)
    body["id"] = id_
    return McpReply(status, body)


def _capabilities() -> mcp.ServerCapabilities:
    return mcp.ServerCapabilities(tools=mcp.ToolsCapability(list_changed=False))


def _unsupported(requested: Any) -> _Rejected:
    """The protocol's own answer to a version we do not speak (HTTP 400 on every wire)."""
    data = mcp.UnsupportedProtocolVersionErrorData(
        supported=list(KNOWN_PROTOCOL_VERSIONS),
        requested=str(requested) if PLAIN_VERSION.fullmatch(str(requested)) else "(not shown)",
    )
    return _Rejected(
        mcp.UNSUPPORTED_PROTOCOL_VERSION,
        "unsupported protocol version",
        data.model_dump(mode="json"),
        status=400,
    )


def _request_version(request: mcp.JSONRPCRequest, headers: Mapping[str, str]) -> str:
    """initialize negotiates; anything else names its version in `_meta` or the header."""
    if request.method == "initialize":
        return _negotiate(request.params)
    header = headers.get(VERSION_HEADER)
    meta = (request.params or {}).get("_meta")
    envelope = meta.get(mcp.PROTOCOL_VERSION_META_KEY) if isinstance(meta, dict) else None
    if header is not None and envelope is not None and header != envelope:
        raise _Rejected(
            mcp.HEADER_MISMATCH,
            "the MCP-Protocol-Version header does not match params._meta",
            status=400,
        )
    version = envelope or header or mcp.DEFAULT_NEGOTIATED_VERSION
    if version not in KNOWN_PROTOCOL_VERSIONS:
        raise _unsupported(version)
    return version


def _negotiate(params: Mapping[str, Any] | None) -> str:
    """initialize: accept the client's handshake version if known, else offer our latest."""
    requested = (params or {}).get("protocolVersion")
    return (
        requested if requested in HANDSHAKE_PROTOCOL_VERSIONS else HANDSHAKE_PROTOCOL_VERSIONS[-1]
    )


def _parse(request: mcp.JSONRPCRequest, version: str) -> Any:
    """The request validated against this version's surface (methods differ by version)."""
    try:
        return parse_client_request(request.method, version, request.params)
    except ValidationError as exc:  # before ValueError: it is one
        raise _Rejected(mcp.INVALID_PARAMS, "invalid params", _details(exc)) from None
    except (KeyError, ValueError):  # no such method in this protocol version
        raise _Rejected(mcp.METHOD_NOT_FOUND, f"method not found in {version}") from None


def handle(
    message: Any, headers: Mapping[str, str], core: ActionCore, caller: Principal = ANONYMOUS
) -> McpReply:
    """The HTTP answer for one decoded JSON-RPC message."""
    if isinstance(message, dict) and "id" not in message:
        return _acknowledge(message, headers)
    try:
        request = mcp.JSONRPCRequest.model_validate(message)
    except ValidationError:
        return error_reply(_id_of(message), mcp.INVALID_REQUEST, "not a JSON-RPC 2.0 request", 400)
    if _id_of(message) is None:  # a string id that is not short and plain is not echoed
        return error_reply(None, mcp.INVALID_REQUEST, ID_RULE, 400)
    version = None
    try:
        version = _request_version(request, headers)
        result = _dispatch(_parse(request, version), version, core, caller)
    except _Rejected as exc:
        modern = version in MODERN_PROTOCOL_VERSIONS
        status = exc.status or (MODERN_ERROR_STATUS.get(exc.code, 200) if modern else 200)
        return error_reply(request.id, exc.code, str(exc), status, exc.data)
    data = result.model_dump(mode="json", by_alias=True, exclude_none=True)
    body = serialize_server_result(request.method, version, data)
    return McpReply(200, {"jsonrpc": "2.0", "id": request.id, "result": body})


def _dispatch(parsed: Any, version: str, core: ActionCore, caller: Principal = ANONYMOUS) -> Any:
    """The result model for a parsed request (the SDK's types, dumped per version)."""
    match parsed:
        case mcp.InitializeRequest():
            return mcp.InitializeResult(
                protocol_version=version,
                capabilities=_capabilities(),
                server_info=mcp.Implementation(name="chart-control", version=__version__),
                instructions=INSTRUCTIONS,
            )
        case mcp.DiscoverRequest():
            return mcp.DiscoverResult(
                supported_versions=list(KNOWN_PROTOCOL_VERSIONS),
                capabilities=_capabilities(),
                instructions=INSTRUCTIONS,
            )
        case mcp.PingRequest():
            return mcp.EmptyResult()
        case mcp.ListToolsRequest():
            return mcp.ListToolsResult(tools=[tool_definition()])
        case mcp.CallToolRequest(params=params):
            return _call_tool(params, core, caller)
        case _:
            raise _Rejected(mcp.METHOD_NOT_FOUND, "method not supported")


def _call_tool(
    params: mcp.CallToolRequestParams, core: ActionCore, caller: Principal = ANONYMOUS
) -> mcp.CallToolResult:
    """Run the tool. An unknown tool is a protocol error (-32602); arguments that break the
    input schema and failing dependencies are `isError` results, which the model reads and
    can act on (MCP 2025-11-25: input validation errors are tool execution errors)."""
    if params.name != TOOL_NAME:
        raise _Rejected(mcp.INVALID_PARAMS, f"unknown tool; use {TOOL_NAME!r}")
    try:
        request = ChartActionRequest.model_validate(params.arguments or {})
    except ValidationError as exc:
        fields = "; ".join(f"{d['field']}: {d['message']}" for d in _details(exc))
        return _tool_error(f"invalid arguments for {TOOL_NAME}: {fields}")
    try:
        # the caller's session, and their model spend
        answer = core.answer(caller.scope(request), payer=caller)
    except ChartControlError as exc:
        rule = rule_for(exc)
        if rule.mcp != "tool_error":
            raise
        if rule.status >= 500:  # the same line the JSON route logs for this failure
            log_dependency_failure(exc, "chart_action mcp tools/call")
        return _tool_error(f"{TOOL_NAME} failed: {exc}")
    return mcp.CallToolResult(
        content=[mcp.TextContent(type="text", text=answer.text)],
        structured_content=answer.model_dump(mode="json"),
    )


def _tool_error(text: str) -> mcp.CallToolResult:
    return mcp.CallToolResult(content=[mcp.TextContent(type="text", text=text)], is_error=True)


def _acknowledge(message: dict[str, Any], headers: Mapping[str, str]) -> McpReply:
    """An id-less message is a notification: 202 with no body, if it is a valid one."""
    try:
        mcp.JSONRPCNotification.model_validate(message)
    except ValidationError:
        return error_reply(None, mcp.INVALID_REQUEST, "not a JSON-RPC 2.0 notification", 400)
    header = headers.get(VERSION_HEADER)
    if header is not None and header not in KNOWN_PROTOCOL_VERSIONS:
        rejected = _unsupported(header)
        return error_reply(None, rejected.code, str(rejected), 400, rejected.data)
    return McpReply(202, None)


def _id_of(message: Any) -> Any:
    """The request id if it may be echoed (an integer, or a short plain string), else null."""
    id_ = message.get("id") if isinstance(message, dict) else None
    if isinstance(id_, str):
        return id_ if PLAIN_ID.fullmatch(id_) else None
    return id_ if isinstance(id_, int) and not isinstance(id_, bool) else None


def _details(exc: ValidationError) -> list[dict[str, str]]:
    """The same field/message details the JSON routes give, as plain JSON-RPC error data."""
    return [
        {"field": d.field or "", "message": d.message}
        for d in ErrorDetail.from_validation_error(exc)
    ]
