"""The bars route of chart_action: the bars the analysis reads, for the page to show.

A page that draws chart_action's levels on bars of its own feed sees them off its candles when
the feeds differ; these are the provider's bars (the same provider, cache and bar count the
analysis uses), labelled `sample` when they are synthetic.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from shared.models.action import MarketDataInfo
from shared.models.context import StrictModel
from shared.models.fields import Symbol, Timeframe, TimeframeField


class BarsQuery(StrictModel):
    """The query string of `GET /api/chatkit/bars`."""

    symbol: Symbol
    timeframe: TimeframeField = Timeframe.D1


class BarData(BaseModel):
    """One bar as Lightweight Charts takes it: `time` is the bar's open, unix seconds (UTC)."""

    time: int = Field(ge=0)
    open: float
    high: float
    low: float
    close: float
    volume: float


class BarsResponse(BaseModel):
    """200 answer of the bars route: the bars, oldest first, and where they came from."""

    success: Literal[True] = True
    symbol: Symbol
    timeframe: TimeframeField
    market_data: MarketDataInfo = Field(
        description="The provider; `sample: true` means synthetic bars, not real prices."
    )
    bars: list[BarData]
