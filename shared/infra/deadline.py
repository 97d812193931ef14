"""Run a blocking call with a hard wall-clock deadline.

Some client calls (Firestore's BeginTransaction/Commit) accept no per-call timeout and retry for
up to a minute on UNAVAILABLE. A request must still answer within its configured timeout, so
such calls run on a shared thread pool and the caller stops waiting at the deadline. The
abandoned call finishes (or fails) on its own; nothing is half-written because Firestore
commits are atomic.

The pool must never be what requests queue on: every server thread (THREADS, up to the largest
instance concurrency) may have a call in it, and a hung call keeps its worker until its own
client timeout, past the deadline its caller gave up at. Hence two workers per server thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from shared.infra.settings import INSTANCE_CONCURRENCY

T = TypeVar("T")

MAX_WORKERS = 2 * max(INSTANCE_CONCURRENCY.values())
# Threads are started on demand, so building the pool at import costs nothing.
_POOL = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="deadline")
_busy = 0  # calls submitted and not yet finished, abandoned ones included
_busy_lock = threading.Lock()


class DeadlineExceeded(Exception):
    """The call did not finish within its deadline."""


def call_with_deadline(fn: Callable[[], T], seconds: float) -> T:
    """Return `fn()`, or raise `DeadlineExceeded` once `seconds` have passed."""
    _count(1)
    future = _POOL.submit(fn)
    future.add_done_callback(lambda _: _count(-1))  # also when cancelled before it ran
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        future.cancel()
        raise DeadlineExceeded(f"no answer within {seconds:g}s") from None


def busy() -> int:
    """Calls in the pool now (running or queued), the abandoned ones included: a call that
    keeps retrying past its caller's deadline counts here until it ends. Zero when idle."""
    return _busy


def _count(change: int) -> None:
    global _busy  # noqa: PLW0603 - one process-wide counter beside the one process-wide pool
    with _busy_lock:
        _busy += change
