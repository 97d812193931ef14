"""A compare symbol whose market data fails (vendor 5xx, timeout) is an overlay not drawn, said
in the text and `data.ignored`; the chart's own bars failing is still the 503/504. Through the
real chart_action server, its Alpaca provider pointed at a local Alpaca stand-in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from werkzeug import Request, Response

from tests.fake_alpaca import KEY_ID, SECRET, FakeAlpaca, alpaca_bars, daily_start
from tests.helpers import FunctionServers, post_json

TIMEOUT = 1  # MARKET_DATA_TIMEOUT_SECONDS of the servers under test


class FailingAlpaca(FakeAlpaca):
    """Bars for the symbols it holds; a 500 for those in `broken`, a reply slower than the
    timeout for those in `slow`."""

    def __init__(self, symbols: tuple[str, ...]):
        bars = alpaca_bars(300, daily_start(300), timedelta(days=1))
        super().__init__(dict.fromkeys(symbols, bars))
        self.broken: set[str] = set()
        self.slow: set[str] = set()
        self.sleeping = 0

    def __call__(self, request: Request) -> Response:
        symbol = request.args.get("symbols", "")
        if symbol in self.slow:
            self.sleeping += 1
            time.sleep(TIMEOUT + 0.5)
            self.sleeping -= 1
        if symbol in self.broken:
            return Response('{"message": "x"}', 500, content_type="application/json")
        return super().__call__(request)


@pytest.fixture
def alpaca(httpserver) -> Iterator[FailingAlpaca]:
    fake = FailingAlpaca(("TSLA", "RIVN", "NIO", "GM", "LCID", "XPEV", "PLTR"))
    httpserver.expect_request("/v2/stocks/bars").respond_with_handler(fake)
    yield fake
    give_up = time.monotonic() + 2 * TIMEOUT
    while fake.sleeping and time.monotonic() < give_up:  # the next test's requests queue behind
        time.sleep(0.05)


@pytest.fixture
def servers(alpaca, httpserver, servers_with, clean_firestore) -> FunctionServers:
    return servers_with(
        MARKET_DATA_PROVIDER="alpaca",
        ALPACA_DATA_URL=httpserver.url_for("").rstrip("/"),
        ALPACA_API_KEY_ID=KEY_ID,
        ALPACA_API_SECRET_KEY=SECRET,
        MARKET_DATA_TIMEOUT_SECONDS=str(TIMEOUT),
    )


@pytest.mark.parametrize("failure", ["broken", "slow"])
def test_a_failing_compare_symbol_is_said_and_the_rest_is_drawn(
    servers: FunctionServers, alpaca: FailingAlpaca, failure: str
):
    getattr(alpaca, failure).add("RIVN")
    response = post_json(
        servers.chart_action_url, {"query": "compare TSLA and RIVN, draw support and resistance"}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    commands = answer["chart_commands"]
    assert "LOAD:TSLA" in commands and not any(c.startswith("COMPARE") for c in commands)
    assert any(c.startswith("SUPPORT:") for c in commands)
    assert "compare RIVN: market data unavailable" in answer["data"]["ignored"]
    assert "RIVN: market data unavailable right now, not compared" in answer["text"]


def test_after_one_compare_outage_the_others_are_not_asked(
    servers: FunctionServers, alpaca: FailingAlpaca
):
    alpaca.slow.add("LCID")
    started = time.monotonic()
    answer = post_json(servers.chart_action_url, {"query": "compare TSLA with LCID and XPEV"})
    assert answer.status_code == 200, answer.text
    assert (
        time.monotonic() - started < 2 * TIMEOUT + 1.5
    )  # hang bound: one wait, not one per symbol
    assert "XPEV" not in {r["args"]["symbols"] for r in alpaca.requests}
    ignored = answer.json()["data"]["ignored"]
    assert {"compare LCID: market data unavailable", "compare XPEV: market data unavailable"} <= (
        set(ignored)
    )


def test_a_good_compare_symbol_beside_a_failing_one_is_still_drawn(
    servers: FunctionServers, alpaca: FailingAlpaca
):
    alpaca.broken.add("NIO")
    answer = post_json(servers.chart_action_url, {"query": "compare TSLA with GM and NIO"}).json()
    assert "COMPARE:GM" in answer["chart_commands"]
    assert "compare NIO: market data unavailable" in answer["data"]["ignored"]


@pytest.mark.parametrize(("failure", "status"), [("broken", 503), ("slow", 504)])
def test_the_charts_own_bars_failing_is_still_the_outage_answer(
    servers: FunctionServers, alpaca: FailingAlpaca, failure: str, status: int
):
    getattr(alpaca, failure).add("PLTR")  # never fetched before: not in the bars cache
    response = post_json(
        servers.chart_action_url, {"query": "compare PLTR and RIVN, draw support and resistance"}
    )
    assert response.status_code == status, response.text
    assert response.headers["Retry-After"]
    assert response.json()["error"]["code"] in ("market_data_unavailable", "timeout")
