"""What each step found, as data: the structured results the answer's words are rendered from.

The steps compute (and round every price once, to the instrument's tick, before an outcome is
made); `shared.core.render` writes the words. Keeping them apart means a sentence can change
without touching a computation, and the data in `data.*` and the text always say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from shared.models.action import (
    CrossInfo,
    DetectedPattern,
    IndicatorValue,
    LevelDistance,
    Levels,
    TradeDirection,
)
from shared.models.commands import ClearCommand, IndicatorCommand, ZoomMode
from shared.models.fields import Timeframe
from shared.planner.intent import LevelSide


class Notice(Enum):
    """Outcomes that carry nothing but themselves."""

    NEED_SYMBOL = "prices were asked for but no chart or symbol is known"
    SAMPLE_DATA = "the bars are synthetic"
    NO_BARS = "the provider returned no bars for the chart"
    NO_TRENDLINE = "fewer than two swings slope the trend's way"
    NOTHING_TO_CHANGE = "the query was understood and the chart already shows it"


@dataclass(frozen=True, slots=True)
class Cleared:
    """The removals sent, in order, and what they could not do exactly ("remove resistance
    only", "keep SMA 200 only": see `QueryIntent.removal_limits`)."""

    kinds: tuple[ClearCommand, ...]
    limits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Switched:
    """The chart switches to this symbol (a LOAD) or, the symbol unchanged, this timeframe."""

    symbol: str | None = None
    timeframe: Timeframe | None = None


@dataclass(frozen=True, slots=True)
class AddedIndicator:
    """One indicator drawn; `note` says how a period in days or weeks became bars."""

    command: IndicatorCommand
    note: str | None = None


@dataclass(frozen=True, slots=True)
class IndicatorsAdded:
    """The indicators drawn, in order, duplicates removed."""

    added: tuple[AddedIndicator, ...]


@dataclass(frozen=True, slots=True)
class Compared:
    """Symbols overlaid, those named for a comparison that have no market data, and those
    whose market data failed (timeout, outage) so they were not checked."""

    symbols: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    unavailable: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RangeShown:
    """The view set to [t1, t2], bar times; `phrase` is the span as the user wrote it."""

    phrase: str
    t1: int
    t2: int
    intraday: bool


@dataclass(frozen=True, slots=True)
class RangeNotShown:
    """A time span that gives no range on this chart; `reason` is one of "future", "short",
    "no_anchor", "impossible"."""

    phrase: str
    reason: str
    timeframe: Timeframe


@dataclass(frozen=True, slots=True)
class Zoomed:
    """The time axis zoomed in, out, or fitted to every bar."""

    mode: ZoomMode


@dataclass(frozen=True, slots=True)
class TechnicalRead:
    """Trend by moving averages (SMA 20/50 on the tick) and RSI 14 to a tenth."""

    trend: str
    sma_fast: float | None
    sma_slow: float | None
    rsi: float | None


@dataclass(frozen=True, slots=True)
class LevelsFound:
    """The levels drawn for the sides asked; `nearest_pct` when a technical analysis
    gives the distances of the nearest ones."""

    levels: Levels
    sides: tuple[LevelSide, ...]
    nearest_pct: tuple[float | None, float | None] = (None, None)


@dataclass(frozen=True, slots=True)
class TrendlineFound:
    """A trendline between two swings (prices on the tick; times are in the command)."""

    p1: float
    p2: float


@dataclass(frozen=True, slots=True)
class FibonacciRange:
    """The swing high and low the retracements are drawn between."""

    high: float
    low: float


@dataclass(frozen=True, slots=True)
class PatternsFound:
    """Every pattern detected (most recent first), and the ones the query named."""

    patterns: tuple[DetectedPattern, ...]
    named: tuple[str, ...] = ()
    # "any bearish patterns?": "down" (bearish), "up" (bullish), None for any
    leaning: str | None = None


@dataclass(frozen=True, slots=True)
class TradePlanned:
    """A plan worth taking: entry at the close, target ahead, stop behind."""

    direction: TradeDirection
    entry: float
    target: float
    stop: float
    reward_risk: float


@dataclass(frozen=True, slots=True)
class NoTradePlan:
    """No plan: `missing_side` when a side has no level, else no level ahead pays enough."""

    direction: TradeDirection
    missing_side: bool
    stop: float | None = None


@dataclass(frozen=True, slots=True)
class IndicatorAnswer:
    """The reading the question asked for, the close it is compared with, and the period note."""

    value: IndicatorValue
    close: float
    bars: int
    note: str | None = None


@dataclass(frozen=True, slots=True)
class TrendAnswer:
    asked: str | None  # "up", "down" or None for "which way"
    trend: str


@dataclass(frozen=True, slots=True)
class CrossAnswer:
    asked: str | None  # "golden", "death" or None for either
    cross: CrossInfo
    bars: int
    intraday: bool
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NearLevelAnswer:
    asked: LevelSide | None
    distances: tuple[LevelDistance, ...]


@dataclass(frozen=True, slots=True)
class UnknownSymbols:
    """Words written as tickers that name nothing; `kept` is the chart symbol left untouched
    (and nothing drawn on it) instead of being silently substituted."""

    words: tuple[str, ...]
    kept: str | None


@dataclass(frozen=True, slots=True)
class LooseWords:
    """Lower-case words that name no symbol but look like ordinary words ("support for
    sunpower"); `used` is the chart symbol the request was drawn on instead, when it was."""

    words: tuple[str, ...]
    used: str | None


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Requests understood but not in the grammar ("undo")."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Unavailable:
    """Studies asked for that this chart does not draw ("stochastic", "ichimoku")."""

    names: tuple[str, ...]


Outcome = (
    Notice | Cleared | Switched | IndicatorsAdded | Compared | RangeShown
    | RangeNotShown | Zoomed | TechnicalRead | LevelsFound | TrendlineFound | FibonacciRange
    | PatternsFound | TradePlanned | NoTradePlan | IndicatorAnswer | TrendAnswer | CrossAnswer
    | NearLevelAnswer | UnknownSymbols | LooseWords | Unsupported | Unavailable
)  # fmt: skip
