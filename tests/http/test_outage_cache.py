"""The bars cache when Firestore is down (issue 17, row 5): chart_action under the production
server keeps answering from the vendor, the cache stops costing time once the process's one
circuit breaker is open, and that same breaker answers a session read at once."""

from __future__ import annotations

import time

from devtools.processes import free_port
from devtools.stack import LOCAL_PROJECT
from shared.infra import deadline
from shared.market_data.cache import CachedProvider
from shared.models.fields import Timeframe
from shared.store.firestore import new_client
from tests.fake_alpaca import KEY_ID, SECRET
from tests.helpers import log_records, new_session_id, post_json, sample_provider
from tests.http import test_alpaca

fake = test_alpaca.fake  # the local Alpaca server (a fixture)
TIMEFRAMES = ("daily", "weekly", "1h", "4h", "15m", "5m", "30m", "monthly")


def test_bars_come_from_the_vendor_while_the_store_is_down(fake, httpserver, servers_with):
    servers = servers_with(
        FIRESTORE_EMULATOR_HOST=f"127.0.0.1:{free_port()}",  # nothing listens there
        STORE_TIMEOUT_SECONDS="1",
        MARKET_DATA_PROVIDER="alpaca",
        ALPACA_DATA_URL=httpserver.url_for("").rstrip("/"),
        ALPACA_API_KEY_ID=KEY_ID,
        ALPACA_API_SECRET_KEY=SECRET,
    )
    timings = []
    for timeframe in TIMEFRAMES:  # a new series each time: the memory cache cannot answer
        started = time.monotonic()
        query = {"query": f"draw support and resistance for TSLA {timeframe}"}
        response = post_json(servers.chart_action_url, query)
        timings.append(time.monotonic() - started)
        assert response.status_code == 200, response.text
        assert response.json()["data"]["market_data"]["provider"] == "alpaca"
    first_pages = [r for r in fake.requests if "page_token" not in r["args"]]
    assert len(first_pages) == len(TIMEFRAMES)  # each series from the vendor, once
    assert all(t < 2 * 1 + 4 for t in timings), timings  # hang bound: two store timeouts + slack
    # the breaker is open after three outages: the cache then bypasses the store without
    # calling it (a refusal, not a wait), except for the odd half-open probe. How much time
    # that saves is a figure for `make bench`; here, that it happens.
    log = servers.processes[1].log_path
    bypasses = [r["message"] for r in log_records(log) if "bars cache unavailable" in r["message"]]
    assert any("failing fast" in m for m in bypasses), bypasses
    # the session store shares that breaker: a read is refused by it, not sent to the store
    body = {"query": "support for TSLA", "session_id": new_session_id("cache")}
    response = post_json(servers.chart_action_url, body)
    assert response.status_code == 503 and response.headers["Retry-After"], response.text
    assert response.json()["error"]["code"] == "store_unavailable"
    last_failure = [r["dependency"] for r in log_records(log) if "dependency" in r][-1]
    assert last_failure["errors"][0].endswith(".CircuitOpen"), last_failure


def test_an_outage_leaves_no_store_call_running_in_the_deadline_pool(monkeypatch):
    """Every cache call gives up at its deadline, and so does the client's retry behind it: with
    the client's default retry (a read retried for up to 300 s) each call went on holding a
    deadline-pool worker, and a long outage filled the pool that session reads need too."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{free_port()}")  # refused
    client = new_client(LOCAL_PROJECT, "(default)")
    timeout = 0.5
    # no breaker: each series reaches the dead store (with one, only a probe would)
    provider = CachedProvider(sample_provider(), lambda: client, "market_bars", timeout)
    for timeframe in (Timeframe.D1, Timeframe.H1, Timeframe.H4, Timeframe.M15):
        started = time.monotonic()
        assert provider.get_bars("TSLA", timeframe, 50)  # the vendor's bars, store bypassed
        assert time.monotonic() - started < timeout + 1.5  # hang bound
    settled_by = time.monotonic() + timeout + 1.0  # a last attempt within its own timeout
    while deadline.busy() and time.monotonic() < settled_by:
        time.sleep(0.05)
    assert deadline.busy() == 0, "store calls still running after their callers gave up"
