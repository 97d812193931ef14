"""What the model may answer: a plan over our own tools, never prices.

The schema is derived from our models (tool names from `ToolName`, indicators from
`IndicatorName`, timeframes from `Timeframe`, clear targets from `ClearCommand`) and sent as a
strict Structured Output, so the model can only pick intents; our analysis then computes every
price. The answer is validated again against the command models before anything runs, and the
model's one free-text field is dropped if it carries a number that could pass for a price.
"""

from __future__ import annotations

import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from shared.models.action import ToolName, TradeDirection
from shared.models.commands import ClearCommand, IndicatorCommand, IndicatorName
from shared.models.fields import Symbol, Timeframe
from shared.planner.intent import QueryIntent

SYMBOL: TypeAdapter[str] = TypeAdapter(Symbol)
# Tools the plan names directly; symbol, timeframe, indicators and clear have their own fields.
_OWN_FIELDS = frozenset({"load_symbol", "set_timeframe", "indicators", "clear"})
PLAN_TOOLS: tuple[str, ...] = tuple(t for t in get_args(ToolName) if t not in _OWN_FIELDS)
PlanTool: Any = Literal[PLAN_TOOLS]  # type: ignore[valid-type]  # built from ToolName
ClearWhat: Any = ClearCommand.model_fields["what"].annotation
# 3+ digits or a decimal: "at 250", "1.0850". Periods ("21 EMA") and "4H" stay allowed.
PRICE_LIKE = re.compile(r"\d{3,}|\d[.,]\d")


class PlannedIndicator(BaseModel):
    """An indicator to add; `period` null means the page's default."""

    model_config = ConfigDict(extra="forbid")

    name: IndicatorName
    period: int | None = Field(description="Look-back period, 1-500, or null for the default.")


class ChartPlan(BaseModel):
    """The model's reading of a chart request."""

    model_config = ConfigDict(extra="forbid")

    symbol: str | None = Field(description="Ticker to show (e.g. TSLA, BTC-USD) or null to keep.")
    timeframe: Timeframe | None = Field(
        description="Chart timeframe, or null to keep the current one."
    )
    tools: list[PlanTool] = Field(description="Analyses to draw, computed by the backend.")
    indicators: list[PlannedIndicator]
    clear: ClearWhat | None = Field(description="What to clear first, or null.")
    trade_direction: TradeDirection = Field(
        description="For trade_plan: short when the user wants to bet on a fall, else long."
    )
    reply: str = Field(
        description="One short sentence telling the user what will be drawn; no prices."
    )

    def to_intent(self) -> QueryIntent:
        """Validate against our command models (raises on anything out of bounds)."""
        indicators = tuple(IndicatorCommand(name=i.name, period=i.period) for i in self.indicators)
        clear = ClearCommand(what=self.clear) if self.clear else None
        tools = (("clear",) if clear else ()) + (("indicators",) if indicators else ())
        return QueryIntent(
            symbol=SYMBOL.validate_python(self.symbol) if self.symbol else None,
            timeframe=self.timeframe,
            tools=tools + tuple(dict.fromkeys(self.tools)),
            indicators=indicators,
            clear=clear,
            trade_direction=self.trade_direction,
        )

    def safe_reply(self) -> str:
        """The model's sentence, unless it states a number our analysis did not compute."""
        reply = " ".join(self.reply.split())[:300]
        return "" if PRICE_LIKE.search(reply) else reply
