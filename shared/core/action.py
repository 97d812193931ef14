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
from functools import partial
from typing import TYPE_CHECKING

from shared.auth.principal import ANONYMOUS, Principal
from shared.core.facts import facts_of, plan_of
from shared.core.followups import resolve
from shared.core.plan import Plan, plan_request
from shared.core.render import answer
from shared.core.result import ActionResult
from shared.core.steps import DATA_TOOLS, run_steps
from shared.core.target import Target, resolve_target
from shared.market_data.base import MarketDataProvider
from shared.models.action import (
    ActionData,
    ChartActionRequest,
    ChartActionResponse,
    PlannerName,
)
from shared.models.chart import AnswerPlan, ChartMemory, LastAnswer
from shared.models.chart_edits import Chart, Stamp, apply_answer, switch_thread
from shared.models.context import ChartState, StoredContext
from shared.planner.intent import FallbackPlanner

if TYPE_CHECKING:
    from shared.llm.spend import SpendCeiling
    from shared.store.sessions import SessionRead, SessionStore

# The chat's thread of a turn: its id, NEW_THREAD for the message that creates one, or None
NEW_THREAD = ""
ThreadTurn = str | None
EXAMPLES = '"draw support and resistance for TSLA", "add the 50 day moving average", "weekly"'


@dataclass(frozen=True)
class ActionCore:
    """The action core with its dependencies, built once per process and shared by the doors
    (and their request threads: every part is thread-safe)."""

    sessions: SessionStore
    market_data: MarketDataProvider
    fallback: FallbackPlanner | None = None
    ceiling: SpendCeiling | None = None  # model spend: asked before the fallback is

    def plan(self, request: ChartActionRequest) -> Plan:
        """What the rules (or the structured fields) make of the request; no I/O."""
        return plan_request(request)

    def context(self, session_id: str) -> StoredContext | None:
        """The session's stored chart context (one store read)."""
        return self.sessions.load(session_id)

    def answer(
        self,
        request: ChartActionRequest,
        plan: Plan | None = None,
        thread: ThreadTurn = None,
        with_fallback: bool = True,
        payer: Principal = ANONYMOUS,
    ) -> ChartActionResponse:
        """The answer to one chart action (on `plan` when the caller already made it for this
        request); store and market data failures raise their `ChartControlError`, which the
        door renders (HTTP envelope, MCP tool error).

        One read of the session document (the context and the chart document), the answer,
        then one write conditioned on that read when the answer changed the chart (a question
        writes nothing); a concurrent edit that won the race is read again and this answer
        applied on top of it (`SessionStore.edit`). The chat names its `thread` (an id, or
        NEW_THREAD for the message that creates one): the answer is on that thread's chart.
        `with_fallback=False` never asks the OpenAI planner (the chat's agent is the model);
        otherwise it is asked only while the `payer` (the caller, at the address the load
        balancer reports) is within the spend ceiling."""
        fallback = self.fallback if with_fallback else None
        if fallback is not None and self.ceiling is not None:
            from shared.llm.spend import within_ceiling  # noqa: PLC0415 - only with a model

            fallback = within_ceiling(fallback, self.ceiling, payer.spender)
        if not request.session_id:
            return plan_chart_action(request, None, self.market_data, fallback, plan)
        read = self.sessions.read(request.session_id)
        context, memory = on_thread(read, thread)
        planned = plan_answer(request, context, self.market_data, fallback, plan, memory=memory)
        saved = self.sessions.edit(request.session_id, read, partial(planned.edit, thread=thread))
        planned.response.data.chart = saved.document()
        return planned.response


def on_thread(read: SessionRead, thread: ThreadTurn) -> tuple[StoredContext | None, ChartMemory]:
    """The context and chart memory of the turn's thread (the chart on show when no thread is
    named)."""
    if thread is None or read.context is None:
        return read.context, read.memory
    shown = Chart(read.context.symbol, read.context.timeframe)
    memory, chart = switch_thread(read.memory, shown, thread or None, new_thread=thread == "")
    if memory is read.memory:
        return read.context, memory
    moved = {"symbol": chart.symbol, "timeframe": chart.timeframe}
    return read.context.model_copy(update=moved), memory


def plan_chart_action(
    request: ChartActionRequest,
    stored: StoredContext | None,
    provider: MarketDataProvider,
    fallback: FallbackPlanner | None = None,
    plan: Plan | None = None,
    *,
    memory: ChartMemory | None = None,
) -> ChartActionResponse:
    """Answer on the request's plan (`shared.core.plan`: structured arguments, else the rules
    planner); only a plan that is not understood goes to `fallback` (OpenAI). With the chart
    document's `memory`, a follow-up ("the same for NVDA", "remove it", "why?") is resolved
    against it first."""
    return plan_answer(request, stored, provider, fallback, plan, memory=memory).response


@dataclass(frozen=True)
class Planned:
    """An answer, and what it does to the chart document."""

    response: ChartActionResponse
    result: ActionResult
    target: Target
    plan: AnswerPlan
    request: str | None

    def edit(
        self, read: SessionRead, thread: ThreadTurn = None
    ) -> tuple[ChartState, ChartMemory] | None:
        """The chart document after this answer, from a read of it (None: nothing changes)."""
        chart = self.target.state()
        if chart is None:
            return None
        before, shown = on_thread(read, thread)
        start = Chart(before.symbol, before.timeframe) if before else Chart(None, None)
        stamp = Stamp(self.request, self.result.origins)
        facts = facts_of(self.result, self.response)
        last = LastAnswer(request=self.request, plan=self.plan, facts=facts)
        remember = bool(DATA_TOOLS.intersection(self.plan.tools))  # asked to draw: "why?" next
        commands = self.result.commands
        memory = apply_answer(shown, commands, start, stamp, last, remember)
        here = (chart.symbol, chart.timeframe)
        unchanged = before is not None and (before.symbol, before.timeframe) == here
        if memory is read.memory and unchanged:
            return None
        snapshot = before.snapshot_id if unchanged and before else None
        return chart.model_copy(update={"snapshot_id": snapshot}), memory


def plan_answer(
    request: ChartActionRequest,
    stored: StoredContext | None,
    provider: MarketDataProvider,
    fallback: FallbackPlanner | None = None,
    plan: Plan | None = None,
    *,
    memory: ChartMemory | None = None,
) -> Planned:
    """`plan_chart_action`, with what the chart document needs to record the answer."""
    if plan is None or plan.request != request:
        plan = plan_request(request)
    intent, planner, unmapped = plan.intent, plan.planner, plan.unmapped
    follow_up = None
    if memory is not None and request.query is not None and planner != "structured":
        follow_up = resolve(request.query, intent, memory)
        if follow_up is not None and follow_up.intent is not None:
            intent, unmapped = follow_up.intent, False
    answered = follow_up is not None and follow_up.intent is None
    unmapped = unmapped and not answered
    result = ActionResult()
    failure = None
    if not plan.understood and follow_up is None and fallback is not None and request.query:
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
