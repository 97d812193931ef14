"""The chart action as the chat sees it: one call into the action core, and its effect.

`run_chart_action` is the only place the chatkit function reaches the action core, so the core
can move (issue 12 gives it one entry point) by changing this one function. It is blocking
(a Firestore read, market data); callers run it on a worker thread.
"""

from __future__ import annotations

from typing import Any

from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.context import ChartState

EFFECT_NAME = "chart_commands"


def run_chart_action(request: ChartActionRequest) -> ChartActionResponse:
    """The validated request's answer: the session's context (one read), then the plan."""
    from shared.actions import plan_chart_action  # noqa: PLC0415 - planner/analysis on use
    from shared.runtime import fallback_planner, market_data, session_store  # noqa: PLC0415

    stored = session_store().load(request.session_id) if request.session_id else None
    return plan_chart_action(request, stored, market_data(), fallback_planner())


def chart_context(session_id: str) -> ChartState | None:
    """What the session's chart shows (one read), for the agent's instructions."""
    from shared.runtime import session_store  # noqa: PLC0415

    return session_store().load(session_id)


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
