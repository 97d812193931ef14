"""Firestore store of per-session chart context (SPEC 3).

One document per session in `SESSIONS_COLLECTION`, id = session_id, with an `expires_at`
Timestamp that a Firestore TTL policy deletes. TTL deletion lags by up to a day, so every read
also treats an expired document as absent. `expires_at` is SESSION_TTL_SECONDS after the
instant the write is sent (taken just before it, to the microsecond), so a context never
expires before its TTL counted from the request.

Without a `seq` an update is one merging `set` that leaves the stored `seq` alone: once a
session has a `seq` it stays the high-water mark, and an update without one cannot reopen the
door to an older one. A `seq` lives as long as the context its update wrote (`seq_expires_at`,
left alone by updates without one): a document that expired and was revived by an update
without `seq` before the TTL policy deleted it does not bring its dead `seq` back.

With a `seq` the stored one is read first so an out-of-order (older) update never overwrites a
newer chart state; that guard is an optimistic transaction (read, then a write conditioned on
the document being unchanged), measured in docs/store.md.

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
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shared.infra.deadline import DeadlineExceeded
from shared.infra.lazy import once
from shared.models.context import ChartState, StoredContext
from shared.store.firestore import (
    TTL_FIELD,
    StoreBusy,
    TtlCollection,
    call_options,
    guarded,
    read_options,
    write_if_unchanged,
)

if TYPE_CHECKING:  # the client library is imported lazily: it is the heaviest import we have
    from google.cloud.firestore import DocumentReference, DocumentSnapshot


# After a lost race, wait a random time up to BASE * 2**losses, at most MAX: contenders spread
# out instead of colliding again, so N concurrent writers on one document cost about N rounds.
CONFLICT_BACKOFF_BASE, CONFLICT_BACKOFF_MAX = 0.002, 0.05
# `seq` updates of one session take turns within a process (a lock per session, `_Turns`):
# with as many threads as concurrent requests, 32 updates of one document racing each other
# cost ~N^2 reads and writes (p95 over 1 s, some answered 503); in turn each costs one round.
# Across instances the conditional write still decides.
SEQ_TTL_FIELD = "seq_expires_at"  # until when the stored `seq` holds (see the module docstring)


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
    seq_expires_at = data.get(SEQ_TTL_FIELD, expires_at)  # older documents: the context's
    if isinstance(seq_expires_at, datetime) and seq_expires_at <= now:
        data["seq"] = None  # written before the document last expired: not this life's seq
    return StoredContext.model_validate(data), expires_at


class _Turn:
    """One session's lock (a plain `threading.Lock` cannot be weakly referenced)."""

    __slots__ = ("__weakref__", "lock")

    def __init__(self) -> None:
        self.lock = threading.Lock()


class _Turns:
    """A lock per session, for as long as an update of it holds or waits for one: unrelated
    sessions never wait on each other (striped locks shared by unrelated sessions made one
    wait up to half the timeout behind another's update and answer 503)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._turns: weakref.WeakValueDictionary[str, _Turn] = weakref.WeakValueDictionary()

    def of(self, session_id: str) -> _Turn:
        """The session's turn; hold the returned object while using its lock."""
        with self._lock:
            turn = self._turns.get(session_id)
            if turn is None:
                turn = self._turns[session_id] = _Turn()
            return turn


class SessionStore(TtlCollection):
    """Reads and writes chart context; safe to share across request threads."""

    @once
    def _turns(self) -> _Turns:
        """The locks `seq` updates of one session take turns on (made on first use)."""
        return _Turns()

    def _doc(self, session_id: str) -> DocumentReference:
        return self._client().collection(self._collection).document(session_id)

    def load(self, session_id: str) -> StoredContext | None:
        """The session's live context, or None: one document read."""

        def read() -> StoredContext | None:
            snapshot = self._doc(session_id).get(**read_options(self._timeout))
            found = _context_from(snapshot, datetime.now(UTC))
            return found[0] if found else None

        return guarded(read, self._timeout, self._breaker, inline=True)

    def save(self, session_id: str, state: ChartState, seq: int | None) -> SaveResult:
        """Store the chart state; with a `seq`, only if it is not older than the stored one."""
        if seq is None:
            return guarded(lambda: self._write(session_id, state), self._timeout, self._breaker)
        deadline = time.monotonic() + self._timeout  # the caller's: its answer is due by then
        turn = self._turns.of(session_id)
        if not turn.lock.acquire(timeout=self._timeout / 2):  # not an outage: no breaker
            raise StoreBusy("the session is being updated too often; retry")
        try:
            return guarded(
                lambda: self._save_if_newer(session_id, state, seq, deadline),
                deadline - time.monotonic(),
                self._breaker,
            )
        finally:
            turn.lock.release()

    def _record(self, state: ChartState, seq: int | None) -> tuple[dict[str, Any], SaveResult]:
        """The document and the answer, stamped now: call it right before the write is sent."""
        now = datetime.now(UTC)
        context = StoredContext(**state.model_dump(), seq=seq, updated_at=now)
        result = SaveResult(applied=True, context=context, expires_at=now + self._ttl)
        document = {**context.model_dump(mode="python"), TTL_FIELD: result.expires_at}
        document["timeframe"] = context.timeframe.value
        if seq is not None:
            document[SEQ_TTL_FIELD] = result.expires_at
        return document, result

    def _write(self, session_id: str, state: ChartState) -> SaveResult:
        """An update without `seq`: one merging write that keeps a stored `seq` (so the answer's
        `chart_context.seq` is null: this update carried none, and one RPC cannot read it)."""
        document, result = self._record(state, None)
        del document["seq"]
        self._doc(session_id).set(document, merge=True, **call_options(self._timeout))
        return result

    def _save_if_newer(
        self, session_id: str, state: ChartState, seq: int, deadline: float
    ) -> SaveResult:
        """Optimistic transaction: read, then write only if the document is still unchanged.

        The write is conditioned on the read's `update_time` (or on absence), so a concurrent
        update makes it fail and the loop re-reads (see `write_if_unchanged`). `deadline` is the
        caller's (monotonic): every call is bounded by the time left and no round starts after
        it, so a loop its caller gave up on (answered 504) does not go on to commit later.
        """
        doc = self._doc(session_id)
        for attempt in itertools.count():
            snapshot = doc.get(**_options_until(deadline))
            stored = _context_from(snapshot, datetime.now(UTC))
            if stored and stored[0].seq is not None and stored[0].seq > seq:
                return SaveResult(applied=False, context=stored[0], expires_at=stored[1])
            document, result = self._record(state, seq)
            options = _options_until(deadline)
            if write_if_unchanged(self._client(), doc, snapshot, document, **options):
                return result
            backoff = min(CONFLICT_BACKOFF_MAX, CONFLICT_BACKOFF_BASE * 2 ** min(attempt, 8))
            if time.monotonic() + backoff >= deadline:
                break
            time.sleep(random.uniform(0, backoff))  # someone wrote in between
        raise StoreBusy("the session is being updated too often; retry")


def _options_until(deadline: float) -> dict[str, Any]:
    """A call's retry and timeout within the time left before `deadline`; `DeadlineExceeded`
    (a 504, already answered by `guarded`) when none is left."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded("the caller's deadline has passed")
    return call_options(left)
