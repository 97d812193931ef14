"""The action core: from a validated request to commands, text and data.

`ActionCore` is what every door holds (the JSON route, the MCP tool, the chat server): built
once per process by the composition root (`shared.app`) with its session store, market data
and fallback planner, it answers a request (`answer`: one store read, then the plan) and says
what the rules make of one (`plan`: the chat asks it whether to answer without a model).
Below it, `plan_chart_action` is the same answer with its dependencies passed in (tests,
benchmarks).

The path is deterministic and needs no LLM: the caller's structured arguments, or else the
rules planner, say what is asked (`shared.core.plan`, whose `understood` is the one every door
asks; structured fields win, the query's words fill the rest), the context precedence (plan >
request overrides > stored session > nothing) fixes the target chart, and our own analysis
turns bars into prices. Commands are built as models; their strings are derived once, at the
end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.core.plan import Plan, plan_request
from shared.core.render import answer
from shared.core.result import ActionResult
from shared.core.steps import run_steps
from shared.core.target import Target, resolve_target
from shared.market_data.base import MarketDataProvider
from shared.models.action import (
    ActionData,
    ChartActionRequest,
    ChartActionResponse,
    PlannerName,
)
from shared.models.context import StoredContext
from shared.planner.intent import FallbackPlanner

if TYPE_CHECKING:
    from shared.store.sessions import SessionStore

EXAMPLES = '"draw support and resistance for TSLA", "add the 50 day moving average", "weekly"'


@dataclass(frozen=True)
class ActionCore:
    """The action core with its dependencies, built once per process and shared by the doors
    (and their request threads: every part is thread-safe)."""

    sessions: SessionStore
    market_data: MarketDataProvider
    fallback: FallbackPlanner | None = None

    def plan(self, request: ChartActionRequest) -> Plan:
        """What the rules (or the structured fields) make of the request; no I/O."""
        return plan_request(request)

    def context(self, session_id: str) -> StoredContext | None:
        """The session's stored chart context (one store read)."""
        return self.sessions.load(session_id)

    def answer(self, request: ChartActionRequest, plan: Plan | None = None) -> ChartActionResponse:
        """The answer to one chart action (on `plan` when the caller already made it for this
        request); store and market data failures raise their `ChartControlError`, which the
        door renders (HTTP envelope, MCP tool error)."""
        stored = self.context(request.session_id) if request.session_id else None
        return plan_chart_action(request, stored, self.market_data, self.fallback, plan)


def plan_chart_action(
    request: ChartActionRequest,
    stored: StoredContext | None,
    provider: MarketDataProvider,
    fallback: FallbackPlanner | None = None,
    plan: Plan | None = None,
) -> ChartActionResponse:
    """Answer on the request's plan (`shared.core.plan`: structured arguments, else the rules
    planner); only a plan that is not understood goes to `fallback` (OpenAI)."""
    if plan is None or plan.request != request:
        plan = plan_request(request)
    intent, planner, unmapped = plan.intent, plan.planner, plan.unmapped
    result = ActionResult()
    failure = None
    if not plan.understood and fallback is not None and request.query is not None:
        outcome = fallback(request.query, stored)
        placed = outcome.intent is not None and (not plan.unplaced or outcome.intent.symbol)
        if outcome.intent is not None and outcome.intent.understood_anything and placed:
            intent, planner, unmapped = outcome.intent, "openai", False
            if outcome.reply:
                result.sentences.append(outcome.reply)
        failure = outcome.failure
    target = resolve_target(intent, request, stored)
    if unmapped:
        reason = f" ({failure}; answered by the rules planner.)" if failure else ""
        result.sentences.append(
            f"I could not map {request.query!r} to a chart action.{reason} Try {EXAMPLES}."
        )
    else:
        run_steps(intent, target, provider, result)
    return build_response(target, result, planner=planner)


def build_response(
    target: Target, result: ActionResult, planner: PlannerName
) -> ChartActionResponse:
    """The response from the accumulated result; `render.answer` writes its text and lines."""
    summary, lines = answer(target.state(), result.sentences, result.commands)
    return ChartActionResponse(
        text="\n".join([summary, *lines]),
        summary=summary,
        chart_commands=lines,
        data=ActionData(
            tools_used=result.tools,
            ignored=result.ignored,
            chart_context=target.state(),
            levels=result.levels,
            market_data=result.market_data,
            analysis=result.analysis,
            planner=planner,
        ),
    )
