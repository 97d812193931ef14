"""Finding indicators and their periods: "50 day moving average" -> SMA 50, "20 ema", "rsi".

A period is the number right before the indicator ("50 day sma", "20-period EMA", "50 and 200
day moving averages") or right after it ("sma 50", "ema(20)", "ma50"). No number means the
page's default period.
"""

from __future__ import annotations

import re

from shared.models.commands import IndicatorCommand, IndicatorName

# Longer phrases first so "exponential moving average" wins over "moving average".
INDICATOR_PHRASES: tuple[tuple[str, IndicatorName], ...] = (
    (r"exponential\s+moving\s+averages?|ema", "EMA"),
    (r"(?:simple\s+)?moving\s+averages?|sma|ma(?=\d)|ma", "SMA"),
    (r"relative\s+strength(?:\s+index)?|rsi", "RSI"),
    (r"macd", "MACD"),
    (r"bollinger(?:\s+bands?)?|bbands|bb", "BBANDS"),
    (r"vwap", "VWAP"),
    (r"volume", "VOLUME"),
)
PATTERN = re.compile(
    r"(?<![a-z])(" + "|".join(f"(?:{p})" for p, _ in INDICATOR_PHRASES) + r")(?![a-z])",
    re.IGNORECASE,
)
NAMES = [(re.compile(rf"^(?:{p})$", re.IGNORECASE), name) for p, name in INDICATOR_PHRASES]
PERIODS_BEFORE = re.compile(
    r"(\d{1,3})(?:\s*(?:,|and|&|/)\s*(\d{1,3}))?\s*-?\s*(?:days?|d|periods?|bars?|p|"
    r"(?:hour|hr|minute|min|week)s?)?\s*-?\s*(?:simple\s+|exponential\s+)?$",
    re.IGNORECASE,
)
PERIOD_AFTER = re.compile(
    r"^\s*\(?\s*-?\s*(\d{1,3})(?!\d)(?!\s*-?\s*(?:m|mins?|minutes?|h|hrs?|hours?)\b)",
    re.IGNORECASE,
)
MAX_PERIOD = 500


def _name_of(phrase: str) -> IndicatorName:
    return next(name for pattern, name in NAMES if pattern.match(phrase))


def _periods(query: str, start: int, end: int) -> list[int | None]:
    """Periods written around the indicator phrase at [start, end)."""
    before = PERIODS_BEFORE.search(query[max(0, start - 24) : start])
    if before:
        periods = [int(g) for g in before.groups() if g]
    else:
        after = PERIOD_AFTER.match(query[end : end + 8])
        periods = [int(after.group(1))] if after else []
    valid = [p for p in periods if 1 <= p <= MAX_PERIOD]
    return list(valid) or [None]


def find_indicators(query: str) -> tuple[IndicatorCommand, ...]:
    """Every indicator named, with its periods, in order of appearance, without repeats."""
    found: list[IndicatorCommand] = []
    for match in PATTERN.finditer(query):
        name = _name_of(match.group(1))
        for period in _periods(query, match.start(), match.end()):
            command = IndicatorCommand(name=name, period=period)
            if command not in found:
                found.append(command)
    return tuple(found)
