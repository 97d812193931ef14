"""Reading a request body safely: framing first, then at most the size limit.

The production server (functions-framework's gunicorn) de-chunks a body lazily, while the
route reads it, so a broken chunked body (a bad chunk size, a missing CRLF, a client that hangs
up mid-body) surfaces as the server's own parse exception inside `request.stream.read` - an
unhandled 500 logged at ERROR unless it is caught here. It is the client's fault: a 400 with
`Connection: close` (the connection's framing is lost), logged at INFO as a client error.

`Transfer-Encoding` is checked before the body is touched: only `chunked` and `identity` are
meaningful to a JSON route; gunicorn accepts `gzip, chunked` and would hand the route the still
compressed bytes, and any coding the front end and the server might read differently is a
request-smuggling risk, so anything else is refused.
"""

from __future__ import annotations

import io
import logging
import sys

from flask import Request, Response
from werkzeug.exceptions import ClientDisconnected

from shared.api.errors import RequestError

MAX_BODY_BYTES = 16 * 1024
ALLOWED_CODINGS = frozenset({"chunked", "identity"})
# Exception bases a WSGI server raises from `wsgi.input` for bad framing, looked up only in
# modules already loaded (the server that is running imported them; nothing is imported here).
_SERVER_ERRORS = (("gunicorn.http.errors", "ParseException"),)
log = logging.getLogger("chart_control.http")


def check_framing(request: Request) -> None:
    """400 for a Transfer-Encoding other than chunked/identity; 413 for a declared length over
    the limit (before a byte of the body is read)."""
    coding = request.headers.get("Transfer-Encoding")
    if coding is not None:
        codings = [part.strip().lower() for part in coding.split(",")]
        if not codings or any(part not in ALLOWED_CODINGS for part in codings):
            raise RequestError(
                "invalid_request",
                "Transfer-Encoding must be chunked or identity",
                headers={"Connection": "close"},
            )
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise _too_large()


def read_body(request: Request) -> bytes:
    """The raw body, at most MAX_BODY_BYTES; a body the client broke off or mis-framed is a
    400 `invalid_request`, never an exception out of the server's reader."""
    check_framing(request)
    try:
        raw = request.stream.read(MAX_BODY_BYTES + 1)
    except _framing_errors() as exc:
        log.info("client error: unreadable request body (%s)", type(exc).__name__)
        raise RequestError(
            "invalid_request",
            "the request body could not be read (broken framing or connection)",
            headers={"Connection": "close"},
        ) from None
    if len(raw) > MAX_BODY_BYTES:
        raise _too_large()
    return raw


def settle_body(request: Request, response: Response) -> None:
    """After the answer, leave no body for functions-framework to trip over.

    functions-framework's `read_request` (an after_request hook) reads whatever body the route
    left unread with `request.get_data()`: unbounded, and a broken chunked body raises there,
    outside the route - a 500 after a 401, 404, 405, 406 or 415 that never read the body. So
    the rest is drained here up to the size limit; if more remains, or the framing broke (or
    the route refused the framing), the hook is handed an empty body (werkzeug's `stream` is
    a cached property: setting it sets the cache) and the answer asks for `Connection: close`
    (gunicorn drops hop-by-hop headers and itself discards or refuses what is left before
    it reads the connection's next request)."""
    complete = False
    if response.headers.get("Connection", "").lower() != "close":
        try:
            complete = len(request.stream.read(MAX_BODY_BYTES + 1)) <= MAX_BODY_BYTES
        except _framing_errors() as exc:
            log.info("client error: unreadable request body (%s)", type(exc).__name__)
    if not complete:
        response.headers["Connection"] = "close"
        request.stream = io.BytesIO()


def _too_large() -> RequestError:
    return RequestError("payload_too_large", f"body must be at most {MAX_BODY_BYTES} bytes")


def _framing_errors() -> tuple[type[BaseException], ...]:
    """What reading a body can raise for a client's fault: OSError (a reset, gunicorn's
    NoMoreData), werkzeug's ClientDisconnected (a body shorter than its Content-Length) and
    the running server's parse errors (a bad chunk size or terminator)."""
    found: list[type[BaseException]] = [OSError, ClientDisconnected]
    for module, name in _SERVER_ERRORS:
        loaded = sys.modules.get(module)
        if loaded is not None and isinstance(error := getattr(loaded, name, None), type):
            found.append(error)
    return tuple(found)
