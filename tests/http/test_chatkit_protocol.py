"""The chatkit function over real HTTP (functions-framework --asgi) and the real emulator,
without an OpenAI key: the ChatKit protocol, the chart effect, threads per chart session, and
the errors that must be JSON before anything is stored."""

from __future__ import annotations

import os

import pytest
from google.cloud import firestore

from tests.chatkit_client import ChatKitClient, chart_page, user_input
from tests.helpers import new_session_id, post_json


@pytest.fixture(scope="module")
def chatkit_url(chatkit_with) -> str:
    return chatkit_with() + "/api/chatkit"


def page(function_servers, chatkit_url, symbol="TSLA") -> ChatKitClient:
    return chart_page(function_servers.update_context_url, chatkit_url, symbol)


def stored_threads() -> list[dict]:
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    return [d.to_dict() for d in client.collection("chatkit_threads").stream()]


def test_health(chatkit_with):
    import requests  # noqa: PLC0415

    answer = requests.get(chatkit_with(), timeout=10).json()
    assert answer["status"] == "ok" and answer["service"] == "chatkit" and answer["version"]


def test_create_streams_thread_message_effect_answer(
    function_servers, chatkit_url, clean_firestore
):
    chat = page(function_servers, chatkit_url)
    stream = chat.create("draw support and resistance")
    assert stream.status == 200 and stream.content_type.startswith("text/event-stream")
    kinds = stream.types()
    effect_at = kinds.index("client_effect")
    done = [
        (i, e["item"]["type"])
        for i, e in enumerate(stream.events)
        if e["type"] == "thread.item.done"
    ]
    assert kinds[0] == "thread.created"
    assert done[0][1] == "user_message" and done[0][0] < effect_at
    assert done[1][1] == "assistant_message" and done[1][0] > effect_at
    assert "error" not in kinds

    effect = stream.effects()[0]["data"]
    plain = post_json(
        function_servers.chart_action_url,
        {"query": "draw support and resistance", "session_id": chat.headers["X-Chart-Session"]},
    ).json()
    assert effect["commands"] == plain["chart_commands"] and effect["text"] == plain["text"]
    assert effect["data"]["levels"] == plain["data"]["levels"]
    commands = effect["commands"]
    assert any(c.startswith("SUPPORT:") for c in commands)
    assert any(c.startswith("RESISTANCE:") for c in commands)
    assert not any(c.startswith("LOAD:") for c in commands)  # the stored context is TSLA 1D
    assert effect["data"]["chart_context"]["symbol"] == "TSLA"
    answer = stream.assistant_text()
    assert answer == plain["text"].split("\n")[0] and "SUPPORT:" not in answer


def test_add_message_then_list_read_and_delete(function_servers, chatkit_url, clean_firestore):
    chat = page(function_servers, chatkit_url)
    thread_id = chat.create("draw support and resistance").thread_id()
    second = chat.add(thread_id, "weekly")
    assert second.status == 200 and second.effects()
    assert "TIMEFRAME:1W" in second.effects()[0]["data"]["commands"]

    listed = chat.call("threads.list", limit=10, order="desc").json()
    assert [t["id"] for t in listed["data"]] == [thread_id]
    assert listed["data"][0]["title"] == "draw support and resistance"
    items = chat.call("items.list", thread_id=thread_id, limit=10, order="asc").json()
    assert [i["type"] for i in items["data"]] == ["user_message", "assistant_message"] * 2
    first_page = chat.call("items.list", thread_id=thread_id, limit=3, order="asc").json()
    assert first_page["has_more"] and len(first_page["data"]) == 3
    after = first_page["after"]
    rest = chat.call("items.list", thread_id=thread_id, limit=3, order="asc", after=after).json()
    assert [i["id"] for i in first_page["data"] + rest["data"]] == [i["id"] for i in items["data"]]
    thread = chat.call("threads.get_by_id", thread_id=thread_id).json()
    assert thread["id"] == thread_id and len(thread["items"]["data"]) == 4

    assert chat.call("threads.delete", thread_id=thread_id).status_code == 200
    assert chat.call("threads.get_by_id", thread_id=thread_id).status_code == 404
    assert chat.call("threads.list", limit=10).json()["data"] == []
    assert stored_threads() == []


