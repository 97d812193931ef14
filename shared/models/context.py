"""The chart context the page reports (SPEC 3): request, stored form and response."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.models.chart import ChartDocument
from shared.models.commands import ClearTarget
from shared.models.fields import (
    DocumentVersion,
    DrawingId,
    Seq,
    SessionId,
    SnapshotId,
    Symbol,
    ThreadId,
    TimeframeField,
)


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
    removed: list[DrawingId] = Field(
        default_factory=list,
        max_length=200,
        description="Ids of drawings, indicators or overlays the user removed on the page.",
    )
    cleared: ClearTarget | None = Field(
        None, description="What the user cleared on the page, as CLEAR's argument (ALL, ...)."
    )
    thread_id: ThreadId | None = Field(
        None, description="The ChatKit thread the page shows, when it has one."
    )
    seen_version: DocumentVersion | None = Field(
        None,
        description=(
            "The newest chart document version the page has drawn or been answered. A report "
            "of another chart than a newer version shows is not applied (`applied` false): an "
            "answer the page has not drawn yet moved the chart, and the page reports again "
            "once it has."
        ),
    )

    def page_edit(self) -> PageEdit | None:
        """The user's own edits of the chart document, if any."""
        if not self.removed and self.cleared is None:
            return None
        return PageEdit(removed=tuple(self.removed), cleared=self.cleared)

    def chart_state(self) -> ChartState:
        """The chart part of the request, without the session bookkeeping."""
        return ChartState(
            symbol=self.symbol, timeframe=self.timeframe, snapshot_id=self.snapshot_id
        )


class PageEdit(BaseModel):
    """What the user changed on the page besides the chart context."""

    removed: tuple[str, ...] = ()
    cleared: str | None = None


class StoredContext(ChartState):
    """A session's context as stored (and as answered by update_context)."""

    seq: Seq | None = None
    updated_at: datetime


class UpdateContextResponse(BaseModel):
    """200 answer of update_context; `applied` is false when an older `seq` was ignored, or a
    report behind a newer chart document (`seen_version`) was."""

    success: bool = True
    applied: bool
    session_id: SessionId
    chart_context: StoredContext
    expires_at: datetime
    chart: ChartDocument | None = Field(
        None, description="The session's chart document after this update (null: not read)."
    )


class ChartDocumentRequest(StrictModel):
    """POST body of update_context's document route: which session's chart to read."""

    session_id: SessionId
    thread_id: ThreadId | None = None


class ChartDocumentResponse(BaseModel):
    """The document route's answer: the chart document, or null for an unknown session."""

    success: bool = True
    session_id: SessionId
    chart: ChartDocument | None
