"""The Alpaca provider against a local server speaking Alpaca's documented JSON, and the bars
cache on the real Firestore emulator (vendor calls counted at the fake)."""

from __future__ import annotations

import concurrent.futures
import os
import time
from datetime import timedelta

import pytest
from werkzeug import Response

from shared.infra.settings import Settings
from shared.market_data.alpaca import AlpacaProvider, alpaca_symbol
from shared.market_data.base import MarketDataError, MarketDataTimeout, UnknownSymbolError
from shared.market_data.cache import CachedProvider, freshness_window
from shared.models.fields import Timeframe
from shared.store.firestore import new_client
from tests.fake_alpaca import KEY_ID, SECRET, FakeAlpaca, alpaca_bars, daily_start
from tests.helpers import post_json


def settings_for(url: str, **extra: str) -> Settings:
    return Settings.from_env(
        {"ALPACA_API_KEY_ID": KEY_ID, "ALPACA_API_SECRET_KEY": SECRET, "ALPACA_DATA_URL": url,
         "MARKET_DATA_TIMEOUT_SECONDS": "1", **extra}
    )  # fmt: skip


@pytest.fixture
def fake(httpserver):
    fake = FakeAlpaca(
        {
            "TSLA": alpaca_bars(300, daily_start(300), timedelta(days=1)),
            "BTC/USD": alpaca_bars(300, daily_start(300), timedelta(hours=1), base=60000),
        }
    )
    httpserver.expect_request("/v2/stocks/bars").respond_with_handler(fake)
    httpserver.expect_request("/v1beta3/crypto/us/bars").respond_with_handler(fake)
    return fake


def test_stock_bars_follow_pagination(fake, httpserver):
    bars = AlpacaProvider(settings_for(httpserver.url_for(""))).get_bars("TSLA", Timeframe.D1, 250)
    assert len(bars) == 250
    assert [b.time for b in bars] == sorted(b.time for b in bars)
    assert len(fake.requests) == 3  # 120 + 120 + 10 from pages of 120
    first = fake.requests[0]["args"]
    assert first["timeframe"] == "1Day" and first["sort"] == "desc" and first["feed"] == "iex"
    assert "page_token" in fake.requests[1]["args"]


def test_paid_plans_choose_the_sip_feed(fake, httpserver):
    settings = settings_for(httpserver.url_for(""), ALPACA_STOCK_FEED="sip")
    AlpacaProvider(settings).get_bars("TSLA", Timeframe.D1, 50)
    assert {r["args"]["feed"] for r in fake.requests} == {"sip"}
    with pytest.raises(ValueError, match="ALPACA_STOCK_FEED"):
        settings_for(httpserver.url_for(""), ALPACA_STOCK_FEED="nasdaq")


def test_crypto_uses_the_crypto_endpoint(fake, httpserver):
    bars = AlpacaProvider(settings_for(httpserver.url_for(""))).get_bars(
        "BTC-USD", Timeframe.H1, 100
    )
    assert len(bars) == 100 and bars[-1].close > 1000
    assert fake.requests[0]["path"] == "/v1beta3/crypto/us/bars"
    assert fake.requests[0]["args"]["symbols"] == "BTC/USD"
    assert fake.requests[0]["args"]["timeframe"] == "1Hour"


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [("BTC-USD", ("BTC/USD", True)), ("ETH/USD", ("ETH/USD", True)), ("TSLA", ("TSLA", False)),
     ("BRK.B", ("BRK.B", False))],
)  # fmt: skip
def test_symbol_mapping(symbol, expected):
    assert alpaca_symbol(symbol) == expected


def test_every_timeframe_maps():
    from shared.market_data.alpaca import ALPACA_TIMEFRAMES  # noqa: PLC0415

    assert set(ALPACA_TIMEFRAMES) == set(Timeframe)


def test_unknown_symbol(fake, httpserver):
    with pytest.raises(UnknownSymbolError, match="ZZZZ"):
        AlpacaProvider(settings_for(httpserver.url_for(""))).get_bars("ZZZZ", Timeframe.D1, 50)


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [(401, MarketDataError, "credentials"), (403, MarketDataError, "credentials"),
     (429, MarketDataError, "rate limit"), (500, MarketDataError, "500"),
     (422, UnknownSymbolError, "unknown symbol")],
)  # fmt: skip
def test_vendor_errors(httpserver, status, error, message):
    httpserver.expect_request("/v2/stocks/bars").respond_with_json({"message": "x"}, status=status)
    provider = AlpacaProvider(settings_for(httpserver.url_for("")))
    with pytest.raises(error, match=message) as raised:
        provider.get_bars("TSLA", Timeframe.D1, 50)
    assert SECRET not in str(raised.value)


