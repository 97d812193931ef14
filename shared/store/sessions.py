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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shared.infra.deadline import DeadlineExceeded
from shared.infra.lazy import once
from shared.models.chart import ChartDocument, ChartMemory
from shared.models.chart_edits import Chart, apply_page, on_chart, switch_thread
from shared.models.context import ChartState, PageEdit, StoredContext
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
CHART_FIELD, CHART_TTL_FIELD, VERSION_FIELD = "chart", "chart_expires_at", "version"
# the version at which an answer last moved the chart (symbol or timeframe): a page report of
# another chart made before the page saw that version is behind the answer, not a switch
MOVED_FIELD = "chart_moved_version"


@dataclass(frozen=True, slots=True)
class SessionRead:
    """One read of a session document: the live context (None when absent or expired), the
    chart memory on that context's chart, the version, the snapshot a conditional write is
    checked against, and the version at which an answer last moved the chart."""

    context: StoredContext | None
    memory: ChartMemory
    version: int
    snapshot: Any = None
    expires_at: datetime | None = None
    moved: int = 0

    def unapplied(self) -> SaveResult:
        """The answer to an update that was not applied: what is stored (a live context)."""
        assert self.context is not None and self.expires_at is not None
        return SaveResult(False, self.context, self.expires_at, self.memory, self.version)

    def document(self, thread: str | None = None) -> ChartDocument:
        """The chart document as the doors answer it; of `thread`, when the page names one
        (as the page will see it once it reports that thread: nothing is written)."""
        if thread is None or self.context is None:
            return document_view(self.context, self.memory, self.version)
        here = Chart(self.context.symbol, self.context.timeframe)
        memory, chart = switch_thread(self.memory, here, thread)
        context = self.context.model_copy(
            update={"symbol": chart.symbol, "timeframe": chart.timeframe}
        )
        return document_view(context, memory, self.version)


# An edit of the chart document: from a read, the chart state and memory to write, or None
# when nothing changes (nothing is written).
ChartEdit = Callable[[SessionRead], "tuple[ChartState, ChartMemory] | None"]


def document_view(context: ChartState | None, memory: ChartMemory, version: int) -> ChartDocument:
    """The answerable chart document of a context and its memory."""
    return ChartDocument(
        symbol=context.symbol if context else None,
        timeframe=context.timeframe if context else None,
        version=version,
        drawings=memory.drawings,
        indicators=memory.indicators,
        overlays=memory.overlays,
        view=memory.view,
        last_answer=memory.last_answer,
        thread_id=memory.thread,
    )


def _memory_from(data: dict[str, Any], context: StoredContext | None, now: datetime) -> ChartMemory:
    """The chart memory of a live document on its context's chart; empty when there is none,
    it outlived its own expiry (written before the document last expired), or it is unreadable."""
    chart, expires_at = data.get(CHART_FIELD), data.get(CHART_TTL_FIELD)
    if context is None or not isinstance(chart, dict):
        return ChartMemory()
    if not isinstance(expires_at, datetime) or expires_at <= now:
        return ChartMemory()
    try:
        memory = ChartMemory.model_validate(chart)
    except ValueError:
        return ChartMemory()
    return on_chart(memory, Chart(context.symbol, context.timeframe))


def _data(snapshot: DocumentSnapshot) -> dict[str, Any]:
    """The document's fields, {} when it is absent: taken once per read (`to_dict` deep-copies
    them on every call)."""
    return (snapshot.to_dict() or {}) if snapshot.exists else {}


def _read(snapshot: DocumentSnapshot, now: datetime) -> SessionRead:
    data = _data(snapshot)
    found = _context_from(data, now)
    context = found[0] if found else None
    version = data.get(VERSION_FIELD) if found else 0
    memory = _memory_from(data, context, now)
    version = version if isinstance(version, int) else 0
    moved = data.get(MOVED_FIELD) if found else 0
    moved = moved if isinstance(moved, int) and moved <= version else 0
    expires_at = found[1] if found else None
    return SessionRead(context, memory, version, snapshot, expires_at, moved)


@dataclass(frozen=True, slots=True)
class SaveResult:
    """Outcome of an update: `applied` is False when a newer `seq` was already stored, or the
    report was of another chart than a version of the document newer than the page had seen."""

    applied: bool
    context: StoredContext
    expires_at: datetime
    memory: ChartMemory | None = None  # the chart document as written (or as found)
    version: int | None = None


