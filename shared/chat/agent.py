"""The Agents SDK agent behind the chat (only with OPENAI_API_KEY), streamed by chatkit.

- `narrate`: the fast path. The chart action already ran and its effect went out; the agent is
  given the result and no tool, so the turn costs one model call.
- `converse`: a message the rules planner cannot map. The agent has `chart_control`, an
  in-process function tool whose input schema is derived from `ChartActionRequest` (without
  `session_id`: the server knows the chart session); each call runs the same chart action and
  sends its `chart_commands` effect when it returns.

The model client has OPENAI_TIMEOUT_SECONDS per call and no retries, the whole turn a budget of
CHATKIT_TURN_SECONDS (tool and model calls together, well inside the function's timeout), and
tracing is off (no export to OpenAI). A timeout, 429, 5xx or a failing tool ends the turn with a
readable ChatKit error event; on the fast path the chart effect has already been sent by then.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from functools import cached_property
from typing import Any

import openai
from agents import Agent, AgentsException, FunctionTool, RunConfig, Runner
from agents.models.openai_responses import OpenAIResponsesModel
from agents.tool import set_function_tool_failure_error_function
from agents.tool_context import ToolContext
from chatkit.agents import AgentContext, simple_to_agent_input, stream_agent_response
from chatkit.errors import CustomStreamError
from chatkit.store import Store
from chatkit.types import ThreadMetadata, ThreadStreamEvent
from pydantic import ValidationError

from shared.chat.chart_tool import ChartTool, chart_effect
from shared.chat.context import ChatRequestContext
from shared.infra.settings import Settings
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.context import ChartState

HISTORY_ITEMS = 20  # recent thread items the model sees
MAX_TURNS = 3  # tool call, answer, and one spare
INSTRUCTIONS = (
    "You are the assistant beside a TradingView chart in a trading app. The chart shows {chart}. "
    "To draw on it or analyse it (support and resistance, trendlines, Fibonacci, indicators, "
    "patterns, trade plans, another symbol or timeframe), call `chart_control` with the user's "
    "request as `query` and what you understood in its structured fields (symbol, timeframe, "
    "tools, indicators, clear, trade_direction); the backend computes every price and the "
    "page draws the result itself. Never invent prices: quote only numbers the tool returned. "
    "Answer in one or two short sentences and never write command lines such as SUPPORT:238.40."
)
DONE_NOTE = (
    "The chart action for the user's last message already ran and the page has drawn it. Its "
    "result: {result}. Tell the user what the chart shows now, from this result only; do not "
    "call tools."
)


def tool_parameters() -> dict[str, Any]:
    """`ChartActionRequest`'s JSON schema without `session_id` (the server supplies it)."""
    schema = ChartActionRequest.model_json_schema()
    schema["properties"].pop("session_id", None)
    if "required" in schema:
        schema["required"] = [name for name in schema["required"] if name != "session_id"]
    return schema


def describe(chart: ChartState | None) -> str:
    return f"{chart.symbol} on the {chart.timeframe.value} timeframe" if chart else "nothing yet"


def tool_result(response: ChartActionResponse) -> str:
    """What the model reads back: the sentence and the structured data, not command lines."""
    data = response.data.model_dump(mode="json", exclude_none=True)
    return json.dumps({"summary": response.summary, "data": data})


