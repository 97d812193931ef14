"""Finding the chart timeframe a query names ("4 hour", "weekly", "15m", "1D", "day chart").

This module only finds *where* a timeframe is written and spells it compactly ("4 hrs" ->
"4h"); `parse_timeframe` (shared.models.fields) alone decides what is valid and canonical, so
the alias table exists once. Sizes charts do not offer ("3 day", "2h") give no timeframe.

Not timeframes: an indicator's period ("50 day moving average", "1 week high"), a look-back
or a delay ("last 3 days", "past 1 hour", "in 30 minutes", "an hour ago"), money ("$5m").
Case matters only for `1M` (month) against `1m` (minute), as in SPEC 3; any other count of
capital M is minutes ("15M"). "A day"/"one day" are too common in prose to count; "an hour
chart", "day chart" and "daily" do.
"""

from __future__ import annotations

import re

from shared.models.fields import Timeframe, parse_timeframe
from shared.planner.patterns import compile_later

NUMBER_WORDS = {"one": 1, "four": 4, "five": 5, "fifteen": 15, "thirty": 30, "sixty": 60}
SIZED = compile_later(
    r"(?<![\w.$])(?:(\d{1,3})|(?i:(one|four|five|fifteen|thirty|sixty))(?=[\s-]))\s*-?\s*"
    r"((?i:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|mths?)|[mMhHdDwW])"
    r"(?![\w%])"
)
NAMED = compile_later(r"\b(hourly|daily|weekly|monthly)\b", re.IGNORECASE)
UNIT_CHART = compile_later(
    r"\b(minute|hour|day|week|month)\s+(?:charts?|candles?|candlesticks?|bars?|view|timeframe)\b",
    re.IGNORECASE,
)
COUNT_BEFORE = compile_later(
    r"(?:\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|"
    r"sixty))\s*-?\s*$",
    re.IGNORECASE,
)
MT4_STYLE = compile_later(r"\b([MHDW]|MN)(\d{1,2})\b")  # M15, H4, D1, W1, MN1
MT4_UNITS = {"M": "m", "H": "h", "D": "d", "W": "w", "MN": "mo"}
INDICATOR_AFTER = compile_later(
    r"\s*(?:simple\s+|exponential\s+)?(?:moving|ma\b|mas\b|sma|ema|rsi|average|avg|period|"
    r"bollinger|vwap|macd|high|low|range|volume|breakout|return|change|performance)",
    re.IGNORECASE,
)
LOOKBACK_BEFORE = compile_later(
    r"\b(?:last|past|next|previous|prior|within|every|over)\s+(?:the\s+)?$", re.IGNORECASE
)
DELAY_BEFORE = compile_later(r"\b(?:in|after|before|about|for)\s+$", re.IGNORECASE)
LOOKBACK_AFTER = compile_later(r"\s*(?:ago|later|from\s+now|left|away|old)\b", re.IGNORECASE)
FROM_BEFORE = compile_later(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
WINDOW = 16  # characters looked at before a match


def _spelled(count: int, unit: str) -> str:
    """Count and unit as `parse_timeframe` reads them: "4 hrs" -> "4h", 1 capital M -> "1M"."""
    if unit == "M":
        return "1M" if count == 1 else f"{count}m"
    lowered = unit.lower()
    if lowered.startswith("m"):
        return f"{count}m" if lowered == "m" or lowered.startswith("mi") else f"{count}mo"
    return f"{count}{lowered[0]}"


def _valid(spelling: str) -> Timeframe | None:
    try:
        return parse_timeframe(spelling)
    except ValueError:
        return None


def _is_period_or_lookback(text: str, match: re.Match[str], spelling: str) -> bool:
    """True when the count-and-unit is a look-back, a delay, or an indicator's period."""
    before = text[max(0, match.start() - WINDOW) : match.start()]
    unit = match.group(3)
    if LOOKBACK_BEFORE.search(before) or LOOKBACK_AFTER.match(text, match.end()):
        return True
    if len(unit) > 3 and DELAY_BEFORE.search(before):  # "in 30 minutes", not "in 15m"
        return True
    long_unit = spelling[-1] in "dwoM" and unit not in {"D", "W"}
    return long_unit and INDICATOR_AFTER.match(text, match.end()) is not None


def _sized(text: str, match: re.Match[str]) -> Timeframe | None:
    """A count-and-unit match ("4h", "15 min", "four hour") as a timeframe, or None."""
    digits, word, unit = match.groups()
    if word and (len(unit) == 1 or (word.lower() == "one" and unit[0] in "dDwW")):
        return None  # "four h" is not a way to write it; "one day" is prose
    count = int(digits) if digits else NUMBER_WORDS[word.lower()]
    spelling = _spelled(count, unit)
    if _is_period_or_lookback(text, match, spelling):
        return None
    return _valid(spelling)


def _all_timeframes(text: str) -> list[tuple[int, Timeframe]]:
    """(position, timeframe) for every timeframe written in the text, in order."""
    found = [(m.start(), _sized(text, m)) for m in SIZED.finditer(text)]
    found += [(m.start(), _valid(m.group(1))) for m in NAMED.finditer(text)]
    found += [
        (m.start(), _valid(f"1 {m.group(1)}"))
        for m in UNIT_CHART.finditer(text)
        if not COUNT_BEFORE.search(text[max(0, m.start() - WINDOW) : m.start()])
    ]
    found += [
        (m.start(), _valid(f"{m.group(2)}{MT4_UNITS[m.group(1)]}"))
        for m in MT4_STYLE.finditer(text)
    ]
    return sorted((pos, tf) for pos, tf in found if tf is not None)


def find_timeframe(text: str) -> Timeframe | None:
    """The timeframe the text asks for: the first one, or the target of "from X to Y"."""
    found = _all_timeframes(text)
    if not found:
        return None
    first_at = found[0][0]
    if len(found) > 1 and FROM_BEFORE.search(text[max(0, first_at - WINDOW) : first_at]):
        return found[1][1]
    return found[0][1]
