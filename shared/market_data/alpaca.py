"""Alpaca Market Data provider: stocks via the v2 bars API, crypto via the v1beta3 crypto API.

Both endpoints take `symbols`, `timeframe`, `start`, `limit`, `sort`, `page_token` and answer
`{"bars": {SYMBOL: [{t,o,h,l,c,v,...}]}, "next_page_token": ...}`, so one client serves both.
We ask for the newest bars first (`sort=desc`) from a start far enough back to hold `limit` bars
even across weekends and market closes, and follow pagination until we have enough.

httpx (one pooled client per process) rather than the vendor SDK: it is already light (about
0.2 s to import here, lazily, only when this provider is selected) and the SDK adds pandas-sized
dependencies to the cold start for two GET endpoints.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.infra.lazy import once
from shared.infra.settings import Settings
from shared.market_data.base import Bar, MarketDataError, MarketDataTimeout, UnknownSymbolError
from shared.models.fields import Timeframe
from shared.models.prices import crypto_pair

ALPACA_TIMEFRAMES: dict[Timeframe, str] = {
    Timeframe.M1: "1Min",
    Timeframe.M5: "5Min",
    Timeframe.M15: "15Min",
    Timeframe.M30: "30Min",
    Timeframe.H1: "1Hour",
    Timeframe.H4: "4Hour",
    Timeframe.D1: "1Day",
    Timeframe.W1: "1Week",
    Timeframe.MN1: "1Month",
}
PAGE_LIMIT = 10_000
MAX_PAGES = 5
# Stocks trade ~6.5 h a day, 5 days a week: intraday bars need ~5.4x their span in calendar time.
INTRADAY_CALENDAR_FACTOR = 6.0
DAILY_CALENDAR_FACTOR = 1.6


def alpaca_symbol(symbol: str) -> tuple[str, bool]:
    """Our symbol as Alpaca spells it, and whether it is crypto (BTC-USD -> BTC/USD)."""
    pair = crypto_pair(symbol)
    return (f"{pair[0]}/{pair[1]}", True) if pair else (symbol, False)


def lookback_start(timeframe: Timeframe, limit: int, now: datetime) -> datetime:
    """A start time far enough back for `limit` bars, whatever the market's hours."""
    factor = INTRADAY_CALENDAR_FACTOR if timeframe.seconds < 86400 else DAILY_CALENDAR_FACTOR
    span = timedelta(seconds=timeframe.seconds * limit * factor) + timedelta(days=5)
    return now - span


def parse_bar(raw: dict[str, Any]) -> Bar:
    """One Alpaca bar object to our `Bar`."""
    time = datetime.fromisoformat(str(raw["t"]).replace("Z", "+00:00"))
    return Bar(
        time=int(time.timestamp()),
        open=float(raw["o"]),
        high=float(raw["h"]),
        low=float(raw["l"]),
        close=float(raw["c"]),
        volume=float(raw.get("v", 0.0)),
    )


class AlpacaProvider:
    """`MarketDataProvider` over Alpaca's REST data API (keys from the environment)."""

    name = "alpaca"
    is_sample = False
    configurable = True  # the registry passes the settings

    def __init__(self, settings: Settings):
        self._settings = settings

    @once
    def _http(self) -> Any:
        """One pooled, thread-safe httpx client per provider, created on first use."""
        import httpx  # noqa: PLC0415 - only when Alpaca is the provider

        key, secret = self._settings.alpaca_api_key_id, self._settings.alpaca_api_secret_key
        if key is None or secret is None:
            raise MarketDataError("Alpaca keys are not configured")
        return httpx.Client(
            base_url=self._settings.alpaca_data_url,
            timeout=self._settings.market_data_timeout_seconds,
            headers={
                "APCA-API-KEY-ID": key.get_secret_value(),
                "APCA-API-SECRET-KEY": secret.get_secret_value(),
            },
        )

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        """The newest `limit` bars, oldest first."""
        vendor_symbol, crypto = alpaca_symbol(symbol)
        path = "/v1beta3/crypto/us/bars" if crypto else "/v2/stocks/bars"
        params: dict[str, Any] = {
            "symbols": vendor_symbol,
            "timeframe": ALPACA_TIMEFRAMES[timeframe],
            "start": lookback_start(timeframe, limit, datetime.now(UTC)).isoformat(),
            "limit": min(limit, PAGE_LIMIT),
            "sort": "desc",
        }
        if not crypto:
            params |= {"adjustment": "split", "feed": self._settings.alpaca_stock_feed}
        newest_first: list[Bar] = []
        for _ in range(MAX_PAGES):
            page = self._get(path, params, symbol)
            newest_first += [
                parse_bar(raw) for raw in (page.get("bars") or {}).get(vendor_symbol, [])
            ]
            token = page.get("next_page_token")
            if not token or len(newest_first) >= limit:
                break
            params["page_token"] = token
        if not newest_first:
            raise UnknownSymbolError(f"no market data for {symbol}")
        return sorted(newest_first[:limit], key=lambda bar: bar.time)

    def _get(self, path: str, params: dict[str, Any], symbol: str) -> dict[str, Any]:
        """One GET, with every failure mapped to the port's errors (no secret in messages)."""
        import httpx  # noqa: PLC0415

        try:
            response = self._http.get(path, params=params)
        except httpx.TimeoutException as exc:
            raise MarketDataTimeout("market data provider did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise MarketDataError("market data provider is unreachable") from exc
        if response.status_code in (400, 404, 422):
            raise UnknownSymbolError(f"unknown symbol {symbol} at the market data provider")
        if response.status_code == 403 and "subscription" in response.text.lower():
            feed = self._settings.alpaca_stock_feed
            raise MarketDataError(
                f"the Alpaca plan does not cover the {feed} feed (ALPACA_STOCK_FEED; free: iex)"
            )
        if response.status_code in (401, 403):
            raise MarketDataError("market data provider rejected the credentials")
        if response.status_code == 429:
            raise MarketDataError("market data provider rate limit reached")
        if response.status_code >= 400:
            raise MarketDataError(f"market data provider failed ({response.status_code})")
        try:
            return dict(response.json())
        except ValueError as exc:
            raise MarketDataError("market data provider sent an unreadable answer") from exc
