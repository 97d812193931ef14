"""ChatKit threads in Firestore: a `chatkit.store.Store` over google-cloud-firestore.

Layout (CHATKIT_THREADS_COLLECTION, default `chatkit_threads`):

    chatkit_threads/<thread_id>               owner, created_at, expires_at, thread (JSON)
    chatkit_threads/<thread_id>/items/<id>    created_at, expires_at, item (JSON)

Models are stored as chatkit's own JSON (`model_dump_json`), as chatkit's docs advise: the
schema can grow without a migration, and only the fields queries need are real fields.

- **Ownership**: a thread belongs to the chart session that created it (`owner` is a hash of
  the session id). Under another session it does not exist: not listed, and every other call
  answers `NotFoundError` exactly as for an unknown id.
- **Expiry**: a thread lives CHATKIT_THREAD_TTL_SECONDS from its creation; its items carry the
  same `expires_at`, so one TTL policy per collection (threads, and the `items` collection
  group) removes both. TTL deletion lags up to a day, so reads treat an expired thread as
  absent straight away.
- **Listing** (`threads.list`) is the query
  `where owner == <tag> order by created_at <asc|desc>` (plus `__name__` the same way, which
  Firestore adds for the cursor): it needs a composite index on (owner, created_at) in each
  direction. Items are listed within one thread by `created_at` alone (single-field index).
- **Pagination**: `after` is the id of the last row of the previous page; the next page starts
  after that document (its snapshot is the cursor, so equal timestamps still page correctly).
- **Attachments** are not offered: there is no attachment store, and the attachment methods
  raise `AttachmentsNotSupported`.
- **Bounded**: every call runs under STORE_TIMEOUT_SECONDS and failures surface as the session
  store's errors (503/504 for plain requests, a readable error event inside a stream).
- **Writes behind the stream**: in a turn (`ChatRequestContext.defer_item_writes`) item writes
  run in the background, in order, so the chart effect goes out without waiting for the user
  message's write; every other call of the request first waits for them (a read sees its own
  writes). Each item's write is recorded (`context.writes`): the endpoint shows an item as
  done only once it has landed (docs/thread-store.md).
- **No thread without its message**: a thread created in a turn is written in one commit with
  its first item (the user's message); the endpoint waits for that commit before the 200, so
  a failing store is a JSON 503/504 and leaves nothing, and a commit that lands after its 504
  leaves a thread with its message, which a retry answers.
- **No item under a deleted thread**: every item write is one commit with an update of its
  thread (which must exist), and a delete is one commit conditioned on the thread's update
  time, so an item written meanwhile makes the delete read again; an item write that comes
  after the delete fails (`ThreadGone`) instead of landing.
- **Feedback** on items is recorded on the item documents (`feedback`), owned like them.

The Firestore client is the synchronous one the other functions share; calls run on worker
threads so the event loop keeps streaming other responses meanwhile.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from chatkit.errors import CustomStreamError
from chatkit.store import NotFoundError, Store, StoreItemType
from chatkit.types import Attachment, Page, ThreadItem, ThreadMetadata
from pydantic import TypeAdapter

from shared.chat.context import ChatRequestContext
from shared.infra.dependency_log import log_dependency_failure
from shared.store.breaker import CircuitOpen
from shared.store.firestore import (
    TTL_FIELD,
    StoreBusy,
    StoreError,
    StoreTimeout,
    StoreUnavailable,
    TtlCollection,
    call_options,
    translated,
    watched,
)

if TYPE_CHECKING:
    from google.cloud.firestore import CollectionReference, DocumentReference

T = TypeVar("T")
ITEMS = "items"  # the items subcollection (and collection group for the TTL policy)
DELETE_BATCH = 400  # below Firestore's 500 writes per batch
DELETE_ATTEMPTS = 4  # reads of a thread whose turn keeps writing while it is deleted
_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")  # ids chatkit and the Responses API generate
_ITEM: TypeAdapter[ThreadItem] = TypeAdapter(ThreadItem)


class ThreadStoreUnavailable(StoreUnavailable, CustomStreamError):
    """Firestore failed: a 503 for a plain request, a readable error event mid-stream."""

    def __init__(self, message: str):
        StoreUnavailable.__init__(self, message)
        CustomStreamError.__init__(self, message, allow_retry=True)


class ThreadStoreTimeout(StoreTimeout, CustomStreamError):
    """Firestore did not answer in time: a 504, or a readable error event mid-stream."""

    def __init__(self, message: str):
        StoreTimeout.__init__(self, message)
        CustomStreamError.__init__(self, message, allow_retry=True)


class ThreadGone(NotFoundError, CustomStreamError):
    """The thread was deleted while its turn was writing: nothing more is stored under it."""

    def __init__(self) -> None:
        NotFoundError.__init__(self, "thread not found")
        CustomStreamError.__init__(
            self, "This chat was deleted; the answer was not saved.", allow_retry=False
        )


class AttachmentsNotSupported(Exception):
    """This server offers no attachments (no attachment store)."""


def utc(moment: datetime) -> datetime:
    """chatkit stamps items with naive local `datetime.now()`; store aware UTC."""
    return moment.astimezone(UTC)


class FirestoreThreadStore(TtlCollection, Store[ChatRequestContext]):
    """Threads and items of ChatKit, owned per chart session; safe to share across requests."""

    # --- ids -----------------------------------------------------------------------------
    def generate_thread_id(self, context: ChatRequestContext) -> str:
        """128 random bits: thread ids are document ids, and must never collide."""
        return f"thr_{uuid.uuid4().hex}"

    def generate_item_id(
        self, item_type: StoreItemType, thread: ThreadMetadata, context: ChatRequestContext
    ) -> str:
        return f"{super().generate_item_id(item_type, thread, context)}{uuid.uuid4().hex[:8]}"

    # --- plumbing ------------------------------------------------------------------------
    def _threads(self) -> CollectionReference:
        return self._client().collection(self._collection)

    def _thread_doc(self, thread_id: str) -> DocumentReference:
        if not _ID.match(thread_id):  # a path-like id would address another document
            raise NotFoundError(f"thread {thread_id[:40]!r} not found")
        return self._threads().document(thread_id)

    def _item_doc(self, thread_id: str, item_id: str) -> DocumentReference:
        if not _ID.match(item_id):
            raise NotFoundError("item not found")
        return self._thread_doc(thread_id).collection(ITEMS).document(item_id)

    def _call_options(self) -> dict[str, Any]:
        return call_options(self._timeout)  # the session store's bounded retry

    async def _run(self, fn: Callable[[], T]) -> T:
        """Run a blocking Firestore call on a worker thread, bounded and translated; while the
        breaker says Firestore is down, fail at once instead of waiting out the timeout."""
        try:
            with watched(self._breaker):
                return await asyncio.wait_for(asyncio.to_thread(fn), self._timeout)
        except CircuitOpen as exc:
            error: StoreError | None = ThreadStoreUnavailable("the thread store is unavailable")
            cause: BaseException = exc
        except BaseException as exc:
            error = translated(exc, ThreadStoreTimeout, ThreadStoreUnavailable, "thread")
            if error is None:
                raise
            cause = exc
        try:
            raise error from cause
        except StoreError as raised:  # the one WARNING line, whoever handles it later
            log_dependency_failure(raised, "chatkit thread store")
            raise

    async def _owned(self, thread_id: str, context: ChatRequestContext) -> datetime:
        """The thread's expiry if it is live and the caller's; NotFoundError otherwise."""
        if thread_id in context.owned:
            return context.owned[thread_id]
        await self.load_thread(thread_id, context)
        return context.owned[thread_id]

    async def flush(self, context: ChatRequestContext) -> None:
        """Wait for the request's item writes still in flight; their failure raises here.

        Shielded: a client that goes away mid-stream does not cancel a write already begun."""
        pending, context.pending = context.pending, None
        if pending is not None:
            await asyncio.shield(pending)

    def _write_behind(
        self, context: ChatRequestContext, item_id: str, write: Callable[[], Any]
    ) -> None:
        """Queue `write` (storing item `item_id`) after the request's earlier deferred writes:
        order is kept, and an earlier failure ends the chain (it was logged where it failed)."""
        previous = context.pending

        async def chained() -> None:
            if previous is not None:
                await previous
            await self._run(write)

        task = asyncio.create_task(chained())
        task.add_done_callback(lambda done: done.cancelled() or done.exception())  # retrieved
        context.pending = task
        context.writes[item_id] = task

    # --- threads -------------------------------------------------------------------------
    async def load_thread(self, thread_id: str, context: ChatRequestContext) -> ThreadMetadata:
        await self.flush(context)
        if thread_id in context.loaded:  # read earlier in this request
            return context.loaded[thread_id].model_copy(deep=True)
        doc = self._thread_doc(thread_id)
        snapshot = await self._run(lambda: doc.get(**self._call_options()))
        data = snapshot.to_dict() if snapshot.exists else None
        if not self._is_live(data, context):
            raise NotFoundError(f"thread {thread_id} not found")
        assert data is not None
        context.owned[thread_id] = data[TTL_FIELD]
        context.versions[thread_id] = snapshot.update_time
        thread = ThreadMetadata.model_validate_json(data["thread"])
        context.loaded[thread_id] = thread.model_copy(deep=True)
        return thread

    def _is_live(self, data: dict[str, Any] | None, context: ChatRequestContext) -> bool:
        if not data or data.get("owner") != context.owner:
            return False
        expires_at = data.get(TTL_FIELD)
        return isinstance(expires_at, datetime) and expires_at > datetime.now(UTC)

    async def save_thread(self, thread: ThreadMetadata, context: ChatRequestContext) -> None:
        """Create the thread (owned by the caller), or update one the caller owns."""
        await self.flush(context)
        from google.api_core import exceptions as gexc  # noqa: PLC0415

        plain = ThreadMetadata.model_validate(thread, from_attributes=True)
        metadata = plain.model_dump_json()
        doc = self._thread_doc(thread.id)
        context.loaded.pop(thread.id, None)
        if thread.id in context.unsaved:  # not written yet: it goes with its first item
            context.unsaved[thread.id]["thread"] = metadata
            context.loaded[thread.id] = plain
            return
        if thread.id in context.owned:
            await self._run(lambda: doc.update({"thread": metadata}, **self._call_options()))
            context.loaded[thread.id] = plain
            return
        expires_at = datetime.now(UTC) + self._ttl
        record = {
            "owner": context.owner,
            "created_at": utc(thread.created_at),
            TTL_FIELD: expires_at,
            "thread": metadata,
        }
        if context.defer_item_writes:  # a turn: one commit with the user's message
            context.unsaved[thread.id] = record
            context.owned[thread.id] = expires_at
            context.loaded[thread.id] = plain
            return
        try:  # create, never overwrite: an existing id may belong to another session
            await self._run(lambda: doc.create(record, **self._call_options()))
            context.owned[thread.id] = expires_at
            context.loaded[thread.id] = plain
        except ThreadStoreUnavailable as exc:
            if not isinstance(exc.__cause__, gexc.Conflict):
                raise
            await self._owned(thread.id, context)  # NotFoundError unless it is the caller's
            await self.save_thread(thread, context)

    async def load_threads(
        self, limit: int, after: str | None, order: str, context: ChatRequestContext
    ) -> Page[ThreadMetadata]:
        """The caller's live threads by creation time (composite index: owner, created_at)."""
        await self.flush(context)
        from google.cloud.firestore import FieldFilter, Query  # noqa: PLC0415

        direction = Query.ASCENDING if order == "asc" else Query.DESCENDING
        query = (
            self._threads()
            .where(filter=FieldFilter("owner", "==", context.owner))
            .order_by("created_at", direction=direction)
        )
        cursor = None
        if after:
            await self._owned(after, context)
            cursor = await self._run(lambda: self._thread_doc(after).get(**self._call_options()))
        rows = await self._live_page(query, cursor, limit, lambda d: self._is_live(d, context))
        threads = [ThreadMetadata.model_validate_json(data["thread"]) for data in rows]
        return _page(threads, limit)

    async def _live_page(
        self, query: Any, cursor: Any, limit: int, keep: Callable[[dict[str, Any]], bool]
    ) -> list[dict[str, Any]]:
        """Up to limit+1 rows that `keep` accepts (expired threads are skipped, not counted)."""
        rows: list[dict[str, Any]] = []
        while len(rows) <= limit:
            page_query = (query.start_after(cursor) if cursor else query).limit(limit + 1)
            snapshots = await self._run(lambda q=page_query: list(q.stream(**self._call_options())))
            rows.extend(data for s in snapshots if keep(data := s.to_dict() or {}))
            if len(snapshots) <= limit:
                break
            cursor = snapshots[-1]
        return rows

    async def delete_thread(self, thread_id: str, context: ChatRequestContext) -> None:
        """Delete the thread and its items in one commit, conditioned on the thread's update
        time: an item written meanwhile (every item write updates its thread) makes the commit
        fail, and the items are listed again. A thread too large for one commit loses its
        thread document first (no item can be written after that), then its items."""
        await self.flush(context)
        await self._owned(thread_id, context)
        doc = self._thread_doc(thread_id)
        version = context.versions.get(thread_id)

        def delete_all() -> None:
            from google.api_core import exceptions as gexc  # noqa: PLC0415

            client, options = self._client(), self._call_options()
            seen = version
            for _attempt in range(DELETE_ATTEMPTS):
                if seen is None:
                    snapshot = doc.get(**options)
                    if not snapshot.exists:
                        return
                    seen = snapshot.update_time
                refs = list(doc.collection(ITEMS).list_documents(**options))
                batch = client.batch()
                batch.delete(doc, option=client.write_option(last_update_time=seen))
                if len(refs) >= DELETE_BATCH:
                    batch.commit(**options)
                    _delete_in_batches(client, refs, options)
                    return
                for ref in refs:
                    batch.delete(ref)
                try:
                    batch.commit(**options)
                    return
                except gexc.FailedPrecondition:  # an item landed since: read and list again
                    seen = None
            raise StoreBusy("the thread is busy; try again")

        await self._run(delete_all)
        context.owned.pop(thread_id, None)
        context.loaded.pop(thread_id, None)

    # --- items ---------------------------------------------------------------------------
    async def load_thread_items(
        self,
        thread_id: str,
        after: str | None,
        limit: int,
        order: str,
        context: ChatRequestContext,
    ) -> Page[ThreadItem]:
        await self.flush(context)
        from google.cloud.firestore import Query  # noqa: PLC0415

        await self._owned(thread_id, context)
        direction = Query.ASCENDING if order == "asc" else Query.DESCENDING
        query = (
            self._thread_doc(thread_id)
            .collection(ITEMS)
            .order_by("created_at", direction=direction)
        )
        cursor = None
        if after:
            cursor = await self._run(
                lambda: self._item_doc(thread_id, after).get(**self._call_options())
            )
            if not cursor.exists:
                raise NotFoundError("item not found")
        rows = await self._live_page(query, cursor, limit, lambda _data: True)
        return _page([_ITEM.validate_json(data["item"]) for data in rows], limit)

    async def add_thread_item(
        self, thread_id: str, item: ThreadItem, context: ChatRequestContext
    ) -> None:
        await self.save_item(thread_id, item, context)

    async def save_item(
        self, thread_id: str, item: ThreadItem, context: ChatRequestContext
    ) -> None:
        """Upsert by id, in one commit with its thread: the thread's creation when this is the
        turn's first item, else an update of the thread, which must still exist (so nothing
        lands under a deleted thread). The item expires with its thread."""
        expires_at = await self._owned(thread_id, context)
        record = {
            "created_at": utc(item.created_at),
            TTL_FIELD: expires_at,
            "item": item.model_dump_json(),
        }
        thread_doc = self._thread_doc(thread_id)
        doc = self._item_doc(thread_id, item.id)
        creating = context.unsaved.pop(thread_id, None)

        def write() -> None:
            from google.api_core import exceptions as gexc  # noqa: PLC0415

            batch = self._client().batch()
            if creating is not None:
                batch.create(thread_doc, creating)
            else:
                batch.update(thread_doc, {"updated_at": datetime.now(UTC)})
            batch.set(doc, record)
            try:
                batch.commit(**self._call_options())
            except gexc.NotFound:
                raise ThreadGone from None

        if context.defer_item_writes:
            self._write_behind(context, item.id, write)
        else:
            await self._run(write)

    async def _owned_item(
        self, thread_id: str, item_id: str, context: ChatRequestContext
    ) -> DocumentReference:
        """The item's document, once the request's writes have landed and the thread is the
        caller's (NotFoundError otherwise)."""
        await self.flush(context)
        await self._owned(thread_id, context)
        return self._item_doc(thread_id, item_id)

    async def load_item(
        self, thread_id: str, item_id: str, context: ChatRequestContext
    ) -> ThreadItem:
        doc = await self._owned_item(thread_id, item_id, context)
        snapshot = await self._run(lambda: doc.get(**self._call_options()))
        if not snapshot.exists:
            raise NotFoundError("item not found")
        return _ITEM.validate_json((snapshot.to_dict() or {})["item"])

    async def delete_thread_item(
        self, thread_id: str, item_id: str, context: ChatRequestContext
    ) -> None:
        doc = await self._owned_item(thread_id, item_id, context)
        await self._run(lambda: doc.delete(**self._call_options()))

    # --- feedback ------------------------------------------------------------------------
    async def save_feedback(
        self, thread_id: str, item_ids: list[str], kind: str, context: ChatRequestContext
    ) -> None:
        """Record `kind` (positive/negative) on each item, in one commit: all of them, or
        NotFoundError (nothing recorded) when one is not an item of the caller's thread."""
        docs = [await self._owned_item(thread_id, item_id, context) for item_id in item_ids]

        def write() -> None:
            from google.api_core import exceptions as gexc  # noqa: PLC0415

            batch = self._client().batch()
            for doc in docs:
                batch.update(doc, {"feedback": kind, "feedback_at": datetime.now(UTC)})
            try:
                batch.commit(**self._call_options())
            except gexc.NotFound:
                raise NotFoundError("item not found") from None

        await self._run(write)

    async def load_feedback(
        self, thread_id: str, item_id: str, context: ChatRequestContext
    ) -> str | None:
        """The feedback recorded on one of the caller's items, if any."""
        doc = await self._owned_item(thread_id, item_id, context)
        snapshot = await self._run(lambda: doc.get(**self._call_options()))
        if not snapshot.exists:
            raise NotFoundError("item not found")
        return (snapshot.to_dict() or {}).get("feedback")

    # --- attachments: not offered ----------------------------------------------------------
    async def save_attachment(self, attachment: Attachment, context: ChatRequestContext) -> None:
        raise AttachmentsNotSupported("attachments are not supported by this server")

    async def load_attachment(self, attachment_id: str, context: ChatRequestContext) -> Attachment:
        raise AttachmentsNotSupported("attachments are not supported by this server")

    async def delete_attachment(self, attachment_id: str, context: ChatRequestContext) -> None:
        raise AttachmentsNotSupported("attachments are not supported by this server")


def _delete_in_batches(client: Any, refs: list[Any], options: dict[str, Any]) -> None:
    for start in range(0, len(refs), DELETE_BATCH):
        batch = client.batch()
        for ref in refs[start : start + DELETE_BATCH]:
            batch.delete(ref)
        batch.commit(**options)


def _page(rows: list[T], limit: int) -> Page[T]:
    """A page of at most `limit` rows; `after` names the last one when more follow."""
    has_more = len(rows) > limit
    rows = rows[:limit]
    return Page(data=rows, has_more=has_more, after=_row_id(rows[-1]) if has_more else None)


def _row_id(row: Any) -> str:
    return str(row.id)
