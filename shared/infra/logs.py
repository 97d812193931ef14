"""Structured JSON logs in the shape Cloud Logging understands.

Each record is one JSON line on stdout with `severity`, `message` and the request's ids, so
Cloud Logging indexes them without an agent-side parser: `logging.googleapis.com/trace` in the
`projects/<project>/traces/<id>` form that links a line to its trace, the span, and the
execution id functions-framework gives every request (as a label, where functions-framework's
own logging puts it). Values are passed explicitly via `extra={"fields": {...}}`; nothing logs
request bodies or headers, so secrets cannot leak.

Every line stays small: a request path, a method or any other string a request brings is cut
to MAX_VALUE_CHARS (the message to MAX_MESSAGE_CHARS, a traceback to MAX_TRACE_CHARS), so a
hostile 200 KB path cannot make a line over Cloud Logging's 256 KB entry limit. Libraries
that bring their own handler (chatkit adds a plain-text one when LOG_LEVEL is set) are adopted
(`adopt_library_logger`): their lines go through this formatter too, once.
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
MAX_VALUE_CHARS = 512  # a request-derived string in a field (a path, a method)
MAX_MESSAGE_CHARS = 2048
MAX_TRACE_CHARS = 8192
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
            "message": cut(record.getMessage(), MAX_MESSAGE_CHARS),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        if (ids := current_request.get()) is not None:
            entry.update(self._request_fields(ids))
        entry.update(_bounded(getattr(record, "fields", {})))
        if record.exc_info:
            entry["exception"] = cut(self.formatException(record.exc_info), MAX_TRACE_CHARS)
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


def cut(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """`text`, or its start and how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}...[{len(text) - limit} chars cut]"


def _bounded(value: Any) -> Any:
    """Every string inside a record's fields, cut."""
    if isinstance(value, str):
        return cut(value)
    if isinstance(value, dict):
        return {key: _bounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_bounded(item) for item in value]
    return value


def adopt_library_logger(name: str) -> None:
    """Make a library's logger ours: its own handlers go (its lines reach the root's JSON
    handler once), and a failure our code already reports is not logged again by it (a store
    error is the one dependency WARNING line; a readable error event is not a traceback)."""
    logger = logging.getLogger(name)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    logger.propagate = True
    if _reported_elsewhere not in logger.filters:
        logger.addFilter(_reported_elsewhere)


def _reported_elsewhere(record: logging.LogRecord) -> bool:
    """False (drop the record) when its exception is one our layers report themselves."""
    from shared.models.errors import ChartControlError  # noqa: PLC0415 - loaded by then

    error = record.exc_info[1] if record.exc_info else record.msg
    while isinstance(error, BaseException):
        if isinstance(error, ChartControlError) or type(error).__name__ == "CustomStreamError":
            return False
        error = error.__cause__
    return True


def configure_logging(level: str = "INFO", project: str | None = None) -> None:
    """Route the root logger to stdout as JSON (idempotent: safe on every cold start)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, CloudJsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(CloudJsonFormatter(project))
    root.handlers = [handler]
    root.setLevel(level.upper())
