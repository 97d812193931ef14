"""The Agents SDK agent behind the chat (only with OPENAI_API_KEY), streamed by chatkit.

- `narrate`: the fast path. The chart action already ran and its effect went out; the agent is
  given the result and no tool (and its instructions mention none), so the turn costs one
  model call.
- `converse`: a message the rules planner cannot handle alone. The agent has `chart_control`,
  an in-process function tool whose strict schema (every field required, null or [] for what
  the user did not ask) makes the model give its reading in the structured fields; each call
  runs the chart action (never the OpenAI planner: the agent is the model) and sends its
  `chart_commands` effect, once per distinct plan. The tool call ends the deciding run; one
  narration without the tool (nor its schema) follows. At most two model calls.

Every model call of a turn runs under the turn's budget (`shared.chat.turn`), is logged with
its tokens, and a failure is one WARNING line (`shared.chat.metered_model`). Requests carry
`max_output_tokens` (OPENAI_MAX_OUTPUT_TOKENS) and `store` (OPENAI_STORE, off by default);
the history the model reads is trimmed to CHATKIT_HISTORY_TOKENS; tracing is off.

Nothing the model writes reaches the page or the thread unchecked: its message is held back
until it is complete, every sentence goes through the number check (`shared.llm.facts`)
against what this turn and the thread's earlier results computed, and a failing sentence is
replaced by ours. Each turn leaves its result in the thread as a hidden item, which the next
turn's model reads (and whose numbers it may quote).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import openai
from agents import Agent, FunctionTool, ModelSettings, RunConfig, Runner
from agents.models.openai_responses import OpenAIResponsesModel
from agents.strict_schema import ensure_strict_json_schema
from agents.tool import set_function_tool_failure_error_function
from agents.tool_context import ToolContext
from chatkit.agents import AgentContext, simple_to_agent_input, stream_agent_response
from chatkit.errors import CustomStreamError
from chatkit.store import Store
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    HiddenContextItem,
    ProgressUpdateEvent,
    ThreadItemAddedEvent,
    ThreadItemDoneEvent,
    ThreadItemUpdatedEvent,
    ThreadMetadata,
    ThreadStreamEvent,
)
from pydantic import ValidationError

from shared.chat.chart_tool import ChartTool, chart_effect
from shared.chat.context import ChatRequestContext
from shared.chat.metered_model import MeteredModel, ModelCallFailed, quiet_sdk_errors
from shared.chat.turn import Turn
from shared.infra.settings import Settings
from shared.llm.calls import estimated_tokens
from shared.llm.facts import checked, facts_in_text
from shared.llm.pool import ModelGate, connection_limits
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.context import ChartState

HISTORY_ITEMS = 20  # recent thread items loaded; then trimmed by tokens
MAX_TURNS = 1  # one model call a run: the decider's run ends at its tool call
GRACE_SECONDS = 0.5  # the turn's own deadline backs up the calls' (they end first)
RESULT_NOTE = "Chart result of the turn before (computed by the backend): "
RULES = (
    "Quote only numbers that appear in the chart results you are given. Never state a price "
    "target, a forecast of where the price will go, or advice to buy or sell: a sentence "
    "with any of them, or with a number the results do not hold, is replaced before the user "
    "sees it. Answer in one or two short sentences and never write command lines such as "
    "SUPPORT:238.40."
)
NARRATE_INSTRUCTIONS = (
    "You are the assistant beside a TradingView chart in a trading app. The chart shows "
    "{chart}. The backend has already drawn what the user asked; tell the user what the chart "
    "shows now, from the result you are given only. " + RULES
)
CONVERSE_INSTRUCTIONS = (
    "You are the assistant beside a TradingView chart in a trading app. The chart shows "
    "{chart}. To draw on it or analyse it (support and resistance, trendlines, Fibonacci, "
    "indicators, patterns, trade plans, another symbol or timeframe), call `chart_control` "
    "once with your reading of the request in its structured fields (symbol, timeframe, "
    "tools, indicators, clear, trade_direction: null or [] for what the user did not ask) and "
    "the user's words as `query`; the backend computes every price and the page draws the "
    "result itself. Then answer from the tool's result. " + RULES
)
DONE_NOTE = (
    "The chart action for the user's last message already ran and the page has drawn it. Its "
    "result: {result}. Tell the user what the chart shows now, from this result only."
)
TOOL_DESCRIPTION = (
    "Draw on or analyse the user's chart: levels, trendlines, Fibonacci, indicators, "
    "patterns, trade plans, another symbol or timeframe. Put your reading of the request in "
    "the structured fields (they are the plan; null or [] for what was not asked) and the "
    "user's words in `query`. Returns what was drawn and the values computed."
)


QUERY_FIELD = "The user's words, for the record; your reading goes in the other fields."


def tool_parameters() -> dict[str, Any]:
    """`ChartActionRequest`'s JSON schema without `session_id` (the server supplies it), made
    strict: every field required, so the model states its reading of each. Titles, the
    model's docstring and descriptions repeated inside `anyOf` are dropped: the schema goes
    with every deciding call, and each of its tokens is paid for."""
    schema = ChartActionRequest.model_json_schema()
    schema["properties"].pop("session_id", None)
    schema["properties"]["query"]["description"] = QUERY_FIELD
    for key in ("required", "description", "title"):
        schema.pop(key, None)
    return ensure_strict_json_schema(_compact(schema))


def _compact(node: Any, described: bool = False) -> Any:
    if isinstance(node, list):
        return [_compact(value) for value in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _compact(value, "description" in node) if key == "anyOf" else _compact(value)
        for key, value in node.items()
        if key != "title" and not (key == "description" and described)
    }


def describe(chart: ChartState | None) -> str:
    return f"{chart.symbol} on the {chart.timeframe.value} timeframe" if chart else "nothing yet"


def tool_result(response: ChartActionResponse) -> str:
    """What the model reads back: the sentence and the structured data, not command lines."""
    data = response.data.model_dump(mode="json", exclude_none=True)
    return json.dumps({"summary": response.summary, "data": data})


def trimmed(history: list[Any], budget: int) -> list[Any]:
    """The newest items that fit in `budget` tokens (the last one always)."""
    kept: list[Any] = []
    spent = 0
    for item in reversed(history):
        spent += estimated_tokens(item)
        if kept and spent > budget:
            break
        kept.append(item)
    return list(reversed(kept))


class ChartAgent:
    """Builds and streams the agent; one per process (its OpenAI client is reused)."""

    def __init__(self, settings: Settings, tool: ChartTool, gate: ModelGate | None = None):
        assert settings.openai_api_key is not None
        self._tool = tool
        self._settings = settings
        self.gate = gate or ModelGate(settings.openai_max_calls)
        self._model_settings = ModelSettings(
            max_tokens=settings.openai_max_output_tokens, store=settings.openai_store
        )
        self._client: openai.AsyncOpenAI | None = None
        quiet_sdk_errors()

    @property
    def client(self) -> openai.AsyncOpenAI:
        """One client for the process: no retries, no more connections than the gate lets
        calls run; OPENAI_BASE_URL (read by the client) points tests at a fake."""
        if self._client is None:
            self._client = openai.AsyncOpenAI(
                api_key=self._settings.openai_api_key.get_secret_value(),  # type: ignore[union-attr]
                timeout=self._settings.openai_timeout_seconds,
                max_retries=0,
                http_client=openai.DefaultAsyncHttpxClient(limits=connection_limits(self.gate)),
            )
        return self._client

    def turn(self, path: str) -> Turn:
        settings = self._settings
        return Turn.starting_now(
            path, settings.chatkit_turn_seconds, settings.openai_timeout_seconds
        )

    def _model(self, turn: Turn) -> MeteredModel:
        inner = OpenAIResponsesModel(model=self._settings.openai_model, openai_client=self.client)
        return MeteredModel(inner, self._settings.openai_model, turn)

    async def narrate(
        self,
        thread: ThreadMetadata,
        context: ChatRequestContext,
        store: Store[ChatRequestContext],
        response: ChartActionResponse,
        turn: Turn,
    ) -> AsyncIterator[ThreadStreamEvent]:
        """One model call that tells the user what the chart action did."""
        turn.record(response)
        place = Place(thread, context, store)
        async for event in self._narration(place, response, turn):
            yield event
        async for event in self._close(place, turn):
            yield event

    async def converse(
        self,
        thread: ThreadMetadata,
        context: ChatRequestContext,
        store: Store[ChatRequestContext],
        chart: ChartState | None,
        turn: Turn,
    ) -> AsyncIterator[ThreadStreamEvent]:
        """The agent decides, with `chart_control` at hand: it answers itself, or calls the
        tool once, which ends its run; a narration without the tool (and its schema) follows."""
        decider = Agent(
            name="chart assistant",
            instructions=CONVERSE_INSTRUCTIONS.format(chart=describe(chart)),
            model=self._model(turn),
            model_settings=replace(self._model_settings, parallel_tool_calls=False),
            tools=[chart_control_tool(context.session_id, self._tool, turn)],
            tool_use_behavior="stop_on_first_tool",
        )
        place = Place(thread, context, store)
        async for event in self._run(decider, place, turn):
            yield event
        if turn.answers and not turn.answered:
            async for event in self._narration(place, turn.answers[-1], turn):
                yield event
        async for event in self._close(place, turn):
            yield event

    def _narration(
        self, place: Place, response: ChartActionResponse, turn: Turn
    ) -> AsyncIterator[ThreadStreamEvent]:
        narrator = Agent(
            name="chart narrator",
            instructions=NARRATE_INSTRUCTIONS.format(chart=describe(response.data.chart_context)),
            model=self._model(turn),
            model_settings=self._model_settings,
        )
        note = {"role": "developer", "content": DONE_NOTE.format(result=tool_result(response))}
        return self._run(narrator, place, turn, extra=[note])

    async def _close(self, place: Place, turn: Turn) -> AsyncIterator[ThreadStreamEvent]:
        """Our sentence when the model wrote none; the turn's result kept for the next."""
        if not turn.answered:
            yield ThreadItemDoneEvent(item=place.message(turn.our_sentence()))
        if turn.answers:  # the sentence holds the numbers a follow-up may quote
            summary = RESULT_NOTE + turn.answers[-1].summary
            yield ThreadItemDoneEvent(item=place.hidden(summary))

    async def _history(self, place: Place, turn: Turn) -> list[Any]:
        """The recent thread as model input, trimmed by tokens; the facts of earlier turns'
        results (hidden items) join what this turn's model may quote."""
        store, thread, context = place.store, place.thread, place.context
        recent = await store.load_thread_items(thread.id, None, HISTORY_ITEMS, "desc", context)
        items = list(reversed(recent.data))
        for item in items:
            if isinstance(item, HiddenContextItem) and isinstance(item.content, str):
                turn.history = turn.history.merged(facts_in_text(item.content))
        history = await simple_to_agent_input(items)
        return trimmed(history, self._settings.chatkit_history_tokens)

    async def _run(
        self,
        agent: Agent[AgentContext[ChatRequestContext]],
        place: Place,
        turn: Turn,
        *,
        extra: list[Any] | None = None,
    ) -> AsyncIterator[ThreadStreamEvent]:
        """One SDK run, streamed under the turn's deadline; the model's messages are held
        back until complete and go out checked."""
        history = await self._history(place, turn)
        agent_context = AgentContext(
            thread=place.thread, store=place.store, request_context=place.context
        )
        result = Runner.run_streamed(
            agent,
            [*history, *(extra or [])],
            context=agent_context,
            max_turns=MAX_TURNS,
            run_config=RunConfig(tracing_disabled=True),
        )
        events = aiter(stream_agent_response(agent_context, result))
        try:
            while True:
                try:
                    async with asyncio.timeout(max(turn.left() + GRACE_SECONDS, 0.001)):
                        event = await anext(events)
                except StopAsyncIteration:
                    break
                except Exception as exc:
                    raise _readable(exc) from exc
                if isinstance(event, ThreadItemAddedEvent | ThreadItemUpdatedEvent) and (
                    _is_message(event)
                ):
                    continue  # held back until the message is complete and checked
                if isinstance(event, ThreadItemDoneEvent) and isinstance(
                    event.item, AssistantMessageItem
                ):
                    event = ThreadItemDoneEvent(item=_checked(event.item, turn))
                    turn.answered = True
                yield event
        finally:  # no task of the run outlives the turn (no "Task was destroyed" noise)
            result.cancel()
            await events.aclose()
            if result.run_loop_task is not None:
                await asyncio.gather(result.run_loop_task, return_exceptions=True)
            # chatkit's stream helper leaves its wait on the context's event queue pending
            # when the run fails; one event (never read) lets that wait end.
            await agent_context.stream(ProgressUpdateEvent(text=""))


