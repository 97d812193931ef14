"""The chart context the page reports (SPEC 3): request, stored form and response."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.models.fields import Seq, SessionId, SnapshotId, Symbol, TimeframeField


class StrictModel(BaseModel):
    """Request models reject unknown fields so typos surface as 400s, not silent no-ops."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ChartState(BaseModel):
    """What the chart shows: the part of the context the planner reasons about."""

    symbol: Symbol
    timeframe: TimeframeField
    snapshot_id: SnapshotId | None = None


class UpdateContextRequest(StrictModel):
    """POST body of update_context."""

    session_id: SessionId
    symbol: Symbol
    timeframe: TimeframeField
    snapshot_id: SnapshotId | None = None
    seq: Seq | None = None

    def chart_state(self) -> ChartState:
        """The chart part of the request, without the session bookkeeping."""
        return ChartState(
            symbol=self.symbol, timeframe=self.timeframe, snapshot_id=self.snapshot_id
        )


class StoredContext(ChartState):
    """A session's context as stored (and as answered by update_context)."""

    seq: Seq | None = None
    updated_at: datetime


class UpdateContextResponse(BaseModel):
    """200 answer of update_context; `applied` is false when an older `seq` was ignored."""

    success: bool = True
    applied: bool
    session_id: SessionId
    chart_context: StoredContext
    expires_at: datetime
