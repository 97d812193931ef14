"""A local server that speaks the Chat Completions API, for the real `openai` client."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from werkzeug import Request, Response

from tests.fake_responses import estimated_tokens


def completion(content: str | None, refusal: str | None = None) -> dict[str, Any]:
    """A `chat.completion` object as the API returns it."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_790_000_000,
        "model": "gpt-4.1-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 50, "completion_tokens": 20, "total_tokens": 70},
    }


def usage(sent: dict[str, Any], answer: dict[str, Any]) -> dict[str, int]:
    """Token counts estimated from sizes, as tests/fake_responses.py estimates them."""
    prompt = estimated_tokens([sent.get("messages"), sent.get("response_format")])
    made = estimated_tokens(answer.get("content"))
    return {"prompt_tokens": prompt, "completion_tokens": made, "total_tokens": prompt + made}


def dripping(body: dict[str, Any], interval: float) -> Response:
    """A valid answer sent one byte every `interval` seconds: each read beats the client's
    per-read timeout, so only a wall-clock deadline stops the call."""
    payload = json.dumps(body).encode()

    def drip() -> Iterator[bytes]:
        for i in range(len(payload)):
            time.sleep(interval)
            yield payload[i : i + 1]

    return Response(drip(), 200, content_type="application/json", direct_passthrough=True)


class FakeOpenAI:
    """Answers /v1/chat/completions in one of several modes; records the requests.

    Modes: ok, malformed (truncated JSON), invalid (a plan our models reject), refusal,
    429, 500, drip (valid but one byte per `delay` seconds); `delay` otherwise delays `ok`.
    """

    def __init__(self, mode: str = "ok", plan: dict[str, Any] | None = None, delay: float = 0):
        self.mode = mode
        self.plan = plan or {}
        self.delay = delay
        self.requests: list[dict[str, Any]] = []
        self.usages: list[dict[str, int]] = []  # what each answer reported

    def __call__(self, request: Request) -> Response:
        sent = json.loads(request.get_data())
        self.requests.append(sent)
        if self.mode == "drip":
            return dripping(completion(json.dumps(self.plan)), self.delay)
        time.sleep(self.delay)
        status, body = self.answer()
        if "usage" in body:  # what the API would count for this request and answer
            body["usage"] = usage(sent, body["choices"][0]["message"])
            self.usages.append(body["usage"])
        return Response(json.dumps(body), status, content_type="application/json")

    def answer(self) -> tuple[int, dict[str, Any]]:
        """Status and body for every non-streaming mode."""
        answers: dict[str, tuple[int, dict[str, Any]]] = {
            "429": (429, {"error": {"message": "Rate limit reached", "type": "requests"}}),
            "500": (500, {"error": {"message": "server error", "type": "server_error"}}),
            "malformed": (200, completion('{"symbol": "TSLA", "tools": ["draw everything"')),
            "invalid": (200, completion(json.dumps({**self.plan, "symbol": "not a ticker!!"}))),
            "refusal": (200, completion(None, refusal="I can't help with that.")),
        }
        return answers.get(self.mode, (200, completion(json.dumps(self.plan))))
