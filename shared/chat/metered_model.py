"""The Agents SDK model, metered: each call under its turn's deadline, logged once.

`MeteredModel` wraps the SDK's `OpenAIResponsesModel` for one turn. Every call gets the
deadline `Turn.next_call` gives it, over each wait for the next stream event, so a server
that trickles its stream is cut at the deadline like a silent one; each call ends in one line of
`shared.llm.calls` (tokens and latency when it succeeded, one WARNING with its cause when it
failed), and a failure is raised as `ModelCallFailed`, which says what to tell the user.
The SDK's own ERROR line for the same failure is dropped (`quiet_sdk_errors`): one line a
failure.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from agents.models.interface import Model

from shared.chat.turn import Turn
from shared.llm.calls import Failure, failure_of, log_call

SDK_FAILURE_LINES = ("Error streaming response", "Error getting response")


class ModelCallFailed(Exception):
    """A model call of the turn failed; `failure` says how."""

    def __init__(self, failure: Failure):
        super().__init__(failure.outcome)
        self.failure = failure


class _DropSdkFailureLines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(SDK_FAILURE_LINES)


def quiet_sdk_errors() -> None:
    """Drop the SDK's ERROR line for a failed call: ours says the same with its cause."""
    sdk = logging.getLogger("openai.agents")
    if not any(isinstance(f, _DropSdkFailureLines) for f in sdk.filters):
        sdk.addFilter(_DropSdkFailureLines())


class MeteredModel(Model):
    """`inner` (the Responses model) with the turn's deadlines and the call log."""

    def __init__(self, inner: Model, model_name: str, turn: Turn):
        self._inner = inner
        self._name = model_name
        self._turn = turn

    async def get_response(self, *args: Any, **kwargs: Any) -> Any:
        call, ends = self._turn.next_call()
        started = time.perf_counter()
        try:
            async with asyncio.timeout_at(ends):
                response = await self._inner.get_response(*args, **kwargs)
        except Exception as exc:
            raise self._failed(call, started, exc) from exc
        log_call(self._name, call, time.perf_counter() - started, response.usage)
        return response

    async def stream_response(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:  # type: ignore[override]
        call, ends = self._turn.next_call()
        started = time.perf_counter()
        events = aiter(self._inner.stream_response(*args, **kwargs))
        usage = None
        try:
            while True:
                try:  # the deadline spans this await only, never a yield (same task, context)
                    async with asyncio.timeout_at(ends):
                        event = await anext(events)
                except StopAsyncIteration:
                    break
                except Exception as exc:
                    raise self._failed(call, started, exc) from exc
                except asyncio.CancelledError:  # the turn's own deadline, or the client left
                    self._failed(call, started, TimeoutError())
                    raise
                if getattr(event, "type", None) == "response.completed":
                    usage = event.response.usage
                yield event
        finally:
            await events.aclose()
        log_call(self._name, call, time.perf_counter() - started, usage)

    def _failed(self, call: str, started: float, exc: BaseException) -> ModelCallFailed:
        failure = failure_of(exc)
        log_call(self._name, call, time.perf_counter() - started, failure=failure)
        return ModelCallFailed(failure)
