"""Expiry and dependency failures: expired context is never served; a dead store is a fast
503/504 JSON answer, never a hang or a 500."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

from google.cloud import firestore

from devtools.processes import free_port
from tests.helpers import log_records, new_session_id, post_json, silent_endpoint


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
    """Seen before `expires_at`, gone after it: the waits follow the stored instant, not a
    fixed sleep, so a slow machine cannot read the fresh context after it expired."""
    servers = servers_with(SESSION_TTL_SECONDS="5")
    session = new_session_id("ttl")
    body = {"session_id": session, "symbol": "NVDA", "timeframe": "4h"}
    stored = post_json(servers.update_context_url, body)
    assert stored.status_code == 200
    expires_at = datetime.fromisoformat(stored.json()["expires_at"]).timestamp()
    query = {"query": "support and resistance", "session_id": session}
    asked = time.time()
    fresh = post_json(servers.chart_action_url, query).json()
    if asked < expires_at:  # 5 s of TTL: always, short of a machine stalled for seconds
        assert fresh["data"]["chart_context"]["symbol"] == "NVDA"
    time.sleep(max(0.0, expires_at + 0.2 - time.time()))
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
        assert elapsed < 3, f"took {elapsed:.1f}s"  # hang bound


def test_store_that_never_answers_is_a_504_then_fails_fast(servers_with):
    """A Firestore endpoint that accepts connections but never speaks: the deadline answers 504,
    and after three timeouts in a row the circuit breaker answers 503 at once (issue 17 row 5)."""
    with silent_endpoint() as host:
        servers = servers_with(FIRESTORE_EMULATOR_HOST=host, STORE_TIMEOUT_SECONDS="1")
        body = {"session_id": new_session_id("hang"), "symbol": "TSLA", "timeframe": "1D"}
        answers = []
        for _ in range(8):
            started = time.monotonic()
            response = post_json(servers.update_context_url, body)
            answers.append((response.status_code, time.monotonic() - started))
            assert response.headers["Retry-After"], response.text
            assert response.json()["error"]["code"] in ("timeout", "store_unavailable")
        assert answers[0][0] == 504, answers
        assert all(elapsed < 3 for _, elapsed in answers), answers  # hang bound
        # after three timeouts the breaker refuses without calling the store: counted from the
        # dependency lines (the time it saves is a `make bench` figure)
        log = servers.processes[0].log_path
        refusals = [
            r for r in log_records(log)
            if r.get("dependency", {}).get("errors", [""])[0].endswith(".CircuitOpen")
        ]  # fmt: skip
        assert sum(status == 503 for status, _ in answers[3:]) >= 3, answers
        assert len(refusals) >= 3, answers


def test_context_lives_its_whole_ttl_from_the_request(servers_with, clean_firestore):
    """Row 7 of issue 17: `expires_at` is the write's own instant plus the TTL (not a time taken
    earlier, not rounded down), so reads that finish before sent + TTL still see the context."""
    ttl = 5  # long enough for the first reads to land inside it on a loaded machine
    servers = servers_with(SESSION_TTL_SECONDS=str(ttl))
    session = new_session_id("ttl_exact")
    sent = time.time()
    body = {"session_id": session, "symbol": "NVDA", "timeframe": "4h"}
    answer = post_json(servers.update_context_url, body).json()
    expires_at = datetime.fromisoformat(answer["expires_at"])
    updated_at = datetime.fromisoformat(answer["chart_context"]["updated_at"])
    assert expires_at - updated_at == timedelta(seconds=ttl)
    assert expires_at.timestamp() >= sent + ttl
    query = {"query": "support and resistance", "session_id": session}
    seen_until, gone_at = 0.0, None
    while gone_at is None and time.time() < sent + ttl + 3:
        context = post_json(servers.chart_action_url, query).json()["data"]["chart_context"]
        if context is None:
            gone_at = time.time()
        else:
            seen_until = time.time()
        time.sleep(0.05)
    assert gone_at is not None, "the context outlived its TTL by 3 s"
    # every read that finished before sent + TTL saw it; it was gone soon after expires_at
    assert gone_at >= sent + ttl, f"expired {sent + ttl - gone_at:.2f}s early"
    assert seen_until >= sent + ttl - 1.0  # the polling did reach close to the boundary
    assert gone_at - expires_at.timestamp() < 2.0  # hang bound: gone soon after expires_at


def test_an_update_without_seq_keeps_the_high_water_mark(function_servers, clean_firestore):
    """Row 12 of issue 17: seq 100, then an update without seq, then seq 50: the third is
    ignored, and the one without seq was applied."""
    url, session = function_servers.update_context_url, new_session_id("hwm")

    def update(symbol: str, seq: int | None) -> dict:
        return update_answer(url, session, symbol, seq)

    assert update("TSLA", 100)["applied"] is True
    assert update("AAPL", None)["applied"] is True
    stale = update("MSFT", 50)
    assert stale["applied"] is False
    assert stale["chart_context"]["symbol"] == "AAPL" and stale["chart_context"]["seq"] == 100
    query = {"query": "support and resistance", "session_id": session}
    action = post_json(function_servers.chart_action_url, query).json()
    assert action["data"]["chart_context"]["symbol"] == "AAPL"
    assert update("NVDA", 101)["applied"] is True


def test_an_expired_seq_is_not_revived_by_an_update_without_one(servers_with, clean_firestore):
    """A context that expired keeps its document until the TTL policy deletes it (up to a day
    later). An update without `seq` revives the document; the `seq` of the dead context must
    not come back with it, or the page's next `seq` updates (counting from 1 again) would
    all be answered `applied: false`."""
    servers = servers_with(SESSION_TTL_SECONDS="2")
    url, session = servers.update_context_url, new_session_id("revived")

    def update(symbol: str, seq: int | None) -> dict:
        return update_answer(url, session, symbol, seq)

    assert update("TSLA", 40)["applied"] is True
    time.sleep(2.3)  # expired, not deleted (the emulator has no TTL policy)
    assert update("AAPL", None)["applied"] is True
    fresh = update("MSFT", 1)
    assert fresh["applied"] is True, fresh
    assert fresh["chart_context"]["seq"] == 1
    assert update("NVDA", 0)["applied"] is False  # and the new seq is the high-water mark


def update_answer(url: str, session: str, symbol: str, seq: int | None) -> dict:
    """update_context's 200 answer for one update (with `seq`, or without when it is None)."""
    body = {"session_id": session, "symbol": symbol, "timeframe": "1D"}
    response = post_json(url, body if seq is None else {**body, "seq": seq})
    assert response.status_code == 200, response.text
    return response.json()
