"""Finding indicators and their periods: "50 day moving average" -> SMA 50, "20 ema", "rsi".

A period is the number, or list of numbers, right before the indicator ("50 day sma",
"20-period EMA", "9, 21 and 50 ema", "50 and 200 day moving averages") or right after it
("sma 50", "ema(20)", "ma50"). A count of minutes or hours before an indicator is the chart's
timeframe, not a period ("4 hour ema" is the EMA on the 4H chart).

No number means the page's default period (`period=None`; the web kit uses SMA/EMA 20, RSI 14,
BBANDS 20). The planner never invents one, so "rsi", "is it overbought" and "relative strength"
all give `INDICATOR:RSI`. MACD, VWAP and VOLUME take no period. "Golden/death cross" means the
50 and 200 day SMAs.
"""

from __future__ import annotations

import re
from typing import Literal

from shared.models.commands import IndicatorCommand, IndicatorName
from shared.planner.patterns import compile_later

# What a written period counts: "50 day" days, "20 week" weeks, "sma 50" or "50 sma" bars.
PeriodUnit = Literal["bars", "days", "weeks"]

# Longer phrases first so "exponential moving average" wins over "moving average".
INDICATOR_PHRASES: tuple[tuple[str, IndicatorName], ...] = (
    (r"exponential\s+moving\s+averages?|emas?", "EMA"),
    (r"(?:simple\s+)?moving\s+averages?|smas?|ma(?=\d)|mas?(?!['’])", "SMA"),
    (r"relative\s+strength(?:\s+index)?|rsi|overbought|oversold", "RSI"),
    (r"macd", "MACD"),
    (r"bollinger(?:\s+bands?)?|bbands|bb|boll", "BBANDS"),
    (r"vwap", "VWAP"),
    (r"volume", "VOLUME"),
)
PATTERN = compile_later(
    r"(?<![a-z])(" + "|".join(f"(?:{p})" for p, _ in INDICATOR_PHRASES) + r")(?![a-z])",
    re.IGNORECASE,
)
NAMES = [(compile_later(rf"(?:{p})$", re.IGNORECASE), name) for p, name in INDICATOR_PHRASES]
CROSS = compile_later(r"\b(?:golden|death)\s+cross", re.IGNORECASE)
NUMBER_LIST = r"\d{1,3}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*\d{1,3})*"
PERIODS_BEFORE = compile_later(
    rf"(?<![\d.])({NUMBER_LIST})\s*-?\s*(days?|d|periods?|bars?|p|weeks?|wk)?\s*-?\s*"
    r"(?:simple\s+|exponential\s+)?$",
    re.IGNORECASE,
)
PERIODS_AFTER = compile_later(
    rf"\s*\(?\s*-?\s*({NUMBER_LIST})(?![\d.%])"
    r"(?!\s*-?\s*(?:m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)\b)",
    re.IGNORECASE,
)
WITH_PERIOD: frozenset[IndicatorName] = frozenset({"SMA", "EMA", "RSI", "BBANDS"})
MAX_PERIOD = 500
WINDOW = 40  # characters before the phrase searched for its periods


def name_of(phrase: str) -> IndicatorName:
    return next(name for pattern, name in NAMES if pattern.match(phrase))


def _unit(written: str | None) -> PeriodUnit:
    if written and written[0].lower() == "d":
        return "days"
    return "weeks" if written and written[0].lower() == "w" else "bars"


def _periods(text: str, start: int, end: int) -> tuple[list[int | None], PeriodUnit]:
    """Periods written right before or right after the indicator phrase at [start, end), and
    what they count."""
    before = PERIODS_BEFORE.search(text[max(0, start - WINDOW) : start])
    after = None if before else PERIODS_AFTER.match(text, end)
    written = (before or after).group(1) if (before or after) else ""
    periods = [int(n) for n in re.findall(r"\d+", written) if 1 <= int(n) <= MAX_PERIOD]
    unit = _unit(before.group(2)) if before else "bars"
    return list(dict.fromkeys(periods)) or [None], unit


def find_indicators_with_units(text: str) -> tuple[tuple[IndicatorCommand, PeriodUnit], ...]:
    """Every indicator named, with its periods and what they count, in order of appearance,
    without repeats (the first unit written for a repeated indicator wins)."""
    found: dict[IndicatorCommand, PeriodUnit] = {}
    for match in PATTERN.finditer(text):
        name = name_of(match.group(1))
        periods, unit = (
            _periods(text, match.start(), match.end()) if name in WITH_PERIOD else ([None], "bars")
        )
        for period in periods:
            found.setdefault(IndicatorCommand(name=name, period=period), unit)
    if CROSS.search(text):
        for period in (50, 200):
            found.setdefault(IndicatorCommand(name="SMA", period=period), "days")
    return tuple(found.items())


def find_indicators(text: str) -> tuple[IndicatorCommand, ...]:
    """Every indicator named, with its periods, in order of appearance, without repeats."""
    return tuple(command for command, _ in find_indicators_with_units(text))
