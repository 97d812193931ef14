"""A circuit breaker for one Firestore: when it is down, fail in microseconds, not the timeout.

Without it every request during an outage waits the whole STORE_TIMEOUT_SECONDS (retrying a
refused connection), each holds a server thread meanwhile, and at 40 concurrent clients the
queue behind them turned a 3 s timeout into 14-28 s answers (issue 17, row 5). With it:

    closed    -- calls go through; `failure_threshold` outages in a row open it
    open      -- every call is refused at once (`CircuitOpen`, a 503 with Retry-After) until
                 `cool_off` seconds have passed
    half-open -- exactly one call (the probe) goes through, the others are still refused;
                 the probe's success closes the breaker, its outage opens it for another
                 cool-off; a cancelled probe gives no verdict (`release`: still open, the next
                 call probes); a probe that never reports (a lost probe must not wedge the
                 breaker) is replaced after `probe_lease`

Only outages count (unavailable, deadline, connection): a store that answers with a client
error (a conflict, an invalid document name) is alive, so such an answer closes the breaker
like a success. Otherwise a client sending reserved ids could switch the store off for all.

One breaker per process per Firestore (`shared.app.runtime`), shared by every request thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

from shared.store.firestore import StoreUnavailable

State = Literal["closed", "open", "half_open"]


class CircuitOpen(StoreUnavailable):
    """Refused without calling the store: it failed just now (503 with Retry-After)."""


class CircuitBreaker:
    """Thread-safe closed / open / half-open breaker (see the module docstring)."""

    def __init__(
        self,
        failure_threshold: int = 3,
        cool_off: float = 0.5,
        probe_lease: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.failure_threshold = failure_threshold
        self.cool_off = cool_off
        self.probe_lease = probe_lease
        self._clock = clock
        self._lock = threading.Lock()
        self._state: State = "closed"
        self._failures = 0
        self._opened_at = 0.0

    @property
    def state(self) -> State:
        """The current state (an open breaker past its cool-off still says open until probed)."""
        return self._state

    def admit(self) -> bool:
        """Let a call through, or raise `CircuitOpen`; the caller must then `record` once (or,
        cancelled, `release` if it is the probe). True when this call is the half-open probe."""
        with self._lock:
            if self._state == "closed":
                return False
            now = self._clock()
            waited = now - self._opened_at
            if (self._state == "open" and waited >= self.cool_off) or (
                self._state == "half_open" and waited >= self.probe_lease
            ):
                self._state, self._opened_at = "half_open", now  # this caller is the probe
                return True
        raise CircuitOpen("the session store is unavailable (failing fast while it recovers)")

    def record(self, *, outage: bool) -> None:
        """The admitted call's outcome: `outage` True when the store was unreachable or silent."""
        with self._lock:
            if not outage:
                self._state, self._failures = "closed", 0
                return
            self._failures += 1
            if self._state == "half_open" or self._failures >= self.failure_threshold:
                self._state, self._opened_at = "open", self._clock()

    def release(self) -> None:
        """The probe ended without a verdict (cancelled): the breaker stays open and the next
        call probes at once, as if the cool-off had just run out."""
        with self._lock:
            if self._state == "half_open":
                self._state, self._opened_at = "open", self._clock() - self.cool_off
