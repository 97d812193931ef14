"""The state a chart action accumulates: the commands, sentences, tools and data each step
adds. Kept apart from the steps so both the rules path and the OpenAI path
(which fills the same result) share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shared.models.action import Analysis, Levels, MarketDataInfo, ToolName
from shared.models.commands import BaseCommand
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


def percent(value: float) -> str:
    """Distance as "2.5%", or as "0.03%" on intraday charts, where one decimal reads "0.0%"."""
    return f"{value:.1f}%" if value >= 1 else f"{value:.2f}%"


def describe_levels(
    levels: Levels,
    sides: Sequence[str] = ("support", "resistance"),
    nearest_pct: tuple[float | None, float | None] = (None, None),
) -> str:
    """`support 238.40, 221.10; resistance 262.90, 275.00.` for the sides asked.

    With `nearest_pct` (support, resistance distances of the nearest level from the close, as a
    technical analysis computes them) the nearest level of each side carries its distance,
    `support 238.40 (2.1% below)`, so the answer names each price once.
    """
    parts = []
    sided = (
        ("support", levels.support, nearest_pct[0], "below"),
        ("resistance", levels.resistance, nearest_pct[1], "above"),
    )
    for name, prices, distance, where in sided:
        if name not in sides:
            continue
        shown = [format_price(p) for p in prices]
        if shown and distance is not None:
            shown[0] += f" ({percent(distance)} {where})"
        parts.append(f"{name} {', '.join(shown) if shown else 'none found'}")
    return "; ".join(parts) + "."
