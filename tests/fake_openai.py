"""A local server that speaks the Chat Completions API, for the real `openai` client."""

from __future__ import annotations

import json
import time
from typing import Any

from werkzeug import Request, Response


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


class FakeOpenAI:
    """Answers /v1/chat/completions in one of several modes; records the requests."""

    def __init__(self, mode: str = "ok", plan: dict[str, Any] | None = None, delay: float = 0):
        self.mode = mode
        self.plan = plan or {}
        self.delay = delay
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(json.loads(request.get_data()))
        time.sleep(self.delay)
        if self.mode == "429":
            return _json({"error": {"message": "Rate limit reached", "type": "requests"}}, 429)
        if self.mode == "500":
            return _json({"error": {"message": "server error", "type": "server_error"}}, 500)
        if self.mode == "malformed":
            return _json(completion('{"symbol": "TSLA", "tools": ["draw everything"'))
        if self.mode == "invalid":
            return _json(completion(json.dumps({**self.plan, "symbol": "not a ticker!!"})))
        if self.mode == "refusal":
            return _json(completion(None, refusal="I can't help with that."))
        return _json(completion(json.dumps(self.plan)))


def _json(body: dict[str, Any], status: int = 200) -> Response:
    return Response(json.dumps(body), status, content_type="application/json")