def _context_from(data: dict[str, Any], now: datetime) -> tuple[StoredContext, datetime] | None:
    """The stored context and its expiry, from the document's fields (`_data`); None when
    absent, expired or unreadable."""
    expires_at = data.get(TTL_FIELD)
    if not isinstance(expires_at, datetime) or expires_at <= now:
        return None
    seq_expires_at = data.get(SEQ_TTL_FIELD, expires_at)  # older documents: the context's
    if isinstance(seq_expires_at, datetime) and seq_expires_at <= now:
        data = {**data, "seq": None}  # written before the document last expired: not this life's
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
            found = _context_from(_data(snapshot), datetime.now(UTC))
            return found[0] if found else None

        return guarded(read, self._timeout, self._breaker, inline=True)

    def read(self, session_id: str) -> SessionRead:
        """The session's context and chart document: one document read."""

        def read() -> SessionRead:
            snapshot = self._doc(session_id).get(**read_options(self._timeout))
            return _read(snapshot, datetime.now(UTC))

        return guarded(read, self._timeout, self._breaker, inline=True)

    def edit(self, session_id: str, first: SessionRead, change: ChartEdit) -> SessionRead:
        """Write `change(read)` conditioned on the document being as `first` read it; when a
        concurrent write won, read again and apply `change` to that (so both edits are kept).
        Nothing is written when `change` answers None (a question): then no store call is made
        at all, and the request costs its one read."""
        edited = change(first)
        if edited is None:
            return first
        deadline = time.monotonic() + self._timeout
        return guarded(
            lambda: self._edit(session_id, first, change, deadline, edited),
            self._timeout,
            self._breaker,
        )

    def _edit(
        self,
        session_id: str,
        read: SessionRead,
        change: ChartEdit,
        deadline: float,
        edited: tuple[ChartState, ChartMemory],
    ) -> SessionRead:
        doc = self._doc(session_id)
        for attempt in itertools.count():
            state, memory = edited
            document, result = self._record(state, None)
            del document["seq"]
            # an answer does not prolong the session: the context lives its TTL from the
            # page's update, and the chart document with it (a new document gets a full TTL)
            expires_at = read.expires_at or result.expires_at
            document[TTL_FIELD] = expires_at
            here = read.context and (read.context.symbol, read.context.timeframe)
            moved = read.version + 1 if here != (state.symbol, state.timeframe) else read.moved
            document.update(self._chart_fields(memory, read.version + 1, expires_at, moved))
            options = _options_until(deadline)
            if write_if_unchanged(self._client(), doc, read.snapshot, document, **options):
                context = result.context.model_copy(
                    update={"seq": read.context and read.context.seq}
                )
                return SessionRead(context, memory, read.version + 1, None, expires_at, moved)
            self._back_off(attempt, deadline)
            read = _read(doc.get(**_options_until(deadline)), datetime.now(UTC))
            if (again := change(read)) is None:
                return read
            edited = again
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    @staticmethod
    def _chart_fields(
        memory: ChartMemory, version: int, expires_at: datetime, moved: int
    ) -> dict[str, Any]:
        """The document fields of a chart memory written now."""
        return {
            CHART_FIELD: memory.model_dump(mode="json", exclude_defaults=True),
            CHART_TTL_FIELD: expires_at,
            VERSION_FIELD: version,
            MOVED_FIELD: moved,
        }

    @staticmethod
    def _back_off(attempt: int, deadline: float) -> None:
        """Wait a random while after a lost race; busy when the deadline would pass first."""
        backoff = min(CONFLICT_BACKOFF_MAX, CONFLICT_BACKOFF_BASE * 2 ** min(attempt, 8))
        if time.monotonic() + backoff >= deadline:
            raise StoreBusy("the session is being updated too often; retry")
        time.sleep(random.uniform(0, backoff))  # someone wrote in between

    def save(
        self,
        session_id: str,
        state: ChartState,
        seq: int | None,
        page: PageEdit | None = None,
        thread: str | None = None,
        *,
        seen: int | None = None,
    ) -> SaveResult:
        """Store the chart state; with a `seq`, only if it is not older than the stored one.
        A `page` edit (drawings the user removed, a clear) is applied to the chart document in
        the same write; with a `seq` a switch leaves the old chart's drawings behind too, and
        a `thread` other than the one on show brings that thread's chart back. With `seen`
        (the newest document version the page knows), a report of another chart than a newer
        version shows is not applied: an answer moved the chart after the page last looked
        (it is on its way to the page), and taking the report as the user's switch would
        throw away what that answer drew."""
        if seq is None and page is None and thread is None and seen is None:
            return guarded(lambda: self._write(session_id, state), self._timeout, self._breaker)
        deadline = time.monotonic() + self._timeout  # the caller's: its answer is due by then
        turn = self._turns.of(session_id)
        if not turn.lock.acquire(timeout=self._timeout / 2):  # not an outage: no breaker
            raise StoreBusy("the session is being updated too often; retry")
        try:
            return guarded(
                lambda: self._save_if_newer(
                    session_id, state, seq, deadline, page=page, thread=thread, seen=seen
                ),
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
        self,
        session_id: str,
        state: ChartState,
        seq: int | None,
        deadline: float,
        *,
        page: PageEdit | None = None,
        thread: str | None = None,
        seen: int | None = None,
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
            now = datetime.now(UTC)
            read = _read(snapshot, now)
            stored = read.context  # None: absent or expired
            if stored and seq is not None and stored.seq is not None and stored.seq > seq:
                return read.unapplied()
            document, result = self._record(state, seq)
            if seq is None:
                del document["seq"]  # an update without one keeps the stored high-water mark
            after = Chart(state.symbol, state.timeframe)
            shown = Chart(stored.symbol, stored.timeframe) if stored else after
            memory, before = switch_thread(read.memory, shown, thread)
            if stored and seen is not None and read.moved > seen and before != after:
                return read.unapplied()
            memory = apply_page(
                memory,
                before,
                after,
                page.removed if page else (),
                page.cleared if page else None,
            )
            document.update(
                self._chart_fields(memory, read.version + 1, result.expires_at, read.moved)
            )
            options = _options_until(deadline)
            if write_if_unchanged(self._client(), doc, snapshot, document, **options):
                return SaveResult(True, result.context, result.expires_at, memory, read.version + 1)
            self._back_off(attempt, deadline)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _options_until(deadline: float) -> dict[str, Any]:
    """A call's retry and timeout within the time left before `deadline`; `DeadlineExceeded`
    (a 504, already answered by `guarded`) when none is left."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded("the caller's deadline has passed")
    return call_options(left)