class ChartAgent:
    """Builds and streams the agent; one per process (its OpenAI client is reused)."""

    def __init__(self, settings: Settings, tool: ChartTool):
        assert settings.openai_api_key is not None
        self._tool = tool
        self._key = settings.openai_api_key.get_secret_value()
        self._model_name = settings.openai_model
        self._timeout = settings.openai_timeout_seconds
        self._budget = settings.chatkit_turn_seconds  # the turn ends itself before the platform

    @cached_property
    def model(self) -> OpenAIResponsesModel:
        """Responses API model; OPENAI_BASE_URL (read by the client) points tests at a fake."""
        client = openai.AsyncOpenAI(api_key=self._key, timeout=self._timeout, max_retries=0)
        return OpenAIResponsesModel(model=self._model_name, openai_client=client)

    async def narrate(
        self,
        thread: ThreadMetadata,
        context: ChatRequestContext,
        store: Store[ChatRequestContext],
        response: ChartActionResponse,
    ) -> AsyncIterator[ThreadStreamEvent]:
        """One model call that tells the user what the chart action did."""
        agent = Agent(
            name="chart narrator",
            instructions=INSTRUCTIONS.format(chart=describe(response.data.chart_context)),
            model=self.model,
        )
        note = {"role": "developer", "content": DONE_NOTE.format(result=tool_result(response))}
        async for event in self._run(agent, thread, context, store, extra=[note]):
            yield event

    async def converse(
        self,
        thread: ThreadMetadata,
        context: ChatRequestContext,
        store: Store[ChatRequestContext],
        chart: ChartState | None,
    ) -> AsyncIterator[ThreadStreamEvent]:
        """The agent decides, with `chart_control` at hand."""
        agent = Agent(
            name="chart assistant",
            instructions=INSTRUCTIONS.format(chart=describe(chart)),
            model=self.model,
            tools=[chart_control_tool(context.session_id, self._tool)],
        )
        async for event in self._run(agent, thread, context, store):
            yield event

    async def _run(
        self,
        agent: Agent[AgentContext[ChatRequestContext]],
        thread: ThreadMetadata,
        context: ChatRequestContext,
        store: Store[ChatRequestContext],
        extra: list[Any] | None = None,
    ) -> AsyncIterator[ThreadStreamEvent]:
        recent = await store.load_thread_items(thread.id, None, HISTORY_ITEMS, "desc", context)
        history = await simple_to_agent_input(list(reversed(recent.data)))
        agent_context = AgentContext(thread=thread, store=store, request_context=context)
        result = Runner.run_streamed(
            agent,
            [*history, *(extra or [])],
            context=agent_context,
            max_turns=MAX_TURNS,
            run_config=RunConfig(tracing_disabled=True),
        )
        events = aiter(stream_agent_response(agent_context, result))
        deadline = asyncio.get_running_loop().time() + self._budget
        while True:
            try:
                left = deadline - asyncio.get_running_loop().time()
                event = await asyncio.wait_for(anext(events), max(left, 0.001))
            except StopAsyncIteration:
                return
            except CustomStreamError:
                raise
            except (TimeoutError, openai.APITimeoutError) as exc:
                result.cancel()
                raise CustomStreamError(
                    "The assistant did not answer in time; try again.", allow_retry=True
                ) from exc
            except openai.RateLimitError as exc:
                raise CustomStreamError(
                    "The assistant is busy (rate limited); try again in a moment.",
                    allow_retry=True,
                ) from exc
            except (openai.OpenAIError, AgentsException) as exc:
                if readable := _stream_error_in(exc):  # the tool's own, readable failure
                    raise readable from exc
                raise CustomStreamError(
                    "The assistant is unavailable right now; try again.", allow_retry=True
                ) from exc
            yield event


def _stream_error_in(exc: BaseException) -> CustomStreamError | None:
    """The tool's readable failure that the Agents SDK wrapped, if any."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, CustomStreamError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def chart_control_tool(session_id: str, chart: ChartTool) -> FunctionTool:
    """`chart_control` for this chart session: the chart action, in-process."""

    async def invoke(ctx: ToolContext[AgentContext[ChatRequestContext]], arguments: str) -> str:
        try:
            fields = json.loads(arguments or "{}")
            request = ChartActionRequest.model_validate({**fields, "session_id": session_id})
        except (ValueError, TypeError) as exc:  # bad arguments: the model may try again
            names = (
                [".".join(map(str, e["loc"])) for e in exc.errors()]
                if isinstance(exc, ValidationError)
                else ["arguments"]
            )
            return f"chart_control: invalid {', '.join(names)}"
        response = await chart.answer(request)  # a failing dependency ends the turn
        await ctx.context.stream(chart_effect(response))
        return tool_result(response)

    tool = FunctionTool(
        name="chart_control",
        description=(
            "Draw on or analyse the user's chart: levels, trendlines, Fibonacci, indicators, "
            "patterns, trade plans, another symbol or timeframe. Returns what was drawn."
        ),
        params_json_schema=tool_parameters(),
        on_invoke_tool=invoke,
        strict_json_schema=False,
    )
    return set_function_tool_failure_error_function(tool, None)  # a raise ends the run
