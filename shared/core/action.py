"""The action core: from a validated request to commands, text and data.

`ActionCore` is what every door holds (the JSON route, the MCP tool, the chat server): built
once per process by the composition root (`shared.app`) with its session store, market data
and fallback planner, it answers a request (`answer`: one store read, then the plan) and says
what the rules make of one (`plan`: the chat asks it whether to answer without a model).
Below it, `plan_chart_action` is the same answer with its dependencies passed in (tests,
benchmarks).

The path is deterministic and needs no LLM: the caller's structured arguments, or else the
rules planner, say what is asked (`shared.planner.structured`: structured fields win, the
query's words fill the rest), the context precedence (plan > request overrides > stored session
> nothing) fixes the target chart, and our own analysis turns bars into prices. Commands are
built as models; their strings are derived once, at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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
from shared.planner.intent import FallbackPlanner, QueryIntent
from shared.planner.rules import parse_query
from shared.planner.structured import is_structured
from shared.planner.structured import to_intent as structured_intent

if TYPE_CHECKING:
    from shared.store.sessions import SessionStore

EXAMPLES = '"draw support and resistance for TSLA", "add the 50 day moving average", "weekly"'


@dataclass(frozen=True, slots=True)
class Plan:
    """What the request asks, before any store read or model: the intent, who read it, and
    whether anything of it maps to a chart action."""

    intent: QueryIntent
    planner: PlannerName
    understood: bool


def read_request(request: ChartActionRequest) -> Plan:
    """The caller's structured arguments when it gave them (the rules planner fills what they
    leave open), else the rules planner's reading of the query."""
    parsed = parse_query(request.query) if request.query is not None else QueryIntent()
    if is_structured(request):
        return Plan(structured_intent(request, parsed), "structured", understood=True)
    understood = parsed.understood_anything or bool(request.symbol or request.timeframe)
    return Plan(parsed, "rules", understood)


@dataclass(frozen=True)
class ActionCore:
    """The action core with its dependencies, built once per process and shared by the doors
    (and their request threads: every part is thread-safe)."""

    sessions: SessionStore
    market_data: MarketDataProvider
    fallback: FallbackPlanner | None = None

    def plan(self, request: ChartActionRequest) -> Plan:
        """What the rules (or the structured fields) make of the request; no I/O."""
        return read_request(request)

    def context(self, session_id: str) -> StoredContext | None:
        """The session's stored chart context (one store read)."""
        return self.sessions.load(session_id)

    def answer(self, request: ChartActionRequest) -> ChartActionResponse:
        """The answer to one chart action; store and market data failures raise their
        `ChartControlError`, which the door renders (HTTP envelope, MCP tool error)."""
        stored = self.context(request.session_id) if request.session_id else None
        return plan_chart_action(request, stored, self.market_data, self.fallback)


def plan_chart_action(
    request: ChartActionRequest,
    stored: StoredContext | None,
    provider: MarketDataProvider,
    fallback: FallbackPlanner | None = None,
) -> ChartActionResponse:
    """Answer with the caller's structured arguments when it gave them (the rules planner
    fills what they leave open), else with the rules planner; only a query it cannot map
    goes to `fallback` (OpenAI)."""
    plan = read_request(request)
    intent, planner, unmapped = plan.intent, plan.planner, not plan.understood
    structured = planner == "structured"
    # a name the rules could not place ("load rheinmetall", "support for sunpower") may be
    # one the fallback knows
    unknown = intent.unknown_symbols or intent.loose_words
    unplaced = not structured and intent.symbol is None and bool(unknown)
    result = ActionResult()
    failure = None
    if (unmapped or unplaced) and fallback is not None and request.query is not None:
        outcome = fallback(request.query, stored)
        placed = outcome.intent is not None and (not unplaced or outcome.intent.symbol)
        if outcome.intent is not None and outcome.intent.recognised and placed:
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
