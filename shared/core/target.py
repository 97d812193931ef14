"""Which chart an answer is about, and whether the page must switch to it.

The precedence is query > request overrides > stored session > nothing: what the user just
asked for wins over what the page reported. LOAD and TIMEFRAME are sent only when the chart
must change (or when nothing is known of the page).
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.models.action import ChartActionRequest
from shared.models.context import ChartState, StoredContext
from shared.models.fields import Timeframe
from shared.planner.intent import QueryIntent

DEFAULT_TIMEFRAME = Timeframe.D1


@dataclass(frozen=True)
class Target:
    """The chart the answer is about, and whether the page must switch to it."""

    symbol: str | None
    timeframe: Timeframe
    snapshot_id: str | None
    load: bool
    switch_timeframe: bool

    def state(self) -> ChartState | None:
        """The target as a chart context (None while no symbol is known)."""
        if self.symbol is None:
            return None
        return ChartState(
            symbol=self.symbol, timeframe=self.timeframe, snapshot_id=self.snapshot_id
        )


def resolve_target(
    intent: QueryIntent, request: ChartActionRequest, stored: StoredContext | None
) -> Target:
    """Apply the precedence query > overrides > stored context, and decide LOAD/TIMEFRAME."""
    symbol = intent.symbol or request.symbol or (stored.symbol if stored else None)
    timeframe = (
        intent.timeframe
        or request.timeframe
        or (stored.timeframe if stored else None)
        or DEFAULT_TIMEFRAME
    )
    if stored is None:  # nothing known of the page: say everything it must show
        return Target(
            symbol,
            timeframe,
            None,
            load=symbol is not None,
            switch_timeframe=symbol is not None or intent.timeframe is not None,
        )
    unchanged = symbol == stored.symbol and timeframe == stored.timeframe
    return Target(
        symbol,
        timeframe,
        stored.snapshot_id if unchanged else None,
        load=symbol != stored.symbol,
        switch_timeframe=timeframe != stored.timeframe,
    )
