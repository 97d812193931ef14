"""The state a chart action accumulates: the commands, outcomes, sentences, tools and data each
step adds. Kept apart from the steps so both the rules path and the OpenAI path (which fills the
same result) share it.

A step records what it found as an outcome (`say`); the outcome's sentence is rendered at once
by `shared.core.render`, so `sentences` is always the text the answer will carry, in order
(a fallback planner's reply, added before the steps run, stays first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.core.outcomes import Outcome
from shared.core.render import sentence
from shared.models.action import Analysis, Levels, MarketDataInfo, UsedTool
from shared.models.chart import TradeFacts
from shared.models.commands import BaseCommand


@dataclass
class ActionResult:
    """What the steps accumulate: commands in page order, outcomes and their sentences, tools,
    structured data, and what was asked but not done (`ignored`)."""

    commands: list[BaseCommand] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    tools: list[UsedTool] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    levels: Levels | None = None
    market_data: MarketDataInfo | None = None
    analysis: Analysis | None = None
    # the tool behind each command, index for index (the chart document records it)
    origins: list[UsedTool | None] = field(default_factory=list)
    # a trade plan's prices and reasons, for "why?" after it
    trade: TradeFacts | None = None

    def add(self, tool: UsedTool, *commands: BaseCommand) -> None:
        """Record commands under the tool that produced them."""
        self.commands.extend(commands)
        self.origins.extend(tool for _ in commands)
        if tool not in self.tools:
            self.tools.append(tool)

    def say(self, outcome: Outcome) -> None:
        """Record what a step found, and its sentence."""
        self.outcomes.append(outcome)
        self.sentences.append(sentence(outcome))

    def note_analysis(self, **fields: Any) -> None:
        """Merge fields into `data.analysis`."""
        self.analysis = (self.analysis or Analysis()).model_copy(update=fields)
