"""What every Firestore document write here shares: the client factory, the TTL field, calls
bounded by a deadline (and a circuit breaker) with the client's errors translated, a bounded
retry, and the conditional write.

The client library is imported inside the functions: it is the heaviest import we have, and a
process that never touches Firestore (a health check) never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
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


class StoreTimeout(StoreError):
    """Firestore did not answer within STORE_TIMEOUT_SECONDS: answered 504."""

    code = "timeout"


def new_client(project: str | None, database: str) -> Client:
    """A Firestore client (thread-safe; the process holds one in `shared.infra.runtime`) whose
    channel reconnects within a second once the store is back (`firestore_channel`)."""
    from shared.store.firestore_channel import Client  # noqa: PLC0415 - lazy: heavy library

    return Client(project=project, database=database)


def bounded_retry(timeout: float) -> Retry:
    """Retry UNAVAILABLE and friends for at most half the store timeout: a blip is ridden out,
    while an outage is reported (and counted by the breaker) well before the hard deadline."""
    from google.api_core.retry import Retry  # noqa: PLC0415

    return Retry(initial=0.05, maximum=0.25, multiplier=2.0, timeout=timeout / 2)


def guarded(fn: Callable[[], T], timeout: float, breaker: CircuitBreaker | None = None) -> T:
    """Run a store call under the deadline and translate every failure; with a `breaker`, fail
    at once while the store is known to be down, and tell the breaker how the call went."""
    from google.api_core import exceptions as gexc  # noqa: PLC0415 - already loaded with client

    if breaker is not None:
        breaker.admit()  # raises CircuitOpen (a StoreUnavailable) while the store is down
    try:
        result = call_with_deadline(fn, timeout)
    except BaseException as exc:
        if breaker is not None:
            breaker.record(outage=is_outage(exc))
        if isinstance(exc, DeadlineExceeded | gexc.DeadlineExceeded):
            raise StoreTimeout("the session store did not answer in time") from exc
        if isinstance(exc, gexc.GoogleAPIError):
            raise StoreUnavailable("the session store is unavailable") from exc
        raise
    if breaker is not None:
        breaker.record(outage=False)
    return result


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
    timeout: float | None = None,
) -> bool:
    """Write only if the document is as `snapshot` saw it; False when someone wrote in between.

    An existing document gets `update`, conditioned on the snapshot's `update_time`; an absent
    one is created (with `create`, else `update`), which fails if another writer created it
    first. No lock is held between the read and the write: under contention this beats a
    server transaction (docs/store.md).
    """
    from google.api_core import exceptions as gexc  # noqa: PLC0415

    try:
        if snapshot.exists:
            option = client.write_option(last_update_time=snapshot.update_time)
            doc.update(update, option=option, timeout=timeout)
        else:
            doc.create(update if create is None else create, timeout=timeout)
    except (gexc.FailedPrecondition, gexc.Conflict):
        return False
    return True
