"""One chat turn with the model: its budget, its model calls, and what it computed.

A turn has one wall-clock deadline (CHATKIT_TURN_SECONDS) covering the tool and every model
call in it; each call also ends at OPENAI_TIMEOUT_SECONDS after it began, whichever comes
first, however the model streams. The turn keeps the chart action answers it produced: their
numbers are what the model may quote (with the facts earlier turns left in the thread), their
sentence is ours when a model sentence is replaced, and a plan drawn once is not drawn again.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from shared.llm.facts import Facts, facts_of
from shared.models.action import ChartActionResponse

NOTHING_DRAWN = (
    "I can describe only what the chart analysis computes: ask me to draw levels, trendlines, "
    "Fibonacci, indicators, patterns or a trade plan."
)


@dataclass
class Turn:
    """`path` names the calls in the log (narrate#1, converse#2)."""

    path: str
    deadline: float  # on the event loop's clock
    call_seconds: float
    history: Facts = field(default_factory=Facts)
    answers: list[ChartActionResponse] = field(default_factory=list)
    calls: int = 0
    answered: bool = False  # a model message went out (checked)
    _drawn: set[tuple[str, ...]] = field(default_factory=set)

    @classmethod
    def starting_now(cls, path: str, budget: float, call_seconds: float) -> Turn:
        return cls(path, asyncio.get_running_loop().time() + budget, call_seconds)

    def left(self) -> float:
        return self.deadline - asyncio.get_running_loop().time()

    def next_call(self) -> tuple[str, float]:
        """The next model call's name and the loop time it must end by."""
        self.calls += 1
        now = asyncio.get_running_loop().time()
        return f"{self.path}#{self.calls}", min(self.deadline, now + self.call_seconds)

    def record(self, answer: ChartActionResponse) -> bool:
        """Keep a chart action's answer; True the first time its plan (its commands) is seen
        in this turn, so its effect is sent once."""
        self.answers.append(answer)
        key = tuple(answer.chart_commands)
        first = key not in self._drawn
        self._drawn.add(key)
        return first

    def facts(self) -> Facts:
        return facts_of(self.answers).merged(self.history)

    def our_sentence(self) -> str:
        return self.answers[-1].summary if self.answers else NOTHING_DRAWN
