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

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

from shared.infra.settings import INSTANCE_CONCURRENCY

T = TypeVar("T")

MAX_WORKERS = 2 * max(INSTANCE_CONCURRENCY.values())
# Threads are started on demand, so building the pool at import costs nothing.
_POOL = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="deadline")


class DeadlineExceeded(Exception):
    """The call did not finish within its deadline."""


def call_with_deadline(fn: Callable[[], T], seconds: float) -> T:
    """Return `fn()`, or raise `DeadlineExceeded` once `seconds` have passed."""
    future = _POOL.submit(fn)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        future.cancel()
        raise DeadlineExceeded(f"no answer within {seconds:g}s") from None
