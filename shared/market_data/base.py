"""The market-data port: the `Bar` record, the provider protocol and its failures.

Analysis depends only on this module; vendors (sample, later Alpaca) implement
`MarketDataProvider` and are looked up by name in `shared.market_data.registry`, which imports
them lazily so an unused vendor SDK never costs cold-start time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared.models.fields import Timeframe


@dataclass(frozen=True, slots=True)
class Bar:
    """One OHLCV bar; `time` is the bar's open in unix seconds (UTC)."""

    time: int
    open: float
    high: float
    low: float
    close: float
    volume: float


class MarketDataProvider(Protocol):
    """Anything that can return recent bars for a symbol and timeframe."""

    name: str
    is_sample: bool

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        """Up to `limit` most recent bars, oldest first. Raises a `MarketDataError`."""
        ...


class MarketDataError(Exception):
    """The provider failed (network, 5xx, bad credentials): answered 503."""


class MarketDataTimeout(MarketDataError):
    """The provider did not answer within MARKET_DATA_TIMEOUT_SECONDS: answered 504."""


class UnknownSymbolError(MarketDataError):
    """The provider has no data for this symbol: answered 404 with the symbol named."""
