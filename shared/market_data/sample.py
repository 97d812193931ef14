"""The `sample` provider: deterministic synthetic bars for any symbol and timeframe.

Zero setup for local runs, tests and demos, and clearly labelled: `is_sample` puts
`"sample": true` in every response that used it. The series is a seeded random walk with mean
reversion and volatility clustering, so it has the swings and ranges the analysis looks for.
Seeded by (symbol, timeframe) and anchored at the start of the current UTC day, it is stable
within a day and moves on with the calendar.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import time
from functools import lru_cache

from shared.market_data.base import Bar
from shared.models.fields import Timeframe

HISTORY = 600  # bars generated per series; a request takes the most recent `limit`
MAX_LIMIT = 5000
CRYPTO_BASES = {"BTC": 60000.0, "ETH": 3000.0, "SOL": 150.0, "BNB": 600.0}


def _seed(*parts: str) -> int:
    """A stable seed (Python's `hash` is salted per process)."""
    return int.from_bytes(hashlib.sha256("|".join(parts).encode()).digest()[:8], "big")


def base_price(symbol: str) -> float:
    """A plausible, symbol-specific price level."""
    coin = re.split(r"[-/]", symbol, maxsplit=1)[0]
    if symbol.endswith(("-USD", "/USD")):
        return CRYPTO_BASES.get(coin, 0.5 + (_seed(symbol) % 10_000) / 100)
    return round(10 ** (0.7 + (_seed(symbol) % 10_000) / 10_000 * 2.3), 2)  # 5 .. 1000


def _walk(rng: random.Random, start: float, count: int, bar_vol: float) -> list[float]:
    """Closes: log random walk, pulled back toward a slowly drifting mean, with vol clusters."""
    closes, price, vol, mean = [], start, bar_vol, math.log(start)
    for _ in range(count):
        mean += rng.gauss(0, bar_vol * 0.3)
        vol = 0.9 * vol + 0.1 * bar_vol * (0.5 + 1.5 * rng.random())
        log_price = math.log(price) + rng.gauss(0, vol) - 0.04 * (math.log(price) - mean)
        price = math.exp(log_price)
        closes.append(price)
    return closes


class SampleProvider:
    """Synthetic OHLCV bars; labelled as sample data in every response."""

    name = "sample"
    is_sample = True

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        """The most recent `limit` bars (at most MAX_LIMIT), oldest first."""
        limit = max(1, min(limit, MAX_LIMIT))
        anchor = int(time.time()) // 86400 * 86400 // timeframe.seconds * timeframe.seconds
        return list(_series(symbol, timeframe, anchor, max(limit, HISTORY))[-limit:])


@lru_cache(maxsize=256)
def _series(symbol: str, timeframe: Timeframe, anchor: int, count: int) -> tuple[Bar, ...]:
    """One day's series for a symbol and timeframe (cached: it only changes with the day)."""
    step = timeframe.seconds
    rng = random.Random(_seed(symbol, timeframe.value, str(anchor // 86400)))
    bar_vol = 0.012 * math.sqrt(step / 86400) + 0.001
    closes = _walk(rng, base_price(symbol), count, bar_vol)
    bars, previous = [], closes[0]
    for index, close in enumerate(closes):
        spread = abs(close - previous) + close * bar_vol * rng.random()
        high = max(previous, close) + spread * rng.random() * 0.6
        low = min(previous, close) - spread * rng.random() * 0.6
        volume = round(1e6 * (0.5 + rng.random()) * (1 + abs(close / previous - 1) * 50))
        bars.append(
            Bar(anchor - (count - 1 - index) * step, previous, high, max(low, close * 0.5),
                close, volume)
        )  # fmt: skip
        previous = close
    return tuple(bars)
