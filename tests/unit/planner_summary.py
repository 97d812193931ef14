"""A compact, complete view of a `QueryIntent` for table-driven planner tests.

Only fields that differ from "nothing asked" appear, so a table row that leaves a field out
asserts that the planner did not set it. Short forms: tools by initials (SR, TL, FIB, TA, PAT,
PLAN, IND, CLR), indicators without the verb ("SMA:50"), ranges as "lookback 3 month",
"calendar 2024-01-01..2025-01-01", "since low 3", "to_date year"; questions as
"value:RSI", "trend:up", "cross:golden", "near:support", "pattern:HEAD_AND_SHOULDERS".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from shared.planner.intent import BOTH_SIDES, QueryIntent, Question, VisibleRange

TOOL_SHORT = {
    "support_resistance": "SR", "trendline": "TL", "fibonacci": "FIB",
    "technical_analysis": "TA", "patterns": "PAT", "trade_plan": "PLAN",
    "indicators": "IND", "clear": "CLR",
}  # fmt: skip


def _day(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d")


def range_summary(found: VisibleRange) -> str:
    if found.kind == "lookback":
        return f"lookback {found.count} {found.unit}"
    if found.kind == "calendar":
        return f"calendar {_day(found.start)}..{_day(found.end)}"
    if found.kind == "since":
        return f"since {found.anchor or 'start'} {found.anchor_month or '-'}"
    return f"to_date {found.unit}"


def question_summary(question: Question) -> str:
    if question.kind == "indicator_value":
        assert question.indicator is not None
        return "value:" + ":".join(question.indicator.args())
    detail = {
        "trend": question.direction, "cross": question.cross, "near_level": question.side,
        "pattern": question.pattern,
    }[question.kind]  # fmt: skip
    kind = "near" if question.kind == "near_level" else question.kind
    return f"{kind}:{detail or 'any'}"


def _joined(values) -> str:
    return " ".join(values)


def _clear_kinds(intent: QueryIntent) -> str:
    same = intent.clear_kinds == (intent.clear,)
    return "" if same else _joined(":".join(c.args()) for c in intent.clear_kinds)


# (short name, how to show the field; "" when it holds nothing)
FIELDS: tuple[tuple[str, Callable[[QueryIntent], str]], ...] = (
    ("symbol", lambda i: i.symbol or ""),
    ("tf", lambda i: i.timeframe.value if i.timeframe else ""),
    ("tools", lambda i: _joined(TOOL_SHORT[t] for t in i.tools)),
    ("ind", lambda i: _joined(":".join(c.args()) for c in i.indicators)),
    ("units", lambda i: _joined(i.period_units) if set(i.period_units) - {"bars"} else ""),
    ("clear", lambda i: i.clear.what if i.clear else ""),
    ("kinds", _clear_kinds),
    ("sides", lambda i: "" if i.level_sides == BOTH_SIDES else _joined(i.level_sides)),
    ("direction", lambda i: "" if i.trade_direction == "long" else i.trade_direction),
    ("cmp", lambda i: _joined(i.compare_symbols)),
    ("range", lambda i: range_summary(i.visible_range) if i.visible_range else ""),
    ("zoom", lambda i: i.zoom or ""),
    ("q", lambda i: _joined(question_summary(q) for q in i.questions)),
    ("pat", lambda i: _joined(i.patterns_named)),
    ("unknown", lambda i: _joined(i.unknown_symbols)),
    ("loose", lambda i: _joined(i.loose_words)),
    ("unsupported", lambda i: _joined(i.unsupported)),
)


def summary(intent: QueryIntent) -> dict[str, str]:
    """The intent's non-default fields in short form (see the module docstring)."""
    shown = ((name, show(intent)) for name, show in FIELDS)
    return {name: value for name, value in shown if value}
