"""Trader shorthand, spelled out so the indicator rules read it.

- "the 200 day", "the 50-day", "the 20 and 50 day" (no indicator named) -> the N day moving
  average ("the 40 week" -> the 40 week moving average, "its 200 day" too); "200dma",
  "50 dma", "dma 200", "200d ma" -> the 200 day moving average.
- "the 50", "the 200", "the 20 and the 50" with nothing after them but the end of the request
  or a joining word -> the moving average of that many bars (no unit, so a weekly chart's "the
  50" is its 50-week line); only the periods traders mean by a bare number (20, 50, 100,
  200), so "the 250" or "the 50%" stay numbers.
- "/es", "/nq" in lower case -> the futures roots "/ES", "/NQ" (the symbol rules take the
  capital forms); bare "ES" and "NQ" in capitals are already futures.
"""

from __future__ import annotations

import re

from shared.planner.patterns import compile_later

NUMBERS = r"\d{1,3}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*(?:the\s+)?\d{1,3})*"
# What may follow a shorthand average: the end, punctuation, or a word that joins requests.
AFTER = (
    r"(?=\s*(?:$|[,.;:!?)]|(?:on|for|in|and|with|please|too|also|to|as|at|line|lines|cross|"
    r"crossover|vs|versus|or|then|of|from|is|are|was|while|here|now|right|doing|look|looks|"
    r"looking|sitting|holding|but|without|not|except|only)\b))"
)
DAY_AVERAGE = compile_later(
    rf"(?<![\w.$])(?:the|its)\s+(?>({NUMBERS}))\s*-?\s*(?:(days?|d)|weeks?|wks?)(?:\s*(?:ma|sma))?"
    rf"{AFTER}",
    re.IGNORECASE,
)
DMA = compile_later(r"(?<![\w.$])(\d{1,3})\s*-?\s*(?:dmas?|d\s*mas?)(?![\w])", re.IGNORECASE)
DMA_AFTER = compile_later(r"(?<![\w.$])dmas?\s*\(?\s*(\d{1,3})(?![\w.%])", re.IGNORECASE)
BARE_PERIODS = r"(?:200|100|50|20)"
BARE_AVERAGE = compile_later(
    rf"(?<![\w.$])the\s+(?>({BARE_PERIODS}(?:\s*(?:,|/|&|\band\b|\bor\b)\s*(?:the\s+)?"
    rf"{BARE_PERIODS})*))(?![\w.%$]){AFTER}(?!\s*-?\s*(?:day|d|week|hour|minute)\b)",
    re.IGNORECASE,
)
LOWER_FUTURES = compile_later(r"(?<![\w/])/(es|nq|ym|rty|mes|mnq|cl|gc|ng)(?![\w=])")
SPELLED = "day moving average"


def _spell(match: re.Match[str], unit: str | None = None) -> str:
    """ "the 200 day" -> "the 200 day moving average" ("the 40 week" -> "... week ...")."""
    periods = re.sub(r"\bthe\s+", "", match.group(1))
    if unit is None:
        unit = "day " if match.group(2) else "week "
    return f"the {periods} {unit}moving average"


def _spell_bare(match: re.Match[str]) -> str:
    """A bare "the 50" is 50 bars of whatever chart is shown, not 50 days."""
    return _spell(match, unit="")


def expand_shorthand(text: str) -> str:
    """The text with trader shorthand for averages and futures written out."""
    if "dma" in text.lower():
        text = DMA.sub(rf"\1 {SPELLED}", text)
        text = DMA_AFTER.sub(rf"\1 {SPELLED}", text)
    if "the" in text.lower() or "its" in text.lower():
        text = DAY_AVERAGE.sub(_spell, text)
        text = BARE_AVERAGE.sub(_spell_bare, text)
    if "/" in text:
        text = LOWER_FUTURES.sub(lambda m: "/" + m.group(1).upper(), text)
    return text
