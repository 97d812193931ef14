"""Bars cache in front of a vendor: per-process memory, then Firestore, then one vendor call.

A Firestore document per (provider, symbol, timeframe) in BARS_CACHE_COLLECTION holds the bars
as parallel arrays, `fetched_at`, and an `expires_at` that the TTL policy deletes. Bars are fresh
for a window that scales with the timeframe (a quarter of a bar, between 15 s and 1 h). When
they are stale, one instance takes a short lease on the document with a conditional write and
calls the vendor; the others serve the stale bars meanwhile (or wait briefly when there are
none), so all instances together make at most one vendor call per window.

The cache is an optimisation: every Firestore call here runs under `guarded` with the process's
circuit breaker, and a store failure (or an open breaker, which costs nothing) falls back to
calling the vendor directly; bars fetched from the vendor are served even when publishing them
to the store fails.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from shared.market_data.base import Bar, MarketDataError, MarketDataProvider
from shared.models.fields import Timeframe
from shared.store.firestore import (
    TTL_FIELD,
    StoreError,
    call_options,
    guarded,
    write_if_unchanged,
)

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentSnapshot

    from shared.store.breaker import CircuitBreaker

log = logging.getLogger("chart_control.bars_cache")
MIN_WINDOW, MAX_WINDOW = 15.0, 3600.0
KEEP_FOR = timedelta(days=2)  # TTL: stale bars stay useful as a fallback, then go
WAIT_STEP = 0.05
T = TypeVar("T")


def freshness_window(timeframe: Timeframe) -> float:
    """Seconds bars stay fresh: a quarter of a bar, clamped to [15 s, 1 h]."""
    return min(max(timeframe.seconds / 4, MIN_WINDOW), MAX_WINDOW)


@dataclass(frozen=True, slots=True)
class CachedBars:
    """Bars with the time they were fetched (unix seconds)."""

    fetched_at: float
    bars: list[Bar]


def to_document(bars: list[Bar], fetched_at: datetime) -> dict[str, Any]:
    """Parallel arrays: compact, and one Firestore read brings the whole series."""
    return {
        "t": [b.time for b in bars],
        "o": [b.open for b in bars],
        "h": [b.high for b in bars],
        "l": [b.low for b in bars],
        "c": [b.close for b in bars],
        "v": [b.volume for b in bars],
        "fetched_at": fetched_at,
        TTL_FIELD: fetched_at + KEEP_FOR,
        "lease_until": None,
    }


def from_document(data: dict[str, Any]) -> CachedBars | None:
    """The cached series, or None when the document holds no bars yet."""
    if not data.get("t") or not isinstance(data.get("fetched_at"), datetime):
        return None
    columns = zip(data["t"], data["o"], data["h"], data["l"], data["c"], data["v"], strict=True)
    return CachedBars(data["fetched_at"].timestamp(), [Bar(*row) for row in columns])


class CachedProvider:
    """Wraps a vendor provider with the memory + Firestore cache; same protocol."""

    def __init__(
        self,
        inner: MarketDataProvider,
        client: Callable[[], Client],
        collection: str,
        timeout: float,
        breaker: CircuitBreaker | None = None,
    ):
        self.name = inner.name
        self.is_sample = inner.is_sample
        self._inner = inner
        self._client = client
        self._collection = collection
        self._timeout = timeout
        self._breaker = breaker
        self._memory: dict[tuple[str, Timeframe, int], CachedBars] = {}
        self._lock = threading.Lock()

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        """Fresh bars from memory, Firestore or (once per window) the vendor."""
        key = (symbol, timeframe, limit)
        window = freshness_window(timeframe)
        with self._lock:
            hit = self._memory.get(key)
        if hit and time.time() - hit.fetched_at < window:
            return hit.bars
        try:
            cached = self._from_store_or_vendor(symbol, timeframe, limit, window)
        except StoreError as exc:  # the cache is an optimisation: a Firestore failure bypasses it
            log.warning("bars cache unavailable, calling the vendor directly: %s", exc)
            cached = CachedBars(time.time(), self._inner.get_bars(symbol, timeframe, limit))
        with self._lock:
            self._memory[key] = cached
        return cached.bars

    def _doc_id(self, symbol: str, timeframe: Timeframe, limit: int) -> str:
        safe = symbol.replace("/", "_")
        return f"{self.name}:{safe}:{timeframe.value}:{limit}"

    def _store(self, call: Callable[[], T]) -> T:
        """One Firestore call, bounded and counted by the breaker (raises `StoreError`)."""
        return guarded(call, self._timeout, self._breaker, store="bars cache's")

    def _call_options(self) -> dict[str, Any]:
        return call_options(self._timeout)

    def _from_store_or_vendor(
        self, symbol: str, timeframe: Timeframe, limit: int, window: float
    ) -> CachedBars:
        doc = (
            self._client()
            .collection(self._collection)
            .document(self._doc_id(symbol, timeframe, limit))
        )
        deadline = time.monotonic() + self._timeout
        while True:
            snapshot = self._store(lambda: doc.get(**self._call_options()))
            cached = from_document(snapshot.to_dict() or {}) if snapshot.exists else None
            if cached and time.time() - cached.fetched_at < window:
                return cached
            if self._store(lambda s=snapshot: self._take_lease(doc, s)):
                return self._refresh(doc, symbol, timeframe, limit)
            if cached:  # another instance is refreshing: stale bars beat waiting
                return cached
            if time.monotonic() > deadline:
                raise MarketDataError("market data is being refreshed; retry")
            time.sleep(WAIT_STEP)

    def _take_lease(self, doc: Any, snapshot: DocumentSnapshot) -> bool:
        """Conditionally mark the document as being refreshed by us; False if someone is."""
        now = datetime.now(UTC)
        lease = {"lease_until": now + timedelta(seconds=self._timeout + 1)}
        data = snapshot.to_dict() or {} if snapshot.exists else {}
        current = data.get("lease_until")
        if isinstance(current, datetime) and current > now:
            return False
        return write_if_unchanged(
            self._client(),
            doc,
            snapshot,
            lease,
            create={**lease, TTL_FIELD: now + KEEP_FOR},
            **self._call_options(),
        )

    def _refresh(self, doc: Any, symbol: str, timeframe: Timeframe, limit: int) -> CachedBars:
        """Call the vendor (we hold the lease) and publish the bars to every instance; bars the
        store could not take are still this request's answer (the lease lapses on its own)."""
        bars = self._inner.get_bars(symbol, timeframe, limit)
        fetched_at = datetime.now(UTC)
        try:
            document = to_document(bars, fetched_at)
            self._store(lambda: doc.set(document, **self._call_options()))
        except StoreError as exc:
            log.warning("bars cache unavailable, bars not published: %s", exc)
        return CachedBars(fetched_at.timestamp(), bars)
