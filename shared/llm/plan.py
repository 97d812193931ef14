"""What the model may answer: a plan over our own tools, never prices.

`ChartPlan` is `ChartArguments`, the structured tool arguments agents pass to chart_action
(tool names from `ToolName`, indicators from `IndicatorName`, timeframes from `Timeframe`, clear
targets from `ClearCommand`), plus the model's sentence; it is sent as a strict Structured
Output, so the model can only pick intents, and our analysis then computes every price. The
answer goes through the same conversion as an agent's arguments (`shared.planner.structured`),
and the model's one free-text field goes through the number check (`shared.llm.facts`): it may
name only numbers of the plan itself (the 21 of "the 21 EMA"), and no forecast or advice; a
sentence that fails is dropped (and logged), so the answer's own sentences stand alone.
"""

from __future__ import annotations

from pydantic import Field

from shared.llm.facts import Facts, checked
from shared.models.action import ChartArguments
from shared.planner.intent import QueryIntent
from shared.planner.structured import to_intent


class ChartPlan(ChartArguments):
    """The model's reading of a chart request: the structured arguments and one sentence."""

    reply: str = Field(
        description="One short sentence telling the user what will be drawn; no prices."
    )

    def to_intent(self) -> QueryIntent:
        """The plan as an intent, validated against our command models."""
        return to_intent(self)

    def safe_reply(self) -> str:
        """The model's sentences that state only the plan's own numbers and neither forecast
        nor advise; the rest are dropped (the answer's own sentences follow anyway)."""
        facts = Facts()
        facts.add_data(self.model_dump(mode="json", exclude={"reply"}))
        reply = " ".join(self.reply.split())[:300]
        return checked(reply, facts, "", "planner reply").text
