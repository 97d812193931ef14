"""The action core: from a validated request to commands, text and data.

`answer_chart_action` is what every door calls (the JSON route, the MCP tool, the chat
server's tool): it reads the session's context (one store read) and answers with the
process's market data and fallback planner, all from `shared.infra.runtime`. Below it,
`plan_chart_action` is the same answer with its dependencies passed in (tests, benchmarks).

The path is deterministic and needs no LLM: the caller's structured arguments, or else the
rules planner, say what is asked (`shared.planner.structured`: structured fields win, the
query's words fill the rest), the context precedence (plan > request overrides > stored session
> nothing) fixes the target chart, and our own analysis turns bars into prices. Commands are
built as models; their strings are derived once, at the end.
"""

from __future__ import annotations

from shared.core.render import answer
from shared.core.result import ActionResult
from shared.core.steps import run_steps
from shared.core.target import Target, resolve_target
from shared.infra.runtime import runtime
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

EXAMPLES = '"draw support and resistance for TSLA", "add the 50 day moving average", "weekly"'


def answer_chart_action(
    request: ChartActionRequest, with_fallback: bool = True
) -> ChartActionResponse:
    """The answer to one chart action; store and market data failures raise their
    `ChartControlError`, which the door renders (HTTP envelope, MCP tool error).
    `with_fallback=False` never asks the OpenAI planner (the chat's agent is the model)."""
    deps = runtime()
    stored = deps.sessions.load(request.session_id) if request.session_id else None
    fallback = deps.fallback_planner if with_fallback else None
    return plan_chart_action(request, stored, deps.market_data, fallback)


def plan_chart_action(
    request: ChartActionRequest,
    stored: StoredContext | None,
    provider: MarketDataProvider,
    fallback: FallbackPlanner | None = None,
) -> ChartActionResponse:
    """Answer with the caller's structured arguments when it gave them (the rules planner
    fills what they leave open), else with the rules planner; only a query it cannot map
    goes to `fallback` (OpenAI)."""
    parsed = parse_query(request.query) if request.query is not None else QueryIntent()
    structured = is_structured(request)
    planner: PlannerName = "structured" if structured else "rules"
    intent = structured_intent(request, parsed) if structured else parsed
    unmapped = not (structured or intent.understood_anything or request.symbol or request.timeframe)
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
    text, lines = answer(target.state(), result.sentences, result.commands)
    return ChartActionResponse(
        text=text,
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
