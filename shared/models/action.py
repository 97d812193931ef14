"""chart_action request and response (SPEC 4)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, Field, StrictInt, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from shared.models.chart import ChartDocument
from shared.models.commands import ClearTarget, IndicatorName
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
# What `data.tools_used` may name: the tools, and the view changes no tool input asks for.
UsedTool = Literal[ToolName, "compare", "visible_range", "zoom"]
# "short setup for nvda" plans a short; anything else about a trade plans a long
TradeDirection = Literal["long", "short"]
# Who turned the request into a plan: the rules planner, the OpenAI fallback, or the caller's
# own structured arguments
PlannerName = Literal["rules", "openai", "structured"]

# Tools a plan names in `tools`; symbol, timeframe, indicators and clear have their own fields.
OWN_FIELD_TOOLS: frozenset[str] = frozenset({"load_symbol", "set_timeframe", "indicators", "clear"})
PLAN_TOOLS: tuple[str, ...] = tuple(t for t in get_args(ToolName) if t not in OWN_FIELD_TOOLS)
PlanTool: Any = Literal[PLAN_TOOLS]  # type: ignore[valid-type]  # built from ToolName


class PlannedIndicator(StrictModel):
    """One indicator to add to the chart (the page computes it from its own bars)."""

    name: IndicatorName = Field(
        description="Indicator: SMA/EMA (moving averages), RSI, MACD, BBANDS (Bollinger "
        "Bands), VWAP or VOLUME."
    )
    # strictly an integer: "50" or true is refused, not coerced (true would draw SMA 1)
    period: Annotated[StrictInt, Field(ge=1, le=500)] | None = Field(
        None,
        description='Look-back period, 1-500, as the user said it ("the 200 day" -> 200), or '
        "null for the indicator's default. It counts bars of the chart's timeframe; when the "
        'query says "50 day" on a weekly chart the backend converts it.',
    )


class ChartArguments(StrictModel):
    """What a request asks for, stated as a plan: the structured tool arguments an agent passes
    beside (or instead of) `query`, and the plan the OpenAI planner answers with. One model, so
    both speak the same vocabulary; the backend computes every price either way."""

    symbol: Symbol | None = Field(
        None,
        description="Ticker to show, e.g. TSLA, AAPL, BRK.B, BTC-USD, ES=F, ^GSPC; null keeps "
        "the chart's symbol. Resolve company names yourself (Tesla -> TSLA).",
    )
    timeframe: TimeframeField | None = Field(
        None,
        description="Bar size: 1m, 5m, 15m, 30m, 1H, 4H, 1D, 1W or 1M (month); null keeps the "
        'chart\'s timeframe. "weekly" -> 1W, "hourly" -> 1H.',
    )
    tools: list[PlanTool] = Field(
        default_factory=list,
        description="Analyses to draw, computed by the backend from the bars: "
        "support_resistance (horizontal levels), trendline, fibonacci (retracement of the last "
        "swing), technical_analysis (trend, RSI, moving averages), patterns (double tops, head "
        "and shoulders, flags ...), trade_plan (entry, target and stop). "
        '"Support and resistance for TSLA" -> ["support_resistance"].',
    )
    indicators: list[PlannedIndicator] = Field(
        default_factory=list,
        description='Indicators to add, e.g. "the 50 and 200 day moving averages" -> '
        '[{"name": "SMA", "period": 50}, {"name": "SMA", "period": 200}]; '
        '"RSI" -> [{"name": "RSI", "period": null}].',
    )
    clear: ClearTarget | None = Field(
        None,
        description="What to remove first, as CLEAR's argument: ALL (everything), DRAWINGS, "
        "INDICATORS, TRENDLINES, LEVELS, FIBONACCI, PATTERNS, or one indicator as "
        'INDICATOR:<NAME> ("remove the RSI" -> INDICATOR:RSI); null removes nothing.',
    )
    trade_direction: TradeDirection | None = Field(
        None,
        description='For trade_plan: short when the user wants to bet on a fall ("short '
        'setup for NVDA"), long otherwise; null means long.',
    )


# The structured fields that make a request's plan by themselves (see `is_structured`).
PLAN_FIELDS: tuple[str, ...] = tuple(ChartArguments.model_fields)


class ChartQuery(StrictModel):
    """The `chart_control` tool's words: what the user asked, and the page's chart session."""

    query: Query | None = Field(
        None,
        description='What the user asked, in their words, e.g. "draw support and resistance '
        'for TSLA". Optional when the structured fields say what to do. Beside tools, '
        "indicators, clear or trade_direction, the structured fields are the plan and the "
        "query only fills in what they leave open (beside only symbol/timeframe, a symbol or "
        "timeframe the query names wins).",
    )
    session_id: SessionId | None = Field(
        None, description="The page's chart session, so the backend knows what the chart shows."
    )


class ChartActionRequest(ChartArguments, ChartQuery):
    """What to do on the user's chart: the user's words (`query`), the plan understood from
    them (the structured fields), or both. Every door takes this one model: the JSON route,
    the MCP tool, the chat server's tool. Beside a query and nothing else, `symbol` and
    `timeframe` only override the chart's context: a symbol or timeframe the query names wins."""

    @model_validator(mode="after")
    def _asks_something(self) -> ChartActionRequest:
        """A request with neither a query nor any structured field asks nothing: 400."""
        if self.query is None and not self.fields_given():
            message = "give query, or at least one of " + ", ".join(PLAN_FIELDS)
            error = PydanticCustomError("missing_request", message)
            raise ValidationError.from_exception_data(
                type(self).__name__, [InitErrorDetails(type=error, loc=("query",), input=None)]
            )
        return self

    def fields_given(self) -> tuple[str, ...]:
        """The structured fields this request sets (an empty list sets nothing)."""
        return tuple(name for name in PLAN_FIELDS if getattr(self, name) not in (None, []))


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
        description="What the query asked that was not done as asked, each said in `text`: "
        "symbols with no market data, a compare symbol whose market data failed just now, a "
        "word that named no symbol (the chart's own symbol was used instead), requests the "
        "grammar lacks (undo), studies the chart does not draw ('indicator stochastic').",
    )
    chart_context: ChartState | None
    levels: Levels | None = None
    market_data: MarketDataInfo | None = None
    analysis: Analysis | None = None
    planner: PlannerName = "rules"
    chart: ChartDocument | None = Field(
        None,
        description="The session's chart document after this answer (drawings with their ids, "
        "indicators, overlays, view, the last answer): null without a session_id.",
    )


class ChartActionResponse(BaseModel):
    """200 answer of chart_action: relayable text plus commands the page executes."""

    success: bool = True
    text: str = Field(
        description="The summary, then every command line (one per line), for an agent to relay."
    )
    summary: str = Field(
        description="The one human sentence of `text` (no command lines): what a chat shows."
    )
    chart_commands: list[str]
    data: ActionData
    error: ErrorInfo | None = None
