"""HTTP plumbing both functions share: routing, body limits, JSON/pydantic parsing, CORS,
bearer auth, error envelopes and the request log line.

Every failure leaves here as a SPEC 6 JSON body with the right status: bad input is a 4xx that
names the field, a failing dependency a 503/504 with Retry-After, and an unexpected bug a bare
500 JSON without a stack trace (the trace goes to the log only).
"""

from __future__ import annotations

import hmac
import json
import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Request, Response
from pydantic import BaseModel, ValidationError

from shared import __version__
from shared.logs import request_id_var, trace_var
from shared.market_data.base import MarketDataError, MarketDataTimeout, UnknownSymbolError
from shared.models.errors import ErrorCode, ErrorDetail, ErrorInfo, ErrorResponse
from shared.store import StoreTimeout, StoreUnavailable

MAX_BODY_BYTES = 16 * 1024
RETRY_AFTER_SECONDS = "2"
M = TypeVar("M", bound=BaseModel)
Handler = Callable[[Request], Response]
log = logging.getLogger("chart_control.http")


class ApiError(Exception):
    """An answer other than 200: raised anywhere, rendered once by `serve`."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        details: list[ErrorDetail] | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.info = ErrorInfo(code=code, message=message, details=details or [])
        self.headers = dict(headers or {})


def json_response(
    body: BaseModel | dict[str, Any], status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """Serialise a model (or plain dict) as the JSON answer."""
    payload = (
        body.model_dump_json(exclude_none=False)
        if isinstance(body, BaseModel)
        else json.dumps(body, separators=(",", ":"))
    )
    return Response(
        payload, status=status, headers=dict(headers or {}), mimetype="application/json"
    )


def error_response(error: ApiError) -> Response:
    """The SPEC 6 envelope for an `ApiError`."""
    return json_response(ErrorResponse(error=error.info), error.status, error.headers)


def read_json_body(request: Request) -> Any:
    """The parsed JSON body, enforcing media type and the 16 KiB limit."""
    mimetype = (request.mimetype or "").lower()
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"body must be at most {MAX_BODY_BYTES} bytes")
    raw = request.stream.read(MAX_BODY_BYTES + 1)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"body must be at most {MAX_BODY_BYTES} bytes")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, "invalid_json", f"body is not valid JSON: {exc}") from None


def parse_model(model: type[M], data: Any) -> M:
    """Validate a decoded body against a request model; 400 naming each broken field."""
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_request", "body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = ErrorDetail.from_validation_error(exc)
        fields = ", ".join(sorted({d.field for d in details if d.field}))
        raise ApiError(400, "invalid_request", f"invalid fields: {fields}", details) from None


def require_bearer(request: Request, token: str | None) -> None:
    """401 unless the request carries `Authorization: Bearer <token>` (when one is configured)."""
    if token is None:
        return
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        presented.strip().encode(), token.encode()
    ):
        raise ApiError(
            401,
            "unauthorized",
            "missing or wrong bearer token",
            headers={"WWW-Authenticate": 'Bearer realm="chart-control"'},
        )


def cors_headers(request: Request, allowed_origins: tuple[str, ...]) -> dict[str, str]:
    """CORS headers for an allowed Origin; none at all for others (the browser then blocks)."""
    origin = request.headers.get("Origin")
    if not origin or origin.rstrip("/") not in allowed_origins:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Authorization",
        "Access-Control-Max-Age": "3600",
        "Vary": "Origin",
    }


def _dependency_error(exc: Exception) -> ApiError:
    """Map a dependency failure to its SPEC 6 answer."""
    retry = {"Retry-After": RETRY_AFTER_SECONDS}
    if isinstance(exc, StoreTimeout | MarketDataTimeout):
        return ApiError(504, "timeout", str(exc), headers=retry)
    if isinstance(exc, UnknownSymbolError):
        return ApiError(404, "not_found", str(exc))
    if isinstance(exc, StoreUnavailable):
        return ApiError(503, "store_unavailable", str(exc), headers=retry)
    return ApiError(503, "market_data_unavailable", str(exc), headers=retry)


@dataclass(frozen=True)
class Service:
    """One Cloud Function: its name, POST routes by path, and CORS policy."""

    name: str
    post_routes: Mapping[str, Handler]
    cors_origins: Callable[[], tuple[str, ...]] = field(default=lambda: ())
    post_only: frozenset[str] = frozenset()  # paths where GET is not a health check (MCP)

    def __call__(self, request: Request) -> Response:
        """Entry point body: dispatch, render errors, add CORS and log one line."""
        started = time.perf_counter()
        request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        request_id_var.set(request_id)
        trace_var.set(request.headers.get("X-Cloud-Trace-Context", "").split("/")[0] or None)
        response = self._dispatch(request)
        response.headers.update(cors_headers(request, self.cors_origins()))
        response.headers["X-Request-Id"] = request_id
        log.info(
            "%s %s -> %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "fields": {
                    "httpRequest": {
                        "requestMethod": request.method,
                        "requestUrl": request.path,
                        "status": response.status_code,
                        "latency": f"{time.perf_counter() - started:.6f}s",
                    },
                    "service": self.name,
                }
            },
        )
        return response

    def _dispatch(self, request: Request) -> Response:
        try:
            return self._route(request)
        except ApiError as exc:
            return error_response(exc)
        except (StoreUnavailable, StoreTimeout, MarketDataError) as exc:
            log.warning("dependency failed: %s", type(exc).__name__, exc_info=exc)
            return error_response(_dependency_error(exc))
        except Exception:
            log.exception("unhandled error")
            return error_response(ApiError(500, "internal_error", "internal error"))

    def _route(self, request: Request) -> Response:
        allow = "GET, POST, OPTIONS"
        path = request.path.rstrip("/") or "/"
        if path in self.post_only and request.method != "POST":
            # MCP: no SSE stream to open on GET; stateless servers answer 405
            raise ApiError(405, "method_not_allowed", "use POST", headers={"Allow": "POST"})
        if request.method in ("GET", "HEAD"):
            return json_response({"status": "ok", "service": self.name, "version": __version__})
        if request.method == "OPTIONS":
            return Response(status=204, headers={"Allow": allow})
        if request.method != "POST":
            raise ApiError(405, "method_not_allowed", "use POST", headers={"Allow": allow})
        handler = self.post_routes.get(path)
        if handler is None:
            known = ", ".join(sorted(self.post_routes))
            raise ApiError(404, "not_found", f"no route {request.path}; POST to one of {known}")
        return handler(request)
