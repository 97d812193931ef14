"""Finding the chart timeframe a query names ("4 hour", "weekly", "15m", "1D").

A number of days is a timeframe only when it is one day and not an indicator's period: in
"50 day moving average" or "14 day RSI" the days belong to the indicator.
"""

from __future__ import annotations

import re

from shared.models.fields import Timeframe

NUMBER_WORDS = {"one": 1, "an": 1, "four": 4, "five": 5, "fifteen": 15, "thirty": 30}
MINUTES = {1: Timeframe.M1, 5: Timeframe.M5, 15: Timeframe.M15, 30: Timeframe.M30,
           60: Timeframe.H1, 240: Timeframe.H4}  # fmt: skip
HOURS = {1: Timeframe.H1, 4: Timeframe.H4}
WORDS = {
    "hourly": Timeframe.H1, "daily": Timeframe.D1, "weekly": Timeframe.W1,
    "monthly": Timeframe.MN1, "intraday": Timeframe.M5,
}  # fmt: skip
UNIT_CHARTS = {"day": Timeframe.D1, "week": Timeframe.W1, "month": Timeframe.MN1,
               "hour": Timeframe.H1, "minute": Timeframe.M1}  # fmt: skip

# Digits may touch their unit ("4h"); number words need a separator ("an hour", not "and").
COUNT = r"\b(?:(\d{1,3})\s*-?\s*|(?i:(one|an|four|five|fifteen|thirty))(?:\s+|-))"
UNIT = r"((?i:minutes?|mins?|hours?|hrs?|days?|weeks?|wk|months?|mo)|[mMhHdDwW])"
SIZED = re.compile(COUNT + UNIT + r"\b")
INDICATOR_AFTER = re.compile(
    r"^\s*(?:simple\s+|exponential\s+)?(?:moving|ma\b|sma|ema|rsi|average|avg|period|"
    r"bollinger|vwap|macd|high|low|range|volume|breakout)",
    re.IGNORECASE,
)
NAMED = re.compile(r"\b(hourly|daily|weekly|monthly|intraday)\b", re.IGNORECASE)
UNIT_CHART = re.compile(r"\b(day|week|month|hour|minute)\s+(?:chart|candles?|bars?|view)\b", re.I)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def _sized(count: int, unit: str) -> Timeframe | None:
    """A count and a unit to a canonical timeframe (only the sizes charts offer)."""
    if unit == "M":  # capital M: month for 1, minutes otherwise (15M)
        return Timeframe.MN1 if count == 1 else MINUTES.get(count)
    unit = unit.lower()
    if unit.startswith("mi") or unit == "m":
        return MINUTES.get(count)
    if unit.startswith("h"):
        return HOURS.get(count)
    if unit.startswith("d"):
        return Timeframe.D1 if count == 1 else None
    if unit.startswith("w"):
        return Timeframe.W1 if count == 1 else None
    return Timeframe.MN1 if count == 1 else None


def find_timeframe(query: str) -> Timeframe | None:
    """The first timeframe the query names, or None."""
    found: list[tuple[int, Timeframe]] = []
    for match in SIZED.finditer(query):
        if INDICATOR_AFTER.match(query, match.end()):
            continue
        timeframe = _sized(_count(match.group(1) or match.group(2)), match.group(3))
        if timeframe is not None:
            found.append((match.start(), timeframe))
    for pattern, table in ((NAMED, WORDS), (UNIT_CHART, UNIT_CHARTS)):
        for match in pattern.finditer(query):
            found.append((match.start(), table[match.group(1).lower()]))
    return min(found, key=lambda item: item[0])[1] if found else None
