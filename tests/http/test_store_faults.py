"""Store faults one write at a time (issue 25): a TCP proxy in front of the emulator cuts or
holds single writes (`tests/store_proxy.py`) under the production servers.

The chat door's promises: nothing is shown as done that is not stored (or the stream says
plainly what was not saved, and the retry it offers works); a deleted thread has no items
afterwards, whatever was streaming; a create that failed leaves no thread behind, or a thread
that holds its message and can be answered. The JSON door's: a cut write is a 503/504 and
the stored context is unchanged.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

import pytest
from google.cloud import firestore

from tests.chatkit_client import ChatKitClient, Stream, chart_page, user_input
from tests.helpers import new_session_id, post_json
from tests.store_proxy import StoreProxy, store_proxy

ITEMS = b"/items/"  # in the name of every item document a commit writes
THREADS = b"/chatkit_threads/"


@pytest.fixture
def proxy(firestore_emulator):
    with store_proxy(firestore_emulator) as running:
        yield running


def chat_behind(proxy: StoreProxy, function_servers, chatkit_with, **env: str) -> ChatKitClient:
    """A page whose chatkit reaches Firestore through the proxy (its own server process)."""
    url = chatkit_with(FIRESTORE_EMULATOR_HOST=proxy.host, **env) + "/api/chatkit"
    return chart_page(function_servers.update_context_url, url)


def stored_items(thread_id: str) -> list[dict]:
    """The item documents under the thread, read straight from the emulator."""
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    thread = client.collection("chatkit_threads").document(thread_id)
    return [doc.to_dict() for doc in thread.collection("items").stream()]


def until(check: Callable[[], bool], seconds: float = 15) -> bool:
    """Poll `check` (the breaker's cool-off may refuse the first calls after a fault)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def listed_items(chat: ChatKitClient, thread_id: str) -> list[dict] | None:
    answer = chat.call("items.list", thread_id=thread_id, limit=50)
    return answer.json()["data"] if answer.status_code == 200 else None


def done_ids(stream: Stream) -> list[str]:
    return [event["item"]["id"] for event in stream.of_type("thread.item.done")]


def test_a_cut_message_write_is_never_shown_as_done(proxy, function_servers, chatkit_with):
    chat = chat_behind(proxy, function_servers, chatkit_with, STORE_TIMEOUT_SECONDS="2")
    thread_id = chat.create("draw support and resistance").thread_id()
    proxy.cut(ITEMS)
    stream = chat.add(thread_id, "and the 50 day moving average")
    proxy.release()
    assert proxy.cuts, "the fault never fired"
    assert stream.status == 200 and stream.of_type("error"), stream.events
    assert until(lambda: listed_items(chat, thread_id) is not None)
    stored = {item["id"] for item in listed_items(chat, thread_id) or []}
    assert set(done_ids(stream)) <= stored, (done_ids(stream), stored)
    error = stream.of_type("error")[-1]
    assert "not saved" in error["message"], error


def test_a_cut_answer_is_not_shown_and_the_offered_retry_answers(
    proxy, function_servers, chatkit_with
):
    chat = chat_behind(proxy, function_servers, chatkit_with, STORE_TIMEOUT_SECONDS="2")
    thread_id = chat.create("draw support and resistance").thread_id()
    proxy.cut(ITEMS, skip=1)  # the user's message is stored, the answer's write is cut
    stream = chat.add(thread_id, "and the 50 day moving average")
    proxy.release()
    assert until(lambda: listed_items(chat, thread_id) is not None)
    stored = {item["id"] for item in listed_items(chat, thread_id) or []}
    assert set(done_ids(stream)) <= stored, (stream.events, stored)
    error = stream.of_type("error")[-1]
    assert error["allow_retry"] is True, error
    shown_users = [
        event["item"]["id"]
        for event in stream.of_type("thread.item.done")
        if event["item"]["type"] == "user_message"
    ]
    assert shown_users, stream.events
    retried: list[Stream] = []

    def retry() -> bool:
        retried.append(chat.stream("threads.retry_after_item", thread_id=thread_id,
                                   item_id=shown_users[-1]))  # fmt: skip
        return retried[-1].status == 200 and not retried[-1].of_type("error")

    assert until(retry), retried[-1].events if retried else None
    assert retried[-1].effects() and retried[-1].assistant_text()
    answers = [i for i in listed_items(chat, thread_id) or [] if i["type"] == "assistant_message"]
    assert len(answers) == 2  # the first turn's and the retried one's


def test_a_thread_deleted_mid_turn_keeps_no_items(
    proxy, function_servers, chatkit_with, firestore_emulator
):
    """The turn's item writes are held at the proxy while another instance deletes the
    thread; once they are let through, none of them may land under the deleted thread."""
    chat = chat_behind(proxy, function_servers, chatkit_with, STORE_TIMEOUT_SECONDS="6")
    other = ChatKitClient(chatkit_with() + "/api/chatkit", None)
    other.headers = dict(chat.headers)  # the same chart session, on an instance without faults
    thread_id = chat.create("draw support and resistance").thread_id()
    proxy.hold(ITEMS)
    streamed: list[Stream] = []
    turn = threading.Thread(target=lambda: streamed.append(chat.add(thread_id, "resistance")))
    turn.start()
    assert until(lambda: proxy.held > 0, 5), "the turn never wrote"
    deleted = other.call("threads.delete", thread_id=thread_id)
    assert deleted.status_code == 200, deleted.text
    proxy.release()
    turn.join(30)
    assert streamed and streamed[0].status == 200
    time.sleep(0.5)
    assert stored_items(thread_id) == [], stored_items(thread_id)
    assert other.call("threads.get_by_id", thread_id=thread_id).status_code == 404


def test_a_create_that_timed_out_leaves_no_empty_thread(proxy, function_servers, chatkit_with):
    chat = chat_behind(proxy, function_servers, chatkit_with, STORE_TIMEOUT_SECONDS="1")
    assert chat.call("threads.list", limit=5).status_code == 200  # the channel is open
    proxy.hold(THREADS)
    answer = chat.post({"type": "threads.create", "params": {"input": user_input("support")}})
    assert answer.status_code in (503, 504), answer.text
    time.sleep(0.3)
    proxy.release()  # Firestore catches up: the held create lands now
    time.sleep(1.0)
    assert until(lambda: chat.call("threads.list", limit=20).status_code == 200)
    for thread in chat.call("threads.list", limit=20).json()["data"]:
        items = listed_items(chat, thread["id"]) or []
        users = [i for i in items if i["type"] == "user_message"]
        assert users, f"an empty thread was left behind: {thread}"
        retried = chat.stream("threads.retry_after_item", thread_id=thread["id"],
                              item_id=users[-1]["id"])  # fmt: skip
        assert retried.status == 200 and retried.effects(), retried.events


def test_a_cut_context_write_is_a_503_and_changes_nothing(proxy, servers_with):
    servers = servers_with(FIRESTORE_EMULATOR_HOST=proxy.host, STORE_TIMEOUT_SECONDS="1")
    session = new_session_id("cut")
    body = {"session_id": session, "symbol": "TSLA", "timeframe": "1D", "seq": 1}
    assert post_json(servers.update_context_url, body).status_code == 200
    proxy.cut(session.encode())
    answer = post_json(servers.update_context_url, {**body, "symbol": "AAPL", "seq": 2})
    proxy.release()
    assert proxy.cuts and answer.status_code in (503, 504), answer.text
    assert answer.json()["error"]["code"] in ("store_unavailable", "timeout")
    query = {"query": "support", "session_id": session}
    assert until(lambda: post_json(servers.chart_action_url, query).status_code == 200)
    context = post_json(servers.chart_action_url, query).json()["data"]["chart_context"]
    assert context["symbol"] == "TSLA"