@dataclass(frozen=True, slots=True)
class Place:
    """Where a turn is answered: its thread, its request, the store."""

    thread: ThreadMetadata
    context: ChatRequestContext
    store: Store[ChatRequestContext]

    def _id(self) -> str:
        return self.store.generate_item_id("message", self.thread, self.context)

    def message(self, text: str) -> AssistantMessageItem:
        return AssistantMessageItem(
            id=self._id(),
            thread_id=self.thread.id,
            created_at=datetime.now(),
            content=[AssistantMessageContent(text=text)],
        )

    def hidden(self, text: str) -> HiddenContextItem:
        """Kept in the thread for the model, never sent to the page."""
        return HiddenContextItem(
            id=self._id(), thread_id=self.thread.id, created_at=datetime.now(), content=text
        )


def _checked(item: AssistantMessageItem, turn: Turn) -> AssistantMessageItem:
    text = "".join(part.text for part in item.content)
    result = checked(text, turn.facts(), turn.our_sentence(), f"{turn.path} message")
    return item.model_copy(update={"content": [AssistantMessageContent(text=result.text)]})


def _is_message(event: ThreadItemAddedEvent | ThreadItemUpdatedEvent) -> bool:
    if isinstance(event, ThreadItemAddedEvent):
        return isinstance(event.item, AssistantMessageItem)
    return event.update.type.startswith("assistant_message.")


