"""chatkit under hostile requests (issue 17's rules, on the third door): each is a 4xx JSON
answer in the SPEC 6 envelope, never a 5xx, never the hostile text echoed back, and nothing is
stored. The table grows with what the JSON routes' adversarial suite taught."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from urllib.parse import urlsplit

import pytest
import requests
from google.cloud import firestore

from tests.helpers import new_session_id
from tests.store_proxy import store_proxy

MARK = "<img src=x onerror=alert(1)>"
LONG = "Z" * 15_000


def message(content: list, attachments: list | None = None) -> dict:
    """threads.create with this content (and attachments, which this server does not offer)."""
    user_input = {"content": content, "attachments": attachments or [], "inference_options": {}}
    return {"type": "threads.create", "params": {"input": user_input}}


def text(words: str) -> list:
    return [{"type": "input_text", "text": words}]


TEXT = text("support")
GET = "threads.get_by_id"
DUPLICATE_TYPE = b'{"type": "threads.delete", "type": "threads.list", "params": {}}'
DUPLICATE_THREAD = b'{"type": "threads.get_by_id", "params": {"thread_id": "a", "thread_id": "b"}}'
CASES: list[tuple[str, dict | bytes, dict[str, str], int]] = [
    ("union tag with markup", message([{"type": MARK, "text": "hi"}]), {}, 400),
    ("union tag, 15k chars", message([{"type": LONG, "text": "hi"}]), {}, 400),
    ("request type with markup", {"type": MARK, "params": {}}, {}, 400),
    ("thread id with markup", {"type": GET, "params": {"thread_id": MARK}}, {}, 404),
    ("thread id 15k chars", {"type": GET, "params": {"thread_id": LONG}}, {}, 404),
    ("path-like thread id", {"type": GET, "params": {"thread_id": "../chart_sessions/x"}}, {}, 404),
    ("limit as markup", {"type": "threads.list", "params": {"limit": MARK}}, {}, 400),
    ("order as markup", {"type": "threads.list", "params": {"order": MARK}}, {}, 400),
    ("message of 15k chars", message([{"type": "input_text", "text": LONG}]), {}, 400),
    ("attachment with markup", message(TEXT, attachments=[MARK]), {}, 400),
    ("huge integer", b"{\"type\": \"threads.list\", \"limit\": " + b"7" * 5000 + b"}", {}, 400),
    ("NaN", b'{"type": "threads.list", "params": {"limit": NaN}}', {}, 400),
    ("not UTF-8", b'{"type": "threads.list", "x": "\xff\xfe"}', {}, 400),
    ("session header with markup", message(TEXT), {"X-Chart-Session": MARK}, 400),
    ("session header 15k chars", message(TEXT), {"X-Chart-Session": LONG}, 400),
    ("reserved session id", message(TEXT), {"X-Chart-Session": "__reserved_session_id__"}, 400),
    # issue 25: one hostile field must never be a 500 (nor plain text)
    ("type as a list", {"type": ["threads.list"], "params": {}}, {}, 400),
    ("type as an object", {"type": {"$ne": MARK}, "params": {}}, {}, 400),
    ("list limit negative", {"type": "threads.list", "params": {"limit": -1}}, {}, 400),
    ("list limit 2**31", {"type": "threads.list", "params": {"limit": 2**31}}, {}, 400),
    ("list limit 2**63", {"type": "threads.list", "params": {"limit": 2**63}}, {}, 400),
    ("list limit zero", {"type": "threads.list", "params": {"limit": 0}}, {}, 400),
    ("list limit true", {"type": "threads.list", "params": {"limit": True}}, {}, 400),
    ("list limit as a string", {"type": "threads.list", "params": {"limit": "5"}}, {}, 400),
    ("items limit negative", {"type": "items.list", "params": {"thread_id": "thr_x", "limit": -5}},
     {}, 400),
    ("items limit 2**31", {"type": "items.list", "params": {"thread_id": "thr_x", "limit": 2**31}},
     {}, 400),
    ("message of zero-width characters", message(text("\u200b\u200d\u2060")),
     {}, 400),
    ("message of control characters", message(text("\x00\x07\x1b")),
     {}, 400),
    ("message of bidi controls", message(text("\u202e\u2066\u200f")),
     {}, 400),
    ("duplicate type key", DUPLICATE_TYPE, {}, 400),
    ("duplicate thread id in params", DUPLICATE_THREAD, {}, 400),
    ("feedback on an unknown thread",
     {"type": "items.feedback", "params": {"thread_id": "thr_nope", "item_ids": ["msg_x"],
                                           "kind": "positive"}}, {}, 404),
    ("retry after an unknown thread",
     {"type": "threads.retry_after_item", "params": {"thread_id": "thr_nope", "item_id": "msg_x"}},
     {}, 404),
]  # fmt: skip


@pytest.fixture(scope="module")
def chatkit_url(chatkit_with) -> str:
    """LOG_LEVEL set, as Terraform sets it (chatkit's own logger reads it too)."""
    return chatkit_with(LOG_LEVEL="INFO") + "/api/chatkit"


@pytest.mark.parametrize(("name", "body", "headers", "status"), CASES, ids=[c[0] for c in CASES])
def test_hostile_request_is_a_4xx_without_echo(chatkit_url, name, body, headers, status):
    sent = {"Content-Type": "application/json", "X-Chart-Session": new_session_id("hostile")}
    sent.update(headers)
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    answer = requests.post(chatkit_url, data=data, headers=sent, timeout=15)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert answer.json()["success"] is False and error["code"] and error["message"]
    for hostile in (MARK, LONG[:64], "onerror", "__reserved"):
        assert hostile not in answer.text, answer.text
    assert len(answer.content) < 2000


def chat(url: str, session: str, body: dict) -> requests.Response:
    headers = {"Content-Type": "application/json", "X-Chart-Session": session}
    return requests.post(url, data=json.dumps(body).encode(), headers=headers, timeout=15)


def sse_events(answer: requests.Response) -> list[dict]:
    lines = answer.content.split(b"\n")
    return [json.loads(line[6:]) for line in lines if line.startswith(b"data: ")]


def new_thread(url: str, session: str) -> tuple[str, list[dict]]:
    """A thread with one turn; its id and its stored items."""
    created = chat(url, session, message([{"type": "input_text", "text": "draw support"}]))
    assert created.status_code == 200, created.text
    thread_id = sse_events(created)[0]["thread"]["id"]
    items = chat(url, session, {"type": "items.list", "params": {"thread_id": thread_id}})
    return thread_id, items.json()["data"]


def test_retry_needs_a_stored_user_message_of_the_thread(chatkit_url):
    session = new_session_id("retry")
    thread_id, items = new_thread(chatkit_url, session)
    answer_id = next(i["id"] for i in items if i["type"] == "assistant_message")
    for item_id, status, code in (
        ("msg_unknown0000", 404, "not_found"),
        (answer_id, 400, "invalid_request"),
        (MARK, 404, "not_found"),
    ):
        body = {"type": "threads.retry_after_item",
                "params": {"thread_id": thread_id, "item_id": item_id}}  # fmt: skip
        answer = chat(chatkit_url, session, body)
        assert answer.status_code == status, answer.text
        error = answer.json()["error"]
        assert error["code"] == code and MARK not in answer.text
        if status == 400:
            assert error["details"][0]["field"] == "params.item_id"


def test_feedback_is_recorded_for_owned_items_and_refused_otherwise(chatkit_url):
    session = new_session_id("feedback")
    thread_id, items = new_thread(chatkit_url, session)
    answer_id = next(i["id"] for i in items if i["type"] == "assistant_message")

    def feedback(owner: str, item_ids: list[str]) -> requests.Response:
        params = {"thread_id": thread_id, "item_ids": item_ids, "kind": "negative"}
        return chat(chatkit_url, owner, {"type": "items.feedback", "params": params})

    assert feedback(new_session_id("stranger"), [answer_id]).status_code == 404
    assert feedback(session, ["msg_unknown0000"]).status_code == 404
    assert feedback(session, [answer_id]).status_code == 200
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    thread = client.collection("chatkit_threads").document(thread_id)
    stored = thread.collection("items").document(answer_id).get().to_dict()
    assert stored["feedback"] == "negative", stored


def test_nothing_hostile_is_stored(chatkit_url, clean_firestore):
    for _name, body, headers, _status in CASES:
        sent = {"Content-Type": "application/json", "X-Chart-Session": new_session_id("store")}
        sent.update(headers)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        requests.post(chatkit_url, data=data, headers=sent, timeout=15)
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    assert list(client.collection("chatkit_threads").stream()) == []


# --- logs and CORS on the chat door (issue 25) ---------------------------------------------


def log_of(chatkit_with, url: str):
    """The log file of the chatkit server at `url`."""
    base = url.removesuffix("/api/chatkit")
    return next(p.log_path for p in chatkit_with.processes.values() if p.url == base)


class LogMark:
    """The server's output after a point."""

    def __init__(self, path):
        self.path, self.offset = path, path.stat().st_size

    def lines(self) -> list[str]:
        time.sleep(0.2)  # let a late line land
        with self.path.open("rb") as log:
            log.seek(self.offset)
            text = log.read().decode("utf-8", "replace")
        return [line for line in text.splitlines() if line.strip()]

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.lines()]  # each line one JSON object


