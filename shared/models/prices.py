"""How prices are rounded and written: one rule for commands, levels and text.

Levels are snapped to the instrument's tick (`tick_size`): a quarter point for E-mini S&P
futures, a cent for stocks and most coins above $10, finer for cheap coins and penny stocks.
The command grammar then writes the price as a plain decimal with the digits it has (at least
two), so `SUPPORT:238.40`, `SUPPORT:4512.25` and `SUPPORT:0.12346` all say exactly what was
computed.
"""

from __future__ import annotations

import re

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


def crypto_pair(symbol: str | None) -> tuple[str, str] | None:
    """(coin, quote) when the symbol is a crypto pair, else None."""
    match = CRYPTO.match(symbol or "")
    return (match.group(1), match.group(2)) if match else None


def tick_size(symbol: str | None, price: float) -> float:
    """The instrument's minimum price increment near `price`."""
    if symbol and symbol.endswith("=F"):
        return FUTURES_TICKS.get(symbol[:-2], 0.01)
    magnitude = abs(price)
    if crypto_pair(symbol):
        if magnitude >= 10:
            return 0.01
        if magnitude >= 1:
            return 0.0001
        return 0.00001 if magnitude >= 0.01 else 1e-8
    if magnitude >= 1:
        return 0.01
    return 0.0001 if magnitude >= 0.01 else 1e-8


def round_to_tick(price: float, tick: float) -> float:
    """Snap to the nearest tick, without float noise in the decimals."""
    decimals = len(f"{tick:.{MAX_DECIMALS}f}".rstrip("0").partition(".")[2])
    return round(round(price / tick) * tick, decimals)


def round_price(price: float, symbol: str | None = None) -> float:
    """Round a computed level to its instrument's tick (by magnitude when unknown)."""
    return round_to_tick(price, tick_size(symbol, price))


def format_price(price: float) -> str:
    """Plain decimal for the command grammar: no sign, no separators, at least 2 decimals."""
    text = f"{price:.{MAX_DECIMALS}f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"
