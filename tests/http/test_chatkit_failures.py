"""chatkit when a dependency fails: before the stream a quick JSON 503/504, during a turn an
error event with a readable message; never a hung stream or a 500."""

from __future__ import annotations

import time

from devtools.processes import free_port
from tests.chatkit_client import ChatKitClient, chart_page, unreachable_market_data
from tests.helpers import new_session_id, silent_endpoint


def test_dead_store_answers_json_503_or_504_quickly(chatkit_with):
    dead = f"127.0.0.1:{free_port()}"
    url = chatkit_with(FIRESTORE_EMULATOR_HOST=dead, STORE_TIMEOUT_SECONDS="1") + "/api/chatkit"
    chat = ChatKitClient(url, new_session_id("dead"))
    for answer in (
        lambda: chat.call("threads.list", limit=5),
        lambda: chat.call("threads.get_by_id", thread_id="thr_abc"),
        lambda: chat.call(
            "threads.create",
            input={
                "content": [{"type": "input_text", "text": "support"}],
                "attachments": [],
                "inference_options": {},
            },
        ),
    ):
        started = time.monotonic()
        response = answer()
        assert response.status_code in (503, 504), response.text
        assert response.json()["error"]["code"] in ("store_unavailable", "timeout")
        assert response.headers["Retry-After"]
        assert time.monotonic() - started < 3  # hang bound: the store's 1 s deadline + slack


def test_market_data_failure_mid_turn_is_an_error_event(function_servers, chatkit_with):
    url = chatkit_with(**unreachable_market_data(free_port())) + "/api/chatkit"
    chat = chart_page(function_servers.update_context_url, url)
    started = time.monotonic()
    stream = chat.create("draw support and resistance")
    assert time.monotonic() - started < 5  # hang bound
    assert stream.status == 200 and stream.types()[0] == "thread.created"
    errors = stream.of_type("error")
    assert errors and "market data" in errors[0]["message"].lower()
    assert not stream.effects()
    assert "key-secret" not in str(stream.events)


def test_silent_store_trips_the_breaker_then_threads_fail_fast(chatkit_with):
    """The thread store sits behind the process's Firestore breaker, as the session store does:
    after three timeouts in a row, chatkit answers 503 at once instead of waiting them out."""
    with silent_endpoint() as host:
        url = chatkit_with(FIRESTORE_EMULATOR_HOST=host, STORE_TIMEOUT_SECONDS="1")
        chat = ChatKitClient(url + "/api/chatkit", new_session_id("silent"))
        answers = []
        for _ in range(7):
            started = time.monotonic()
            response = chat.call("threads.list", limit=5)
            answers.append((response.status_code, time.monotonic() - started))
            assert response.headers["Retry-After"]
        assert answers[0][0] == 504, answers
        fast = [a for a in answers[3:] if a[0] == 503 and a[1] < 0.5]
        assert len(fast) >= 3, answers
