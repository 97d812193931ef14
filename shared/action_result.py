"""The state a chart action accumulates: its target chart and the commands, sentences, tools
and data each step adds. Kept apart from the steps so both the rules path and the OpenAI path
(which fills the same result) share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shared.models.action import Analysis, Levels, MarketDataInfo, ToolName
from shared.models.commands import BaseCommand
from shared.models.context import ChartState
from shared.models.fields import Timeframe
from shared.models.prices import format_price


@dataclass
class ActionResult:
    """What the steps accumulate: commands in page order, sentences, tools, structured data."""

    commands: list[BaseCommand] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    tools: list[ToolName] = field(default_factory=list)
    levels: Levels | None = None
    market_data: MarketDataInfo | None = None
    analysis: Analysis | None = None

    def add(self, tool: ToolName, *commands: BaseCommand) -> None:
        """Record commands under the tool that produced them."""
        self.commands.extend(commands)
        if tool not in self.tools:
            self.tools.append(tool)


@dataclass(frozen=True)
class Target:
    """The chart the answer is about, and whether the page must switch to it."""

    symbol: str | None
    timeframe: Timeframe
    snapshot_id: str | None
    load: bool
    switch_timeframe: bool

    def state(self) -> ChartState | None:
        """The target as a chart context (None while no symbol is known)."""
        if self.symbol is None:
            return None
        return ChartState(
            symbol=self.symbol, timeframe=self.timeframe, snapshot_id=self.snapshot_id
        )


def describe_levels(levels: Levels, sides: Sequence[str] = ("support", "resistance")) -> str:
    """`support 238.40, 221.10; resistance 262.90, 275.00.` for the sides asked."""
    parts = []
    for name, prices in (("support", levels.support), ("resistance", levels.resistance)):
        if name not in sides:
            continue
        shown = ", ".join(format_price(p) for p in prices) if prices else "none found"
        parts.append(f"{name} {shown}")
    return "; ".join(parts) + "."
