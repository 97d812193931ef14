"""Firestore store of per-session chart context (SPEC 3).

One document per session in `SESSIONS_COLLECTION`, id = session_id, with an `expires_at`
Timestamp that a Firestore TTL policy deletes. TTL deletion lags by up to a day, so every read
also treats an expired document as absent. `expires_at` is SESSION_TTL_SECONDS after the
instant the write is sent (taken just before it, to the microsecond), so a context never
expires before its TTL counted from the request.

Without a `seq` an update is one merging `set` that leaves the stored `seq` alone: once a
session has a `seq` it stays the high-water mark, and an update without one cannot reopen the
door to an older one. With a `seq` the stored one is read first so an out-of-order (older)
update never overwrites a newer chart state; that guard is an optimistic transaction (read,
then a write conditioned on the document being unchanged), measured in docs/store.md.

Failures are translated into `StoreUnavailable` (503) and `StoreTimeout` (504) so callers never
see a client library exception, every call is bounded by STORE_TIMEOUT_SECONDS, and while the
store is down the process's circuit breaker answers in microseconds (`shared.store.firestore`,
`shared.store.breaker`).
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shared.infra.lazy import once
from shared.models.context import ChartState, StoredContext
from shared.store.firestore import (
    TTL_FIELD,
    StoreUnavailable,
    TtlCollection,
    bounded_retry,
    guarded,
    write_if_unchanged,
)

if TYPE_CHECKING:  # the client library is imported lazily: it is the heaviest import we have
    from google.cloud.firestore import DocumentReference, DocumentSnapshot


# After a lost race, wait a random time up to BASE * 2**losses, at most MAX: contenders spread
# out instead of colliding again, so N concurrent writers on one document cost about N rounds.
CONFLICT_BACKOFF_BASE, CONFLICT_BACKOFF_MAX = 0.002, 0.05
# `seq` updates of one session take turns within a process (a lock per stripe of sessions):
# with as many threads as concurrent requests, 32 updates of one document racing each other
# cost ~N^2 reads and writes (p95 over 1 s, some answered 503); in turn each costs one round.
# Across instances the conditional write still decides.
LOCK_STRIPES = 256


@dataclass(frozen=True, slots=True)
class SaveResult:
    """Outcome of an update: `applied` is False when a newer `seq` was already stored."""

    applied: bool
    context: StoredContext
    expires_at: datetime


def _context_from(
    snapshot: DocumentSnapshot, now: datetime
) -> tuple[StoredContext, datetime] | None:
    """The stored context and its expiry, or None when absent, expired or unreadable."""
    if not snapshot.exists:
        return None
    data: dict[str, Any] = snapshot.to_dict() or {}
    expires_at = data.get(TTL_FIELD)
    if not isinstance(expires_at, datetime) or expires_at <= now:
        return None
    return StoredContext.model_validate(data), expires_at


class SessionStore(TtlCollection):
    """Reads and writes chart context; safe to share across request threads."""

    @once
    def _turns(self) -> tuple[threading.Lock, ...]:
        """The striped locks `seq` updates of one session take turns on (made on first use)."""
        return tuple(threading.Lock() for _ in range(LOCK_STRIPES))

    def _doc(self, session_id: str) -> DocumentReference:
        return self._client().collection(self._collection).document(session_id)

    def _retry(self) -> Any:
        return bounded_retry(self._timeout)

    def load(self, session_id: str) -> StoredContext | None:
        """The session's live context, or None: one document read."""

        def read() -> StoredContext | None:
            snapshot = self._doc(session_id).get(retry=self._retry(), timeout=self._timeout)
            found = _context_from(snapshot, datetime.now(UTC))
            return found[0] if found else None

        return guarded(read, self._timeout, self._breaker)

    def save(self, session_id: str, state: ChartState, seq: int | None) -> SaveResult:
        """Store the chart state; with a `seq`, only if it is not older than the stored one."""
        if seq is None:
            return guarded(lambda: self._write(session_id, state), self._timeout, self._breaker)
        turn = self._turns[hash(session_id) % LOCK_STRIPES]
        started = time.monotonic()
        if not turn.acquire(timeout=self._timeout / 2):  # not an outage: the breaker stays out
            raise StoreUnavailable("the session is being updated too often; retry")
        try:
            remaining = self._timeout - (time.monotonic() - started)
            return guarded(
                lambda: self._save_if_newer(session_id, state, seq), remaining, self._breaker
            )
        finally:
            turn.release()

    def _record(self, state: ChartState, seq: int | None) -> tuple[dict[str, Any], SaveResult]:
        """The document and the answer, stamped now: call it right before the write is sent."""
        now = datetime.now(UTC)
        context = StoredContext(**state.model_dump(), seq=seq, updated_at=now)
        result = SaveResult(applied=True, context=context, expires_at=now + self._ttl)
        document = {**context.model_dump(mode="python"), TTL_FIELD: result.expires_at}
        document["timeframe"] = context.timeframe.value
        return document, result

    def _write(self, session_id: str, state: ChartState) -> SaveResult:
        """An update without `seq`: one merging write that keeps a stored `seq` (so the answer's
        `chart_context.seq` is null: this update carried none, and one RPC cannot read it)."""
        document, result = self._record(state, None)
        del document["seq"]
        self._doc(session_id).set(document, merge=True, retry=self._retry(), timeout=self._timeout)
        return result

    def _save_if_newer(self, session_id: str, state: ChartState, seq: int) -> SaveResult:
        """Optimistic transaction: read, then write only if the document is still unchanged.

        The write is conditioned on the read's `update_time` (or on absence), so a concurrent
        update makes it fail and the loop re-reads (see `write_if_unchanged`).
        """
        doc = self._doc(session_id)
        give_up = time.monotonic() + self._timeout  # the hard deadline cuts in at the same time
        for attempt in itertools.count():
            snapshot = doc.get(retry=self._retry(), timeout=self._timeout)
            stored = _context_from(snapshot, datetime.now(UTC))
            if stored and stored[0].seq is not None and stored[0].seq > seq:
                return SaveResult(applied=False, context=stored[0], expires_at=stored[1])
            document, result = self._record(state, seq)
            if write_if_unchanged(self._client(), doc, snapshot, document, timeout=self._timeout):
                return result
            if time.monotonic() >= give_up:
                break
            backoff = min(CONFLICT_BACKOFF_MAX, CONFLICT_BACKOFF_BASE * 2 ** min(attempt, 8))
            time.sleep(random.uniform(0, backoff))  # someone wrote in between
        raise StoreUnavailable("the session is being updated too often; retry")
