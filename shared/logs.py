"""Structured JSON logs in the shape Cloud Logging understands.

Each record is one JSON line on stdout with `severity`, `message` and the request's trace/id, so
Cloud Logging indexes them without an agent-side parser. Values are passed explicitly via
`extra={"fields": {...}}`; nothing logs request bodies or headers, so secrets cannot leak.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
trace_var: ContextVar[str | None] = ContextVar("trace", default=None)


class CloudJsonFormatter(logging.Formatter):
    """Format a record as a Cloud Logging structured-log JSON line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": record.levelname,
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        if (request_id := request_id_var.get()) is not None:
            entry["request_id"] = request_id
        if (trace := trace_var.get()) is not None:
            entry["logging.googleapis.com/trace"] = trace
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Route the root logger to stdout as JSON (idempotent: safe on every cold start)."""
    root = logging.getLogger()
    if any(isinstance(h.formatter, CloudJsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(CloudJsonFormatter())
    root.handlers = [handler]
    root.setLevel(level.upper())


def redact_session(session_id: str | None) -> str | None:
    """A stable, non-reversible tag for a session id (the id itself is a capability)."""
    if session_id is None:
        return None
    return sha256(session_id.encode()).hexdigest()[:12]
