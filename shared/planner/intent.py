"""What the rules planner understood from a query (and nothing about the chart's state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from shared.models.action import ToolName, TradeDirection
from shared.models.commands import ClearCommand, IndicatorCommand
from shared.models.context import ChartState
from shared.models.fields import Timeframe

LevelSide = Literal["support", "resistance"]
BOTH_SIDES: tuple[LevelSide, ...] = ("support", "resistance")


@dataclass(frozen=True, slots=True)
class QueryIntent:
    """The symbol and timeframe a query names, and the tools it asks for, in page order.

    The caller merges this with the request overrides and the stored context; the planner
    never guesses what the chart currently shows.
    """

    symbol: str | None = None
    timeframe: Timeframe | None = None
    tools: tuple[ToolName, ...] = ()
    indicators: tuple[IndicatorCommand, ...] = ()
    clear: ClearCommand | None = None
    # "where is support?" draws support only; naming neither side (or both) draws both
    level_sides: tuple[LevelSide, ...] = BOTH_SIDES
    # "short setup for nvda" plans a short; anything else about a trade plans a long
    trade_direction: TradeDirection = "long"

    @property
    def recognised(self) -> bool:
        """True when anything at all was understood."""
        return bool(self.symbol or self.timeframe or self.tools)


@dataclass(frozen=True, slots=True)
class PlannerOutcome:
    """A fallback planner's answer: an intent and a sentence for the user, or why not."""

    intent: QueryIntent | None
    reply: str | None = None
    failure: str | None = None


# (query, what the chart shows) -> outcome; the OpenAI planner is one.
FallbackPlanner = Callable[[str, ChartState | None], PlannerOutcome]
