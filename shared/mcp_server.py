"""MCP (Streamable HTTP, stateless, JSON responses) for Agent Builder's MCP tool node (SPEC 7).

Every POST carries one JSON-RPC message and is answered on its own, so the server keeps no
session and runs inside a plain Flask Cloud Function. Messages are validated with the official
SDK's protocol types (`mcp-types`): its JSON-RPC envelopes, its per-version request surfaces
(`parse_client_request`) and result shapes (`serialize_server_result`), so nothing about the
protocol is written by hand here. Clients on the handshake versions (2024-11-05 .. 2025-11-25)
send `initialize` first; clients on the stateless 2026-07-28 revision may skip it and name their
version per request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import mcp_types as mcp
from mcp_types.methods import parse_client_request, serialize_server_result
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, KNOWN_PROTOCOL_VERSIONS
from pydantic import ValidationError

from shared import __version__
from shared.models.action import ChartActionResponse, ChartQuery

TOOL_NAME = "chart_control"
TOOL_DESCRIPTION = (
    "Draw on the user's trading chart. Pass what the user asked (e.g. 'draw support and "
    "resistance for TSLA', 'add the 50 day moving average', 'switch to weekly') and the chart "
    "session id. Returns chart commands for the page plus a one-line summary to relay."
)
INSTRUCTIONS = "Use chart_control for anything the user wants to see or draw on the chart."
VERSION_HEADER = "mcp-protocol-version"


class ToolFailure(Exception):
    """A tool call that could not complete (a dependency failed): an `isError` result."""


@dataclass(frozen=True)
class McpReply:
    """HTTP status and JSON body (None for 202 Accepted)."""

    status: int
    body: dict[str, Any] | None


def tool_definition() -> mcp.Tool:
    """The one tool, its schemas derived from the pydantic models."""
    return mcp.Tool(
        name=TOOL_NAME,
        title="Chart control",
        description=TOOL_DESCRIPTION,
        input_schema=ChartQuery.model_json_schema(),
        output_schema=ChartActionResponse.model_json_schema(mode="serialization"),
    )


def _error(id_: Any, code: int, message: str, status: int = 200, data: Any = None) -> McpReply:
    error = mcp.JSONRPCError(
        jsonrpc="2.0", id=id_, error=mcp.ErrorData(code=code, message=message, data=data)
    )
    return McpReply(status, error.model_dump(mode="json", by_alias=True, exclude_none=True))


def _version(params: Mapping[str, Any] | None, headers: Mapping[str, str]) -> str:
    """The request's protocol version: per-request `_meta`, then the header, then the default."""
    meta = (params or {}).get("_meta") or {}
    version = meta.get(mcp.PROTOCOL_VERSION_META_KEY) or headers.get(VERSION_HEADER)
    return version if version in KNOWN_PROTOCOL_VERSIONS else mcp.DEFAULT_NEGOTIATED_VERSION


def _capabilities() -> mcp.ServerCapabilities:
    return mcp.ServerCapabilities(tools=mcp.ToolsCapability(list_changed=False))


class McpServer:
    """Dispatches one JSON-RPC message; `run_tool` answers a validated `ChartQuery`."""

    def __init__(self, run_tool: Callable[[ChartQuery], ChartActionResponse]):
        self._run_tool = run_tool

    @staticmethod
    def parse_error() -> McpReply:
        """The body was not JSON at all."""
        return _error(None, mcp.PARSE_ERROR, "parse error: the body is not valid JSON", 400)

    def handle(self, message: Any, headers: Mapping[str, str]) -> McpReply:
        """The HTTP answer for one decoded JSON-RPC message."""
        if isinstance(message, dict) and "id" not in message and "method" in message:
            return McpReply(202, None)  # a notification (e.g. notifications/initialized)
        try:
            request = mcp.JSONRPCRequest.model_validate(message)
        except ValidationError:
            return _error(_id_of(message), mcp.INVALID_REQUEST, "not a JSON-RPC 2.0 request", 400)
        if request.method == "initialize":
            version = _negotiate(request.params)
        else:
            version = _version(request.params, headers)
        try:
            parsed = parse_client_request(request.method, version, request.params)
        except ValidationError as exc:  # before ValueError: it is one
            return _error(request.id, mcp.INVALID_PARAMS, "invalid params", data=_details(exc))
        except (KeyError, ValueError):  # no such method in this protocol version
            return _error(request.id, mcp.METHOD_NOT_FOUND, f"method {request.method!r} not found")
        return self._dispatch(request.id, request.method, version, parsed)

    def _dispatch(self, id_: Any, method: str, version: str, parsed: Any) -> McpReply:
        handlers: dict[str, Callable[[Any, str], Any]] = {
            "initialize": lambda _p, v: mcp.InitializeResult(
                protocol_version=v,
                capabilities=_capabilities(),
                server_info=mcp.Implementation(name="chart-control", version=__version__),
                instructions=INSTRUCTIONS,
            ),
            "server/discover": lambda _p, _v: mcp.DiscoverResult(
                supported_versions=list(KNOWN_PROTOCOL_VERSIONS),
                capabilities=_capabilities(),
                instructions=INSTRUCTIONS,
            ),
            "ping": lambda _p, _v: mcp.EmptyResult(),
            "tools/list": lambda _p, _v: mcp.ListToolsResult(tools=[tool_definition()]),
            "tools/call": lambda p, _v: self._call_tool(p),
        }
        handler = handlers.get(method)
        if handler is None:
            return _error(id_, mcp.METHOD_NOT_FOUND, f"method {method!r} not supported")
        try:
            result = handler(parsed.params, version)
        except _InvalidParams as exc:
            return _error(id_, mcp.INVALID_PARAMS, str(exc), data=exc.details)
        data = result.model_dump(mode="json", by_alias=True, exclude_none=True)
        body = serialize_server_result(method, version, data)
        return McpReply(200, {"jsonrpc": "2.0", "id": id_, "result": body})

    def _call_tool(self, params: Any) -> mcp.CallToolResult:
        if params.name != TOOL_NAME:
            raise _InvalidParams(f"unknown tool {params.name!r}; the tool is {TOOL_NAME!r}")
        try:
            query = ChartQuery.model_validate(params.arguments or {})
        except ValidationError as exc:
            raise _InvalidParams("invalid tool arguments", _details(exc)) from None
        try:
            answer = self._run_tool(query)
        except ToolFailure as exc:
            return mcp.CallToolResult(
                content=[mcp.TextContent(type="text", text=str(exc))], is_error=True
            )
        return mcp.CallToolResult(
            content=[mcp.TextContent(type="text", text=answer.text)],
            structured_content=answer.model_dump(mode="json"),
        )


class _InvalidParams(Exception):
    def __init__(self, message: str, details: Any = None):
        super().__init__(message)
        self.details = details


def _negotiate(params: Mapping[str, Any] | None) -> str:
    """initialize: accept the client's handshake version if known, else offer our latest."""
    requested = (params or {}).get("protocolVersion")
    return (
        requested if requested in HANDSHAKE_PROTOCOL_VERSIONS else HANDSHAKE_PROTOCOL_VERSIONS[-1]
    )


def _id_of(message: Any) -> Any:
    return message.get("id") if isinstance(message, dict) else None


def _details(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in err["loc"]), "message": err["msg"]}
        for err in exc.errors(include_url=False, include_input=False)
    ]
