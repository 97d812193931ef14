"""The error envelope both functions answer with (SPEC 6)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationError

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
            cls(field=".".join(str(part) for part in err["loc"]) or None, message=err["msg"])
            for err in exc.errors(include_url=False, include_input=False)
        ]


class ErrorInfo(BaseModel):
    """Machine-readable code plus a human sentence; never echoes secrets or stack traces."""

    code: ErrorCode
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """Body of every 4xx/5xx answer."""

    success: Literal[False] = False
    error: ErrorInfo
