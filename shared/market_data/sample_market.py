"""Who a symbol is in the sample market: its price level, volatility, drift, volume, and when in
its session it is busy.

Everything is a stable function of the symbol (SHA-256, not Python's salted `hash`): a short
table of well-known tickers, otherwise a hashed value inside its asset class's typical range.
Annualised volatilities sit inside the ranges real markets show (large-cap stocks 25-45%, index
funds 15-20%, crypto 50-80%, major currency pairs 5-10%, futures by what they are on), with a
margin so a year's realised volatility, which wanders with calm and busy spells, stays in range.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from shared.market_data.calendars import (
    CME_GLOBEX,
    CRYPTO_24_7,
    FX_24_5,
    NYSE,
    Calendar,
    Session,
    calendar_for,
)
from shared.models.prices import FX_PAIR, AssetClass, asset_class

# Where the price sits at the end of ANCHOR_YEAR - 1 for tickers people try first.
KNOWN_PRICES: dict[str, float] = {
    "TSLA": 240.0, "AAPL": 190.0, "MSFT": 420.0, "NVDA": 120.0, "AMZN": 180.0, "GOOGL": 170.0,
    "META": 500.0, "SPY": 520.0, "QQQ": 450.0, "IWM": 205.0, "^GSPC": 5300.0, "^NDX": 18500.0,
    "ES=F": 5300.0, "NQ=F": 18500.0, "YM=F": 39000.0, "RTY=F": 2050.0, "CL=F": 78.0,
    "GC=F": 2300.0,
}  # fmt: skip
CRYPTO_PRICES: dict[str, float] = {
    "BTC": 65000.0, "ETH": 3200.0, "SOL": 150.0, "BNB": 600.0, "XRP": 0.55, "DOGE": 0.15,
}  # fmt: skip
FX_PRICES: dict[str, float] = {
    "EURUSD": 1.08, "GBPUSD": 1.27, "USDJPY": 150.0, "AUDUSD": 0.66, "USDCHF": 0.88,
    "USDCAD": 1.36, "NZDUSD": 0.61, "EURJPY": 162.0, "EURGBP": 0.85,
}  # fmt: skip
# Annualised volatility of well-known names (crypto by coin).
KNOWN_VOLS: dict[str, float] = {
    "TSLA": 0.43, "NVDA": 0.41, "AMD": 0.41, "META": 0.35, "AMZN": 0.32, "GOOGL": 0.30,
    "AAPL": 0.27, "MSFT": 0.27, "SPY": 0.16, "^GSPC": 0.16, "QQQ": 0.185, "^NDX": 0.185,
    "IWM": 0.19, "DIA": 0.155, "BTC": 0.56, "ETH": 0.68, "SOL": 0.74, "EURUSD": 0.07,
    "USDJPY": 0.09, "GBPUSD": 0.075,
}  # fmt: skip
# The range of annualised volatility real markets of the class show; a hashed symbol draws its
# own from the middle of it, and each year's from around the symbol's, inside it.
CLASS_VOLS: dict[AssetClass, tuple[float, float]] = {
    AssetClass.STOCK: (0.25, 0.45),
    AssetClass.INDEX: (0.15, 0.20),
    AssetClass.CRYPTO: (0.50, 0.80),
    AssetClass.FX: (0.05, 0.10),
}
SYMBOL_VOL_SPAN = (0.15, 0.85)  # the part of the range a hashed symbol's volatility falls in
# Futures by what they are on: (volatility range, drift a year).
FUTURES_GROUPS: tuple[tuple[frozenset[str], tuple[float, float], float], ...] = (
    (frozenset("ES MES NQ MNQ YM MYM RTY M2K".split()), (0.155, 0.19), 0.06),
    (frozenset("CL MCL BZ HO RB".split()), (0.30, 0.40), 0.0),
    (frozenset({"NG"}), (0.50, 0.65), 0.0),
    (frozenset({"GC", "MGC"}), (0.13, 0.17), 0.04),
    (frozenset({"SI", "HG"}), (0.20, 0.28), 0.02),
    (frozenset({"ZB", "UB"}), (0.10, 0.14), 0.0),
    (frozenset({"ZN", "ZF", "ZT"}), (0.05, 0.08), 0.0),
    (frozenset({"ZC", "ZS", "ZW"}), (0.18, 0.26), 0.0),
)
OTHER_FUTURES = ((0.15, 0.30), 0.0)
# Expected log return a year (the median path), share of a day's variance in the gap from the
# previous close (the night for stocks, the 17:00 break for futures, the weekend for FX), the
# volatility of volatility, and typical volume a session as (log10 low, log10 high, in money?).
CLASS_DRIFT = {AssetClass.STOCK: 0.08, AssetClass.INDEX: 0.07, AssetClass.CRYPTO: 0.20}
GAP_SHARE = {AssetClass.STOCK: 0.25, AssetClass.INDEX: 0.2, AssetClass.FUTURES: 0.03,
             AssetClass.FX: 0.02, AssetClass.CRYPTO: 0.0}  # fmt: skip
VOL_OF_VOL = {AssetClass.INDEX: 0.15, AssetClass.FX: 0.15}
DEFAULT_VOL_OF_VOL = 0.25
VOLUMES: dict[AssetClass, tuple[float, float, bool]] = {
    AssetClass.STOCK: (8.7, 10.2, True),  # $0.5bn-16bn a day, in shares
    AssetClass.INDEX: (9.8, 10.5, True),
    AssetClass.CRYPTO: (8.5, 10.5, True),  # in coins
    AssetClass.FX: (5.0, 5.5, False),  # tick volume
    AssetClass.FUTURES: (4.8, 6.2, False),  # contracts
}
MIN_DAILY_VOLUME = 2000  # at least one unit for every minute of a 24-hour session


def unit(*parts: str) -> float:
    """A stable number in [0, 1) from the parts (SHA-256; Python's `hash` is salted)."""
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _fx_pair(symbol: str) -> str:
    """EURUSD from EURUSD=X, EUR/USD or EUR-USD; Yahoo's JPY=X is USDJPY."""
    if re.fullmatch(r"[A-Z]{3}=X", symbol):
        return "USD" + symbol[:3]
    pair = FX_PAIR.match(symbol)
    return pair[1] + pair[2] if pair else symbol


def _coin(symbol: str) -> str:
    return re.split(r"[-/]", symbol, maxsplit=1)[0]


def base_price(symbol: str) -> float:
    """A plausible, symbol-specific price for the close before ANCHOR_YEAR."""
    kind = asset_class(symbol)
    if symbol in KNOWN_PRICES:
        return KNOWN_PRICES[symbol]
    if kind is AssetClass.CRYPTO:
        coin = _coin(symbol)
        return CRYPTO_PRICES.get(coin) or round(10 ** (-1.3 + 4 * unit("price", coin)), 4)
    if kind is AssetClass.FX:
        pair = _fx_pair(symbol)
        level = FX_PRICES.get(pair) or 10 ** (-0.3 + 0.6 * unit("price", pair))
        return level * (100 if pair.endswith("JPY") and pair not in FX_PRICES else 1)
    return round(10 ** (0.7 + 2.3 * unit("price", symbol)), 2)  # 5 .. 1000, log-uniform


def _futures_group(symbol: str) -> tuple[tuple[float, float], float]:
    root = symbol[:-2]
    for roots, vols, drift in FUTURES_GROUPS:
        if root in roots:
            return vols, drift
    return OTHER_FUTURES


def volatility_range(symbol: str) -> tuple[float, float]:
    """The annualised volatilities the symbol's asset class (futures: what they are on) shows."""
    kind = asset_class(symbol)
    return _futures_group(symbol)[0] if kind is AssetClass.FUTURES else CLASS_VOLS[kind]


def annual_volatility(symbol: str) -> float:
    """The symbol's typical annualised volatility of daily log returns."""
    kind = asset_class(symbol)
    key = {AssetClass.CRYPTO: _coin, AssetClass.FX: _fx_pair}.get(kind, str)(symbol)
    if key in KNOWN_VOLS:
        return KNOWN_VOLS[key]
    low, high = volatility_range(symbol)
    start, stop = SYMBOL_VOL_SPAN
    return low + (high - low) * (start + (stop - start) * unit("vol", key))


@dataclass(frozen=True, slots=True)
class MarketProfile:
    """What the generator needs to know about one symbol."""

    symbol: str
    kind: AssetClass
    calendar: Calendar
    price: float
    annual_vol: float
    vol_range: tuple[float, float]
    annual_drift: float
    gap_share: float
    vol_of_vol: float
    daily_volume: float


@lru_cache(maxsize=1024)
def profile(symbol: str) -> MarketProfile:
    """The symbol's character (cached: pure function of the symbol)."""
    kind = asset_class(symbol)
    price = base_price(symbol)
    low, high, in_money = VOLUMES[kind]
    volume = 10 ** (low + (high - low) * unit("volume", symbol))
    drift = _futures_group(symbol)[1] if kind is AssetClass.FUTURES else CLASS_DRIFT.get(kind, 0.0)
    return MarketProfile(
        symbol=symbol,
        kind=kind,
        calendar=calendar_for(symbol),
        price=price,
        annual_vol=annual_volatility(symbol),
        vol_range=volatility_range(symbol),
        annual_drift=drift,
        gap_share=GAP_SHARE[kind],
        vol_of_vol=VOL_OF_VOL.get(kind, DEFAULT_VOL_OF_VOL),
        daily_volume=max(MIN_DAILY_VOLUME, volume / price if in_money else volume),
    )


# --- when a session is busy ---------------------------------------------------------------------
# Relative activity (variance and volume per minute) by local minute of the day `m`, minutes
# since the open `t` and the session's length `span`: stocks trade a U (busy open, busy close);
# futures wake for the US cash session, FX for London and the London-New York overlap, and crypto
# a little for US hours.


def _nyse_activity(m: float, t: float, span: float) -> float:
    return 1.0 + 2.5 * math.exp(-t / 20) + 1.5 * math.exp(-(span - t) / 15)


def _futures_activity(m: float, t: float, span: float) -> float:
    if 570 <= m < 960:  # 09:30-16:00 New York
        return 1.0 + 2.0 * math.exp(-(m - 570) / 20) + 0.7 * math.exp(-(960 - m) / 15)
    if 180 <= m < 570:  # Europe
        return 0.4
    return 0.3 if 960 <= m < 1020 else 0.18


def _fx_activity(m: float, t: float, span: float) -> float:
    if 480 <= m < 720:  # London and New York together
        return 1.4
    if 180 <= m < 480:
        return 0.9
    return 0.55 if 720 <= m < 1020 else 0.35


def _crypto_activity(m: float, t: float, span: float) -> float:
    return 0.75 + 0.5 * math.exp(-(((m - 900) / 240) ** 2))


ACTIVITY: dict[Calendar, Callable[[float, float, float], float]] = {
    NYSE: _nyse_activity,
    CME_GLOBEX: _futures_activity,
    FX_24_5: _fx_activity,
    CRYPTO_24_7: _crypto_activity,
}
ACTIVITY_SAMPLES = 8


def activity(calendar: Calendar, session: Session, start: int, end: int) -> float:
    """Activity over [start, end) of the session: the curve's mean times the minutes."""
    curve = ACTIVITY[calendar]
    opens_at = calendar.opens.total_seconds() / 60 % 1440  # local wall-clock minute of the open
    span = (session.close - session.open) / 60
    minutes = (end - start) / 60
    samples = max(1, min(ACTIVITY_SAMPLES, int(minutes)))
    total = 0.0
    for k in range(samples):
        since_open = (start - session.open) / 60 + (k + 0.5) * minutes / samples
        total += curve((opens_at + since_open) % 1440, since_open, span)
    return total / samples * minutes
