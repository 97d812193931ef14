"""What the rules planner understood from a query (and nothing about the chart's state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from shared.models.action import ToolName, TradeDirection
from shared.models.commands import ClearCommand, IndicatorCommand, ZoomMode
from shared.models.context import ChartState
from shared.models.fields import Timeframe
from shared.planner.indicators import PeriodUnit

LevelSide = Literal["support", "resistance"]
BOTH_SIDES: tuple[LevelSide, ...] = ("support", "resistance")
RangeUnit = Literal["hour", "day", "week", "month", "year"]
QuestionKind = Literal["indicator_value", "trend", "cross", "near_level", "pattern"]


@dataclass(frozen=True, slots=True)
class VisibleRange:
    """The stretch of time a query asks to see; the follow-up turns it into `RANGE:<t1>:<t2>`.

    kind:
    - "lookback": the last `count` `unit`s up to the latest bar ("last 3 months", "past year").
    - "calendar": [start, end) in UTC unix seconds ("show me 2024", "March 2024", "Q1 2023",
      "from 2022 to 2024"); `end` None means up to the latest bar ("since 2022").
    - "since": from an anchor the bars decide: the low or high (`anchor`) of month
      `anchor_month` (1-12, the latest such month before the last bar), or the start of that
      month when `anchor` is None ("since the March low", "since January").
    - "to_date": from the start of the current `unit` ("ytd", "this month").
    - "impossible": a span no chart can show ("from 1900 to 3000", "the last -5 days"): said
      in the answer and in `data.ignored`, the view unchanged.
    `phrase` is the words as written (after normalisation), for the answer.
    """

    kind: Literal["lookback", "calendar", "since", "to_date", "impossible"]
    phrase: str
    count: int | None = None
    unit: RangeUnit | None = None
    start: int | None = None
    end: int | None = None
    anchor: Literal["low", "high"] | None = None
    anchor_month: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    """A question the answer should reply to with values from our analysis.

    kind:
    - "indicator_value": what an indicator reads now ("what's the RSI", "where is the 200 day",
      "is it overbought"); `indicator` is the indicator asked about (period None = default).
    - "trend": "is it in an uptrend?"; `direction` "up"/"down", None for "which way".
    - "cross": "golden cross?"; `cross` "golden"/"death", None for either.
    - "near_level": "is it near support?"; `side` the level side, None for either.
    - "pattern": "head and shoulders?"; `pattern` the PATTERN name asked about
      ("HEAD_AND_SHOULDERS"), None for "any patterns?" (`direction` "down" for "any bearish
      patterns?", "up" for bullish ones).
    """

    kind: QuestionKind
    indicator: IndicatorCommand | None = None
    direction: Literal["up", "down"] | None = None
    cross: Literal["golden", "death"] | None = None
    side: LevelSide | None = None
    pattern: str | None = None


@dataclass(frozen=True, slots=True)
class QueryIntent:
    """The symbol and timeframe a query names, and the tools it asks for, in page order.

    The caller merges this with the request overrides and the stored context; the planner
    never guesses what the chart currently shows. Every field after `trade_direction` is
    newer than the pipeline: each defaults to "nothing asked", so a caller that ignores them
    behaves as before.
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
    # What each period of `indicators` counts, index for index ("50 day" -> "days", "sma 50"
    # -> "bars"); empty means bars for all (see `equivalent_period` for the conversion)
    period_units: tuple[PeriodUnit, ...] = ()
    # The precise removals, in order: CLEAR:TRENDLINES, CLEAR:LEVELS, CLEAR:FIBONACCI,
    # CLEAR:PATTERNS, CLEAR:INDICATOR:<NAME>, or `(clear,)` when the query names no kind;
    # empty exactly when `clear` is None. `clear` keeps the coarse ALL/DRAWINGS/INDICATORS.
    clear_kinds: tuple[ClearCommand, ...] = ()
    # Other symbols to overlay ("compare TSLA and RIVN" -> symbol TSLA, compare ("RIVN",);
    # "compare with RIVN" -> symbol None, compare ("RIVN",)), never `symbol` itself
    compare_symbols: tuple[str, ...] = ()
    # The time span to show ("last 3 months", "show me 2024", "since the March low")
    visible_range: VisibleRange | None = None
    # "zoom in" / "zoom out" / "zoom to fit", "reset the zoom" -> IN / OUT / FIT
    zoom: ZoomMode | None = None
    # Questions to answer with values, in order of appearance
    questions: tuple[Question, ...] = ()
    # Named chart patterns (PATTERN names such as HEAD_AND_SHOULDERS, BULL_FLAG), asked
    # about or asked for, so the answer can say whether each was found
    patterns_named: tuple[str, ...] = ()
    # Words that looked like a ticker but name no symbol we accept ("load $^", "chart
    # blorpco"): the answer names them; the caller must not swap in the context's symbol
    # without saying so
    unknown_symbols: tuple[str, ...] = ()
    # Lower-case words ending the request that name no symbol but look like ordinary words
    # ("support for sunpower"): the request goes on on the chart's symbol, and says so
    loose_words: tuple[str, ...] = ()
    # Requests understood but not in the grammar ("undo", "redo"), for the answer to name
    unsupported: tuple[str, ...] = ()
    # What the request said not to draw ("but no trendlines", "technicals without
    # resistance"): tool names, level sides and indicator names. The planner already left
    # them out of `tools`, `indicators` and `level_sides`; a tool that draws them on its own
    # (a technical analysis draws both sides of the levels) must leave them out too
    ruled_out: tuple[str, ...] = ()
    # Studies named that this chart does not draw ("stochastic", "ichimoku"), for the answer
    # to name
    unavailable: tuple[str, ...] = ()
    # What a removal cannot do exactly, as `data.ignored` tags: "remove resistance only" (the
    # page removes both sides of the levels together), "keep SMA 200 only" (a removal takes
    # every period of an indicator)
    removal_limits: tuple[str, ...] = ()

    @property
    def understood_anything(self) -> bool:
        """True when anything at all was understood: a symbol, a timeframe, a tool, or any of
        the newer requests, questions, studies or unknown words. The doors do not ask this
        directly: `shared.core.plan.Plan.understood` is their one "understood"."""
        return any(
            (self.symbol, self.timeframe, self.tools, self.compare_symbols, self.visible_range,
             self.zoom, self.questions, self.patterns_named, self.unknown_symbols,
             self.loose_words, self.unsupported, self.unavailable)
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlannerOutcome:
    """A fallback planner's answer: an intent and a sentence for the user, or why not."""

    intent: QueryIntent | None
    reply: str | None = None
    failure: str | None = None


# (query, what the chart shows) -> outcome; the OpenAI planner is one.
FallbackPlanner = Callable[[str, ChartState | None], PlannerOutcome]
