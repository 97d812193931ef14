"""chart_action request and response (SPEC 4)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from shared.models.context import ChartState, StrictModel
from shared.models.errors import ErrorInfo
from shared.models.fields import Price, Query, SessionId, Symbol, TimeframeField

ToolName = Literal[
    "load_symbol",
    "set_timeframe",
    "support_resistance",
    "trendline",
    "fibonacci",
    "indicators",
    "technical_analysis",
    "patterns",
    "trade_plan",
    "clear",
]
# "short setup for nvda" plans a short; anything else about a trade plans a long
TradeDirection = Literal["long", "short"]


class ChartQuery(StrictModel):
    """The `chart_control` tool's input: what the user asked, and the page's chart session."""

    query: Query
    session_id: SessionId | None = Field(
        None, description="The page's chart session, so the backend knows what the chart shows."
    )


class ChartActionRequest(ChartQuery):
    """chart_action's JSON body: the tool input plus optional context overrides."""

    symbol: Symbol | None = Field(None, description="Override the session's symbol.")
    timeframe: TimeframeField | None = Field(None, description="Override the session's timeframe.")


class Levels(BaseModel):
    """Support below and resistance above the last close, nearest first."""

    support: list[Price] = Field(default_factory=list)
    resistance: list[Price] = Field(default_factory=list)


class MarketDataInfo(BaseModel):
    """Where the bars came from; `sample` data is synthetic and labelled as such."""

    provider: str
    sample: bool
    bars: int
    last_close: Price | None = None
    last_time: int | None = None


class DetectedPattern(BaseModel):
    """A chart pattern found in the bars, spanning two bar times."""

    name: str
    t1: int
    t2: int
    level: Price = Field(description="Neckline or flat side of the pattern.")


class Analysis(BaseModel):
    """The technical summary behind ANALYZE:TECHNICAL / ANALYZE:PATTERNS."""

    trend: Literal["up", "down", "sideways"] | None = None
    close: Price | None = None
    sma_20: Price | None = None
    sma_50: Price | None = None
    rsi_14: Annotated[float, Field(ge=0, le=100)] | None = None
    support_distance_pct: float | None = None
    resistance_distance_pct: float | None = None
    patterns: list[DetectedPattern] = Field(default_factory=list)


class ActionData(BaseModel):
    """Structured details for the agent and the page."""

    tools_used: list[ToolName]
    chart_context: ChartState | None
    levels: Levels | None = None
    market_data: MarketDataInfo | None = None
    analysis: Analysis | None = None
    planner: Literal["rules", "openai"] = "rules"


class ChartActionResponse(BaseModel):
    """200 answer of chart_action: relayable text plus commands the page executes."""

    success: bool = True
    text: str
    chart_commands: list[str]
    data: ActionData
    error: ErrorInfo | None = None
