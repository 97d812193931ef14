"""chatkit under hostile requests (issue 17's rules, on the third door): each is a 4xx JSON
answer in the SPEC 6 envelope, never a 5xx, never the hostile text echoed back, and nothing is
stored. The table grows with what the JSON routes' adversarial suite taught."""

from __future__ import annotations

import json
import os

import pytest
import requests
from google.cloud import firestore

from tests.helpers import new_session_id

MARK = "<img src=x onerror=alert(1)>"
LONG = "Z" * 15_000


def message(content: list, attachments: list | None = None) -> dict:
    """threads.create with this content (and attachments, which this server does not offer)."""
    user_input = {"content": content, "attachments": attachments or [], "inference_options": {}}
    return {"type": "threads.create", "params": {"input": user_input}}


TEXT = [{"type": "input_text", "text": "support"}]
GET = "threads.get_by_id"
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
]  # fmt: skip


@pytest.fixture(scope="module")
def chatkit_url(chatkit_with) -> str:
    return chatkit_with() + "/api/chatkit"


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


def test_nothing_hostile_is_stored(chatkit_url, clean_firestore):
    for _name, body, headers, _status in CASES:
        sent = {"Content-Type": "application/json", "X-Chart-Session": new_session_id("store")}
        sent.update(headers)
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        requests.post(chatkit_url, data=data, headers=sent, timeout=15)
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    assert list(client.collection("chatkit_threads").stream()) == []
