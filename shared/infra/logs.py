"""Structured JSON logs in the shape Cloud Logging understands.

Each record is one JSON line on stdout with `severity`, `message` and the request's ids, so
Cloud Logging indexes them without an agent-side parser: `logging.googleapis.com/trace` in the
`projects/<project>/traces/<id>` form that links a line to its trace, the span, and the
execution id functions-framework gives every request (as a label, where functions-framework's
own logging puts it). Values are passed explicitly via `extra={"fields": {...}}`; nothing logs
request bodies or headers, so secrets cannot leak.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

TRACE_FIELD = "logging.googleapis.com/trace"
SPAN_FIELD = "logging.googleapis.com/spanId"
LABELS_FIELD = "logging.googleapis.com/labels"


@dataclass(frozen=True, slots=True)
class RequestIds:
    """What ties a log line to its request: ours, the trace's and functions-framework's."""

    request_id: str
    trace_id: str | None = None
    span_id: str | None = None
    execution_id: str | None = None


current_request: ContextVar[RequestIds | None] = ContextVar("current_request", default=None)


class CloudJsonFormatter(logging.Formatter):
    """Format a record as a Cloud Logging structured-log JSON line."""

    def __init__(self, project: str | None = None):
        super().__init__()
        self._project = project

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        if (ids := current_request.get()) is not None:
            entry.update(self._request_fields(ids))
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)

    def _request_fields(self, ids: RequestIds) -> dict[str, Any]:
        fields: dict[str, Any] = {"request_id": ids.request_id}
        if ids.trace_id and self._project:
            fields[TRACE_FIELD] = f"projects/{self._project}/traces/{ids.trace_id}"
        if ids.span_id:
            fields[SPAN_FIELD] = ids.span_id
        if ids.execution_id:
            fields[LABELS_FIELD] = {"execution_id": ids.execution_id}
        return fields


def configure_logging(level: str = "INFO", project: str | None = None) -> None:
    """Route the root logger to stdout as JSON (idempotent: safe on every cold start)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, CloudJsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(CloudJsonFormatter(project))
    root.handlers = [handler]
    root.setLevel(level.upper())
