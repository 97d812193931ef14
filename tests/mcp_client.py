"""A scripted MCP client over Streamable HTTP (stateless, JSON responses), as Agent Builder's
MCP tool node behaves: initialize, notifications/initialized, tools/list, tools/call."""

from __future__ import annotations

from itertools import count
from typing import Any

import requests

PROTOCOL = "2025-06-18"


class McpClient:
    """Posts one JSON-RPC message at a time; remembers the negotiated protocol version."""

    def __init__(self, url: str, token: str | None = None):
        self.url = url
        self.headers = {"Accept": "application/json, text/event-stream"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.version: str | None = None
        self._ids = count(1)

    def post(self, message: dict[str, Any]) -> requests.Response:
        headers = dict(self.headers)
        if self.version:
            headers["MCP-Protocol-Version"] = self.version
        return requests.post(self.url, json=message, headers=headers, timeout=15)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": next(self._ids), "method": method}
        if params is not None:
            message["params"] = params
        response = self.post(message)
        assert response.headers["Content-Type"].startswith("application/json"), response.text
        return response.json()

    def handshake(self) -> dict[str, Any]:
        result = self.call(
            "initialize",
            {"protocolVersion": PROTOCOL, "capabilities": {},
             "clientInfo": {"name": "agent-builder-test", "version": "1"}},
        )["result"]  # fmt: skip
        self.version = result["protocolVersion"]
        notified = self.post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        assert notified.status_code == 202 and notified.text == ""
        return result

    def chart_control(self, **arguments: Any) -> dict[str, Any]:
        return self.call("tools/call", {"name": "chart_control", "arguments": arguments})
