"""What every Firestore document write here shares: the client factory, the TTL field, calls
bounded by a deadline with the client's errors translated, and the conditional write.

The client library is imported inside the functions: it is the heaviest import we have, and a
process that never touches Firestore (a health check) never pays for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from shared.infra.deadline import DeadlineExceeded, call_with_deadline
from shared.models.errors import ChartControlError

if TYPE_CHECKING:
    from google.cloud.firestore import Client, DocumentReference, DocumentSnapshot

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
    """A Firestore client (thread-safe; the process holds one in `shared.infra.runtime`)."""
    from google.cloud import firestore  # noqa: PLC0415 - lazy: keeps cold start small

    return firestore.Client(project=project, database=database)


def guarded(fn: Callable[[], T], timeout: float) -> T:
    """Run a store call under the deadline and translate every failure."""
    from google.api_core import exceptions as gexc  # noqa: PLC0415 - already loaded with client

    try:
        return call_with_deadline(fn, timeout)
    except (DeadlineExceeded, gexc.DeadlineExceeded) as exc:
        raise StoreTimeout("the session store did not answer in time") from exc
    except gexc.GoogleAPIError as exc:
        raise StoreUnavailable("the session store is unavailable") from exc


def is_client_error(exc: BaseException) -> bool:
    """Whether the Firestore client (not our code) raised this."""
    from google.api_core import exceptions as gexc  # noqa: PLC0415

    return isinstance(exc, gexc.GoogleAPIError)


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
