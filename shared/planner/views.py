"""What part of the chart to look at: zoom, a visible time range, and symbols to compare.

Zoom: "zoom in", "zoom out", "zoom to fit", "fit the chart", "reset the zoom" (IN/OUT/FIT).
Range: look-backs ("last 3 months", "past year", "the last 52 weeks"), calendar spans ("show
me 2024", "March 2024", "Q1 2023", "from 2022 to 2024", "since 2022"), anchors the bars decide
("since the March low", "since January") and "ytd"/"this month". A year counts only after a
word that introduces a time ("in", "show me", "since", "from", "during", ...) or with a month
or quarter ("March 2024"), never as a price ("gold at 2050"), and only 1990-2039. A span the
chart cannot show is not dropped in silence: a year outside 1990-2039 after a word that only
introduces a time ("from 1900 to 3000", "in the year 2999", "since 1850") and a look-back of
no length ("the last -5 days", "past 0 weeks") are an "impossible" range the answer names.
Compare: after "compare", "vs", "versus", "against", "relative to", "overlay" every symbol
named is compared; the one named before the cue (or first after "compare X and Y") stays the
chart's symbol, so "compare TSLA and RIVN" keeps TSLA and overlays RIVN, and "compare with
RIVN" (or "with QQQ and IWM") overlays them on whatever is shown.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from shared.models.commands import ZoomMode
from shared.planner.intent import RangeUnit, VisibleRange
from shared.planner.patterns import compile_later
from shared.planner.symbols import Candidate

ZOOMS: tuple[tuple[ZoomMode, re.Pattern[str]], ...] = tuple(
    (mode, compile_later(pattern, re.IGNORECASE))
    for mode, pattern in (
        ("FIT", r"\bzoom\s+(?:to\s+)?fit\b|\bfit\s+(?:the\s+)?(?:chart|content|all|everything|"
                r"screen|data|to\s+(?:the\s+)?screen)\b|\b(?:reset|auto)[\s-]?(?:the\s+)?"
                r"(?:zoom|scale)\b|\bauto[\s-]?fit\b|\bshow\s+(?:me\s+)?(?:all|the\s+(?:whole|full|entire))"
                r"\s+(?:history|chart|data|range)\b|\bzoom\s+(?:all\s+the\s+way\s+)?out\s+fully\b"),
        ("IN", r"\bzoom(?:\s+(?:it|the\s+chart|me))?\s+in\b|\bzoom\s+closer\b|\bcloser\s+look\b"),
        ("OUT", r"\bzoom(?:\s+(?:it|the\s+chart|me))?\s+(?:back\s+|way\s+)?out\b|"
                r"\bwider\s+view\b"),
    )
)  # fmt: skip
COUNTS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "couple": 2,
    "couple of": 2, "few": 3,
}  # fmt: skip
UNITS: dict[str, tuple[RangeUnit, int]] = {
    "d": ("day", 1), "s": ("day", 1), "t": ("day", 1), "w": ("week", 1), "m": ("month", 1),
    "q": ("month", 3), "y": ("year", 1), "h": ("hour", 1),
}  # fmt: skip
LOOKBACK = compile_later(
    r"\b(?:last|past|previous|prior|trailing)\s+(?:(\d{1,3}|a|an|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|couple(?:\s+of)?|few)\s+)?"
    r"(days?|sessions?|trading\s+days?|weeks?|wks?|months?|mos?|mths?|quarters?|years?|yrs?|"
    r"hours?)\b",
    re.IGNORECASE,
)
MONTHS = (
    "jan(?:uary)?", "feb(?:ruary)?", "mar(?:ch)?", "apr(?:il)?", "may", "june?", "july?",
    "aug(?:ust)?", "sep(?:t(?:ember)?)?", "oct(?:ober)?", "nov(?:ember)?", "dec(?:ember)?",
)  # fmt: skip
MONTH = "(" + "|".join(MONTHS) + r")\.?"
MONTH_PATTERNS = [compile_later(f"{m}$", re.IGNORECASE) for m in MONTHS]
YEAR = r"((?:199|20[0-3])\d)(?![\w.%$,])"
TIME_CUE = (
    r"(?:\bshow(?:\s+me)?|\bin|\bfor|\bduring|\bof|\bsince|\bfrom|\bthrough|\buntil|\btill|"
    r"\bback\s+to|\bzoom(?:\s+in)?(?:\s+(?:to|on))?|\bgo\s+to|\bjump\s+to|\byear|\bbetween|"
    r"\bacross|\ball|\bwhole)\s+(?:(?:the\s+)?(?:year|whole|all|entire)\s+(?:of\s+)?)?"
)
CALENDAR = compile_later(
    rf"(?<![\w$])({TIME_CUE})?(?:(q[1-4])\s+|{MONTH}\s+)?{YEAR}"
    rf"(?:\s*(?:-|to|through|until|and)\s*(?:(q[1-4])\s+|{MONTH}\s+)?{YEAR}|"
    r"\s+(?:to|until|till|through)\s+(now|today|date|present|the\s+present))?",
    re.IGNORECASE,
)
SINCE = compile_later(
    rf"\bsince\s+(?:the\s+)?(?:{MONTH}(?:'s)?\s*)?(lows?|highs?|bottom|top|peak)?\b",
    re.IGNORECASE,
)
TO_DATE = compile_later(
    r"\b(ytd|year[\s-]to[\s-]date|this\s+year|mtd|month[\s-]to[\s-]date|this\s+month|"
    r"wtd|this\s+week)\b",
    re.IGNORECASE,
)
# Spans the chart cannot show. Cues that only introduce a time ("for" and "of" also precede
# prices: "a target for 3000"); years of four digits that the calendar above does not take.
IMPOSSIBLE_YEAR = compile_later(
    r"(?<![\w$])(?:\bfrom|\bsince|\bbetween|\bduring|\bin(?:\s+the\s+year)?|\buntil|\bthrough|"
    r"\bback\s+to|\bshow(?:\s+me)?|\byear)\s+(?:(?:q[1-4])\s+|" + MONTH + r"\s+)?(\d{4})"
    r"(?:\s*(?:-|to|through|until|and)\s*(?:(?:q[1-4])\s+|" + MONTH + r"\s+)?(\d{4}))?(?![\w.%$,])",
    re.IGNORECASE,
)
IMPOSSIBLE_LOOKBACK = compile_later(
    r"\b(?:last|past|previous|prior|trailing)\s+(?:-\s*\d+|0+)\s+"
    r"(?:days?|sessions?|trading\s+days?|weeks?|months?|quarters?|years?|hours?)\b",
    re.IGNORECASE,
)
FIRST_YEAR, LAST_YEAR = 1990, 2039

COMPARE_CUE = compile_later(
    r"\b(?:compar(?:e[sd]?|ing|ison)|vs\.?|versus|against|relative\s+to|overlay|"
    r"stack(?:s|ed)?\s+up)(?![\w])",
    re.IGNORECASE,
)
COMPARE_VERB = compile_later(r"^compar", re.IGNORECASE)
# Cheap tests that let most queries skip the longer patterns.
ZOOM_HINT = compile_later(
    r"zoom|fit|closer|wider|scale|whole|full|entire|show\s+all", re.IGNORECASE
)
YEAR_HINT = compile_later(r"(?:199|20[0-3])\d")
LOOKBACK_HINT = compile_later(r"last|past|previous|prior|trailing", re.IGNORECASE)
TO_DATE_HINT = compile_later(r"td\b|to[\s-]date|this\s", re.IGNORECASE)


def find_zoom(text: str) -> ZoomMode | None:
    """The zoom asked for first, or None."""
    if not ZOOM_HINT.search(text):
        return None
    found = [(m.start(), mode) for mode, pattern in ZOOMS if (m := pattern.search(text))]
    return min(found)[1] if found else None


def _month(written: str | None) -> int | None:
    if not written:
        return None
    return next(i for i, pattern in enumerate(MONTH_PATTERNS, 1) if pattern.match(written))


def _unix(year: int, month: int) -> int:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return int(datetime(year, month, 1, tzinfo=UTC).timestamp())


def _span(quarter: str | None, month: str | None, year: str) -> tuple[int, int]:
    """[first month, month after the last) of a year, quarter or month, as (year, month)."""
    if quarter:
        first = 3 * (int(quarter[1]) - 1) + 1
        return first, first + 3
    number = _month(month)
    return (number, number + 1) if number else (1, 13)


def _calendar(match: re.Match[str]) -> VisibleRange:
    cue, q1, m1, y1, q2, m2, y2, up_to_now = match.groups()
    cue = cue or ""
    first, after = _span(q1, m1, y1)
    start = _unix(int(y1), first)
    if y2:
        end: int | None = _unix(int(y2), _span(q2, m2, y2)[1])
    else:
        open_ended = up_to_now or cue.strip().lower().startswith("since")
        end = None if open_ended else _unix(int(y1), after)
    if end is not None and end <= start:
        end = _unix(int(y1), after)
    phrase = match.group(0)[len(cue) :].strip()
    return VisibleRange(kind="calendar", phrase=phrase, start=start, end=end)


def _lookback(match: re.Match[str]) -> VisibleRange:
    written, unit_word = match.groups()
    count = (
        int(written)
        if written and written.isdigit()
        else COUNTS.get(" ".join((written or "a").lower().split()), 1)
    )
    unit, factor = UNITS[unit_word.lower()[0]]
    return VisibleRange(
        kind="lookback", phrase=match.group(0), count=max(1, count) * factor, unit=unit
    )


def _since(match: re.Match[str]) -> VisibleRange | None:
    month, extreme = match.groups()
    if not month and not extreme:
        return None
    anchor = None
    if extreme:
        anchor = "low" if extreme.lower().startswith(("low", "bottom")) else "high"
    return VisibleRange(
        kind="since", phrase=match.group(0), anchor=anchor, anchor_month=_month(month)
    )


def _to_date(match: re.Match[str]) -> VisibleRange:
    written = match.group(1).lower()
    unit: RangeUnit = "year" if "y" in written else "week" if "w" in written else "month"
    return VisibleRange(kind="to_date", phrase=match.group(0), unit=unit)


def find_impossible_range(text: str) -> VisibleRange | None:
    """A span the text asks for that the chart cannot show (see the module), or None."""
    if (lookback := IMPOSSIBLE_LOOKBACK.search(text)) is not None:
        return VisibleRange(kind="impossible", phrase=lookback.group(0))
    for match in IMPOSSIBLE_YEAR.finditer(text):
        years = [int(y) for y in (match.group(2), match.group(4)) if y]
        if any(not FIRST_YEAR <= year <= LAST_YEAR for year in years):
            return VisibleRange(kind="impossible", phrase=match.group(0).strip())
    return None


def find_range(text: str) -> VisibleRange | None:
    """The first time span the text asks to see (an impossible one first: a part of a span
    the calendar could read, "from 2020 to 3000", must not stand for all of it), or None."""
    if (impossible := find_impossible_range(text)) is not None:
        return impossible
    found: list[tuple[int, VisibleRange]] = []
    for calendar in CALENDAR.finditer(text) if YEAR_HINT.search(text) else ():
        cue, quarter, month = calendar.groups()[:3]
        if cue or quarter or month:  # a bare year could be a price
            found.append((calendar.start(), _calendar(calendar)))
            break
    lookback = LOOKBACK.search(text) if LOOKBACK_HINT.search(text) else None
    if lookback is not None:
        found.append((lookback.start(), _lookback(lookback)))
    for since in SINCE.finditer(text) if "since" in text.lower() else ():
        if (anchor := _since(since)) is not None:
            found.append((since.start(), anchor))
            break
    to_date = TO_DATE.search(text) if TO_DATE_HINT.search(text) else None
    if to_date is not None:
        found.append((to_date.start(), _to_date(to_date)))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def split_comparison(
    text: str, named: list[Candidate]
) -> tuple[str | None, tuple[str, ...]] | None:
    """(chart symbol, symbols to compare) when the text asks for a comparison, else None.

    `named` are the symbol candidates in order of position, one per symbol."""
    cue = COMPARE_CUE.search(text)
    if cue is None:
        return None
    before = [c.symbol for c in named if c.position < cue.start()]
    after = [c.symbol for c in named if c.position >= cue.end()]
    if before:
        primary, others = before[0], before[1:] + after
    elif (
        COMPARE_VERB.match(cue.group(0))
        and len(after) >= 2
        and not re.match(
            r"\s+(?:(?:it|this|that)\s+)?(?:with|to|against)\b", text[cue.end() :], re.IGNORECASE
        )
    ):
        primary, others = after[0], after[1:]
    else:
        primary, others = None, after
    return primary, tuple(s for s in dict.fromkeys(others) if s != primary)
