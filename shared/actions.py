"""chart_action's core: from a query and the session's context to commands, text and data.

The path is deterministic and needs no LLM: the rules planner says what the query names, the
context precedence (query > request overrides > stored session > nothing) fixes the target
chart, and our own analysis turns bars into prices. Commands are built as models; their strings
are derived once, at the end.
"""

from __future__ import annotations

from typing import Literal

from shared.action_result import ActionResult, Target
from shared.market_data.base import MarketDataProvider
from shared.models.action import (
    ActionData,
    ChartActionRequest,
    ChartActionResponse,
)
from shared.models.commands import command_strings
from shared.models.context import StoredContext
from shared.models.fields import Timeframe
from shared.planner.intent import FallbackPlanner, QueryIntent
from shared.planner.rules import parse_query
from shared.steps import run_steps

DEFAULT_TIMEFRAME = Timeframe.D1
EXAMPLES = '"draw support and resistance for TSLA", "add the 50 day moving average", "weekly"'


def resolve_target(
    intent: QueryIntent, request: ChartActionRequest, stored: StoredContext | None
) -> Target:
    """Apply the precedence query > overrides > stored context, and decide LOAD/TIMEFRAME."""
    symbol = intent.symbol or request.symbol or (stored.symbol if stored else None)
    timeframe = (
        intent.timeframe
        or request.timeframe
        or (stored.timeframe if stored else None)
        or DEFAULT_TIMEFRAME
    )
    if stored is None:  # nothing known of the page: say everything it must show
        return Target(
            symbol,
            timeframe,
            None,
            load=symbol is not None,
            switch_timeframe=symbol is not None or intent.timeframe is not None,
        )
    unchanged = symbol == stored.symbol and timeframe == stored.timeframe
    return Target(
        symbol,
        timeframe,
        stored.snapshot_id if unchanged else None,
        load=symbol != stored.symbol,
        switch_timeframe=timeframe != stored.timeframe,
    )


def plan_chart_action(
    request: ChartActionRequest,
    stored: StoredContext | None,
    provider: MarketDataProvider,
    fallback: FallbackPlanner | None = None,
) -> ChartActionResponse:
    """Answer with the rules planner; only a query it cannot map goes to `fallback` (OpenAI)."""
    intent = parse_query(request.query)
    planner: Literal["rules", "openai"] = "rules"
    result = ActionResult()
    unmapped = not intent.recognised and not (request.symbol or request.timeframe)
    failure = None
    if unmapped and fallback is not None:
        outcome = fallback(request.query, stored)
        if outcome.intent is not None and outcome.intent.recognised:
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
    target: Target, result: ActionResult, planner: Literal["rules", "openai"]
) -> ChartActionResponse:
    """Derive the command strings and the relayable text from the accumulated result."""
    lines = command_strings(result.commands)
    prefix = f"{target.symbol} {target.timeframe.value}: " if target.symbol else ""
    summary = prefix + (" ".join(result.sentences) or "done.")
    return ChartActionResponse(
        text="\n".join([summary, *lines]),
        chart_commands=lines,
        data=ActionData(
            tools_used=result.tools,
            chart_context=target.state(),
            levels=result.levels,
            market_data=result.market_data,
            analysis=result.analysis,
            planner=planner,
        ),
    )
