"""The Firestore thread store keeps chatkit's Store contract, against the real emulator:
pagination with `after` in both orders, `has_more`, item save/replace/delete, thread delete
with its items, ownership per chart session, expiry, and no attachments."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta

import pytest
from chatkit.errors import CustomStreamError
from chatkit.store import NotFoundError
from chatkit.types import (
    AssistantMessageContent,
    AssistantMessageItem,
    FileAttachment,
    InferenceOptions,
    ThreadMetadata,
    UserMessageItem,
    UserMessageTextContent,
)
from google.cloud import firestore

from shared.chat.context import ChatRequestContext
from shared.chat.thread_store import AttachmentsNotSupported, FirestoreThreadStore
from tests.helpers import new_session_id

COLLECTION = "chatkit_threads"
T0 = datetime(2026, 11, 20, 9, 0, 0)  # naive local time, as chatkit stamps its models


def client() -> firestore.Client:
    return firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])


def make_store(ttl_seconds: int = 3600) -> FirestoreThreadStore:
    shared_client = client()
    return FirestoreThreadStore(lambda: shared_client, COLLECTION, ttl_seconds, timeout=5)


def ctx(session: str) -> ChatRequestContext:
    """A fresh request context (as each HTTP request gets one)."""
    return ChatRequestContext(session_id=session)


def thread(n: int) -> ThreadMetadata:
    return ThreadMetadata(id=f"thr_test{n:03d}", created_at=T0 + timedelta(minutes=n))


def user_item(thread_id: str, n: int, text: str = "hello") -> UserMessageItem:
    return UserMessageItem(
        id=f"msg_u{n:03d}",
        thread_id=thread_id,
        created_at=T0 + timedelta(seconds=n),
        content=[UserMessageTextContent(text=f"{text} {n}")],
        inference_options=InferenceOptions(),
    )


def assistant_item(thread_id: str, n: int, text: str) -> AssistantMessageItem:
    return AssistantMessageItem(
        id=f"msg_a{n:03d}",
        thread_id=thread_id,
        created_at=T0 + timedelta(seconds=n),
        content=[AssistantMessageContent(text=text)],
    )


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def store(clean_firestore) -> FirestoreThreadStore:
    return make_store()


def test_thread_round_trip_and_update(store):
    session = new_session_id("store")
    run(store.save_thread(thread(1), ctx(session)))
    loaded = run(store.load_thread("thr_test001", ctx(session)))
    assert loaded == thread(1)
    context = ctx(session)
    renamed = run(store.load_thread("thr_test001", context)).model_copy(update={"title": "TSLA"})
    run(store.save_thread(renamed, context))
    assert run(store.load_thread("thr_test001", ctx(session))).title == "TSLA"
    with pytest.raises(NotFoundError):
        run(store.load_thread("thr_missing", ctx(session)))


def test_threads_page_in_both_orders_with_after(store):
    session = new_session_id("pages")
    for n in range(5):
        run(store.save_thread(thread(n), ctx(session)))

    def ids(order: str, limit: int) -> list[list[str]]:
        pages, after = [], None
        while True:
            page = run(store.load_threads(limit, after, order, ctx(session)))
            pages.append([t.id for t in page.data])
            assert page.has_more == (page.after is not None)
            if not page.has_more:
                return pages
            after = page.after

    names = [f"thr_test{n:03d}" for n in range(5)]
    assert ids("asc", 2) == [names[0:2], names[2:4], names[4:5]]
    assert ids("desc", 2) == [names[4:2:-1], names[2:0:-1], names[0:1]]
    assert ids("desc", 5) == [names[::-1]]


def test_items_page_replace_and_delete(store):
    session = new_session_id("items")
    context = ctx(session)
    run(store.save_thread(thread(1), context))
    for n in range(4):
        run(store.add_thread_item("thr_test001", user_item("thr_test001", n), context))
    page = run(store.load_thread_items("thr_test001", None, 3, "asc", ctx(session)))
    assert [i.id for i in page.data] == ["msg_u000", "msg_u001", "msg_u002"]
    assert page.has_more and page.after == "msg_u002"
    rest = run(store.load_thread_items("thr_test001", page.after, 3, "asc", ctx(session)))
    assert [i.id for i in rest.data] == ["msg_u003"] and not rest.has_more
    newest = run(store.load_thread_items("thr_test001", None, 2, "desc", ctx(session)))
    assert [i.id for i in newest.data] == ["msg_u003", "msg_u002"] and newest.has_more
    older = run(store.load_thread_items("thr_test001", newest.after, 2, "desc", ctx(session)))
    assert [i.id for i in older.data] == ["msg_u001", "msg_u000"] and not older.has_more

    replaced = user_item("thr_test001", 1, text="edited")
    run(store.save_item("thr_test001", replaced, ctx(session)))
    assert run(store.load_item("thr_test001", "msg_u001", ctx(session))) == replaced
    run(store.delete_thread_item("thr_test001", "msg_u002", ctx(session)))
    with pytest.raises(NotFoundError):
        run(store.load_item("thr_test001", "msg_u002", ctx(session)))
    left = run(store.load_thread_items("thr_test001", None, 10, "asc", ctx(session)))
    assert [i.id for i in left.data] == ["msg_u000", "msg_u001", "msg_u003"]


def test_item_types_survive_json(store):
    session = new_session_id("json")
    run(store.save_thread(thread(1), ctx(session)))
    answer = assistant_item("thr_test001", 9, "Support 238.40; resistance 262.90.")
    run(store.add_thread_item("thr_test001", answer, ctx(session)))
    loaded = run(store.load_item("thr_test001", "msg_a009", ctx(session)))
    assert isinstance(loaded, AssistantMessageItem) and loaded == answer


def test_delete_thread_removes_its_items(store):
    session = new_session_id("delete")
    run(store.save_thread(thread(1), ctx(session)))
    for n in range(3):
        run(store.add_thread_item("thr_test001", user_item("thr_test001", n), ctx(session)))
    run(store.delete_thread("thr_test001", ctx(session)))
    with pytest.raises(NotFoundError):
        run(store.load_thread("thr_test001", ctx(session)))
    thread_doc = client().collection(COLLECTION).document("thr_test001")
    assert not thread_doc.get().exists
    assert list(thread_doc.collection("items").list_documents()) == []


def test_another_session_sees_nothing(store):
    owner, other = new_session_id("owner"), new_session_id("other")
    run(store.save_thread(thread(1), ctx(owner)))
    run(store.add_thread_item("thr_test001", user_item("thr_test001", 0), ctx(owner)))
    assert run(store.load_threads(10, None, "desc", ctx(other))).data == []
    calls = [
        store.load_thread("thr_test001", ctx(other)),
        store.load_thread_items("thr_test001", None, 10, "asc", ctx(other)),
        store.load_item("thr_test001", "msg_u000", ctx(other)),
        store.add_thread_item("thr_test001", user_item("thr_test001", 5), ctx(other)),
        store.delete_thread("thr_test001", ctx(other)),
        store.delete_thread_item("thr_test001", "msg_u000", ctx(other)),
        store.save_thread(thread(1).model_copy(update={"title": "mine"}), ctx(other)),
        store.load_threads(10, "thr_test001", "desc", ctx(other)),
    ]
    for call in calls:
        with pytest.raises(NotFoundError):
            run(call)
    # the owner's thread is untouched
    assert run(store.load_thread("thr_test001", ctx(owner))).title is None
    items = run(store.load_thread_items("thr_test001", None, 10, "asc", ctx(owner)))
    assert [i.id for i in items.data] == ["msg_u000"]


def test_threads_store_no_raw_session_id(store):
    session = new_session_id("tag")
    run(store.save_thread(thread(1), ctx(session)))
    stored = client().collection(COLLECTION).document("thr_test001").get().to_dict()
    assert session not in str(stored)
    assert stored["expires_at"] > datetime.now(UTC) + timedelta(minutes=59)


def test_expired_threads_are_absent(clean_firestore):
    session = new_session_id("expiry")
    store = make_store(ttl_seconds=3600)
    for n in range(4):
        run(store.save_thread(thread(n), ctx(session)))
    run(store.add_thread_item("thr_test002", user_item("thr_test002", 0), ctx(session)))
    past = datetime.now(UTC) - timedelta(seconds=1)
    for n in (0, 2):  # as if their TTL ran out (the emulator enforces no TTL policy)
        client().collection(COLLECTION).document(f"thr_test{n:03d}").update({"expires_at": past})
    page = run(store.load_threads(1, None, "asc", ctx(session)))
    assert [t.id for t in page.data] == ["thr_test001"] and page.has_more
    page = run(store.load_threads(1, page.after, "asc", ctx(session)))
    assert [t.id for t in page.data] == ["thr_test003"] and not page.has_more
    for call in (
        store.load_thread("thr_test002", ctx(session)),
        store.load_thread_items("thr_test002", None, 10, "asc", ctx(session)),
    ):
        with pytest.raises(NotFoundError):
            run(call)


def test_ids_are_unique_and_path_safe(store):
    context = ctx(new_session_id("ids"))
    ids = {store.generate_thread_id(context) for _ in range(100)}
    assert len(ids) == 100 and all(i.startswith("thr_") and "/" not in i for i in ids)
    with pytest.raises(NotFoundError):
        run(store.load_thread("chart_sessions/someone", context))


def test_attachments_are_not_offered(store):
    context = ctx(new_session_id("files"))
    attachment = FileAttachment(id="atc_1", name="a.pdf", mime_type="application/pdf")
    for call in (
        store.save_attachment(attachment, context),
        store.load_attachment("atc_1", context),
        store.delete_attachment("atc_1", context),
    ):
        with pytest.raises(AttachmentsNotSupported):
            run(call)


def test_turn_writes_items_behind_in_order_and_reads_see_them(store):
    session = new_session_id("behind")
    run(store.save_thread(thread(1), ctx(session)))

    async def turn() -> list[str]:
        context = ChatRequestContext(session_id=session, defer_item_writes=True)
        for n in range(4):
            await store.add_thread_item("thr_test001", user_item("thr_test001", n), context)
        assert context.pending is not None  # the writes are still in flight here
        seen = await store.load_thread_items("thr_test001", None, 10, "asc", context)
        await store.flush(context)
        return [item.id for item in seen.data]

    seen = run(turn())
    assert seen == [f"msg_u{n:03d}" for n in range(4)]  # a read of the turn waits for them
    stored = run(store.load_thread_items("thr_test001", None, 10, "asc", ctx(session)))
    assert [item.id for item in stored.data] == seen


def test_a_failed_write_behind_raises_at_flush_as_a_readable_stream_error(store):
    session = new_session_id("behindfail")
    run(store.save_thread(thread(1), ctx(session)))
    too_big = user_item("thr_test001", 1, text="x" * 1_100_000)  # over Firestore's 1 MiB

    async def turn() -> None:
        context = ChatRequestContext(session_id=session, defer_item_writes=True)
        await store.add_thread_item("thr_test001", too_big, context)  # returns at once
        await store.flush(context)

    with pytest.raises(CustomStreamError) as raised:
        run(turn())
    assert "thread store" in raised.value.message
    assert run(store.load_thread_items("thr_test001", None, 10, "asc", ctx(session))).data == []
