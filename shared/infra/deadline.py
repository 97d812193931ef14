"""Run a blocking call with a hard wall-clock deadline.

Some client calls (Firestore's BeginTransaction/Commit) accept no per-call timeout and retry for
up to a minute on UNAVAILABLE. A request must still answer within its configured timeout, so
such calls run on a small shared thread pool and the caller stops waiting at the deadline. The
abandoned call finishes (or fails) on its own; nothing is half-written because Firestore
commits are atomic.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

T = TypeVar("T")

# Threads are started on demand, so building the pool at import costs nothing.
_POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="deadline")


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