def test_threads_are_invisible_to_another_chart_session(
    function_servers, chatkit_url, clean_firestore
):
    owner = page(function_servers, chatkit_url)
    other = page(function_servers, chatkit_url, symbol="NVDA")
    thread_id = owner.create("draw support and resistance").thread_id()

    assert other.call("threads.list", limit=10).json()["data"] == []
    for kind in ("threads.get_by_id", "items.list", "threads.delete"):
        answer = other.call(kind, thread_id=thread_id)
        assert answer.status_code == 404, kind
        assert answer.json()["error"]["code"] == "not_found"
        assert thread_id not in answer.text
    intruder = other.call("threads.add_user_message", thread_id=thread_id, input=user_input("hi"))
    assert intruder.status_code == 404
    unknown = owner.call("threads.get_by_id", thread_id="thr_doesnotexist")
    assert unknown.status_code == 404 and unknown.json() == answer.json()  # the same answer

    items = owner.call("items.list", thread_id=thread_id, limit=10).json()["data"]
    assert len(items) == 2  # the intruder's message was not stored


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Chart-Session": "short"}, {"X-Chart-Session": "bad session id with spaces!!"}],
)
def test_missing_or_malformed_session_header_is_400_and_stores_nothing(
    chatkit_url, clean_firestore, headers
):
    import requests  # noqa: PLC0415

    body = {"type": "threads.create", "params": {"input": user_input("support")}}
    answer = requests.post(chatkit_url, json=body, headers=headers, timeout=15)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert answer.json()["success"] is False and error["code"] == "invalid_request"
    assert error["details"][0]["field"] == "X-Chart-Session"
    assert "spaces" not in answer.text
    assert stored_threads() == []


def test_malformed_json_is_400(chatkit_url):
    import requests  # noqa: PLC0415

    headers = {"Content-Type": "application/json", "X-Chart-Session": new_session_id("json")}
    answer = requests.post(chatkit_url, data=b'{"type": "threads.', headers=headers, timeout=15)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_json"
    headers["Content-Type"] = "text/plain"  # what fetch() sends for a bare string body
    answer = requests.post(chatkit_url, data="type=threads.list", headers=headers, timeout=15)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "invalid_json"
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    answer = requests.post(chatkit_url, data="type=threads.list", headers=headers, timeout=15)
    assert answer.status_code == 415


@pytest.mark.parametrize(
    "body",
    [
        b'{"type": "threads.list", "params": {"limit": ' + b"9" * 5000 + b"}}",
        b'{"type": "threads.list", "params": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"type": "threads.list", "params": {"limit": NaN}}',
        b'{"type": "threads.list", "x": "\\ud800"}',
    ],
    ids=["huge-integer", "deep-nesting", "nan", "lone-surrogate"],
)
def test_hostile_json_is_400_without_echo(chatkit_url, body):
    import requests  # noqa: PLC0415

    headers = {"Content-Type": "application/json", "X-Chart-Session": new_session_id("json")}
    answer = requests.post(chatkit_url, data=body, headers=headers, timeout=15)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "invalid_json"
    assert len(answer.content) < 400 and "9999" not in answer.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "threads.explode", "params": {}}, "type"),
        ({"type": "threads.list"}, "params"),
        (
            {"type": "attachments.create", "params": {"name": "a", "size": 1, "mime_type": "a/b"}},
            "type",
        ),
        (
            {"type": "input.transcribe", "params": {"audio_base64": "", "mime_type": "audio/webm"}},
            "type",
        ),
    ],
)
def test_unknown_or_unoffered_request_type_is_400(chatkit_url, body, field):
    answer = ChatKitClient(chatkit_url, new_session_id("type")).post(body)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "invalid_request"
    assert any(d["field"].startswith(field) for d in answer.json()["error"]["details"])


def test_attachments_and_overlong_messages_are_refused_before_storing(chatkit_url, clean_firestore):
    chat = ChatKitClient(chatkit_url, new_session_id("limits"))
    with_file = {**user_input("look at this"), "attachments": ["atc_123"]}
    answer = chat.call("threads.create", input=with_file)
    assert answer.status_code == 400
    assert answer.json()["error"]["details"][0]["field"] == "params.input.attachments"
    answer = chat.call("threads.create", input=user_input("x" * 2001))
    assert answer.status_code == 400
    assert answer.json()["error"]["details"][0]["field"] == "params.input.content"
    assert stored_threads() == []


def test_turn_limit_answers_an_error_event(function_servers, chatkit_with, clean_firestore):
    url = chatkit_with(CHATKIT_TURNS_PER_MINUTE="2") + "/api/chatkit"
    chat = page(function_servers, url)
    thread_id = chat.create("draw support and resistance").thread_id()
    assert chat.add(thread_id, "weekly").effects()
    limited = chat.add(thread_id, "daily")
    assert limited.status == 200 and limited.types() == ["error"]
    assert "wait a minute" in limited.events[0]["message"]
    other = page(function_servers, url)  # another chart session has its own budget
    assert other.create("draw support and resistance").effects()
    items = chat.call("items.list", thread_id=thread_id, limit=10).json()["data"]
    assert len(items) == 4  # the refused turn stored nothing


def test_get_and_wrong_route(chatkit_with):
    chat = ChatKitClient(chatkit_with() + "/api/elsewhere", new_session_id("route"))
    assert chat.call("threads.list").status_code == 404
