"""The chart document (issue 22): what a session's chart shows and what was said about it.

It lives in the session's Firestore document (`chart_sessions/<id>`, beside the context the page
reports, under the same TTL) as the `chart` map, with a `version` every write increments. Every
door edits it — an answer through chart_action (JSON, MCP) or the chat, and the page's own
changes through update_context — so a follow-up ("the same for NVDA", "remove it", "why?") is
resolved against it, and a reloaded page draws it again.

Drawings, indicators and overlays carry a stable id (`d1`, `d2`, ... per session, never reused)
and the turn of the answer that made them, so "remove it" and undo take away exactly the most
recent ones. A drawing belongs to the chart it was drawn on (symbol and timeframe): a switch
leaves it behind, as the page's kit clears drawings on LOAD and TIMEFRAME.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from shared.models.commands import IndicatorName, ZoomMode
from shared.models.fields import DrawingId, Price, Symbol, TimeframeField, UnixTime

DrawingKind = Literal[
    "support", "resistance", "entry", "target", "stoploss", "fibonacci", "trendline", "pattern"
]
MAX_DRAWINGS = 200  # a chart with more is no chart; the oldest go first
MAX_REQUEST_CHARS = 200
# The chart document is the lowest of the payload models (the action and context models embed
# it), so it spells the few words it shares with them itself.
TradeSide = Literal["long", "short"]
LevelSide = Literal["support", "resistance"]


class Anchor(BaseModel):
    """One point a drawing is fixed to: a price, and the bar time where it has one."""

    price: Price | None = None
    time: UnixTime | None = None


class Drawing(BaseModel):
    """One thing drawn on the price pane."""

    id: DrawingId
    kind: DrawingKind
    command: str = Field(description="The command line that draws it, e.g. SUPPORT:238.40.")
    anchors: list[Anchor] = Field(default_factory=list)
    label: str | None = None
    tool: str | None = Field(None, description="The analysis that drew it.")
    request: str | None = Field(None, description="The request that made it (truncated).")
    turn: int = Field(0, description="The answer that made it (1, 2, ...).")
    symbol: Symbol | None = None
    timeframe: TimeframeField | None = None


class ChartIndicator(BaseModel):
    """An indicator the page computes from its bars; pane 0 is the price pane."""

    id: DrawingId
    name: IndicatorName
    period: int | None = None
    pane: int = 0
    command: str
    turn: int = 0


class Overlay(BaseModel):
    """Another symbol compared on the chart (percent change)."""

    id: DrawingId
    symbol: Symbol
    command: str
    turn: int = 0


class View(BaseModel):
    """The visible range an answer set: bar times (RANGE), or a zoom step (ZOOM)."""

    t1: UnixTime | None = None
    t2: UnixTime | None = None
    zoom: ZoomMode | None = None


class AnswerPlan(BaseModel):
    """What an answer did: the tools, indicators and direction, on which chart."""

    tools: list[str] = Field(default_factory=list, description="What it ran, drawn or not.")
    drew: list[str] = Field(default_factory=list, description="The tools that drew something.")
    indicators: list[str] = Field(default_factory=list, description="INDICATOR lines.")
    level_sides: list[LevelSide] = Field(default_factory=list)
    direction: TradeSide | None = None
    compare: list[Symbol] = Field(default_factory=list)
    symbol: Symbol | None = None
    timeframe: TimeframeField | None = None


class TradeFacts(BaseModel):
    """A trade plan's prices and the reasons behind each (or why there is no plan)."""

    direction: TradeSide
    entry: Price | None = None
    target: Price | None = None
    stop: Price | None = None
    reward_risk: float | None = None
    reasons: list[str] = Field(default_factory=list, description="Entry, stop, target: why.")


class CrossFact(BaseModel):
    """The last cross of the fast and slow moving averages an answer quoted."""

    fast_period: int
    slow_period: int
    last: Literal["golden", "death"] | None = None
    date: str | None = None
    bars_ago: int | None = None


class DistanceFact(BaseModel):
    """How far the nearest level of one side was from the close."""

    side: LevelSide
    price: Price | None = None
    distance_pct: float | None = None


class Facts(BaseModel):
    """The values an answer quoted, for the questions that follow it."""

    support: list[Price] = Field(default_factory=list)
    resistance: list[Price] = Field(default_factory=list)
    close: Price | None = None
    last_time: int | None = None
    trade: TradeFacts | None = None
    cross: CrossFact | None = None
    nearest_levels: list[DistanceFact] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list, description="PATTERN lines found.")
    sentence: str | None = Field(None, description="The answer's human sentence.")


class LastAnswer(BaseModel):
    """The most recent answer that changed the chart: its request, plan and facts."""

    request: str | None = None
    plan: AnswerPlan = Field(default_factory=AnswerPlan)
    facts: Facts = Field(default_factory=Facts)
    turn: int = 0


class ChartMemory(BaseModel):
    """The chart part of the session document: what is drawn, and the last answer."""

    drawings: list[Drawing] = Field(default_factory=list)
    indicators: list[ChartIndicator] = Field(default_factory=list)
    overlays: list[Overlay] = Field(default_factory=list)
    view: View | None = None
    last_answer: LastAnswer | None = None
    turns: int = Field(0, description="Answers that changed the chart so far.")
    next_id: int = Field(1, description="The number of the next id handed out.")
    thread: str | None = Field(None, description="The ChatKit thread this chart belongs to.")
    threads: dict[str, ThreadChart] = Field(
        default_factory=dict,
        description="The other threads' charts, most recent last, while the page shows this one.",
    )

    def items(self) -> list[Drawing | ChartIndicator | Overlay]:
        """Every drawn thing, oldest first by turn."""
        everything: list[Drawing | ChartIndicator | Overlay] = [
            *self.drawings,
            *self.indicators,
            *self.overlays,
        ]
        return sorted(everything, key=lambda item: (item.turn, int(item.id[1:])))

    def same_chart(self, other: ChartMemory) -> bool:
        """Whether both show the same things (the last answer and counters aside)."""
        keep = {"drawings", "indicators", "overlays", "view"}
        return self.model_dump(include=keep) == other.model_dump(include=keep)


class ThreadChart(BaseModel):
    """Another ChatKit thread's chart, kept while the page shows a different thread."""

    symbol: Symbol | None = None
    timeframe: TimeframeField | None = None
    memory: ChartMemory


class ChartDocument(BaseModel):
    """The chart document as the doors answer it (`data.chart`, update_context's `chart`, the
    document read): the chart context, what is drawn, the last answer, and the version."""

    symbol: Symbol | None = None
    timeframe: TimeframeField | None = None
    version: int = Field(0, description="Incremented by every write; guards concurrent edits.")
    drawings: list[Drawing] = Field(default_factory=list)
    indicators: list[ChartIndicator] = Field(default_factory=list)
    overlays: list[Overlay] = Field(default_factory=list)
    view: View | None = None
    last_answer: LastAnswer | None = None
    thread_id: str | None = Field(None, description="The ChatKit thread the chart belongs to.")


ChartMemory.model_rebuild()  # a memory keeps the other threads' memories (`ThreadChart`)
