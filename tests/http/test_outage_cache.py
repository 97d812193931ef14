"""The bars cache when Firestore is down (issue 17, row 5): chart_action under the production
server keeps answering from the vendor, the cache stops costing time once the process's one
circuit breaker is open, and that same breaker answers a session read at once."""

from __future__ import annotations

import time

from devtools.processes import free_port
from devtools.stack import LOCAL_PROJECT
from shared.infra import deadline
from shared.market_data.cache import CachedProvider
from shared.market_data.sample import SampleProvider
from shared.models.fields import Timeframe
from shared.store.firestore import new_client
from tests.fake_alpaca import KEY_ID, SECRET
from tests.helpers import new_session_id, post_json
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
    assert all(t < 1 + 1.5 for t in timings), timings
    # the breaker is open after three outages: the cache costs nothing, except for the odd
    # half-open probe (once per 0.5 s cool-off, itself an outage that reopens the breaker)
    fast = [t for t in timings[3:] if t < 0.5]
    assert len(fast) >= len(timings[3:]) - 2, timings
    # the session store shares that breaker: a read answers 503 at once
    started = time.monotonic()
    body = {"query": "support for TSLA", "session_id": new_session_id("cache")}
    response = post_json(servers.chart_action_url, body)
    assert response.status_code == 503 and response.headers["Retry-After"], response.text
    assert response.json()["error"]["code"] == "store_unavailable"
    assert time.monotonic() - started < 0.5


def test_an_outage_leaves_no_store_call_running_in_the_deadline_pool(monkeypatch):
    """Every cache call gives up at its deadline, and so does the client's retry behind it: with
    the client's default retry (a read retried for up to 300 s) each call went on holding a
    deadline-pool worker, and a long outage filled the pool that session reads need too."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", f"127.0.0.1:{free_port()}")  # refused
    client = new_client(LOCAL_PROJECT, "(default)")
    timeout = 0.5
    # no breaker: each series reaches the dead store (with one, only a probe would)
    provider = CachedProvider(SampleProvider(), lambda: client, "market_bars", timeout)
    for timeframe in (Timeframe.D1, Timeframe.H1, Timeframe.H4, Timeframe.M15):
        started = time.monotonic()
        assert provider.get_bars("TSLA", timeframe, 50)  # the vendor's bars, store bypassed
        assert time.monotonic() - started < timeout + 1.5
    settled_by = time.monotonic() + timeout + 1.0  # a last attempt within its own timeout
    while deadline.busy() and time.monotonic() < settled_by:
        time.sleep(0.05)
    assert deadline.busy() == 0, "store calls still running after their callers gave up"
