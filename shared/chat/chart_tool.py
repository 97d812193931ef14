"""The chart action as the chat sees it: the one action core, on a worker thread, and its effect.

`ChartTool` is the only way the chatkit function reaches the action core: the same `ActionCore`
the JSON route and MCP hold, handed in by the composition root (`shared.app`), without the
OpenAI planner: in the chat the agent is the model (a message the rules cannot handle goes to
it), so a chart action never waits on a model or holds a worker thread while one answers. The
core blocks (a Firestore read, market data), so every call runs on a worker thread; store and
market-data failures become readable stream errors.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from chatkit.errors import CustomStreamError
from chatkit.types import ClientEffectEvent

from shared.market_data.base import MarketDataError
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.context import ChartState
from shared.store.firestore import StoreError

if TYPE_CHECKING:
    from shared.core.action import ActionCore
    from shared.core.plan import Plan

EFFECT_NAME = "chart_commands"
T = TypeVar("T")


async def readable(fn: Callable[[Any], T], argument: Any) -> T:
    """`fn(argument)` on a worker thread; store and market-data failures say what failed."""
    try:
        return await asyncio.to_thread(fn, argument)
    except StoreError as exc:
        message = f"Could not read the chart's context: {exc}."
        raise CustomStreamError(message, allow_retry=True) from exc
    except MarketDataError as exc:
        raise CustomStreamError(f"Could not get market data: {exc}.", allow_retry=True) from exc


@dataclass(frozen=True)
class ChartTool:
    """The action core for the chat server and the agent's `chart_control` tool."""

    core: ActionCore

    def plan(self, text: str, session_id: str) -> Plan:
        """The message's plan (the core's own, no I/O): its `understood` decides whether the
        rules answer without a model, and the answer is made on this same plan."""
        return self.core.plan(ChartActionRequest(query=text, session_id=session_id))

    async def answer(
        self, request: ChartActionRequest, plan: Plan | None = None, thread: str | None = None
    ) -> ChartActionResponse:
        """The validated request's answer: the session's context (one read), then the plan
        (the chat's, when it made one for this request), on the chart of the turn's `thread`,
        without the OpenAI planner (the chat's agent is the model)."""
        core_answer = partial(self.core.answer, plan=plan, thread=thread, with_fallback=False)
        return await readable(core_answer, request)

    async def chart(self, session_id: str) -> ChartState | None:
        """What the session's chart shows (one read), for the agent's instructions."""
        return await readable(self.core.context, session_id)


def effect_data(response: ChartActionResponse) -> dict[str, Any]:
    """The `chart_commands` client effect's data: the chart_action response fields."""
    return {
        "commands": list(response.chart_commands),
        "text": response.text,
        "data": response.data.model_dump(mode="json"),
    }


def chart_effect(response: ChartActionResponse) -> ClientEffectEvent:
    """The page's instruction: execute these commands."""
    return ClientEffectEvent(name=EFFECT_NAME, data=effect_data(response))
