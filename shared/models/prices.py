"""How prices are rounded and written: one rule for commands, levels and text.

Levels are snapped to the instrument's tick (`tick_size`): a quarter point for E-mini S&P
futures, a cent for stocks and most coins above $10, finer for cheap coins and penny stocks.
The command grammar then writes the price as a plain decimal with the digits it has (at least
two), so `SUPPORT:238.40`, `SUPPORT:4512.25` and `SUPPORT:0.12346` all say exactly what was
computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache

MAX_DECIMALS = 8
# Minimum price increments of common futures (CME/NYMEX/COMEX), by root symbol.
FUTURES_TICKS: dict[str, float] = {
    "ES": 0.25, "MES": 0.25, "NQ": 0.25, "MNQ": 0.25, "YM": 1.0, "MYM": 1.0, "RTY": 0.1,
    "CL": 0.01, "MCL": 0.01, "NG": 0.001, "GC": 0.1, "MGC": 0.1, "SI": 0.005, "HG": 0.0005,
    "ZB": 0.03125, "ZN": 0.015625, "ZC": 0.25, "ZS": 0.25, "ZW": 0.25,
}  # fmt: skip
# The one crypto rule: a coin against a quote currency, written BTC-USD or BTC/USD.
CRYPTO_QUOTES = frozenset({"USD", "USDT", "USDC", "BTC", "EUR"})
CRYPTO = re.compile(r"^([A-Z0-9]{2,10})[-/](" + "|".join(sorted(CRYPTO_QUOTES)) + r")$")
# Currency pairs: EURUSD=X (Yahoo's spelling), EUR/USD, EUR-USD or EURUSD, both sides fiat.
FX_PAIR = re.compile(r"^([A-Z]{3})[-/]?([A-Z]{3})(?:=X)?$")
FIAT = frozenset(
    "USD EUR JPY GBP CHF CAD AUD NZD SEK NOK DKK MXN ZAR SGD HKD CNH TRY PLN HUF CZK".split()
)
# Funds that track a broad index (their volatility is the index's, not a single company's).
INDEX_FUNDS = frozenset("SPY VOO IVV VTI QQQ QQQM DIA IWM RSP MDY VTV VUG VEA VWO EFA".split())


class AssetClass(StrEnum):
    """What kind of market a symbol trades on: its calendar and its typical volatility."""

    STOCK = "stock"
    INDEX = "index"  # index funds (SPY) and the indices themselves (^GSPC)
    CRYPTO = "crypto"
    FX = "fx"
    FUTURES = "futures"


# (lowest price, tick) from the top: a cent for stocks from $1, finer below; pipettes for FX.
STOCK_TICKS = ((1.0, 0.01), (0.01, 0.0001), (0.0, 1e-8))
PRICE_TICKS: dict[AssetClass, tuple[tuple[float, float], ...]] = {
    AssetClass.CRYPTO: ((10.0, 0.01), (1.0, 0.0001), (0.01, 0.00001), (0.0, 1e-8)),
    AssetClass.FX: ((20.0, 0.001), (0.0, 0.00001)),  # 151.234 (yen crosses), 1.08123
}


def asset_class(symbol: str) -> AssetClass:
    """The symbol's asset class from its spelling alone (no lookup): ES=F futures, EURUSD=X or
    EUR/USD currencies (checked before crypto, whose BTC-USD shape EUR-USD also has), BTC-USD
    coins, ^GSPC and index funds, and everything else a stock."""
    if symbol.endswith("=F"):
        return AssetClass.FUTURES
    pair = FX_PAIR.match(symbol)
    if symbol.endswith("=X") or (pair and pair[1] in FIAT and pair[2] in FIAT):
        return AssetClass.FX
    if CRYPTO.match(symbol):
        return AssetClass.CRYPTO
    if symbol.startswith("^") or symbol in INDEX_FUNDS:
        return AssetClass.INDEX
    return AssetClass.STOCK


def _tick_table(symbol: str | None) -> tuple[tuple[float, float], ...]:
    """(lowest price, tick) pairs for the symbol, from the top."""
    if symbol and symbol.endswith("=F"):
        return ((0.0, FUTURES_TICKS.get(symbol[:-2], 0.01)),)
    return PRICE_TICKS.get(asset_class(symbol), STOCK_TICKS) if symbol else STOCK_TICKS


def crypto_pair(symbol: str | None) -> tuple[str, str] | None:
    """(coin, quote) when the symbol is a crypto pair (and not a currency pair), else None."""
    if not symbol or asset_class(symbol) is not AssetClass.CRYPTO:
        return None
    match = CRYPTO.match(symbol)
    return (match.group(1), match.group(2)) if match else None


def tick_size(symbol: str | None, price: float) -> float:
    """The instrument's minimum price increment near `price`."""
    magnitude = abs(price)
    return next(tick for floor, tick in _tick_table(symbol) if magnitude >= floor)


@lru_cache(maxsize=64)
def _tick_decimals(tick: float) -> int:
    """Decimals a tick has (0.25 -> 2, 0.03125 -> 5); cached: a handful of ticks exist."""
    return len(f"{tick:.{MAX_DECIMALS}f}".rstrip("0").partition(".")[2])


def round_to_tick(price: float, tick: float) -> float:
    """Snap to the nearest tick, without float noise in the decimals (monotone in `price`, so
    rounding keeps low <= open, close <= high)."""
    return round(round(price / tick) * tick, _tick_decimals(tick))


def round_price(price: float, symbol: str | None = None) -> float:
    """Round a computed level to its instrument's tick (by magnitude when unknown)."""
    return round_to_tick(price, tick_size(symbol, price))


def price_rounder(symbol: str | None) -> Callable[[float], float]:
    """`round_price` for one symbol, its tick table looked up once: for loops over many prices
    (the sample market rounds every bar it makes)."""
    ticks = _tick_table(symbol)

    def snap(price: float) -> float:
        magnitude = abs(price)
        return round_to_tick(price, next(tick for floor, tick in ticks if magnitude >= floor))

    return snap


def format_price(price: float) -> str:
    """Plain decimal for the command grammar: no sign, no separators, at least 2 decimals."""
    text = f"{price:.{MAX_DECIMALS}f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"
