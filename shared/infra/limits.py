"""Sliding-window turn counters, kept in the instance's memory.

The chat gives each chart session CHATKIT_TURNS_PER_MINUTE turns per sliding minute, and the
spend ceiling (`shared.llm.spend`) counts model turns per spender and per instance. The windows
live in memory: no Firestore round trip per turn. A bound therefore holds per instance; with
the function's max instances N a key gets at most N times the limit, and a burst from one page
lands on one instance most of the time anyway.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

WINDOW_SECONDS = 60.0
MAX_TRACKED_SESSIONS = 10_000  # least recently seen sessions are forgotten first


class TurnLimiter:
    """Sliding-window counter per key; thread-safe and bounded in memory."""

    def __init__(self, turns_per_window: int, window: float = WINDOW_SECONDS):
        self._limit = turns_per_window
        self._window = window
        self._turns: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count a turn for `key` and say whether it is within the limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            turns = self._turns.pop(key, None) or deque()
            while turns and turns[0] <= now - self._window:
                turns.popleft()
            allowed = len(turns) < self._limit
            if allowed:
                turns.append(now)
            self._turns[key] = turns  # most recently seen last
            while len(self._turns) > MAX_TRACKED_SESSIONS:
                self._turns.popitem(last=False)
            return allowed
