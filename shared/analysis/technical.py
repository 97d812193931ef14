"""The TECHNICAL summary: trend by moving averages, RSI, and distance to the nearest levels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from shared.analysis.levels import SupportResistance
from shared.market_data.base import Bar
from shared.models.prices import round_price

Trend = Literal["up", "down", "sideways"]
FAST, SLOW, RSI_PERIOD = 20, 50, 14


@dataclass(frozen=True, slots=True)
class Technical:
    """What a trader reads first off a chart."""

    trend: Trend
    close: float
    sma_fast: float | None
    sma_slow: float | None
    rsi: float | None
    support_distance_pct: float | None
    resistance_distance_pct: float | None


def sma(values: Sequence[float], period: int) -> float | None:
    """Simple moving average of the last `period` values (None if too few)."""
    return sum(values[-period:]) / period if len(values) >= period else None


def rsi(closes: Sequence[float], period: int = RSI_PERIOD) -> float | None:
    """Wilder's RSI over the whole series (smoothed averages of gains and losses)."""
    if len(closes) <= period:
        return None
    changes = [b - a for a, b in pairwise(closes)]
    gain = sum(max(c, 0.0) for c in changes[:period]) / period
    loss = sum(max(-c, 0.0) for c in changes[:period]) / period
    for change in changes[period:]:
        gain = (gain * (period - 1) + max(change, 0.0)) / period
        loss = (loss * (period - 1) + max(-change, 0.0)) / period
    if loss == 0:
        return 100.0
    return 100.0 - 100.0 / (1.0 + gain / loss)


def _trend(close: float, fast: float | None, slow: float | None) -> Trend:
    """Up when close > fast MA > slow MA, down when the reverse, else sideways."""
    if fast is None or slow is None:
        return "sideways"
    if close > fast > slow:
        return "up"
    if close < fast < slow:
        return "down"
    return "sideways"


def technical_summary(
    bars: Sequence[Bar], levels: SupportResistance, symbol: str | None = None
) -> Technical:
    """Trend, RSI and how far the nearest support and resistance are, in percent.

    The averages are rounded to the instrument's tick like every other price we show (the trend
    is judged on the unrounded values).
    """
    closes = [b.close for b in bars]
    close = closes[-1]
    fast, slow = sma(closes, FAST), sma(closes, SLOW)

    def tick(value: float | None) -> float | None:
        return round_price(value, symbol) if value is not None else None

    def distance(level: tuple[float, ...]) -> float | None:
        return round(abs(level[0] - close) / close * 100, 2) if level else None

    value = rsi(closes)
    return Technical(
        trend=_trend(close, fast, slow),
        close=close,
        sma_fast=tick(fast),
        sma_slow=tick(slow),
        rsi=round(value, 1) if value is not None else None,
        support_distance_pct=distance(levels.support),
        resistance_distance_pct=distance(levels.resistance),
    )
