"""The error envelope both functions answer with (SPEC 6), and the base of every error a
layer raises for a client to see.

A layer says *what* went wrong by the `code` of its exception; `shared.api.errors` is the one
table that says how each code is answered (HTTP status, Retry-After, MCP form).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

# A location part is echoed only when it is a plain name: an unknown key is the client's input
# (`{"<script>": 1}` must not come back in the error).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
HIDDEN_NAME = "(unnamed)"
QUOTE_MIN = 4  # a shorter value found in a message is a coincidence ("1D" in a list of them)

ErrorCode = Literal[
    "invalid_json",
    "invalid_request",
    "unauthorized",
    "not_found",
    "method_not_allowed",
    "payload_too_large",
    "unsupported_media_type",
    "store_unavailable",
    "market_data_unavailable",
    "identity_unavailable",
    "timeout",
    "internal_error",
]


class ErrorDetail(BaseModel):
    """One broken rule: which field (dotted path) and what was wrong with it."""

    field: str | None = None
    message: str

    @classmethod
    def from_validation_error(cls, exc: ValidationError) -> list[ErrorDetail]:
        """One detail per broken rule, naming the field path; never echoes the input value."""
        return [
            cls(field=".".join(_shown(part) for part in err["loc"]) or None, message=_rule(err))
            for err in exc.errors(include_url=False)
        ]


def _rule(error: Any) -> str:
    """The broken rule's message, unless it quotes the input (a validator of ours or of a
    library that puts the value into its message, or a union's tag taken from inside an
    object: pydantic's "Input tag '<...>' found using 'type'"): then only the rule's type."""
    message = error["msg"]
    if any(text in message for text in _strings(error.get("input"))):
        return f"invalid value ({error['type']})"
    return message


def _strings(value: Any, depth: int = 2) -> list[str]:
    """The strings of an input long enough to matter: itself, or inside an object or a list
    (a discriminated union reports the tag it found one level down)."""
    if isinstance(value, str):
        return [value] if len(value) >= QUOTE_MIN else []
    if depth == 0:
        return []
    if isinstance(value, dict):
        return [t for item in value.items() for part in item for t in _strings(part, depth - 1)]
    if isinstance(value, list | tuple):
        return [t for part in value[:64] for t in _strings(part, depth - 1)]
    return []


def _shown(part: Any) -> str:
    """A field path part as it may be shown: list indexes and plain names, else a placeholder."""
    text = str(part)
    return text if isinstance(part, int) or _PLAIN_NAME.fullmatch(text) else HIDDEN_NAME


class ErrorInfo(BaseModel):
    """Machine-readable code plus a human sentence; never echoes secrets or stack traces."""

    code: ErrorCode
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """Body of every 4xx/5xx answer."""

    success: Literal[False] = False
    error: ErrorInfo


class ChartControlError(Exception):
    """An error with a SPEC 6 code; its message is safe to show to a client."""

    code: ErrorCode = "internal_error"

    def __init__(
        self, message: str, details: list[ErrorDetail] | None = None, code: ErrorCode | None = None
    ):
        super().__init__(message)
        self.details = details or []
        if code is not None:
            self.code = code
