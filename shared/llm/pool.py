"""The model's own budget on an instance, apart from the store's and from other turns'.

A hung or slow model must never hold what the rest of the instance needs: the thread pools
the store calls run on (asyncio's default executor, `shared.infra.deadline`), their
connections, or the turns of other sessions. So:

- `ModelGate` bounds the model calls in flight on the instance (OPENAI_MAX_CALLS). A caller
  that finds it full does not wait: it answers without the model (the rules, and a sentence
  that the assistant is busy).
- `ModelLane` runs the synchronous callers' model calls (the planner, called from a request
  thread) as coroutines on an event loop of their own, on one thread: a call holds no thread
  while it waits, and a call past its deadline is cancelled, which closes its connection, so a
  trickling server cannot keep it (or its gate slot) alive.
- Each client gets an HTTP connection pool sized to the gate (`connection_limits`).

The chat agent runs on the ASGI server's event loop already; it takes the same kind of gate
and holds no thread either.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

T = TypeVar("T")


class ModelGate:
    """At most `capacity` model calls at once; `enter` never waits."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._in_flight = 0
        self._lock = threading.Lock()

    def enter(self) -> bool:
        """Take a slot if one is free."""
        with self._lock:
            if self._in_flight >= self.capacity:
                return False
            self._in_flight += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    @property
    def in_flight(self) -> int:
        return self._in_flight


class LaneTimeout(Exception):
    """The call did not finish within its deadline (it has been cancelled)."""


class ModelLane:
    """An event loop on a daemon thread of its own, started on first use."""

    def __init__(self, name: str = "model-lane"):
        self._name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name=self._name, daemon=True).start()
                self._loop = loop
            return self._loop

    def run(
        self,
        make: Callable[[], Coroutine[Any, Any, T]],
        seconds: float,
        done: Callable[[], None] | None = None,
    ) -> T:
        """`await make()` on the lane; past `seconds` it is cancelled and `LaneTimeout` raised.
        `done` runs once the call has ended, however it ended (a gate's `leave`)."""
        future = asyncio.run_coroutine_threadsafe(make(), self._running_loop())
        if done is not None:
            future.add_done_callback(lambda _: done())
        try:
            return future.result(timeout=seconds)
        except FutureTimeout:
            future.cancel()
            raise LaneTimeout(f"no answer within {seconds:g}s") from None


def connection_limits(gate: ModelGate) -> Any:
    """httpx limits for a model client: no more connections than calls the gate lets run."""
    import httpx  # noqa: PLC0415 - only where a model client is made

    return httpx.Limits(max_connections=gate.capacity, max_keepalive_connections=gate.capacity)
