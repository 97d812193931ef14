"""What the model may answer: a plan over our own tools, never prices.

The schema is derived from these models and sent as a strict Structured Output, so the model can
only pick intents (tools, indicators, symbol, timeframe, clear); our analysis then computes every
price. The answer is validated again here before anything runs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from shared.models.commands import ClearCommand, IndicatorCommand, IndicatorName
from shared.models.fields import Symbol, Timeframe
from shared.planner.intent import QueryIntent

SYMBOL: TypeAdapter[str] = TypeAdapter(Symbol)
PlanTool = Literal[
    "support_resistance", "trendline", "fibonacci", "technical_analysis", "patterns", "trade_plan"
]


class PlannedIndicator(BaseModel):
    """An indicator to add; `period` null means the page's default."""

    model_config = ConfigDict(extra="forbid")

    name: IndicatorName
    period: int | None = Field(description="Look-back period, 1-500, or null for the default.")


class ChartPlan(BaseModel):
    """The model's reading of a chart request."""

    model_config = ConfigDict(extra="forbid")

    symbol: str | None = Field(description="Ticker to show (e.g. TSLA, BTC-USD) or null to keep.")
    timeframe: Literal["1m", "5m", "15m", "30m", "1H", "4H", "1D", "1W", "1M"] | None = Field(
        description="Chart timeframe, or null to keep the current one."
    )
    tools: list[PlanTool] = Field(description="Analyses to draw, computed by the backend.")
    indicators: list[PlannedIndicator]
    clear: Literal["ALL", "DRAWINGS", "INDICATORS"] | None = Field(
        description="What to clear first, or null."
    )
    reply: str = Field(description="One short sentence telling the user what will be drawn.")

    def to_intent(self) -> QueryIntent:
        """Validate against our command models (raises on anything out of bounds)."""
        indicators = tuple(IndicatorCommand(name=i.name, period=i.period) for i in self.indicators)
        clear = ClearCommand(what=self.clear) if self.clear else None
        tools = (("clear",) if clear else ()) + (("indicators",) if indicators else ())
        return QueryIntent(
            symbol=SYMBOL.validate_python(self.symbol) if self.symbol else None,
            timeframe=Timeframe(self.timeframe) if self.timeframe else None,
            tools=tools + tuple(dict.fromkeys(self.tools)),
            indicators=indicators,
            clear=clear,
        )
