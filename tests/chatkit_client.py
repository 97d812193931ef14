"""A small ChatKit protocol client for tests: real HTTP, the wire format chatkit-js sends."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import requests

from devtools.bench_chatkit import user_input
from tests.helpers import new_session_id, post_json

__all__ = ["ChatKitClient", "Stream", "chart_page", "unreachable_market_data", "user_input"]

TIMEOUT = 30


@dataclass
class Stream:
    """A streamed answer: its events in order, and when each arrived (seconds after POST)."""

    status: int
    content_type: str
    events: list[dict[str, Any]] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["type"] == kind]

    def types(self) -> list[str]:
        return [e["type"] for e in self.events]

    def effects(self) -> list[dict[str, Any]]:
        return [e for e in self.of_type("client_effect") if e["name"] == "chart_commands"]

    def assistant_text(self) -> str:
        done = [e["item"] for e in self.of_type("thread.item.done")]
        messages = [i for i in done if i["type"] == "assistant_message"]
        return "\n".join(part["text"] for m in messages for part in m["content"])

    def thread_id(self) -> str:
        return self.of_type("thread.created")[0]["thread"]["id"]


class ChatKitClient:
    """One page's ChatKit: its chart session travels in X-Chart-Session on every request."""

    def __init__(self, url: str, session: str | None):
        self.url = url
        self.headers = {"X-Chart-Session": session} if session else {}

    def post(self, body: Any) -> requests.Response:
        return requests.post(self.url, json=body, headers=self.headers, timeout=TIMEOUT)

    def call(self, kind: str, **params: Any) -> requests.Response:
        return self.post({"type": kind, "params": params})

    def stream(self, kind: str, **params: Any) -> Stream:
        started = time.perf_counter()
        with requests.post(
            self.url,
            json={"type": kind, "params": params},
            headers=self.headers,
            timeout=TIMEOUT,
            stream=True,
        ) as response:
            answer = Stream(response.status_code, response.headers.get("Content-Type", ""))
            for line in response.iter_lines():
                if line.startswith(b"data: "):
                    answer.events.append(json.loads(line[6:]))
                    answer.arrived.append(time.perf_counter() - started)
        return answer

    def create(self, text: str) -> Stream:
        return self.stream("threads.create", input=user_input(text))

    def add(self, thread_id: str, text: str) -> Stream:
        return self.stream("threads.add_user_message", thread_id=thread_id, input=user_input(text))


def chart_page(update_context_url: str, chatkit_url: str, symbol: str = "TSLA") -> ChatKitClient:
    """A page whose chart context (`symbol`, 1D) is stored, talking to chatkit."""
    session = new_session_id("chat")
    body = {"session_id": session, "symbol": symbol, "timeframe": "1D"}
    assert post_json(update_context_url, body).status_code == 200
    return ChatKitClient(chatkit_url, session)


def unreachable_market_data(port: int) -> dict[str, str]:
    """Environment for Alpaca market data at a port where nothing listens."""
    return {
        "MARKET_DATA_PROVIDER": "alpaca",
        "ALPACA_API_KEY_ID": "key-id",
        "ALPACA_API_SECRET_KEY": "key-secret",
        "ALPACA_DATA_URL": f"http://127.0.0.1:{port}",
        "MARKET_DATA_TIMEOUT_SECONDS": "1",
    }
