"""Expiry and dependency failures: expired context is never served; a dead store is a fast
503/504 JSON answer, never a hang or a 500."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from google.cloud import firestore

from devtools.processes import free_port
from tests.helpers import new_session_id, post_json


def test_expired_document_is_absent(function_servers, clean_firestore):
    session = new_session_id("expired")
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    client.collection("chart_sessions").document(session).set(
        {
            "symbol": "TSLA",
            "timeframe": "1D",
            "snapshot_id": None,
            "seq": 3,
            "updated_at": datetime.now(UTC) - timedelta(days=1),
            "expires_at": datetime.now(UTC) - timedelta(seconds=1),
        }
    )
    url = function_servers.chart_action_url + "/api/chatkit/chart-action"
    answer = post_json(url, {"query": "support and resistance", "session_id": session}).json()
    assert answer["data"]["chart_context"] is None
    # an expired higher seq does not block a fresh update either
    update_url = function_servers.update_context_url
    body = {"session_id": session, "symbol": "AAPL", "timeframe": "1D", "seq": 1}
    assert post_json(update_url, body).json()["applied"] is True


def test_short_ttl_expires_end_to_end(servers_with, clean_firestore):
    servers = servers_with(SESSION_TTL_SECONDS="2")
    session = new_session_id("ttl")
    body = {"session_id": session, "symbol": "NVDA", "timeframe": "4h"}
    assert post_json(servers.update_context_url, body).status_code == 200
    query = {"query": "support and resistance", "session_id": session}
    fresh = post_json(servers.chart_action_url, query).json()
    assert fresh["data"]["chart_context"]["symbol"] == "NVDA"
    time.sleep(2.5)
    stale = post_json(servers.chart_action_url, query).json()
    assert stale["data"]["chart_context"] is None


def test_unreachable_store_answers_503_or_504_quickly(servers_with):
    dead = f"127.0.0.1:{free_port()}"
    servers = servers_with(FIRESTORE_EMULATOR_HOST=dead, STORE_TIMEOUT_SECONDS="1")
    cases = [
        (
            servers.update_context_url,
            {"session_id": new_session_id("d"), "symbol": "A", "timeframe": "1D"},
        ),
        (
            servers.update_context_url,
            {"session_id": new_session_id("d"), "symbol": "A", "timeframe": "1D", "seq": 1},
        ),
        (
            servers.chart_action_url,
            {"query": "support for TSLA", "session_id": new_session_id("d")},
        ),
    ]
    for url, body in cases:
        started = time.monotonic()
        response = post_json(url, body)
        elapsed = time.monotonic() - started
        assert response.status_code in (503, 504), response.text
        error = response.json()["error"]
        assert error["code"] in ("store_unavailable", "timeout")
        assert response.headers["Retry-After"]
        assert elapsed < 3, f"took {elapsed:.1f}s"


def test_store_that_never_answers_is_a_504_within_the_timeout(servers_with):
    """A Firestore endpoint that accepts connections but never speaks: the deadline answers."""
    import socket  # noqa: PLC0415

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    try:
        host = f"127.0.0.1:{silent.getsockname()[1]}"
        servers = servers_with(FIRESTORE_EMULATOR_HOST=host, STORE_TIMEOUT_SECONDS="1")
        body = {"session_id": new_session_id("hang"), "symbol": "TSLA", "timeframe": "1D"}
        started = time.monotonic()
        response = post_json(servers.update_context_url, body)
        assert response.status_code == 504, response.text
        assert response.json()["error"]["code"] == "timeout"
        assert time.monotonic() - started < 3
    finally:
        silent.close()
