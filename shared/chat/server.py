"""The ChatKit server: a user message in, the chart commands out as a client effect, an answer.

Per turn:
- **No OPENAI_API_KEY**: the chart action runs on the message, its commands go to the page as a
  `chart_commands` client effect, and its human sentence is the assistant message (no model).
- **With a key, message the rules planner maps** (the fast path): the chart action runs first and
  its effect is sent before the model starts; the agent then narrates from the result with no
  tool (one model call).
- **With a key, message the rules cannot map**: the agent decides; its `chart_control` tool runs
  the same chart action in-process and sends the effect when it returns (two model calls).

Failures of the store, market data or the model end the turn with a ChatKit error event whose
message says what failed; the stream always ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from typing import TYPE_CHECKING

from chatkit.server import ChatKitServer, NonStreamingResult, StreamingResult
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    ChatKitReq,
    ThreadItemDoneEvent,
    ThreadMetadata,
    ThreadStreamEvent,
    UserMessageInput,
    UserMessageItem,
    is_streaming_req,
)
from pydantic import TypeAdapter

from shared.chat.chart_tool import ChartTool, chart_effect
from shared.chat.context import ChatRequestContext
from shared.chat.spend import MODEL_UNAVAILABLE
from shared.chat.thread_store import FirestoreThreadStore
from shared.models.action import ChartActionRequest, ChartActionResponse

if TYPE_CHECKING:
    from shared.chat.agent import ChartAgent
    from shared.chat.spend import SpendCeiling

TITLE_CHARS = 60
# chatkit's own `process` builds a TypeAdapter over the whole request union on every call
# (5-7 ms, more than the chart action itself); one, built once, serves every request.
CHATKIT_REQUEST: TypeAdapter[ChatKitReq] = TypeAdapter(ChatKitReq)


def message_text(message: UserMessageItem | UserMessageInput) -> str:
    """The text the user typed (tags contribute their label)."""
    return " ".join(part.text for part in message.content).strip()


class ChartChatServer(ChatKitServer[ChatRequestContext]):
    """ChatKit over the Firestore thread store, answering with the chart action (`tool`: the
    process's one action core)."""

    def __init__(
        self,
        store: FirestoreThreadStore,
        tool: ChartTool,
        agent: ChartAgent | None = None,
        ceiling: SpendCeiling | None = None,
    ):
        super().__init__(store)
        self.tool = tool
        self.agent = agent
        self.ceiling = ceiling

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
        if self.agent is None:
            response = await self.chart_answer(text, context)
            yield chart_effect(response)
            yield ThreadItemDoneEvent(item=self.assistant_message(thread, context, response))
        elif not await self.model_allowed(context):  # the spend ceiling: the rules answer
            response = await self.chart_answer(text, context, model=False)
            yield chart_effect(response)
            note = f"{response.summary} {MODEL_UNAVAILABLE}"
            yield ThreadItemDoneEvent(item=self.assistant_message(thread, context, response, note))
        elif self.tool.understood(text, context.session_id):
            response = await self.chart_answer(text, context)
            yield chart_effect(response)
            async for event in self.agent.narrate(thread, context, self.store, response):
                yield event
        else:
            chart = await self.tool.chart(context.session_id)
            async for event in self.agent.converse(thread, context, self.store, chart):
                yield event
        thread.title = thread.title or text[:TITLE_CHARS]  # saved by chatkit after the turn

    async def process(
        self, request: str | bytes | bytearray | ChatKitReq, context: ChatRequestContext
    ) -> StreamingResult | NonStreamingResult:
        """chatkit's dispatch, with the request adapter built once (see CHATKIT_REQUEST); a
        request the endpoint has already validated is not validated again."""
        parsed = (
            CHATKIT_REQUEST.validate_json(request)
            if isinstance(request, str | bytes | bytearray)
            else request
        )
        if is_streaming_req(parsed):
            return StreamingResult(self._process_streaming(parsed, context))
        return NonStreamingResult(await self._process_non_streaming(parsed, context))

    def begin_turn(self, text: str, context: ChatRequestContext) -> None:
        """Start the turn's chart action now, while chatkit stores the thread and the message,
        when the answer will be the chart action's (no key, or the rules map the message)."""
        if self.agent is not None and not self.tool.understood(text, context.session_id):
            return  # the agent decides what to ask the tool
        request = ChartActionRequest(query=text, session_id=context.session_id)
        task = asyncio.create_task(self.tool.answer(request))
        task.add_done_callback(lambda done: done.cancelled() or done.exception())  # retrieved
        context.early_action = (text, task)

    async def model_allowed(self, context: ChatRequestContext) -> bool:
        """The one place a turn asks the spend ceiling (`shared.chat.spend`) for the model."""
        return self.ceiling is None or await self.ceiling.admit(context.spender)

    async def chart_answer(
        self, text: str, context: ChatRequestContext, *, model: bool = True
    ) -> ChartActionResponse:
        """The chart action for the message: the one begun early (the rules understood it, so
        no model), or run now (`model=False`: never the OpenAI fallback planner)."""
        early, context.early_action = context.early_action, None
        if early is not None and early[0] == text:
            return await early[1]
        request = ChartActionRequest(query=text, session_id=context.session_id)
        return await self.tool.answer(request, model=model)

    def assistant_message(
        self,
        thread: ThreadMetadata,
        context: ChatRequestContext,
        response: ChartActionResponse,
        text: str | None = None,
    ) -> AssistantMessageItem:
        """The rules answer as the assistant's message: the sentence, not the command lines."""
        return AssistantMessageItem(
            id=self.store.generate_item_id("message", thread, context),
            thread_id=thread.id,
            created_at=datetime.now(),
            content=[AssistantMessageContent(text=text or response.summary)],
        )