def _readable(exc: BaseException) -> CustomStreamError:
    """What the user reads when the turn fails (the WARNING line has the cause)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CustomStreamError):  # the tool's own readable failure
            return seen
        if isinstance(seen, ModelCallFailed):
            return CustomStreamError(
                _SAYS.get(seen.failure.outcome, _UNAVAILABLE), allow_retry=True
            )
        seen = seen.__cause__ or seen.__context__
    if isinstance(exc, TimeoutError):  # the turn's budget ran out outside a model call
        return CustomStreamError(_SAYS["timeout"], allow_retry=True)
    return CustomStreamError(_UNAVAILABLE, allow_retry=True)


_UNAVAILABLE = "The assistant is unavailable right now; try again."
_SAYS = {
    "timeout": "The assistant did not answer in time; try again.",
    "rate_limited": "The assistant is busy (rate limited); try again in a moment.",
}


def chart_control_tool(session_id: str, chart: ChartTool, turn: Turn) -> FunctionTool:
    """`chart_control` for this chart session: the chart action, in-process."""

    async def invoke(ctx: ToolContext[AgentContext[ChatRequestContext]], arguments: str) -> str:
        try:
            fields = json.loads(arguments or "{}")
            given = {k: v for k, v in fields.items() if v not in (None, [])}
            request = ChartActionRequest.model_validate({**given, "session_id": session_id})
        except (ValueError, TypeError) as exc:  # bad arguments: the model may try again
            names = (
                [".".join(map(str, e["loc"])) for e in exc.errors()]
                if isinstance(exc, ValidationError)
                else ["arguments"]
            )
            return f"chart_control: invalid {', '.join(names)}"
        response = await chart.answer(request)  # a failing dependency ends the turn
        if turn.record(response):
            await ctx.context.stream(chart_effect(response))
            return tool_result(response)
        return tool_result(response) + " (already drawn in this turn: answer the user now)"

    tool = FunctionTool(
        name="chart_control",
        description=TOOL_DESCRIPTION,
        params_json_schema=tool_parameters(),
        on_invoke_tool=invoke,
        strict_json_schema=True,
    )
    return set_function_tool_failure_error_function(tool, None)  # a raise ends the run
