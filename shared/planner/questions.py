"""Questions the answer should reply to with values, and the chart patterns a query names.

A clause (split at . ; ! ? and at a comma before a question word) is a question when it ends
in "?" or starts with a question word ("is", "does", "what's", "any", "how far", ...). In a
question clause: "golden/death cross" asks about the SMA 50/200 cross; "uptrend", "trending
down", "is the trend up" about the trend; "near/at/testing support" about the distance to a
level; a named pattern ("head and shoulders?") or "any patterns" about patterns; any other
indicator ("what's the RSI", "where is the 200 day", "is it overbought") about its value.
"""

from __future__ import annotations

import re

from shared.models.commands import IndicatorCommand
from shared.planner.indicators import find_indicators
from shared.planner.intent import LevelSide, Question
from shared.planner.patterns import compile_later

# PATTERN names as the analysis writes them, and the words people use; inverse first.
PATTERN_NAMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, compile_later(rf"(?<![a-z])(?:{pattern})(?![a-z])", re.IGNORECASE))
    for name, pattern in (
        ("INVERSE_HEAD_AND_SHOULDERS",
         r"(?:inverse|inverted|reverse)\s+(?:head\s+(?:and|&|n)\s+shoulders|h\s*&\s*s)|ihs"),
        ("HEAD_AND_SHOULDERS", r"head\s+(?:and|&|n)\s+shoulders?|h\s*&\s*s"),
        ("DOUBLE_TOP", r"double\s+tops?|m[\s-]top"),
        ("DOUBLE_BOTTOM", r"double\s+bottoms?|w[\s-]bottom"),
        ("TRIPLE_TOP", r"triple\s+tops?"),
        ("TRIPLE_BOTTOM", r"triple\s+bottoms?"),
        ("ASCENDING_TRIANGLE", r"ascending\s+triangles?"),
        ("DESCENDING_TRIANGLE", r"descending\s+triangles?"),
        ("SYMMETRICAL_TRIANGLE", r"symmetric(?:al)?\s+triangles?"),
        ("BULL_FLAG", r"bull(?:ish)?\s+flags?"),
        ("BEAR_FLAG", r"bear(?:ish)?\s+flags?"),
        ("CUP_AND_HANDLE", r"cup\s+(?:and|&|with)\s+(?:a\s+)?handle"),
        ("RISING_WEDGE", r"rising\s+wedges?"),
        ("FALLING_WEDGE", r"falling\s+wedges?"),
        ("PENNANT", r"(?:bull(?:ish)?\s+|bear(?:ish)?\s+)?pennants?"),
    )
)  # fmt: skip
CLAUSE = compile_later(
    r"[^.;!?,]+(?:\?+|[.;!]|,(?=\s*(?:and\s+|also\s+|or\s+)?(?:is|are|does|did|has|any|what|"
    r"where|how|golden|death))|$)|[^.;!?]+(?:\?+|[.;!]|$)",
    re.IGNORECASE,
)
QUESTION_START = compile_later(
    r"^\s*(?:(?:so|and|but|ok(?:ay)?|hey|also|then|now|quick\s+question|tell\s+me|can\s+you\s+"
    r"(?:tell\s+me|check)|do\s+you\s+know|i\s+wonder)[\s,:]+)*"
    r"(?:is|are|was|were|does|do|did|has|have|had|will|would|could|can|any|what(?:'s|s)?|"
    r"where(?:'s|s)?|how(?:'s|s)?|which|when|whether|if|check\s+(?:if|whether))\b",
    re.IGNORECASE,
)
# A question asked inside a request: "draw the levels and tell me if it's near support".
INLINE_QUESTION = compile_later(
    r"\b(?:tell\s+me|let\s+me\s+know|check|see|say)\s+(?:if|whether|when|where|how)\b",
    re.IGNORECASE,
)
CROSS = compile_later(r"\b(golden|death)\s+cross(?:es|ed|ing|over)?\b", re.IGNORECASE)
TREND = compile_later(
    r"\b(?:(up|down)\s*-?\s*trend(?:ing)?|trend(?:ing|s)?(?!\s*-?\s*lines?|\s+channel)"
    r"(?:\s+(?:is\s+)?(up|down|higher|lower|bullish|bearish))?|(higher\s+highs|lower\s+lows))\b",
    re.IGNORECASE,
)
NEAR_LEVEL = compile_later(
    r"\b(?:near(?:ing)?|close\s+to|at|approaching|testing|test|hitting|far\s+from|above|"
    r"below|holding|hold|bouncing\s+off|sitting\s+on|into|from|to)\s+(?:the\s+|its\s+|a\s+)?"
    r"(?:key\s+|major\s+|nearest\s+)?(support|resistance|levels?)\b",
    re.IGNORECASE,
)
# Every pattern name above holds one of these: most queries skip the table with one search.
PATTERN_HINT = compile_later(
    r"head|shoulder|top|bottom|triangle|flag|handle|wedge|pennant|&|ihs", re.IGNORECASE
)
PATTERN_BIAS = compile_later(
    r"\b(bullish|bearish)\s+(?:chart\s+)?(?:patterns?|formations?)\b", re.I
)
ANY_PATTERN = compile_later(r"\b(?:patterns?|formations?)\b", re.IGNORECASE)
UP_WORDS = {"up", "higher", "bullish", "higher highs"}
CROSS_SMAS = {IndicatorCommand(name="SMA", period=50), IndicatorCommand(name="SMA", period=200)}


