"""HTTP in, JSON out: what both functions' routes share.

A route module handles a request top-down inside one `Exchange`:

    with Exchange(request, ROUTES) as exchange:
        if exchange.route() == "update":         # health, OPTIONS, 404 and 405 answered here
            exchange.reply(do_the_work(request))  # parse_model(read_json_body(...)) -> a model
    return exchange.response

The exchange sets the request's ids for the log, renders any error once through the error
table (`shared.api.errors`: a 4xx naming the field, a 503/504 with Retry-After, a bare 500
without a stack trace for a bug, whose trace goes to the log only), adds CORS and
`X-Request-Id`, and writes the request log line. Nothing here calls back into a route.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from flask import Request, Response
from functions_framework.execution_id import (
    EXECUTION_ID_REQUEST_HEADER,
    TRACE_CONTEXT_REQUEST_HEADER,
)
from pydantic import BaseModel, ValidationError

from shared import __version__
from shared.api import read_deadline, strict_json
from shared.api.errors import INTERNAL, RequestError, render, rule_for
from shared.api.request_body import read_body, settle_body
from shared.infra.dependency_log import log_dependency_failure
from shared.infra.logs import RequestIds, current_request, cut
from shared.models.errors import ChartControlError, ErrorDetail

ALLOW = "GET, POST, OPTIONS"
# A client's X-Request-Id is echoed and logged only when short and plain (no log injection).
PLAIN_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
TRACE_ID = re.compile(r"[0-9a-fA-F]{32}")
M = TypeVar("M", bound=BaseModel)
# Status, body and headers of an error, for a path whose errors have another envelope (MCP).
ErrorRenderer = Callable[
    [ChartControlError], tuple[int, BaseModel | dict[str, Any], dict[str, str]]
]
log = logging.getLogger("chart_control.http")
read_deadline.install()  # the JSON functions' server bounds reading each request


@dataclass(frozen=True)
class Routes:
    """One Cloud Function's surface: POST paths -> route names, and its CORS policy."""

    service: str
    post: Mapping[str, str]
    post_only: frozenset[str] = frozenset()  # paths where GET is not a health check (MCP)
    get: Mapping[str, str] = field(default_factory=dict)  # GET paths -> route names (else health)
    cors: bool = False  # answer browsers from ALLOWED_ORIGINS (the page calls this directly)
    # paths whose errors are not the SPEC 6 envelope (JSON-RPC on MCP), by their renderer
    error_renderers: Mapping[str, ErrorRenderer] = field(default_factory=dict)


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


def read_json_body(request: Request) -> Any:
    """The parsed JSON body: media type, framing and the 16 KiB limit (`request_body`), then
    strict JSON (`strict_json`: no NaN, no lone surrogates, bounded depth and digits)."""
    mimetype = (request.mimetype or "").lower()
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise RequestError("unsupported_media_type", "send the body as application/json")
    raw = read_body(request)
    try:
        return strict_json.loads(raw)
    except strict_json.StrictJsonError as exc:
        raise RequestError("invalid_json", f"body is not valid JSON: {exc}") from None


def parse_model(model: type[M], data: Any) -> M:
    """Validate a decoded body against a request model; 400 naming each broken field."""
    if not isinstance(data, dict):
        raise RequestError("invalid_request", "body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = ErrorDetail.from_validation_error(exc)
        fields = ", ".join(sorted({d.field for d in details if d.field}))
        raise RequestError("invalid_request", f"invalid fields: {fields}", details) from None


def foreign_origin(request: Request, origins: tuple[str, ...]) -> str | None:
    """The browser Origin when it is not exactly one we serve (`origins`: ALLOWED_ORIGINS), else
    None. A browser sends its origin canonical (no path, no trailing slash, lower-case scheme
    and host), so another spelling of an allowed origin is not that origin."""
    origin = request.headers.get("Origin")
    if origin and origin not in origins:
        return origin
    return None


def cors_headers(request: Request, origins: tuple[str, ...]) -> dict[str, str]:
    """CORS headers for an exactly allowed Origin, which is answered as it is listed; none at
    all for others (the browser then blocks)."""
    origin = request.headers.get("Origin")
    if not origin or foreign_origin(request, origins):
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": ALLOW,
        "Access-Control-Allow-Headers": "Content-Type, Authorization",
        "Access-Control-Max-Age": "3600",
        "Vary": "Origin",
    }


