"""Indicator values the answer quotes: the latest reading of what the page draws, and the last
cross of two simple moving averages.

The page computes its indicators from its own bars (web/src/indicators.js); these are the same
formulas (SMA, EMA seeded with the SMA of its first `period` closes, Wilder's RSI, MACD 12/26/9,
Bollinger 20/2, VWAP per UTC day on intraday bars) on the bars the backend analysed, so the
value in the answer is the value under the page's crosshair at the last bar (an EMA may differ
in the last decimals when the page has loaded more history: its seed is older). Plain Python,
for the same reason as the rest of `shared.analysis`: a few hundred bars take microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from shared.analysis.technical import rsi, sma
from shared.market_data.base import Bar

DEFAULT_PERIODS: dict[str, int] = {"SMA": 20, "EMA": 20, "RSI": 14, "BBANDS": 20}
MACD_FAST, MACD_SLOW, MACD_SIGNAL = 12, 26, 9
BBANDS_WIDTH = 2.0
VOLUME_AVERAGE = 20
DAY = 86_400


@dataclass(frozen=True, slots=True)
class Reading:
    """An indicator's value at the last bar; `parts` holds MACD's signal and histogram or the
    Bollinger bands; `value` is None when there are fewer bars than the period."""

    name: str
    period: int | None
    value: float | None
    parts: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Cross:
    """The last bar where the fast SMA crossed the slow one: golden upward, death downward."""

    kind: Literal["golden", "death"]
    time: int
    bars_ago: int


def sma_series(closes: Sequence[float], period: int) -> list[float]:
    """SMA at every bar from the `period`-th on (index 0 is bar `period - 1`)."""
    if period < 1 or len(closes) < period:
        return []
    total = sum(closes[:period])
    out = [total / period]
    for i in range(period, len(closes)):
        total += closes[i] - closes[i - period]
        out.append(total / period)
    return out


def ema_series(closes: Sequence[float], period: int) -> list[float]:
    """EMA seeded with the SMA of the first `period` closes, as the page computes it."""
    if period < 1 or len(closes) < period:
        return []
    k = 2 / (period + 1)
    value = sum(closes[:period]) / period
    out = [value]
    for close in closes[period:]:
        value = close * k + value * (1 - k)
        out.append(value)
    return out


def _macd(closes: Sequence[float]) -> Reading:
    fast, slow = ema_series(closes, MACD_FAST), ema_series(closes, MACD_SLOW)
    line = [f - s for f, s in zip(fast[MACD_SLOW - MACD_FAST :], slow, strict=False)]
    signal = ema_series(line, MACD_SIGNAL)
    if not signal:
        return Reading("MACD", None, line[-1] if line else None)
    parts = (("signal", signal[-1]), ("histogram", line[-1] - signal[-1]))
    return Reading("MACD", None, line[-1], parts)


def _bbands(closes: Sequence[float], period: int) -> Reading:
    if len(closes) < period:
        return Reading("BBANDS", period, None)
    window = closes[-period:]
    middle = sum(window) / period
    deviation = math.sqrt(sum((c - middle) ** 2 for c in window) / period)
    parts = (
        ("upper", middle + BBANDS_WIDTH * deviation),
        ("lower", middle - BBANDS_WIDTH * deviation),
    )
    return Reading("BBANDS", period, middle, parts)


def _vwap(bars: Sequence[Bar]) -> Reading:
    """Session VWAP (from the last UTC day's first bar) on intraday bars, else cumulative."""
    intraday = len(bars) > 1 and bars[1].time - bars[0].time < DAY
    start = len(bars)
    while start > 0 and (not intraday or bars[start - 1].time // DAY == bars[-1].time // DAY):
        start -= 1
    window = bars[start:]
    volume = sum(b.volume for b in window)
    if not window or volume <= 0:
        return Reading("VWAP", None, bars[-1].close if bars else None)
    typical = sum((b.high + b.low + b.close) / 3 * b.volume for b in window)
    return Reading("VWAP", None, typical / volume)


def reading(bars: Sequence[Bar], name: str, period: int | None) -> Reading:
    """The latest value of indicator `name` (a page `INDICATOR` name) with `period`, or the
    page's default period when None."""
    closes = [b.close for b in bars]
    used = period or DEFAULT_PERIODS.get(name)
    if name in {"SMA", "EMA"}:
        assert used is not None
        if name == "SMA":  # the last window's mean; no series needed
            value = sma(closes, used)
        else:
            series = ema_series(closes, used)
            value = series[-1] if series else None
        return Reading(name, used, value)
    if name == "RSI":
        assert used is not None
        return Reading(name, used, rsi(closes, used))
    if name == "MACD":
        return _macd(closes)
    if name == "BBANDS":
        assert used is not None
        return _bbands(closes, used)
    if name == "VWAP":
        return _vwap(bars)
    return _volume(bars)


def _volume(bars: Sequence[Bar]) -> Reading:
    """The last bar's volume beside the mean of the `VOLUME_AVERAGE` bars before it: "is volume
    rising" is a comparison, and the page's volume bars show no average."""
    if not bars:
        return Reading("VOLUME", None, None)
    before = [b.volume for b in bars[-VOLUME_AVERAGE - 1 : -1]]
    parts = (("average", sum(before) / len(before)),) if before else ()
    return Reading("VOLUME", None, bars[-1].volume, parts)


def last_cross(bars: Sequence[Bar], fast: int, slow: int) -> Cross | None:
    """The latest bar where SMA(fast) moved from one side of SMA(slow) to the other, or None
    when they have not crossed in the bars (or there are too few for the slow one)."""
    closes = [b.close for b in bars]
    slow_values = sma_series(closes, slow)
    fast_values = sma_series(closes, fast)[slow - fast :]
    diffs = [f - s for f, s in zip(fast_values, slow_values, strict=True)]
    for i in range(len(diffs) - 1, 0, -1):
        before, now = diffs[i - 1], diffs[i]
        if (before <= 0 < now) or (before >= 0 > now):
            index = slow - 1 + i
            kind: Literal["golden", "death"] = "golden" if now > 0 else "death"
            return Cross(kind, bars[index].time, len(bars) - 1 - index)
    return None
