"""A local server that speaks the Responses API, playing a model that calls one tool.

The Agents SDK talks to OpenAI through `responses.create`; this answers it the way the API
does, as one JSON response or, when the request asks for `stream`, as the API's server-sent
events. The first turn calls the tool with arguments the test chooses from what the request
carried (the instructions, the tools offered); once the request holds the tool's output, the
model relays that output as its answer, as the guide's instructions ask it to. Offered no tool,
it answers with `NARRATION`. It can wait before answering (`delay`), hang until released
(`hang_when`), trickle its stream (`drip`) or fail with a status. Usage is estimated from the
request's size (about four characters a token), so a test can read what a turn would cost.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from werkzeug import Request, Response

CHARS_PER_TOKEN = 4  # OpenAI's rule of thumb for English text


def estimated_tokens(value: Any) -> int:
    """About how many tokens `value` costs, from the size of its JSON."""
    return max(1, len(json.dumps(value)) // CHARS_PER_TOKEN)


def usage(body: dict[str, Any], output: list[dict[str, Any]]) -> dict[str, Any]:
    """The `usage` the API would report: input from the instructions, input and tools sent."""
    sent = estimated_tokens([body.get("instructions"), body.get("input"), body.get("tools")])
    made = estimated_tokens(output)
    return {
        "input_tokens": sent,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": made,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": sent + made,
    }


def response(body: dict[str, Any], output: list[dict[str, Any]]) -> dict[str, Any]:
    """A completed `response` object echoing the request's settings."""
    return {
        "id": f"resp_{output[0]['id']}",
        "object": "response",
        "created_at": 1_790_000_000,
        "status": "completed",
        "model": body.get("model", "gpt-4.1-mini"),
        "instructions": body.get("instructions"),
        "output": output,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": body.get("tools", []),
        "usage": usage(body, output),
        "error": None,
        "incomplete_details": None,
        "metadata": {},
    }


def as_text(output: str | list[dict[str, Any]]) -> str:
    """A tool output as text: a string, or the text of its `input_text` content parts."""
    if isinstance(output, str):
        return output
    return "".join(part["text"] for part in output if part.get("type") == "input_text")


def tool_outputs(body: dict[str, Any]) -> list[str]:
    """The outputs of tool calls the request sends back to the model, as text."""
    items = body.get("input")
    if not isinstance(items, list):
        return []
    return [as_text(i["output"]) for i in items if i.get("type") == "function_call_output"]


NARRATION = "The chart now shows what you asked for."


def message(item_id: str, text: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": item_id,
        "role": "assistant",
        "status": "completed",
        "content": [{"type": "output_text", "text": text, "annotations": []}],
    }


def sse_events(completed: dict[str, Any]) -> Iterator[str]:
    """The stream the API sends for a finished response: created, each output item added,
    text deltas (word by word) and done events, then `response.completed`."""
    numbers = itertools.count()

    def event(kind: str, **fields: Any) -> str:
        payload = {"type": kind, "sequence_number": next(numbers), **fields}
        return f"event: {kind}\ndata: {json.dumps(payload)}\n\n"

    yield event("response.created", response={**completed, "status": "in_progress", "output": []})
    for index, item in enumerate(completed["output"]):
        at = {"output_index": index}
        if item["type"] != "message":
            yield event("response.output_item.added", item=item, **at)
            yield event("response.output_item.done", item=item, **at)
            continue
        text = item["content"][0]["text"]
        part = {"item_id": item["id"], "content_index": 0, **at}
        yield event("response.output_item.added", item={**item, "content": []}, **at)
        empty = {"type": "output_text", "text": "", "annotations": []}
        yield event("response.content_part.added", part=empty, **part)
        for word in text.split(" "):
            yield event("response.output_text.delta", delta=word + " ", logprobs=[], **part)
        yield event("response.output_text.done", text=text, logprobs=[], **part)
        yield event("response.content_part.done", part=item["content"][0], **part)
        yield event("response.output_item.done", item=item, **at)
    yield event("response.completed", response=completed)


def last_user_text(body: dict[str, Any]) -> str:
    """The text of the last user message the request carries (the turn's message)."""
    items = body.get("input")
    if isinstance(items, str):
        return items
    for item in reversed(items or []):
        if item.get("role") == "user" and item.get("type", "message") == "message":
            content = item.get("content")
            if isinstance(content, str):
                return content
            return "".join(part.get("text", "") for part in content or [])
    return ""


def relay_summary(body: dict[str, Any]) -> str:
    """A narration that repeats the chart result's summary the request carries (the fast
    path's developer note), as a model told to describe the result would."""
    for item in reversed(body.get("input") or []):
        content = item.get("content") if isinstance(item, dict) else None
        if item.get("role") == "developer" and isinstance(content, str) and "result: " in content:
            result = content.split("result: ", 1)[1].rsplit("}. ", 1)[0] + "}"
            return json.loads(result)["summary"]
    return NARRATION


class ToolCallingModel:
    """Calls `tool` once with `arguments(request body)`, then answers with the tool's output.

    `delay` seconds pass before each answer; `status` other than 200 answers an API error.
    Offered no tool it answers `narration` (a string, or a function of the request body).
    A request for which `hang_when(body)` is true waits until `release` is set (or `hang`
    seconds pass) before answering; `drip` seconds pass between the events of a stream.
    Served threaded, it answers requests concurrently.
    """

    def __init__(
        self,
        tool: str,
        arguments: Callable[[dict[str, Any]], dict[str, Any]],
        delay: float = 0.0,
        status: int = 200,
        *,
        narration: str | Callable[[dict[str, Any]], str] = NARRATION,
        hang_when: Callable[[dict[str, Any]], bool] | None = None,
        hang: float = 60.0,
        drip: float = 0.0,
    ):
        self.tool = tool
        self.arguments = arguments
        self.delay = delay
        self.status = status
        self.narration = narration
        self.hang_when = hang_when
        self.hang = hang
        self.drip = drip
        self.release = threading.Event()
        self.requests: list[dict[str, Any]] = []
        self.usages: list[dict[str, Any]] = []  # what each answer reported
        self._lock = threading.Lock()

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.get_data())
        with self._lock:
            self.requests.append(body)
            call = len(self.requests)
        if self.hang_when is not None and self.hang_when(body):
            self.release.wait(self.hang)
        time.sleep(self.delay)
        if self.status != 200:
            error = {"message": "fake failure", "type": "server_error", "code": None}
            return Response(
                json.dumps({"error": error}), self.status, content_type="application/json"
            )
        completed = response(body, self.output(body, call))
        self.usages.append(completed["usage"])
        if body.get("stream"):
            return Response(self.stream(completed), 200, content_type="text/event-stream")
        return Response(json.dumps(completed), 200, content_type="application/json")

    def output(self, body: dict[str, Any], call: int) -> list[dict[str, Any]]:
        """A message relaying the tool's output (or narrating), else a call of the tool."""
        outputs = tool_outputs(body)
        if outputs or not body.get("tools"):
            narration = self.narration if isinstance(self.narration, str) else self.narration(body)
            return [message(f"msg_{call}", outputs[-1] if outputs else narration)]
        return [
            {
                "type": "function_call",
                "id": f"fc_{call}",
                "call_id": f"call_{call}",
                "name": self.tool,
                "arguments": json.dumps(self.arguments(body)),
                "status": "completed",
            }
        ]

    def stream(self, completed: dict[str, Any]) -> Iterator[str]:
        for event in sse_events(completed):
            time.sleep(self.drip)
            yield event
