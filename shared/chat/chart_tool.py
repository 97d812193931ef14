"""The chart action as the chat sees it: one call into the action core, and its effect.

`run_chart_action` is the only place the chatkit function reaches the action core, the same
`answer_chart_action` the JSON route and MCP call, without the OpenAI planner: in the chat the
agent is the model (a message the rules cannot handle goes to it), so a chart action never
waits on a model or holds a worker thread while one answers. It is blocking (a Firestore read,
market data); callers run it on a worker thread.
"""

from __future__ import annotations

from typing import Any

from shared.infra.runtime import runtime
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.context import ChartState

EFFECT_NAME = "chart_commands"


def run_chart_action(request: ChartActionRequest) -> ChartActionResponse:
    """The validated request's answer: the session's context (one read), then the plan."""
    from shared.core.action import answer_chart_action  # noqa: PLC0415 - planner on use

    return answer_chart_action(request, with_fallback=False)


def chart_context(session_id: str) -> ChartState | None:
    """What the session's chart shows (one read), for the agent's instructions."""
    return runtime().sessions.load(session_id)


def human_sentence(response: ChartActionResponse) -> str:
    """The answer's first line: the sentence for people (command lines follow it)."""
    return response.text.split("\n", 1)[0]


def effect_data(response: ChartActionResponse) -> dict[str, Any]:
    """The `chart_commands` client effect's data: the chart_action response fields."""
    return {
        "commands": list(response.chart_commands),
        "text": response.text,
        "data": response.data.model_dump(mode="json"),
    }