def raw(url: str, request: bytes, half_close: bool = False) -> bytes:
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as sock:
        sock.sendall(request.replace(b"HOST", parts.netloc.encode()))
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        sock.settimeout(5)
        answer = b""
        with contextlib.suppress(TimeoutError, ConnectionError):
            while chunk := sock.recv(65536):
                answer += chunk
        return answer


def test_a_client_hanging_up_or_breaking_framing_is_an_info_line(chatkit_url, chatkit_with):
    mark = LogMark(log_of(chatkit_with, chatkit_url))
    session = new_session_id("hangup").encode()
    head = b"POST /api/chatkit HTTP/1.1\r\nHost: HOST\r\nContent-Type: application/json\r\n"
    head += b"X-Chart-Session: " + session + b"\r\n"
    raw(chatkit_url, head + b"Content-Length: 500\r\n\r\n" + b'{"type": "thr', half_close=True)
    raw(chatkit_url, head + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
    raw(chatkit_url, head + b'Transfer-Encoding: chunked\r\n\r\n20\r\n{"type"', half_close=True)
    records = mark.records()
    assert records, "nothing was logged"
    assert not [r for r in records if r["severity"] in ("ERROR", "CRITICAL", "WARNING")], records
    assert "Traceback" not in "\n".join(mark.lines())
    assert sum("client error" in r["message"] for r in records) >= 2, records


@pytest.mark.parametrize("length", [12_000, 200_000])
def test_a_huge_path_is_refused_and_logged_cut(chatkit_url, chatkit_with, length):
    """A path the server parses reaches the endpoint (a JSON 404); one over its request-line
    limit is refused by uvicorn itself (a 400 before any application code). Either way no
    line of the log is long, and the markup is not in it."""
    mark = LogMark(log_of(chatkit_with, chatkit_url))
    path = b"/" + b"P" * length + b"<b>x</b>"
    head = b"POST " + path + b" HTTP/1.1\r\nHost: HOST\r\nContent-Type: application/json\r\n"
    head += b"X-Chart-Session: " + new_session_id("path").encode() + b"\r\n"
    answer = raw(chatkit_url, head + b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
    status = 404 if length < 16_000 else 400
    assert answer.startswith(b"HTTP/1.1 %d" % status) and b"PPPP" not in answer, answer[:200]
    lines = mark.lines()
    assert all(len(line) < 16 * 1024 for line in lines), [len(x) for x in lines]
    assert "<b>x</b>" not in "\n".join(lines)
    if status == 404:
        assert any(json.loads(line)["httpRequest"]["status"] == 404 for line in lines)


def test_a_store_failure_is_one_warning_line_not_a_traceback(chatkit_with, firestore_emulator):
    with store_proxy(firestore_emulator) as proxy:
        url = chatkit_with(
            FIRESTORE_EMULATOR_HOST=proxy.host, STORE_TIMEOUT_SECONDS="1", LOG_LEVEL="INFO"
        )
        url += "/api/chatkit"
        session = new_session_id("logs")
        listing = {"type": "threads.list", "params": {}}
        deadline = time.monotonic() + 20  # a fresh server opens its channel first
        while chat(url, session, listing).status_code != 200:
            assert time.monotonic() < deadline
            time.sleep(0.5)
        mark = LogMark(log_of(chatkit_with, url))
        proxy.cut(b"/items/")
        created = chat(url, session, message([{"type": "input_text", "text": "support"}]))
        proxy.release()
        assert created.status_code in (200, 503, 504)
        thread_id = sse_events(created)[0]["thread"]["id"] if created.status_code == 200 else ""
        retry = {
            "type": "threads.retry_after_item",
            "params": {"thread_id": thread_id or "thr_x", "item_id": "msg_gone0000"},
        }
        assert chat(url, session, retry).status_code < 500  # fmt: skip
        records = mark.records()
    assert "Traceback" not in "\n".join(mark.lines())
    assert not [r for r in records if r["severity"] in ("ERROR", "CRITICAL")], records
    warnings = [r for r in records if r["severity"] == "WARNING"]
    assert warnings and all(r["logger"] == "chart_control.dependency" for r in warnings), records


@pytest.mark.parametrize("origin", ["http://localhost:3000///", "HTTP://LOCALHOST:3000"])
def test_cors_grants_only_an_exact_allowed_origin(chatkit_url, origin):
    answer = requests.options(chatkit_url, headers={"Origin": origin}, timeout=15)
    assert "Access-Control-Allow-Origin" not in answer.headers
    exact = requests.options(chatkit_url, headers={"Origin": "http://localhost:3000"}, timeout=15)
    assert exact.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