def patterns_named(text: str) -> tuple[str, ...]:
    """Every pattern the text names, in order of appearance (an inverse H&S is not an H&S)."""
    if not PATTERN_HINT.search(text):
        return ()
    found: list[tuple[int, str]] = []
    taken: list[range] = []
    for name, pattern in PATTERN_NAMES:
        for match in pattern.finditer(text):
            if not any(match.start() in span for span in taken):
                found.append((match.start(), name))
                taken.append(range(match.start(), match.end()))
    return tuple(dict.fromkeys(name for _, name in sorted(found)))


def _trend(clause: str) -> Question | None:
    match = TREND.search(clause)
    if match is None:
        return None
    written = next((g.lower() for g in match.groups() if g), None)
    direction = None if written is None else "up" if written in UP_WORDS else "down"
    return Question(kind="trend", direction=direction)


def _level(clause: str) -> Question | None:
    match = NEAR_LEVEL.search(clause)
    if match is None:
        return None
    side: LevelSide | None = None
    if match.group(1).lower() in ("support", "resistance"):
        side = "support" if match.group(1).lower() == "support" else "resistance"
    return Question(kind="near_level", side=side)


def _clause_questions(clause: str) -> list[Question]:
    questions: list[Question] = []
    crosses = [m.group(1).lower() for m in CROSS.finditer(clause)]
    questions += [Question(kind="cross", cross=c) for c in dict.fromkeys(crosses)]  # type: ignore[arg-type]
    questions += [q for q in (_trend(clause), _level(clause)) if q is not None]
    named = patterns_named(clause)
    questions += [Question(kind="pattern", pattern=name) for name in named]
    if not named and ANY_PATTERN.search(clause):
        bias = PATTERN_BIAS.search(clause)
        leaning = None if bias is None else "up" if bias.group(1).lower() == "bullish" else "down"
        questions.append(Question(kind="pattern", direction=leaning))
    indicators = [i for i in find_indicators(clause) if not (crosses and i in CROSS_SMAS)]
    questions += [Question(kind="indicator_value", indicator=i) for i in indicators]
    return questions


def find_questions(text: str) -> tuple[Question, ...]:
    """The questions the text asks, in order, without repeats; "... and tell me if it's near
    support" asks from its "if" on."""
    inline = INLINE_QUESTION.search(text)
    if "?" not in text and not QUESTION_START.search(text) and "," not in text and not inline:
        return ()
    found: list[Question] = []
    for match in CLAUSE.finditer(text):
        clause = match.group(0)
        if clause.rstrip().endswith("?") or QUESTION_START.match(clause):
            found += _clause_questions(clause)
        elif inline and (asked := INLINE_QUESTION.search(clause)):
            found += _clause_questions(clause[asked.start() :])
    return tuple(dict.fromkeys(found))
