"""Run a blocking call with a hard wall-clock deadline.

Some client calls (Firestore's BeginTransaction/Commit) accept no per-call timeout and retry for
up to a minute on UNAVAILABLE. A request must still answer within its configured timeout, so
such calls run on a small shared thread pool and the caller stops waiting at the deadline. The
abandoned call finishes (or fails) on its own; nothing is half-written because Firestore
commits are atomic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TypeVar

T = TypeVar("T")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


class DeadlineExceeded(Exception):
    """The call did not finish within its deadline."""


def _executor() -> ThreadPoolExecutor:
    global _pool  # noqa: PLW0603 - one lazily created pool per process
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="deadline")
        return _pool


def call_with_deadline(fn: Callable[[], T], seconds: float) -> T:
    """Return `fn()`, or raise `DeadlineExceeded` once `seconds` have passed."""
    future = _executor().submit(fn)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        future.cancel()
        raise DeadlineExceeded(f"no answer within {seconds:g}s") from None
