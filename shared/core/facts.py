"""What the chart document keeps of an answer: its plan and the facts it quoted.

The follow-ups that ask about the last answer ("why?", "when was that?", "how far is it?") and
the ones that redo it ("the same for NVDA", "the opposite trade") read these, so an agent or a
chat that remembers nothing itself still gets them right.
"""

from __future__ import annotations

from shared.core.result import ActionResult
from shared.core.target import Target
from shared.models.action import ChartActionResponse
from shared.models.chart import AnswerPlan, CrossFact, DistanceFact, Facts
from shared.models.commands import (
    BaseCommand,
    FibonacciCommand,
    IndicatorCommand,
    LevelCommand,
    PatternCommand,
    TrendlineCommand,
)
from shared.planner.intent import QueryIntent

# The tools a request may ask for that can end without a command (no setup, no pattern found)
ASKED = frozenset({"trade_plan", "patterns", "trendline", "support_resistance", "fibonacci"})
DRAWINGS = (LevelCommand, FibonacciCommand, TrendlineCommand, PatternCommand)


def _draws(command: BaseCommand) -> bool:
    return isinstance(command, DRAWINGS)


def plan_of(intent: QueryIntent, result: ActionResult, target: Target) -> AnswerPlan:
    """The plan an answer carried out."""
    tools = list(dict.fromkeys([*result.tools, *(t for t in intent.tools if t in ASKED)]))
    drew = [t for c, t in zip(result.commands, result.origins, strict=True) if _draws(c) and t]
    return AnswerPlan(
        tools=tools,
        drew=list(dict.fromkeys(drew)),
        indicators=[c.to_string() for c in result.commands if isinstance(c, IndicatorCommand)],
        level_sides=list(intent.level_sides) if "support_resistance" in tools else [],
        direction=intent.trade_direction if "trade_plan" in intent.tools else None,
        compare=list(intent.compare_symbols),
        symbol=target.symbol,
        timeframe=target.timeframe,
    )


def facts_of(result: ActionResult, response: ChartActionResponse) -> Facts:
    """The values an answer quoted: levels, the close, the trade plan's reasons, the cross,
    the distances to the nearest levels, the patterns found, and its sentence."""
    analysis = result.analysis
    cross = analysis.cross if analysis else None
    market = result.market_data
    return Facts(
        support=list(result.levels.support) if result.levels else [],
        resistance=list(result.levels.resistance) if result.levels else [],
        close=market.last_close if market else None,
        last_time=market.last_time if market else None,
        trade=result.trade,
        cross=CrossFact(
            fast_period=cross.fast_period,
            slow_period=cross.slow_period,
            last=cross.last,
            date=cross.date,
            bars_ago=cross.bars_ago,
        )
        if cross
        else None,
        nearest_levels=[
            DistanceFact(side=d.side, price=d.price, distance_pct=d.distance_pct)
            for d in (analysis.nearest_levels if analysis else [])
        ],
        patterns=[c.to_string() for c in result.commands if isinstance(c, PatternCommand)],
        sentence=response.text.split("\n", 1)[0][:300],
    )
