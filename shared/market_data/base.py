"""The market-data port: the `Bar` record, the provider protocol and its failures.

Analysis depends only on this module; vendors (sample, later Alpaca) implement
`MarketDataProvider` and are looked up by name in `shared.market_data.registry`, which imports
them lazily so an unused vendor SDK never costs cold-start time. Each error carries its SPEC 6
code; `shared.api.errors` says how a code is answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shared.models.errors import ChartControlError
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


class MarketDataError(ChartControlError):
    """The provider failed (network, 5xx, bad credentials): answered 503."""

    code = "market_data_unavailable"


class MarketDataTimeout(MarketDataError):
    """The provider did not answer within MARKET_DATA_TIMEOUT_SECONDS: answered 504."""

    code = "timeout"


class UnknownSymbolError(MarketDataError):
    """The provider has no data for this symbol: answered 404 with the symbol named."""

    code = "not_found"
