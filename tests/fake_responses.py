"""A local server that speaks the Responses API, playing a model that calls one tool.

The Agents SDK talks to OpenAI through `responses.create`; this answers it the way the API
does. The first turn calls the tool with arguments the test chooses from what the request
carried (the instructions, the tools offered); once the request holds the tool's output, the
model relays that output as its answer, as the guide's instructions ask it to.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from werkzeug import Request, Response

USAGE = {
    "input_tokens": 120,
    "input_tokens_details": {"cached_tokens": 0},
    "output_tokens": 30,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 150,
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
        "usage": USAGE,
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


class ToolCallingModel:
    """Calls `tool` once with `arguments(request body)`, then answers with the tool's output."""

    def __init__(self, tool: str, arguments: Callable[[dict[str, Any]], dict[str, Any]]):
        self.tool = tool
        self.arguments = arguments
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.get_data())
        self.requests.append(body)
        outputs = tool_outputs(body)
        if outputs:
            text = outputs[-1]
            output = [
                {
                    "type": "message",
                    "id": "msg_1",
                    "role": "assistant",
                    "status": "completed",
                    "content": [{"type": "output_text", "text": text, "annotations": []}],
                }
            ]
        else:
            output = [
                {
                    "type": "function_call",
                    "id": "fc_1",
                    "call_id": "call_1",
                    "name": self.tool,
                    "arguments": json.dumps(self.arguments(body)),
                    "status": "completed",
                }
            ]
        return Response(json.dumps(response(body, output)), 200, content_type="application/json")
