"""chart_action request and response (SPEC 4)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from shared.models.commands import IndicatorName
from shared.models.context import ChartState, StrictModel
from shared.models.errors import ErrorInfo
from shared.models.fields import Price, SessionId, Symbol, TimeframeField

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
# What `data.tools_used` may name: the tools, and the view changes no tool input asks for.
UsedTool = Literal[ToolName, "compare", "visible_range", "zoom"]
# "short setup for nvda" plans a short; anything else about a trade plans a long
TradeDirection = Literal["long", "short"]


class ChartQuery(StrictModel):
    """The `chart_control` tool's input: what the user asked, and the page's chart session."""

    query: Annotated[
        str,
        Field(
            min_length=1,
            max_length=2000,
            description='What the user asked, e.g. "draw support and resistance for TSLA".',
        ),
    ]
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


class IndicatorValue(BaseModel):
    """An indicator's reading at the last bar, as the page draws it: SMA/EMA/VWAP/BBANDS
    (middle band) in price, RSI 0-100, MACD in price units, VOLUME in shares or contracts."""

    name: IndicatorName
    period: int | None = Field(None, description="Bars; None for MACD, VWAP and VOLUME.")
    value: float | None = Field(None, description="None when the bars are fewer than the period.")
    signal: float | None = Field(None, description="MACD's signal line.")
    histogram: float | None = Field(None, description="MACD minus its signal.")
    upper: Price | None = Field(None, description="Upper Bollinger band.")
    lower: Price | None = Field(None, description="Lower Bollinger band.")
    average: float | None = Field(None, description="VOLUME: the mean of the 20 bars before.")


class CrossInfo(BaseModel):
    """The fast and slow simple moving averages (SMA 50/200 on a daily chart) now, and their
    last cross in the bars analysed: golden (fast crossed above) or death (below)."""

    fast_period: int
    slow_period: int
    fast: Price | None = None
    slow: Price | None = None
    last: Literal["golden", "death"] | None = Field(
        None, description="None when they have not crossed in the bars analysed."
    )
    time: int | None = Field(None, description="Bar time of the last cross, unix seconds.")
    date: str | None = Field(None, description="Its UTC date, YYYY-MM-DD.")
    bars_ago: int | None = None


class LevelDistance(BaseModel):
    """How far the nearest level of one side is from the last close."""

    side: Literal["support", "resistance"]
    price: Price | None = Field(None, description="None when no level was found on that side.")
    distance_pct: float | None = None
    distance_atr: float | None = Field(None, description="The distance in average true ranges.")
    near: bool = Field(False, description="Within one average true range of the close.")


class PatternCheck(BaseModel):
    """A pattern the query named: whether it was found, and whether the analysis looks for it
    at all."""

    name: str
    found: bool
    detected_kind: bool = Field(description="False for patterns the analysis does not detect.")


class Analysis(BaseModel):
    """The technical summary behind ANALYZE:TECHNICAL / ANALYZE:PATTERNS, and the values behind
    the answers to questions (indicator readings, the moving-average cross, level distances,
    named patterns)."""

    trend: Literal["up", "down", "sideways"] | None = None
    close: Price | None = None
    sma_20: Price | None = None
    sma_50: Price | None = None
    rsi_14: Annotated[float, Field(ge=0, le=100)] | None = None
    support_distance_pct: float | None = None
    resistance_distance_pct: float | None = None
    patterns: list[DetectedPattern] = Field(default_factory=list)
    indicators: list[IndicatorValue] = Field(default_factory=list)
    cross: CrossInfo | None = None
    nearest_levels: list[LevelDistance] = Field(default_factory=list)
    patterns_asked: list[PatternCheck] = Field(default_factory=list)


class ActionData(BaseModel):
    """Structured details for the agent and the page."""

    tools_used: list[UsedTool]
    ignored: list[str] = Field(
        default_factory=list,
        description="What the query asked that was not done, each said in `text`: symbols "
        "with no market data, requests the grammar lacks (undo).",
    )
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
