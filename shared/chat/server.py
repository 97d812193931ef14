"""The ChatKit server: a user message in, the chart commands out as a client effect, an answer.

Per turn:
- **No OPENAI_API_KEY**: the chart action runs on the message, its commands go to the page as a
  `chart_commands` client effect, and its human sentence is the assistant message (no model).
- **With a key, message the rules planner maps** (the fast path): the chart action runs first and
  its effect is sent before the model starts (no model is asked before it, not even the OpenAI
  planner); the agent then narrates from the result with no tool (one model call).
- **With a key, message the rules cannot handle alone** (nothing mapped, or a name they cannot
  place): the agent decides; its `chart_control` tool runs the same chart action in-process and
  sends the effect when it returns (at most two model calls).
- **With a key, all OPENAI_MAX_CALLS model slots of the instance taken**: the rules answer, with
  a sentence that the assistant is busy (no model call, no waiting).

The thread's title is set before anything can fail. Failures of the store, market data or the
model end the turn with a ChatKit error event whose message says what failed; the stream
always ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from chatkit.errors import CustomStreamError
from chatkit.server import ChatKitServer, NonStreamingResult, StreamingResult
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    ChatKitReq,
    ClientEffectEvent,
    ThreadItemDoneEvent,
    ThreadMetadata,
    ThreadStreamEvent,
    UserMessageInput,
    UserMessageItem,
    is_streaming_req,
)
from pydantic import TypeAdapter

from shared.chat.chart_tool import (
    EFFECT_NAME,
    chart_context,
    effect_data,
    human_sentence,
    run_chart_action,
)
from shared.chat.context import ChatRequestContext
from shared.chat.thread_store import FirestoreThreadStore
from shared.market_data.base import MarketDataError
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.store.firestore import StoreError

if TYPE_CHECKING:
    from shared.chat.agent import ChartAgent

TITLE_CHARS = 60
BUSY = "The assistant is busy right now, so this is the chart's own answer; try again shortly."
T = TypeVar("T")
# chatkit's own `process` builds a TypeAdapter over the whole request union on every call
# (5-7 ms, more than the chart action itself); one, built once, serves every request.
CHATKIT_REQUEST: TypeAdapter[ChatKitReq] = TypeAdapter(ChatKitReq)


def message_text(message: UserMessageItem | UserMessageInput) -> str:
    """The text the user typed (tags contribute their label)."""
    return " ".join(part.text for part in message.content).strip()


def chart_effect(response: ChartActionResponse) -> ClientEffectEvent:
    """The page's instruction: execute these commands."""
    return ClientEffectEvent(name=EFFECT_NAME, data=effect_data(response))


async def chart_action(request: ChartActionRequest) -> ChartActionResponse:
    """The chart action on a worker thread; a dependency failure becomes a readable error."""
    return await readable(run_chart_action, request)


async def readable(fn: Callable[[Any], T], argument: Any) -> T:
    """`fn(argument)` on a worker thread; store and market-data failures say what failed."""
    try:
        return await asyncio.to_thread(fn, argument)
    except StoreError as exc:
        message = f"Could not read the chart's context: {exc}."
        raise CustomStreamError(message, allow_retry=True) from exc
    except MarketDataError as exc:
        raise CustomStreamError(f"Could not get market data: {exc}.", allow_retry=True) from exc


def rules_map(query: str) -> bool:
    """Whether the rules planner understands the message by itself (the fast path): it
    recognised something and left no name unplaced (the model may know "rheinmetall")."""
    from shared.planner.rules import parse_query  # noqa: PLC0415 - loaded with the action core

    intent = parse_query(query)
    return intent.recognised and not (intent.unknown_symbols or intent.loose_words)


class ChartChatServer(ChatKitServer[ChatRequestContext]):
    """ChatKit over the Firestore thread store, answering with the chart action."""

    def __init__(self, store: FirestoreThreadStore, agent: ChartAgent | None = None):
        super().__init__(store)
        self.agent = agent

    @property
    def threads(self) -> FirestoreThreadStore:
        """The store, typed as ours (the endpoint flushes the writes it runs behind a stream)."""
        assert isinstance(self.store, FirestoreThreadStore)
        return self.store

    async def respond(
        self,
        thread: ThreadMetadata,
        input_user_message: UserMessageItem | None,
        context: ChatRequestContext,
    ) -> AsyncIterator[ThreadStreamEvent]:
        if input_user_message is None:  # only client tools answer without a message: none here
            return
        text = message_text(input_user_message)
        thread.title = thread.title or text[:TITLE_CHARS]  # saved by chatkit, failed turn too
        agent = self.agent
        if agent is None or not agent.gate.enter():
            response = await self.chart_answer(text, context)
            yield chart_effect(response)
            busy = "" if agent is None else BUSY
            yield ThreadItemDoneEvent(item=self.assistant_message(thread, context, response, busy))
            return
        try:
            if rules_map(text):
                turn = agent.turn("narrate")
                response = await self.chart_answer(text, context)
                yield chart_effect(response)
                async for event in agent.narrate(thread, context, self.store, response, turn):
                    yield event
            else:
                turn = agent.turn("converse")
                chart = await readable(chart_context, context.session_id)
                async for event in agent.converse(thread, context, self.store, chart, turn):
                    yield event
        finally:
            agent.gate.leave()

    async def process(
        self, request: str | bytes | bytearray, context: ChatRequestContext
    ) -> StreamingResult | NonStreamingResult:
        """chatkit's dispatch, with the request adapter built once (see CHATKIT_REQUEST)."""
        parsed = CHATKIT_REQUEST.validate_json(request)
        if is_streaming_req(parsed):
            return StreamingResult(self._process_streaming(parsed, context))
        return NonStreamingResult(await self._process_non_streaming(parsed, context))

    def begin_turn(self, text: str, context: ChatRequestContext) -> None:
        """Start the turn's chart action now, while chatkit stores the thread and the message,
        when the answer will be the chart action's (no key, or the rules map the message)."""
        if self.agent is not None and not rules_map(text):
            return  # the agent decides what to ask the tool
        request = ChartActionRequest(query=text, session_id=context.session_id)
        task = asyncio.create_task(chart_action(request))
        task.add_done_callback(lambda done: done.cancelled() or done.exception())  # retrieved
        context.early_action = (text, task)

    async def chart_answer(self, text: str, context: ChatRequestContext) -> ChartActionResponse:
        """The chart action for the message: the one begun early, or run now."""
        early, context.early_action = context.early_action, None
        if early is not None and early[0] == text:
            return await early[1]
        return await chart_action(ChartActionRequest(query=text, session_id=context.session_id))

    def assistant_message(
        self,
        thread: ThreadMetadata,
        context: ChatRequestContext,
        response: ChartActionResponse,
        after: str = "",
    ) -> AssistantMessageItem:
        """The rules answer as the assistant's message: the sentence, not the command lines
        (and `after` it, why no model answered)."""
        text = " ".join(part for part in (human_sentence(response), after) if part)
        return AssistantMessageItem(
            id=self.store.generate_item_id("message", thread, context),
            thread_id=thread.id,
            created_at=datetime.now(),
            content=[AssistantMessageContent(text=text)],
        )
