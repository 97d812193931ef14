"""The ChatKit server: a user message in, the chart commands out as a client effect, an answer.

Per turn:
- **No OPENAI_API_KEY**: the chart action runs on the message, its commands go to the page as a
  `chart_commands` client effect, and its human sentence is the assistant message (no model).
- **With a key, message the core understands** (the fast path: `shared.core.plan`'s
  `understood`, the same the chart action asks before its own fallback, on the same plan): the
  chart action runs first and its effect is sent before the model starts (no model is asked
  before it: the chat's chart tool never asks the OpenAI planner); the agent then narrates from the
  result with no tool (one model call).
- **With a key, message the core does not understand** (nothing understood, or a name it
  cannot place): the agent decides; its `chart_control` tool runs the same chart action
  in-process and sends the effect when it returns (at most two model calls).
- **With a key, all OPENAI_MAX_CALLS model slots of the instance taken**: the rules answer, with
  a sentence that the assistant is busy (no model call, no waiting).
- **With a key, past the spend ceiling** (per user or client address, per instance, the daily
  budget: `shared.llm.spend`): the rules answer, with a sentence that the model is unavailable.

The thread's title is set before anything can fail. Failures of the store, market data or the
model end the turn with a ChatKit error event whose message says what failed; the stream
always ends.
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
from shared.chat.thread_store import FirestoreThreadStore
from shared.llm.spend import MODEL_UNAVAILABLE
from shared.models.action import ChartActionResponse

if TYPE_CHECKING:
    from shared.chat.agent import ChartAgent
    from shared.core.plan import Plan
    from shared.llm.spend import SpendCeiling

TITLE_CHARS = 60
BUSY = "The assistant is busy right now, so this is the chart's own answer; try again shortly."
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
        thread.title = thread.title or text[:TITLE_CHARS]  # saved by chatkit, failed turn too
        agent = self.agent
        without_model = "" if agent is None else await self.without_model(agent, context)
        if agent is None or without_model:
            response = await self.chart_answer(text, context)
            yield chart_effect(response)
            item = self.assistant_message(thread, context, response, without_model)
            yield ThreadItemDoneEvent(item=item)
            return
        try:
            if self.plan_of(text, context).understood:
                turn = agent.turn("narrate")
                response = await self.chart_answer(text, context)
                yield chart_effect(response)
                async for event in agent.narrate(thread, context, self.store, response, turn):
                    yield event
            else:
                turn = agent.turn("converse")
                chart = await self.tool.chart(context.session_id)
                async for event in agent.converse(thread, context, self.store, chart, turn):
                    yield event
        finally:
            agent.gate.leave()

    async def without_model(self, agent: ChartAgent, context: ChatRequestContext) -> str:
        """Why this turn gets no model call ("" when it does, and then it holds a model slot):
        every slot taken, or the spend ceiling (`shared.llm.spend`, asked here and nowhere
        else) says no; the slot is taken first, so a refused turn spends no budget."""
        if not agent.admit():  # every slot taken: logged as busy
            return BUSY
        if self.ceiling is not None and not await self.ceiling.admit(context.spender):
            agent.gate.leave()
            return MODEL_UNAVAILABLE
        return ""

    async def add_feedback(  # type: ignore[override]  # chatkit's FeedbackKind is a str
        self, thread_id: str, item_ids: list[str], feedback: str, context: ChatRequestContext
    ) -> None:
        """Record the page's thumbs up or down on the items (owned like them: 404 otherwise)."""
        await self.threads.save_feedback(thread_id, item_ids, feedback, context)

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

    def plan_of(self, text: str, context: ChatRequestContext) -> Plan:
        """The message's plan, made once per turn (`begin_turn` makes it first)."""
        if context.turn_plan is None or context.turn_plan.request.query != text:
            context.turn_plan = self.tool.plan(text, context.session_id)
        return context.turn_plan

    def begin_turn(self, text: str, context: ChatRequestContext) -> None:
        """Start the turn's chart action now, while chatkit stores the thread and the message,
        when the answer will be the chart action's (no key, or the core understands it)."""
        plan = self.plan_of(text, context)
        if self.agent is not None and not plan.understood:
            return  # the agent decides what to ask the tool
        task = asyncio.create_task(self.tool.answer(plan.request, plan, context.chart_thread))
        task.add_done_callback(lambda done: done.cancelled() or done.exception())  # retrieved
        context.early_action = (text, task)

    async def chart_answer(self, text: str, context: ChatRequestContext) -> ChartActionResponse:
        """The chart action for the message, on its plan: the one begun early, or run now."""
        early, context.early_action = context.early_action, None
        if early is not None and early[0] == text:
            return await early[1]
        plan = self.plan_of(text, context)
        return await self.tool.answer(plan.request, plan, context.chart_thread)

    def assistant_message(
        self,
        thread: ThreadMetadata,
        context: ChatRequestContext,
        response: ChartActionResponse,
        after: str = "",
    ) -> AssistantMessageItem:
        """The rules answer as the assistant's message: the sentence, not the command lines
        (and `after` it, why no model answered)."""
        text = " ".join(part for part in (response.summary, after) if part)
        return AssistantMessageItem(
            id=self.store.generate_item_id("message", thread, context),
            thread_id=thread.id,
            created_at=datetime.now(),
            content=[AssistantMessageContent(text=text)],
        )