def request_ids(request: Request) -> RequestIds:
    """Our request id (the client's if plain), the trace and span from X-Cloud-Trace-Context,
    and the execution id functions-framework's middleware puts on every request."""
    sent = request.headers.get("X-Request-Id", "")
    trace, _, rest = request.headers.get(TRACE_CONTEXT_REQUEST_HEADER, "").partition("/")
    span = rest.partition(";")[0]
    return RequestIds(
        request_id=sent if PLAIN_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex,
        trace_id=trace.lower() if TRACE_ID.fullmatch(trace) else None,
        span_id=span if span.isdigit() else None,
        execution_id=request.headers.get(EXECUTION_ID_REQUEST_HEADER),
    )


@dataclass
class Exchange:
    """One request and its answer (see the module docstring)."""

    request: Request
    routes: Routes
    origins: tuple[str, ...] = ()  # ALLOWED_ORIGINS, for CORS (`routes.cors`)
    response: Response = field(default_factory=lambda: Response(status=204))
    _ids: RequestIds | None = None
    _started: float = 0.0
    _token: Any = None
    _route: str | None = None

    def __enter__(self) -> Exchange:
        self._started = time.perf_counter()
        self._ids = request_ids(self.request)
        self._token = current_request.set(self._ids)
        return self

    def route(self) -> str | None:
        """The POST route's name; None when answered here (health GET, OPTIONS); raises for
        a wrong method or an unknown path."""
        request = self.request
        path = request.path.rstrip("/") or "/"
        if path in self.routes.post_only and request.method != "POST":
            # MCP: no SSE stream to open on GET; stateless servers answer 405
            raise RequestError("method_not_allowed", "use POST", headers={"Allow": "POST"})
        if request.method in ("GET", "HEAD") and path in self.routes.get:
            self._route = self.routes.get[path]
            return self._route
        if request.method in ("GET", "HEAD"):
            health = {"status": "ok", "service": self.routes.service, "version": __version__}
            self.reply(health)
            return None
        if request.method == "OPTIONS":
            self.response = Response(status=204, headers={"Allow": ALLOW})
            return None
        if request.method != "POST":
            raise RequestError("method_not_allowed", "use POST", headers={"Allow": ALLOW})
        name = self.routes.post.get(path)
        if name is None:
            known = ", ".join(sorted(self.routes.post))
            raise RequestError("not_found", f"no such route; POST to one of {known}")
        self._route = name
        return name

    def reply(self, body: BaseModel | dict[str, Any] | None, status: int = 200) -> None:
        """The answer: a JSON body, or only a status (MCP's 202 for a notification)."""
        self.response = Response(status=status) if body is None else json_response(body, status)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        handled = exc is None or isinstance(exc, Exception)
        if isinstance(exc, ChartControlError):
            if rule_for(exc).status >= 500:
                log_dependency_failure(exc, f"{self.routes.service} {self._route}")
            self._error(exc)
        elif exc is not None and handled:
            log.error("unhandled error", exc_info=exc)
            self._error(INTERNAL)
        if handled:
            self._finish()
        current_request.reset(self._token)
        return handled

    def _error(self, error: ChartControlError) -> None:
        path = self.request.path.rstrip("/") or "/"
        status, body, headers = self.routes.error_renderers.get(path, render)(error)
        self.response = json_response(body, status, headers)

    def _finish(self) -> None:
        """The body settled, CORS, the request id header and the one log line per request."""
        request, response = self.request, self.response
        settle_body(request, response)
        if self.routes.cors:
            response.headers.update(cors_headers(request, self.origins))
        assert self._ids is not None
        response.headers["X-Request-Id"] = self._ids.request_id
        path = cut(request.path)  # request-derived: a hostile path is 200 KB
        log.info(
            "%s %s -> %s",
            cut(request.method),
            path,
            response.status_code,
            extra={
                "fields": {
                    "httpRequest": {
                        "requestMethod": cut(request.method),
                        "requestUrl": path,
                        "status": response.status_code,
                        "latency": f"{time.perf_counter() - self._started:.6f}s",
                    },
                    "service": self.routes.service,
                }
            },
        )
