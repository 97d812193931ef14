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

from dataclasses import dataclass

from shared.core.facts import facts_of, plan_of
from shared.core.followups import resolve
from shared.core.render import answer
from shared.core.result import ActionResult
from shared.core.steps import DATA_TOOLS, run_steps
from shared.core.target import Target, resolve_target
from shared.infra.runtime import runtime
from shared.market_data.base import MarketDataProvider
from shared.models.action import (
    ActionData,
    ChartActionRequest,
    ChartActionResponse,
    PlannerName,
)
from shared.models.chart import ChartMemory, LastAnswer, Plan
from shared.models.chart_edits import Chart, Stamp, apply_answer
from shared.models.context import ChartState, StoredContext
from shared.planner.intent import FallbackPlanner, QueryIntent
from shared.planner.rules import parse_query
from shared.planner.structured import is_structured
from shared.planner.structured import to_intent as structured_intent
from shared.store.sessions import SessionRead

EXAMPLES = '"draw support and resistance for TSLA", "add the 50 day moving average", "weekly"'


def answer_chart_action(request: ChartActionRequest) -> ChartActionResponse:
    """The answer to one chart action; store and market data failures raise their
    `ChartControlError`, which the door renders (HTTP envelope, MCP tool error).

    One read of the session document (the context and the chart document), the answer, then
    one write conditioned on that read when the answer changed the chart (a question writes
    nothing); a concurrent edit that won the race is read again and this answer applied on top
    of it (`SessionStore.edit`)."""
    deps = runtime()
    if not request.session_id:
        return plan_chart_action(request, None, deps.market_data, deps.fallback_planner)
    read = deps.sessions.read(request.session_id)
    planned = plan_answer(
        request, read.context, deps.market_data, deps.fallback_planner, read.memory
    )
    saved = deps.sessions.edit(request.session_id, read, planned.edit)
    planned.response.data.chart = saved.document()
    return planned.response


def plan_chart_action(
    request: ChartActionRequest,
    stored: StoredContext | None,
    provider: MarketDataProvider,
    fallback: FallbackPlanner | None = None,
    memory: ChartMemory | None = None,
) -> ChartActionResponse:
    """Answer with the caller's structured arguments when it gave them (the rules planner
    fills what they leave open), else with the rules planner; only a query it cannot map
    goes to `fallback` (OpenAI). With the chart document's `memory`, a follow-up ("the same for
    NVDA", "remove it", "why?") is resolved against it first."""
    return plan_answer(request, stored, provider, fallback, memory).response


@dataclass(frozen=True)
class Planned:
    """An answer, and what it does to the chart document."""

    response: ChartActionResponse
    result: ActionResult
    target: Target
    plan: Plan
    request: str | None

    def edit(self, read: SessionRead) -> tuple[ChartState, ChartMemory] | None:
        """The chart document after this answer, from a read of it (None: nothing changes)."""
        chart = self.target.state()
        if chart is None:
            return None
        before = read.context
        start = Chart(before.symbol, before.timeframe) if before else Chart(None, None)
        stamp = Stamp(self.request, self.result.origins)
        facts = facts_of(self.result, self.response)
        last = LastAnswer(request=self.request, plan=self.plan, facts=facts)
        remember = bool(DATA_TOOLS.intersection(self.plan.tools))  # asked to draw: "why?" next
        commands = self.result.commands
        memory = apply_answer(read.memory, commands, start, stamp, last, remember)
        unchanged = before is not None and (before.symbol, before.timeframe) == (
            chart.symbol,
            chart.timeframe,
        )
        if memory is read.memory and unchanged:
            return None
        snapshot = before.snapshot_id if unchanged and before else None
        return chart.model_copy(update={"snapshot_id": snapshot}), memory


def plan_answer(
    request: ChartActionRequest,
    stored: StoredContext | None,
    provider: MarketDataProvider,
    fallback: FallbackPlanner | None = None,
    memory: ChartMemory | None = None,
) -> Planned:
    """`plan_chart_action`, with what the chart document needs to record the answer."""
    parsed = parse_query(request.query) if request.query is not None else QueryIntent()
    structured = is_structured(request)
    planner: PlannerName = "structured" if structured else "rules"
    intent = structured_intent(request, parsed) if structured else parsed
    follow_up = None
    if memory is not None and request.query is not None and not structured:
        follow_up = resolve(request.query, intent, memory)
        if follow_up is not None and follow_up.intent is not None:
            intent = follow_up.intent
    answered = follow_up is not None and follow_up.intent is None
    unmapped = not (
        answered or structured or intent.understood_anything or request.symbol or request.timeframe
    )
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
    elif answered:
        assert follow_up is not None
        if follow_up.commands:
            result.add("clear", *follow_up.commands)
        if follow_up.sentence:
            result.sentences.append(follow_up.sentence)
    else:
        run_steps(intent, target, provider, result)
    response = build_response(target, result, planner=planner)
    return Planned(response, result, target, plan_of(intent, result, target), request.query)


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
