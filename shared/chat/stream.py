"""A turn's stream as the page sees it: an item is shown as done only once it is stored.

chatkit yields `thread.item.done` as soon as it has handed the item to the store, and in a
turn the thread store writes items behind the stream (`FirestoreThreadStore.save_item`), so
the chart effect need not wait for the user's message to be written. Here each done event
waits for its item's write (`ChatRequestContext.writes`) before it goes out, and the events
after it wait behind it, in order. Only the chart effect goes ahead of a held event: it is the
page's instruction, not a thread item, and it must not wait for Firestore.

When a write fails, the held event is never sent: the stream ends with an error event that
says what was not saved (the user's message: send it again; the answer: retry, which answers
the stored message again; a deleted thread: nothing more is saved).
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from chatkit.errors import CustomStreamError

from shared.chat.context import ChatRequestContext

# chatkit serialises an event with its `type` first (model field order, no spaces)
DONE = b'data: {"type":"thread.item.done"'
EFFECT = b'data: {"type":"client_effect"'
MESSAGE_NOT_SAVED = "Your message was not saved (the chat's store failed); please send it again."
ANSWER_NOT_SAVED = "The answer was not saved (the chat's store failed); retry to answer again."


@dataclass
class _Held:
    chunk: bytes
    write: asyncio.Task[None] | None
    item_type: str | None


@dataclass
class _Failed:
    error: BaseException


_END = object()


def _write_of(chunk: bytes, context: ChatRequestContext) -> tuple[asyncio.Task[None] | None, Any]:
    """The write that stores the item a done event shows, and the item's type."""
    if not chunk.startswith(DONE):
        return None, None
    item = json.loads(chunk[len(b"data: ") :])["item"]
    return context.writes.get(item["id"]), item.get("type")


def not_saved(item_type: str | None, failure: BaseException) -> CustomStreamError:
    """What the page is told when an item's write failed."""
    if isinstance(failure, CustomStreamError) and not failure.allow_retry:
        return failure  # it says it itself (the thread was deleted)
    if item_type == "user_message":
        return CustomStreamError(MESSAGE_NOT_SAVED, allow_retry=False)
    return CustomStreamError(ANSWER_NOT_SAVED, allow_retry=True)


async def shown_when_stored(
    source: AsyncIterator[bytes], context: ChatRequestContext
) -> AsyncIterator[bytes]:
    """`source`'s events, each done event held until its item is stored (see the module)."""
    chunks: asyncio.Queue[Any] = asyncio.Queue()
    pumping = asyncio.create_task(_pump(source, chunks))
    arriving: asyncio.Future[Any] = asyncio.ensure_future(chunks.get())
    held: deque[_Held] = deque()
    finished = False
    try:
        while True:
            for chunk in _released(held):
                yield chunk
            if finished and not held:
                return
            waits: set[asyncio.Future[Any]] = set() if finished else {arriving}
            if held and held[0].write is not None:
                waits.add(held[0].write)
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            if finished or not arriving.done():
                continue
            got = arriving.result()
            if got is _END:
                finished = True
                continue
            if isinstance(got, _Failed):
                raise got.error
            arriving = asyncio.ensure_future(chunks.get())
            write, item_type = _write_of(got, context)
            if (not held and write is None) or got.startswith(EFFECT):
                yield got  # in order, or the chart effect going ahead of held items
            else:
                held.append(_Held(got, write, item_type))
    finally:
        arriving.cancel()
        pumping.cancel()


async def _pump(source: AsyncIterator[bytes], chunks: asyncio.Queue[Any]) -> None:
    """One task drives chatkit's generator from start to end (its context managers enter and
    leave in one task), handing each event, its failure or its end to the queue."""
    try:
        async for chunk in source:
            chunks.put_nowait(chunk)
    except Exception as exc:
        chunks.put_nowait(_Failed(exc))
    else:
        chunks.put_nowait(_END)


def _released(held: deque[_Held]) -> list[bytes]:
    """The held events whose writes have landed, from the front; a failed write raises what
    the page is told instead."""
    ready = []
    while held and (held[0].write is None or held[0].write.done()):
        entry = held.popleft()
        if entry.write is not None and (failure := _failure(entry.write)) is not None:
            if ready:  # what landed before the failure still goes out first
                held.appendleft(entry)
                return ready
            raise not_saved(entry.item_type, failure)
        ready.append(entry.chunk)
    return ready


def _failure(write: asyncio.Task[None]) -> BaseException | None:
    if write.cancelled():
        return asyncio.CancelledError()
    return write.exception()
