"""What the model may answer: a plan over our own tools, never prices.

`ChartPlan` is `ChartArguments`, the structured tool arguments agents pass to chart_action
(tool names from `ToolName`, indicators from `IndicatorName`, timeframes from `Timeframe`, clear
targets from `ClearCommand`), plus the model's sentence; it is sent as a strict Structured
Output, so the model can only pick intents, and our analysis then computes every price. The
answer goes through the same conversion as an agent's arguments (`shared.planner.structured`),
and the model's one free-text field is dropped if it carries a number that could pass for a
price.
"""

from __future__ import annotations

import re

from pydantic import Field

from shared.models.action import ChartArguments
from shared.planner.intent import QueryIntent
from shared.planner.structured import to_intent

# 3+ digits or a decimal: "at 250", "1.0850". Periods ("21 EMA") and "4H" stay allowed.
PRICE_LIKE = re.compile(r"\d{3,}|\d[.,]\d")


class ChartPlan(ChartArguments):
    """The model's reading of a chart request: the structured arguments and one sentence."""

    reply: str = Field(
        description="One short sentence telling the user what will be drawn; no prices."
    )

    def to_intent(self) -> QueryIntent:
        """The plan as an intent, validated against our command models."""
        return to_intent(self)

    def safe_reply(self) -> str:
        """The model's sentence, unless it states a number our analysis did not compute."""
        reply = " ".join(self.reply.split())[:300]
        return "" if PRICE_LIKE.search(reply) else reply
