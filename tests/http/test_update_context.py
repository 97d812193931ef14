"""update_context through real HTTP against the real Firestore emulator (SPEC 3, 6)."""

from __future__ import annotations

import concurrent.futures
import os
import random
from datetime import UTC, datetime, timedelta

import pytest
import requests
from google.cloud import firestore

from tests.helpers import FunctionServers, new_session_id, post_json, post_raw

PATHS = ("/", "/api/chatkit/update-context")


@pytest.fixture
def url(function_servers: FunctionServers, clean_firestore: str) -> str:
    return function_servers.update_context_url + "/api/chatkit/update-context"


def stored_document(session_id: str) -> dict | None:
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    return client.collection("chart_sessions").document(session_id).get().to_dict()


@pytest.mark.parametrize("path", PATHS)
def test_stores_normalised_context(function_servers: FunctionServers, clean_firestore: str, path):
    session = new_session_id("store")
    body = {"session_id": session, "symbol": " tsla ", "timeframe": "1d", "snapshot_id": "snap_1"}
    response = post_json(function_servers.update_context_url + path, body)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["success"] is True and answer["applied"] is True
    assert answer["chart_context"]["symbol"] == "TSLA"
    assert answer["chart_context"]["timeframe"] == "1D"
    assert answer["chart_context"]["snapshot_id"] == "snap_1"
    expires = datetime.fromisoformat(answer["expires_at"])
    assert timedelta(hours=11.9) < expires - datetime.now(UTC) <= timedelta(hours=12)
    document = stored_document(session)
    assert document is not None
    assert document["symbol"] == "TSLA" and document["timeframe"] == "1D"
    assert isinstance(document["expires_at"], datetime)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("D", "1D"),
        ("daily", "1D"),
        ("60m", "1H"),
        ("1h", "1H"),
        ("hourly", "1H"),
        ("weekly", "1W"),
        ("monthly", "1M"),
        ("1mo", "1M"),
        ("5min", "5m"),
        ("1m", "1m"),
        ("1M", "1M"),
        ("4H", "4H"),
    ],
)
def test_timeframe_aliases(url: str, alias: str, canonical: str):
    body = {"session_id": new_session_id("tf"), "symbol": "AAPL", "timeframe": alias}
    response = post_json(url, body)
    assert response.status_code == 200, response.text
    assert response.json()["chart_context"]["timeframe"] == canonical


@pytest.mark.parametrize("symbol", ["BRK.B", "BTC-USD", "ES=F", "^GSPC", "brk.b", "EUR/USD"])
def test_symbol_forms(url: str, symbol: str):
    body = {"session_id": new_session_id("sym"), "symbol": symbol, "timeframe": "1D"}
    response = post_json(url, body)
    assert response.status_code == 200, response.text
    assert response.json()["chart_context"]["symbol"] == symbol.upper()


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"session_id": "short"}, "session_id"),
        ({"session_id": "x" * 129}, "session_id"),
        ({"session_id": "has spaces in it!!!!"}, "session_id"),
        ({"symbol": ""}, "symbol"),
        ({"symbol": "TOOLONGSYMBOL1234"}, "symbol"),
        ({"symbol": "-ABC"}, "symbol"),
        ({"symbol": "AB CD"}, "symbol"),
        ({"timeframe": "2D"}, "timeframe"),
        ({"timeframe": 5}, "timeframe"),
        ({"snapshot_id": "bad id"}, "snapshot_id"),
        ({"seq": -1}, "seq"),
        ({"seq": 2**63}, "seq"),
        ({"seq": "17"}, "seq"),
        ({"seq": True}, "seq"),
        ({"extra": 1}, "extra"),
    ],
)
def test_invalid_fields_name_the_field(url: str, patch: dict, field: str):
    body = {"session_id": new_session_id("bad"), "symbol": "TSLA", "timeframe": "1D", **patch}
    response = post_json(url, body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in [d["field"] for d in error["details"]]
    assert response.json()["success"] is False


def test_missing_fields(url: str):
    response = post_json(url, {})
    assert response.status_code == 400
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"session_id", "symbol", "timeframe"}


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        ("{not json", "application/json", 400, "invalid_json"),
        (b"\xff\xfe", "application/json", 400, "invalid_json"),
        ("[1, 2]", "application/json", 400, "invalid_request"),
        ("symbol=TSLA", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
        ("{}", "text/plain", 415, "unsupported_media_type"),
        ('{"pad": "' + "x" * 17000 + '"}', "application/json", 413, "payload_too_large"),
    ],
)
def test_body_errors(url: str, data, content_type: str, status: int, code: str):
    response = post_raw(url, data, content_type)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_method_not_allowed(url: str, method: str):
    response = requests.request(method, url, timeout=10)
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_health(function_servers: FunctionServers):
    response = requests.get(function_servers.update_context_url, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "update_context", "version": "0.1.0"}


def test_unknown_path_is_404_json(function_servers: FunctionServers):
    response = post_json(function_servers.update_context_url + "/nope", {})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_cors_for_allowed_origin(url: str):
    origin = "http://localhost:5173"
    preflight = requests.options(
        url,
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    body = {"session_id": new_session_id("cors"), "symbol": "TSLA", "timeframe": "1D"}
    response = requests.post(url, json=body, headers={"Origin": origin}, timeout=10)
    assert response.headers["Access-Control-Allow-Origin"] == origin


def test_no_cors_for_other_origins(url: str):
    response = requests.options(url, headers={"Origin": "https://evil.example"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in response.headers
    error = post_json(url, {}, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in error.headers


def test_configured_origins_replace_the_defaults(servers_with):
    servers = servers_with(ALLOWED_ORIGINS="https://app.example.com")
    url = servers.update_context_url
    allowed = requests.options(url, headers={"Origin": "https://app.example.com"}, timeout=10)
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    local = requests.options(url, headers={"Origin": "http://localhost:5173"}, timeout=10)
    assert "Access-Control-Allow-Origin" not in local.headers


def update(url: str, session: str, symbol: str, seq: int | None) -> requests.Response:
    body = {"session_id": session, "symbol": symbol, "timeframe": "1D"}
    if seq is not None:
        body["seq"] = seq
    return post_json(url, body)


def test_older_seq_is_ignored(url: str):
    session = new_session_id("seq")
    assert update(url, session, "TSLA", 5).json()["applied"] is True
    stale = update(url, session, "AAPL", 4).json()
    assert stale["applied"] is False
    assert stale["chart_context"]["symbol"] == "TSLA"
    assert stale["chart_context"]["seq"] == 5
    assert update(url, session, "MSFT", 5).json()["applied"] is True  # equal seq: same state
    assert update(url, session, "NVDA", 6).json()["applied"] is True
    assert stored_document(session)["symbol"] == "NVDA"


def test_update_without_seq_always_applies(url: str):
    session = new_session_id("noseq")
    update(url, session, "TSLA", 9)
    answer = update(url, session, "AAPL", None).json()
    assert answer["applied"] is True
    assert stored_document(session)["symbol"] == "AAPL"


def test_concurrent_out_of_order_updates_keep_the_highest_seq(url: str):
    session = new_session_id("race")
    seqs = list(range(1, 51))
    random.Random(7).shuffle(seqs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(lambda s: update(url, session, f"S{s}", s), seqs))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.ok is False]
    document = stored_document(session)
    assert document["seq"] == 50 and document["symbol"] == "S50"
