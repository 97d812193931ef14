"""The `sample` provider: deterministic synthetic bars for any symbol and timeframe.

Zero setup for local runs, tests and demos, and clearly labelled: `is_sample` puts
`"sample": true` in every response that used it.

How the series is made, and why:

- **Seed.** A SHA-256 of (symbol, timeframe, UTC day): Python's `hash` is salted per process, so
  it would give every Cloud Functions instance different prices. The day is part of the seed so
  the sample moves on with the calendar; within a UTC day every instance and every call returns
  the same bars (tests and demos are stable; `clock` can be injected to pin the day).
- **Times.** The newest bar opens at 00:00 UTC today floored to a multiple of the bar length
  (weeks and 30-day "months" included: every bar time is a multiple of `timeframe.seconds`, not
  a calendar Monday or 1st), and bars are exactly `timeframe.seconds` apart. So the series ends
  at a fixed point for the whole day rather than at "now", which would move every minute.
- **Prices.** The walk runs *backwards* from the newest close, which sits at a symbol-specific
  level (a short table of well-known tickers, else a hashed 5..1000 for stocks and 0.05..500 for
  coins). So the last price is always plausible for the symbol, and a shorter request is exactly
  the tail of a longer one. Log-price reverts toward a slowly drifting mean (ranges and swings
  for the analysis to find) and volatility is itself a log-AR(1) process (calm and busy spells:
  volatility clustering). Both processes are time-reversible, so walking backwards is sound.
- **Bars.** Open is the previous close with a small gap, wicks extend beyond the body, every
  price is snapped to the instrument's tick (so low <= open, close <= high holds after rounding),
  and volume grows with the size of the move.

Cost: about 4 µs a bar in plain Python (no numpy on the cold-start path: 300 bars take about
a millisecond); series of up to HISTORY bars are cached per (symbol, timeframe, day).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
import time
from collections.abc import Callable
from functools import lru_cache

from shared.market_data.base import Bar
from shared.models.fields import Timeframe
from shared.models.prices import CRYPTO, tick_size

DAY = 86_400
HISTORY = 300  # bars generated at least (what analysis asks for); a request takes the tail
MAX_LIMIT = 5000
CACHE_SERIES = 32  # series of ~300 bars: a couple of MB at most

# Where the newest close sits for a few tickers people try first (rough recent levels).
KNOWN_PRICES: dict[str, float] = {
    "TSLA": 240.0, "AAPL": 190.0, "MSFT": 420.0, "NVDA": 120.0, "AMZN": 180.0, "GOOGL": 170.0,
    "META": 500.0, "SPY": 520.0, "QQQ": 450.0, "IWM": 205.0, "^GSPC": 5300.0, "^NDX": 18500.0,
    "ES=F": 5300.0, "NQ=F": 18500.0, "YM=F": 39000.0, "RTY=F": 2050.0, "CL=F": 78.0,
    "GC=F": 2300.0,
}  # fmt: skip
CRYPTO_PRICES: dict[str, float] = {
    "BTC": 65000.0, "ETH": 3200.0, "SOL": 150.0, "BNB": 600.0, "XRP": 0.55, "DOGE": 0.15,
}  # fmt: skip

DAILY_VOL = 0.009  # daily log-return volatility before the symbol's own factor (x1..x2.5)
REVERSION = 0.04  # pull of log-price toward its drifting mean, per bar
MEAN_DRIFT = 0.3  # the mean's own step, as a fraction of the bar volatility
VOL_PERSISTENCE = 0.95  # log-volatility AR(1) coefficient: spells of ~20 bars
VOL_SHOCK = 0.12 * math.sqrt(12)  # uniform steps with a standard deviation of 0.12
MEAN_SHOCK = MEAN_DRIFT * math.sqrt(12)
DAY_JITTER = 0.04  # the newest close wanders around the symbol's level from day to day


def _unit(*parts: str) -> float:
    """A stable number in [0, 1) from the parts (SHA-256; Python's `hash` is salted)."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def base_price(symbol: str) -> float:
    """A plausible, symbol-specific price for the newest close."""
    if symbol in KNOWN_PRICES:
        return KNOWN_PRICES[symbol]
    if CRYPTO.match(symbol):
        coin = re.split(r"[-/]", symbol, maxsplit=1)[0]
        return CRYPTO_PRICES.get(coin) or round(10 ** (-1.3 + 4 * _unit("price", coin)), 4)
    return round(10 ** (0.7 + 2.3 * _unit("price", symbol)), 2)  # 5 .. 1000, log-uniform


def daily_volatility(symbol: str) -> float:
    """Typical daily log-return volatility: symbol-specific, higher for coins."""
    factor = 1.0 + 1.5 * _unit("vol", symbol)
    return DAILY_VOL * factor * (1.6 if CRYPTO.match(symbol) else 1.0)


def _snapper(tick: float) -> Callable[[float], float]:
    """Round to the tick; monotone, so the OHLC order survives rounding."""
    decimals = len(f"{tick:.10f}".rstrip("0").partition(".")[2])  # 0.25 -> 2, 0.03125 -> 5
    if tick == round(10.0**-decimals, decimals):
        return lambda price: round(price, decimals)
    return lambda price: round(round(price / tick) * tick, decimals)


def _bars(rng: random.Random, start: float, times: range, bar_vol: float, symbol: str) -> list[Bar]:
    """Newest bar first, walking back: each step draws the older close, then builds the bar."""
    gauss, uniform, exp = rng.gauss, rng.random, math.exp
    snap, volume = _snapper(tick_size(symbol, start)), _bar_volume(symbol, times.step)
    log_price = mean = math.log(start)
    close, log_vol, bars = start, 0.0, []
    for when in reversed(times):
        sigma = bar_vol * exp(log_vol)
        shock = gauss(0.0, sigma)
        older_log = log_price + shock - REVERSION * (log_price - mean)
        older = exp(older_log)
        open_ = older * (1.0 + (uniform() - 0.5) * 0.3 * sigma)  # small gap from the prior close
        high = max(open_, close) * (1.0 + uniform() * 0.6 * sigma)
        low = min(open_, close) / (1.0 + uniform() * 0.6 * sigma)
        size = volume * (0.6 + 0.8 * uniform()) * (1.0 + 0.7 * abs(shock) / sigma)
        bars.append(Bar(when, snap(open_), snap(high), snap(low), snap(close), float(round(size))))
        log_vol = VOL_PERSISTENCE * log_vol + (uniform() - 0.5) * VOL_SHOCK
        mean += (uniform() - 0.5) * MEAN_SHOCK * bar_vol
        log_price, close = older_log, older
    bars.reverse()
    return bars


def _bar_volume(symbol: str, step: int) -> float:
    """Typical volume of one bar: a symbol-specific daily volume spread over the bar length."""
    daily = 10 ** (5 + 2.5 * _unit("volume", symbol))
    fraction = step / DAY
    return max(10.0, daily * (fraction if fraction >= 1 else fraction**0.8))


@lru_cache(maxsize=CACHE_SERIES)
def _series(symbol: str, timeframe: Timeframe, day: int, count: int) -> tuple[Bar, ...]:
    """`count` bars ending at the anchor for `day` (cached: they only change with the day)."""
    step = timeframe.seconds
    anchor = day * DAY // step * step
    rng = random.Random(int(_unit("bars", symbol, timeframe.value, str(day)) * 2**64))
    start = base_price(symbol) * math.exp(rng.gauss(0.0, DAY_JITTER))
    bar_vol = daily_volatility(symbol) * math.sqrt(step / DAY)
    times = range(anchor - (count - 1) * step, anchor + 1, step)
    return tuple(_bars(rng, start, times, bar_vol, symbol))


class SampleProvider:
    """Synthetic OHLCV bars; labelled as sample data in every response."""

    name = "sample"
    is_sample = True

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        """`clock` (unix seconds) picks the UTC day, hence the seed and the newest bar time."""
        self._clock = clock

    def get_bars(self, symbol: str, timeframe: Timeframe, limit: int) -> list[Bar]:
        """The most recent `limit` bars (1..MAX_LIMIT), oldest first, newest at `anchor`."""
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
        day = int(self._clock()) // DAY
        series = _series(symbol.strip().upper(), timeframe, day, max(limit, HISTORY))
        return list(series[-limit:])

    def anchor(self, timeframe: Timeframe) -> int:
        """Open time of the newest bar: today's 00:00 UTC floored to the bar length."""
        step = timeframe.seconds
        return int(self._clock()) // DAY * DAY // step * step
