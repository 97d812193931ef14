"""How prices are rounded and written: one rule for commands, levels and text.

Precision follows the price's magnitude (a stand-in for the instrument's tick size that needs no
reference data): 2 decimals from 1 up, 4 below 1, 8 below 0.01 — enough for equities, futures
and crypto alike.
"""

from __future__ import annotations


def price_decimals(price: float) -> int:
    """Decimals shown for a price of this size."""
    magnitude = abs(price)
    if magnitude >= 1:
        return 2
    if magnitude >= 0.01:
        return 4
    return 8


def round_price(price: float) -> float:
    """Round a computed level to the precision it will be shown with."""
    return round(price, price_decimals(price))


def format_price(price: float) -> str:
    """Plain decimal for the command grammar: no sign, no separators, fixed decimals."""
    return f"{price:.{price_decimals(price)}f}"
