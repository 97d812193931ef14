"""What every Firestore document write here shares: the client factory, the TTL field, calls
bounded by a deadline (and a circuit breaker) with the client's errors translated, a bounded
retry, and the conditional write.

The client library is imported inside the functions: it is the heaviest import we have, and a
process that never touches Firestore (a health check) never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from shared.infra.deadline import DeadlineExceeded, call_with_deadline
from shared.models.errors import ChartControlError

if TYPE_CHECKING:
    from google.api_core.retry import Retry
    from google.cloud.firestore import Client, DocumentReference, DocumentSnapshot

    from shared.store.breaker import CircuitBreaker

T = TypeVar("T")
TTL_FIELD = "expires_at"  # the Firestore TTL policy's field (terraform/database.tf)


class StoreError(ChartControlError):
    """Base of the store's failures; the message is safe to show to a client."""

    code = "store_unavailable"


class StoreUnavailable(StoreError):
    """Firestore refused or failed the call: answered 503 with Retry-After."""


class StoreBusy(StoreUnavailable):
    """The store is fine but one document is contended (a session updated faster than its
    updates take turns): a 503 with Retry-After like an outage, but not logged as one."""

    dependency_failure = False


class StoreTimeout(StoreError):
    """Firestore did not answer within STORE_TIMEOUT_SECONDS: answered 504."""

    code = "timeout"


class TtlCollection:
    """What a store over one Firestore collection of expiring documents is made of: the client
    (a factory: made on the first call), the collection, the documents' lifetime, the bound on
    every call, and the process's breaker. The session store and chatkit's thread store."""

    def __init__(
        self,
        client: Callable[[], Client],
        collection: str,
        ttl_seconds: int,
        timeout: float,
        breaker: CircuitBreaker | None = None,
    ):
        self._client = client
        self._collection = collection
        self._ttl = timedelta(seconds=ttl_seconds)
        self._timeout = timeout
        self._breaker = breaker


def new_client(project: str | None, database: str) -> Client:
    """A Firestore client (thread-safe; the process holds one in `shared.app.runtime`) whose
    channel reconnects within a second once the store is back (`firestore_channel`)."""
    from shared.store.firestore_channel import Client  # noqa: PLC0415 - lazy: heavy library

    return Client(project=project, database=database)


def bounded_retry(timeout: float) -> Retry:
    """Retry UNAVAILABLE and friends for at most half the store timeout: a blip is ridden out,
    while an outage is reported (and counted by the breaker) well before the hard deadline."""
    from google.api_core.retry import Retry  # noqa: PLC0415

    return Retry(initial=0.05, maximum=0.25, multiplier=2.0, timeout=timeout / 2)


def call_options(timeout: float) -> dict[str, Any]:
    """The `retry` and `timeout` of every client call: without them the client retries a read
    for up to 300 s (a write 60 s) after our deadline gave up on it, holding a worker meanwhile
    (the deadline pool's, or asyncio's for chatkit's thread store) for nothing."""
    return {"retry": bounded_retry(timeout), "timeout": timeout}


def guarded(
    fn: Callable[[], T],
    timeout: float,
    breaker: CircuitBreaker | None = None,
    store: str = "session",
) -> T:
    """Run a store call under the deadline and translate every failure (naming the `store`);
    with a `breaker`, fail at once while the store is known to be down, and tell the breaker
    how the call went."""
    try:
        with watched(breaker):  # CircuitOpen passes through untranslated: it is a StoreError
            return call_with_deadline(fn, timeout)
    except BaseException as exc:
        if (error := translated(exc, StoreTimeout, StoreUnavailable, store)) is None:
            raise
        raise error from exc


@contextmanager
def watched(breaker: CircuitBreaker | None) -> Iterator[None]:
    """One store call as the breaker sees it: refused (`CircuitOpen`, a `StoreUnavailable`)
    while the store is down, else admitted and its outcome recorded (an outage or not).

    A call that never finished (cancelled: its asyncio task or its thread was stopped) says
    nothing about the store: it gives no verdict, and a cancelled probe leaves the breaker open
    for the next caller to probe (were it recorded as a success, it would close the breaker).
    """
    if breaker is None:
        yield
        return
    probe = breaker.admit()
    try:
        yield
    except Exception as exc:
        breaker.record(outage=is_outage(exc))
        raise
    except BaseException:
        if probe:
            breaker.release()
        raise
    breaker.record(outage=False)


def translated(
    exc: BaseException, timeout: type[StoreError], unavailable: type[StoreError], store: str
) -> StoreError | None:
    """The store error a client failure stands for (a timeout, or unavailable), with a message
    naming the `store` ("session", "thread"); None for anything else (not ours to translate)."""
    from google.api_core import exceptions as gexc  # noqa: PLC0415 - already loaded with client

    if isinstance(exc, TimeoutError | DeadlineExceeded | gexc.DeadlineExceeded):
        return timeout(f"the {store} store did not answer in time")
    if isinstance(exc, gexc.GoogleAPIError):
        return unavailable(f"the {store} store is unavailable")
    return None


def is_outage(exc: BaseException) -> bool:
    """Whether a failure says the store is unreachable or silent (unavailable, deadline,
    connection: what the breaker counts), rather than that it answered (a conflict, an invalid
    name, even an internal error: it is there)."""
    from google.api_core import exceptions as gexc  # noqa: PLC0415

    if isinstance(exc, gexc.RetryError):  # retries ran out: judge by the last failure
        return exc.cause is None or is_outage(exc.cause)
    outages = (
        DeadlineExceeded,
        gexc.DeadlineExceeded,
        gexc.ServiceUnavailable,
        ConnectionError,
        TimeoutError,
    )
    return isinstance(exc, outages)


def write_if_unchanged(
    client: Client,
    doc: DocumentReference,
    snapshot: DocumentSnapshot,
    update: dict[str, Any],
    *,
    create: dict[str, Any] | None = None,
    retry: Retry,
    timeout: float,
) -> bool:
    """Write only if the document is as `snapshot` saw it; False when someone wrote in between.

    An existing document gets `update`, conditioned on the snapshot's `update_time`; an absent
    one is created (with `create`, else `update`), which fails if another writer created it
    first. No lock is held between the read and the write: under contention this beats a
    server transaction (docs/store.md). `retry` and `timeout` are required: the client's
    default retry would run on for a minute after the caller's deadline (`bounded_retry`).
    """
    from google.api_core import exceptions as gexc  # noqa: PLC0415

    try:
        if snapshot.exists:
            option = client.write_option(last_update_time=snapshot.update_time)
            doc.update(update, option=option, retry=retry, timeout=timeout)
        else:
            doc.create(update if create is None else create, retry=retry, timeout=timeout)
    except (gexc.FailedPrecondition, gexc.Conflict):
        return False
    return True
