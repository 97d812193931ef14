"""The number check: a model's text may state only numbers our analysis computed.

A trader reads the assistant's sentences beside the chart, so a price the model made up, a
forecast or advice to buy or sell must never reach the page or the thread, whatever the
model's instructions said. `Facts` holds every number an answer computed (levels, prices,
indicator values, distances, bar times and the dates they fall on, counts, periods, the
timeframe); `checked` keeps each sentence of a model's text whose numbers are all among them
(within the rounding the sentence shows) and that neither forecasts nor advises, and replaces
the others with our own sentence. A replacement is logged (never the text itself: it could
carry what the user typed).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shared.models.fields import Timeframe

log = logging.getLogger("chart_control.facts")

# A number as people write it: 1,234.56 / 174.26 / 174,26 (a decimal comma) / 50 / .5
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|\.\d+)(?![\w])")
# "4H", "1D", "15m": our timeframe labels are names, not amounts
TIMEFRAME_LABELS = frozenset(t.value.lower() for t in Timeframe)
LABEL = re.compile(r"(?<![\w.])(\d+[a-zA-Z]{1,3})(?![\w])")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
# Advice to trade, in the languages the planner reads (en, de, es, fr, pt).
ADVICE = re.compile(
    r"\b(buy|buys|buying|sell|sells|selling|purchase|go (?:long|short)|short (?:it|this|now)|"
    r"take profits?|recommend\w*|you should|kauf\w*|verkauf\w*|compr[ae]\w*|vend[ae]\w*|"
    r"achet\w*|vendre|vendez)\b",
    re.IGNORECASE,
)
# A forecast: where the price will go.
FORECAST = re.compile(
    r"\b(price target|target price|(?:will|could|may|might|should|would|likely to|set to|"
    r"poised to)\s+(?:\w+\s+)?(?:reach|hit|rise|fall|drop|double|triple|climb|rally|surge|"
    r"crash|go|bounce|break|soar|tank|rebound|recover|retest)|going to|head(?:ed|ing) "
    r"(?:to|for|towards)|expect\w* (?:to|a|it)|guarantee\w*|to the moon|by (?:monday|tuesday|"
    r"wednesday|thursday|friday|tomorrow|next week|the end of))\b",
    re.IGNORECASE,
)
UNIX_RANGE = (946_684_800, 4_102_444_800)  # 2000-01-01 .. 2100-01-01, seconds


def _value(token: str) -> float:
    """The number a token writes: thousands commas dropped, a lone decimal comma read as one."""
    if re.fullmatch(r"\d+,\d{1,2}", token):
        token = token.replace(",", ".")
    return abs(float(token.replace(",", "")))


def _decimals(token: str) -> int:
    """Places after the decimal point (or a lone decimal comma): the rounding shown."""
    comma = token.rfind(",") if re.fullmatch(r"\d+,\d{1,2}", token) else -1
    separator = max(token.rfind("."), comma)
    return 0 if separator < 0 else len(token) - separator - 1


def numbers_in(text: str) -> list[str]:
    """The numeric tokens of `text`, timeframe labels ("4H") left out."""
    return [m.group(1) for m in NUMBER.finditer(text)]


@dataclass
class Facts:
    """The numbers one answer (or several) computed; `allows` says whether a written number
    is one of them, within the rounding it is written with."""

    values: set[float] = field(default_factory=set)

    def add_text(self, text: str) -> None:
        """Every number written in our own text (the answer's sentence, its command lines)."""
        for token in numbers_in(text):
            self.values.add(_value(token))
        for label in LABEL.findall(text):
            self.values.add(float(re.match(r"\d+", label).group()))  # type: ignore[union-attr]

    def add_data(self, data: Any) -> None:
        """Every number in a structured answer: values, the digits in its keys (`sma_50`),
        list lengths, and the UTC year, month and day of each bar time."""
        if isinstance(data, dict):
            for key, value in data.items():
                self.add_text(str(key).replace("_", " "))
                self.add_data(value)
        elif isinstance(data, list | tuple):
            self.values.add(float(len(data)))
            for value in data:
                self.add_data(value)
        elif isinstance(data, bool):
            return
        elif isinstance(data, int | float):
            self.values.add(abs(float(data)))
            if UNIX_RANGE[0] <= data <= UNIX_RANGE[1]:
                day = datetime.fromtimestamp(data, UTC)
                self.values.update((day.year, day.month, day.day))
        elif isinstance(data, str):
            self.add_text(data)

    def allows(self, token: str) -> bool:
        value, places = _value(token), _decimals(token)
        tolerance = 0.5 * 10**-places + 1e-9
        return any(abs(value - known) <= tolerance for known in self.values)

    def merged(self, other: Facts) -> Facts:
        return Facts(self.values | other.values)


def facts_of(answers: Iterable[Any]) -> Facts:
    """The facts of chart_action responses (`ChartActionResponse` or its JSON dump)."""
    facts = Facts()
    for answer in answers:
        dumped = answer.model_dump(mode="json") if hasattr(answer, "model_dump") else answer
        facts.add_data(dumped)
    return facts


def facts_in_text(text: str) -> Facts:
    """The facts of a text we wrote (a turn's result kept in the thread)."""
    facts = Facts()
    facts.add_text(text)
    return facts


def problem(sentence: str, facts: Facts) -> str | None:
    """Why a sentence may not be shown (a kind, never its words), or None."""
    if ADVICE.search(sentence):
        return "advice"
    if FORECAST.search(sentence):
        return "forecast"
    labels = {m.group(1).lower() for m in LABEL.finditer(sentence)}
    for token in numbers_in(sentence):
        if token.lower() not in labels and not facts.allows(token):
            return "number"
    return None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


@dataclass(frozen=True, slots=True)
class Checked:
    """A model's text after the check, and what was replaced (kinds, in order)."""

    text: str
    replaced: tuple[str, ...] = ()


def checked(text: str, facts: Facts, ours: str, source: str) -> Checked:
    """`text` with every sentence that fails the check replaced by `ours` (once: several bad
    sentences become one of ours); logged as one INFO line naming `source` and the kinds."""
    kept: list[str] = []
    replaced: list[str] = []
    for sentence in sentences(text):
        if (kind := problem(sentence, facts)) is None:
            kept.append(sentence)
            continue
        if not replaced and ours:
            kept.append(ours)
        replaced.append(kind)
    if replaced:
        log.info(
            "model text replaced: %s (%s)",
            source,
            ", ".join(replaced),
            extra={"fields": {"facts": {"source": source, "replaced": replaced}}},
        )
    result = " ".join(kept) if kept else ours
    return Checked(result, tuple(replaced))
