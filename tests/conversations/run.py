"""Running a conversation through a door, with the page's update_context calls made exactly as
the web kit makes them: after every answer that switches the chart (LOAD / TIMEFRAME) the page
reports its new symbol and timeframe with a fresh `seq`; a `Page` step reports the user's own
change (a switch, a removed drawing, a clear). Each turn's answer is checked against what the
conversation expects; the failures are returned, not raised, so the suite can count them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from tests.conversations.cases import NEVER, Conversation, Page, Turn
from tests.helpers import new_session_id, post_json


@dataclass
class Answer:
    """What one turn got back, whatever the door: the command lines, the human sentence and
    the chart document the answer left (`data.chart`, when the door gives it)."""

    commands: list[str]
    text: str
    chart: dict[str, Any] | None = None


@dataclass
class PageState:
    """The page as the kit keeps it: its session, chart, `seq`, and the chart it last drew."""

    update_url: str
    session_id: str
    symbol: str
    timeframe: str
    seq: int = 0
    chart: dict[str, Any] | None = None
    log: list[str] = field(default_factory=list)

    def report(self, **extra: Any) -> None:
        """POST update_context as `syncContext` does (plus a document edit, when given)."""
        self.seq += 1
        body = {"session_id": self.session_id, "symbol": self.symbol,
                "timeframe": self.timeframe, "seq": self.seq, **extra}  # fmt: skip
        response = post_json(self.update_url, body)
        assert response.status_code == 200, response.text
        self.chart = response.json().get("chart", self.chart)

    def executed(self, commands: list[str]) -> None:
        """The kit ran an answer's commands: a switch is reported to update_context."""
        switched = False
        for line in commands:
            verb, _, arg = line.partition(":")
            if verb == "LOAD":
                self.symbol, switched = arg, True
            elif verb == "TIMEFRAME":
                self.timeframe, switched = arg, True
        if switched:
            self.report()

    def apply(self, step: Page) -> None:
        """The user's own change on the page."""
        extra: dict[str, Any] = {}
        if step.symbol:
            self.symbol = step.symbol
        if step.timeframe:
            self.timeframe = step.timeframe
        if step.remove_last_drawing:
            drawings = (self.chart or {}).get("drawings") or []
            assert drawings, "the page has no drawing to remove"
            extra["removed"] = [drawings[-1]["id"]]
        if step.clear:
            extra["cleared"] = "ALL"
        self.report(**extra)


def check(turn: Turn, answer: Answer) -> list[str]:
    """What is wrong with the answer to `turn` (empty: right)."""
    wrong = []
    for pattern in turn.want:
        if not any(fnmatchcase(line, pattern) for line in answer.commands):
            wrong.append(f"missing {pattern}")
    for pattern in turn.avoid:
        hit = [line for line in answer.commands if fnmatchcase(line, pattern)]
        if hit:
            wrong.append(f"unwanted {hit[0]}")
    if turn.quiet and answer.commands:
        wrong.append(f"not quiet: {answer.commands}")
    for phrase in turn.text:
        if not re.search(phrase, answer.text, re.IGNORECASE):
            wrong.append(f"text lacks {phrase!r}")
    for phrase in NEVER:
        if phrase in answer.text.lower():
            wrong.append(f"text says {phrase!r}")
    return wrong


Door = Callable[[PageState, str], Answer]


def converse(conversation: Conversation, update_url: str, door: Door) -> list[str]:
    """Run every step; the failures, each naming its turn."""
    page = PageState(update_url, new_session_id("conv"), conversation.symbol,
                     conversation.timeframe)  # fmt: skip
    page.report()
    failures = []
    for number, step in enumerate(conversation.steps, 1):
        if isinstance(step, Page):
            page.apply(step)
            continue
        answer = door(page, step.say)
        page.chart = answer.chart or page.chart
        page.executed(answer.commands)
        failures += [f"turn {number} {step.say!r}: {w} (got {answer.commands}, {answer.text!r})"
                     for w in check(step, answer)]  # fmt: skip
    return failures