def test_a_plan_without_the_feed_says_so(httpserver):
    httpserver.expect_request("/v2/stocks/bars").respond_with_json(
        {"message": "subscription does not permit querying recent SIP data"}, status=403
    )
    provider = AlpacaProvider(settings_for(httpserver.url_for(""), ALPACA_STOCK_FEED="sip"))
    with pytest.raises(MarketDataError, match="does not cover the sip feed"):
        provider.get_bars("TSLA", Timeframe.D1, 50)


def test_timeout(httpserver):
    def slow(_request):
        time.sleep(2)
        return Response("{}", 200)

    httpserver.expect_request("/v2/stocks/bars").respond_with_handler(slow)
    provider = AlpacaProvider(settings_for(httpserver.url_for("")))
    started = time.monotonic()
    with pytest.raises(MarketDataTimeout):
        provider.get_bars("TSLA", Timeframe.D1, 50)
    assert time.monotonic() - started < 1.9  # hang bound: cut before the server's 2 s


def test_missing_keys_is_a_clear_error():
    provider = AlpacaProvider(Settings.from_env({}))
    with pytest.raises(MarketDataError, match="not configured"):
        provider.get_bars("TSLA", Timeframe.D1, 50)


def test_freshness_window_scales_with_timeframe():
    assert freshness_window(Timeframe.M1) == 15
    assert freshness_window(Timeframe.M5) == 75
    assert freshness_window(Timeframe.H1) == 900
    assert freshness_window(Timeframe.D1) == 3600 == freshness_window(Timeframe.MN1)


def cached(url: str) -> CachedProvider:
    """A fresh 'instance': its own memory cache, the shared Firestore cache."""
    client = new_client(os.environ["GOOGLE_CLOUD_PROJECT"], "(default)")
    return CachedProvider(
        AlpacaProvider(settings_for(url)),
        client=lambda: client,
        collection="market_bars",
        timeout=3,
    )


def test_cache_one_vendor_call_across_instances(fake, httpserver, clean_firestore):
    url = httpserver.url_for("")
    first = cached(url).get_bars("TSLA", Timeframe.D1, 100)
    calls = len(fake.requests)
    assert calls == 1
    again = cached(url)  # another instance: served from Firestore
    assert again.get_bars("TSLA", Timeframe.D1, 100) == first
    assert again.get_bars("TSLA", Timeframe.D1, 100) == first  # and then from memory
    assert len(fake.requests) == calls


def test_concurrent_instances_share_one_refresh(fake, httpserver, clean_firestore):
    url = httpserver.url_for("")
    instances = [cached(url) for _ in range(6)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda p: p.get_bars("BTC-USD", Timeframe.H1, 100), instances))
    assert all(r == results[0] for r in results)
    assert len(fake.requests) == 1


def test_chart_action_with_alpaca_and_cache(fake, httpserver, servers_with, clean_firestore):
    servers = servers_with(
        MARKET_DATA_PROVIDER="alpaca",
        ALPACA_DATA_URL=httpserver.url_for("").rstrip("/"),
        ALPACA_API_KEY_ID=KEY_ID,
        ALPACA_API_SECRET_KEY=SECRET,
    )
    url = servers.chart_action_url
    answer = post_json(url, {"query": "draw support and resistance for TSLA"}).json()
    assert answer["data"]["market_data"]["provider"] == "alpaca"
    assert answer["data"]["market_data"]["sample"] is False
    support, resistance = (
        answer["data"]["levels"]["support"],
        answer["data"]["levels"]["resistance"],
    )
    assert support and resistance
    assert 95 < support[0] < 120 < resistance[-1] * 1.05
    calls = len(fake.requests)
    post_json(url, {"query": "draw support and resistance for TSLA"})
    assert len(fake.requests) == calls  # within the window: no second vendor call
    missing = post_json(url, {"query": "support for ZZZZ"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
