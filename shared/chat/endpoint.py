"""The chatkit function's HTTP side (Starlette, under functions-framework's ASGI server).

Before chatkit sees a request: the chart session header, the 16 KiB body limit, JSON and the
ChatKit request union are checked here, and what this server does not offer (attachments,
transcription, widget actions, client tools) is refused, each as a SPEC 6 JSON error naming the
field, with nothing stored; statuses and Retry-After come from the one error table
(`shared.api.errors`), as on the JSON routes. A turn past CHATKIT_TURNS_PER_MINUTE is answered
with a ChatKit error event. chatkit's `process` then answers JSON or an SSE stream; the
stream's first event is awaited before the 200 goes out, so an unknown thread or a failing
store is still a JSON 404/503/504, and a failure after that ends the stream with an error
event instead of cutting it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any

from chatkit.errors import CustomStreamError
from chatkit.server import StreamingResult
from chatkit.store import NotFoundError
from chatkit.types import ErrorEvent, UserMessageInput, UserMessageItem
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, ValidationError
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse

from shared import __version__
from shared.api import strict_json
from shared.api.errors import INTERNAL, RequestError, render, rule_for
from shared.api.request_body import MAX_BODY_BYTES
from shared.auth.doors import Doors
from shared.auth.principal import ANONYMOUS, Principal
from shared.auth.spender import client_address
from shared.chat.context import ChatRequestContext
from shared.chat.server import CHATKIT_REQUEST, ChartChatServer, message_text
from shared.chat.stream import DONE, shown_when_stored
from shared.chat.thread_store import AttachmentsNotSupported
from shared.infra.dependency_log import log_dependency_failure
from shared.infra.limits import TurnLimiter
from shared.infra.logs import adopt_library_logger, cut
from shared.models.errors import ChartControlError, ErrorDetail
from shared.models.fields import Query, SessionId

SESSION_HEADER = "X-Chart-Session"
ROUTES = frozenset({"/", "/api/chatkit"})
# The ChatKit protocol is JSON whatever the header says; a fetch() of a string body without a
# Content-Type sends text/plain, so that (and none) is read as JSON too.
JSON_OR_PLAIN = frozenset({"application/json", "text/plain", ""})
TURNS = frozenset({"threads.create", "threads.add_user_message", "threads.retry_after_item"})
OFFERED = TURNS | {
    "threads.get_by_id",
    "threads.list",
    "threads.update",
    "threads.delete",
    "items.list",
    "items.feedback",
}
_SESSION: TypeAdapter[str] = TypeAdapter(SessionId)
_MESSAGE: TypeAdapter[str] = TypeAdapter(Query)  # chart_action's rule for the same words
MAX_PAGE = 100  # threads.list / items.list rows per page
MAX_FEEDBACK_ITEMS = 50
log = logging.getLogger("chart_control.chatkit")


class BoundedParams(BaseModel):
    """What chatkit's own request models leave loose, checked strictly before they are used:
    a page size is an integer 1-100 (not "5", not true, not 2**31, which Firestore refuses),
    and feedback names 1-50 item ids. Other fields are chatkit's to validate."""

    model_config = ConfigDict(extra="allow", strict=True)

    limit: Annotated[int, Field(ge=1, le=MAX_PAGE)] | None = None
    item_ids: (
        Annotated[
            list[Annotated[str, StringConstraints(max_length=128)]],
            Field(min_length=1, max_length=MAX_FEEDBACK_ITEMS),
        ]
        | None
    ) = None


def json_answer(body: BaseModel | dict[str, Any], status: int = 200, **headers: str) -> Response:
    payload = body.model_dump_json() if isinstance(body, BaseModel) else json.dumps(body)
    return Response(payload, status, headers=headers, media_type="application/json")


def refusal(error: ChartControlError) -> Response:
    """The SPEC 6 envelope, status and Retry-After from the one error table."""
    status, body, headers = render(error)
    return json_answer(body, status, **headers)


def sse(event: BaseModel) -> bytes:
    """One event in chatkit's own wire form."""
    return b"data: " + event.model_dump_json(by_alias=True, exclude_none=True).encode() + b"\n\n"


def field_error(field: str, message: str) -> RequestError:
    return RequestError("invalid_request", message, [ErrorDetail(field=field, message=message)])


def chart_session(request: Request) -> str:
    """The X-Chart-Session header, validated as update_context validates `session_id`."""
    value = request.headers.get(SESSION_HEADER)
    if value is None:
        raise field_error(SESSION_HEADER, f"send the chart session id in {SESSION_HEADER}")
    try:
        return _SESSION.validate_python(value)
    except ValidationError:
        raise field_error(SESSION_HEADER, "must be 16-128 chars of [A-Za-z0-9_-]") from None


async def read_body(request: Request) -> bytes:
    """The raw body, at most 16 KiB of JSON."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in JSON_OR_PLAIN and not media.endswith("+json"):
        raise RequestError("unsupported_media_type", "send the body as application/json")
    body = b""
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY_BYTES:
                limit = f"body must be at most {MAX_BODY_BYTES} bytes"
                raise RequestError("payload_too_large", limit)
    except ClientDisconnect:  # a hang-up mid-body, or framing the server could not parse
        log.info("client error: unreadable request body (ClientDisconnect)")
        raise RequestError(
            "invalid_request",
            "the request body could not be read (broken framing or connection)",
            headers={"Connection": "close"},
        ) from None
    return body


def parse_request(body: bytes) -> Any:
    """The ChatKit request, or a 400 naming what is wrong (never echoing the input)."""
    try:  # the JSON routes' strict decoder: huge integers, deep nesting, NaN are 400s too
        data = strict_json.loads(body)
    except strict_json.StrictJsonError as exc:
        raise RequestError("invalid_json", f"body is not valid JSON: {exc}") from None
    kind = data.get("type") if isinstance(data, dict) else None
    if not isinstance(kind, str) or kind not in OFFERED:  # not a name, unknown, not offered
        raise field_error("type", f"type must be one of {', '.join(sorted(OFFERED))}")
    params = data.get("params")
    try:
        if isinstance(params, dict):
            BoundedParams.model_validate(params)
        parsed = CHATKIT_REQUEST.validate_python(data)
    except ValidationError as exc:
        details = [  # chatkit's locations start with the request type; ours with the field
            d.model_copy(update={"field": _field_name(d.field, kind)})
            for d in ErrorDetail.from_validation_error(exc)
        ]
        fields = ", ".join(sorted({d.field for d in details if d.field}))
        raise RequestError("invalid_request", f"invalid fields: {fields}", details) from None
    message = getattr(parsed.params, "input", None)
    if isinstance(message, UserMessageInput):
        check_message(message)
    return parsed


def _field_name(location: str | None, kind: str) -> str | None:
    field = (location or "").removeprefix(f"{kind}.")
    if field and not field.startswith("params."):  # BoundedParams names fields in params
        field = f"params.{field}"
    return field or None


def check_message(message: UserMessageInput) -> None:
    """No attachments; a text chart_action would take as its query: 1-2000 characters, at
    least one of them visible (not only spaces, control, zero-width or bidi characters)."""
    if message.attachments:
        raise field_error("params.input.attachments", "attachments are not supported")
    try:
        _MESSAGE.validate_python(message_text(message))
    except ValidationError as exc:
        rule = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise field_error("params.input.content", f"the message: {rule}") from None


def failure(exc: Exception) -> ChartControlError:
    """A chatkit or store failure before any answer went out (a store error is its own)."""
    if isinstance(exc, ChartControlError):
        if rule_for(exc).status >= 500:  # the same WARNING line as the JSON routes (once)
            log_dependency_failure(exc, "chatkit")
        return exc
    if isinstance(exc, NotFoundError):
        return RequestError("not_found", "no such thread or item for this chart session")
    if isinstance(exc, AttachmentsNotSupported):
        return field_error("params.input.attachments", str(exc))
    log.exception("chatkit failed", exc_info=exc)
    return INTERNAL


async def guarded(
    events: AsyncIterator[bytes], settled: Callable[[], Awaitable[None]]
) -> AsyncIterator[bytes]:
    """The stream; it ends once `settled` (the writes behind it) has returned, and a failure
    of either ends it with an error event."""
    try:
        async for chunk in events:
            yield chunk
        await settled()
    except CustomStreamError as exc:
        yield sse(ErrorEvent(message=exc.message, allow_retry=exc.allow_retry))
    except Exception as exc:  # the client sees a readable end, the log the cause
        log.exception("chatkit stream failed", exc_info=exc)
        yield sse(ErrorEvent(message="The answer failed; please try again.", allow_retry=True))


class ChatEndpoint:
    """`POST /api/chatkit` (and `/` locally); GET is the health answer."""

    def __init__(
        self,
        server: ChartChatServer,
        limiter: TurnLimiter,
        origins: tuple[str, ...],
        doors: Doors | None = None,
        client_ip_hop: int = 2,
    ):
        self.server = server
        self.limiter = limiter
        self.origins = origins
        self.doors = doors or Doors()
        self.client_ip_hop = client_ip_hop  # CHATKIT_CLIENT_IP_HOP (`shared.auth.spender`)
        adopt_library_logger("chatkit")  # loaded by now: its lines become ours (JSON, once)

    async def __call__(self, request: Request) -> Response:
        started = time.perf_counter()
        try:
            response = await self._route(request)
        except ChartControlError as exc:
            response = refusal(exc)
        response.headers.update(self._cors(request))
        path = cut(request.url.path)
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
                        "latency": f"{time.perf_counter() - started:.6f}s",
                    },
                    "service": "chatkit",
                }
            },
        )
        return response

    async def _route(self, request: Request) -> Response:
        if request.method in ("GET", "HEAD"):
            return json_answer({"status": "ok", "service": "chatkit", "version": __version__})
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": "GET, POST, OPTIONS"})
        if request.method != "POST":
            allow = {"Allow": "GET, POST, OPTIONS"}
            raise RequestError("method_not_allowed", "use POST", headers=allow)
        if (request.url.path.rstrip("/") or "/") not in ROUTES:
            raise RequestError("not_found", "no route; POST to /api/chatkit")
        caller = await self._caller(request)
        session = chart_session(request)
        body = await read_body(request)
        parsed = parse_request(body)
        context = ChatRequestContext(
            session_id=caller.session_key(session),
            owner_key=caller.owner_key(),
            spender=self._spender(request, caller),
            defer_item_writes=parsed.type in TURNS,
        )
        if parsed.type in TURNS:  # the chart document of the turn's thread ("": a new one)
            context.chart_thread = getattr(parsed.params, "thread_id", None) or ""
        if parsed.type in TURNS and not self.limiter.allow(context.owner):
            limited = ErrorEvent(message="Too many messages; wait a minute.", allow_retry=True)
            return StreamingResponse(iter([sse(limited)]), media_type="text/event-stream")
        if isinstance(message := getattr(parsed.params, "input", None), UserMessageInput):
            self.server.begin_turn(message_text(message), context)
        return await self._process(parsed, context)

    async def _process(self, parsed: Any, context: ChatRequestContext) -> Response:
        try:
            if thread_id := getattr(parsed.params, "thread_id", None):
                # an unknown thread is a 404 now, not a failed stream (the read is reused)
                await self.server.store.load_thread(thread_id, context)
            if parsed.type == "threads.retry_after_item":
                await self._check_retry(parsed.params.thread_id, parsed.params.item_id, context)
            result = await self.server.process(parsed, context)  # validated once, above
            if not isinstance(result, StreamingResult):
                return Response(result.json, media_type="application/json")
            stream = aiter(result)
            head = await self._head(parsed.type, stream, context)
        except Exception as exc:  # nothing went out yet: a JSON answer
            raise failure(exc) from None
        return StreamingResponse(
            guarded(
                shown_when_stored(_chain(head, stream), context),
                lambda: self.server.threads.flush(context),
            ),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    async def _caller(self, request: Request) -> Principal:
        """The ID token's user (checked on a worker thread: a key fetch may block), or anyone
        when identity is off."""
        if not self.doors.identity:
            return ANONYMOUS
        return await asyncio.to_thread(self.doors.user, request.headers)

    def _spender(self, request: Request, caller: Principal) -> str:
        """The user, or the client address the load balancer reports (model spend limits)."""
        peer = request.client.host if request.client else None
        forwarded = request.headers.get("x-forwarded-for")
        return caller.at(client_address(forwarded, peer, self.client_ip_hop)).spender

    async def _head(
        self, kind: str, stream: AsyncIterator[bytes], context: ChatRequestContext
    ) -> list[bytes]:
        """The events awaited before the 200: the first (an unknown thread or a dead store is
        still a JSON answer); for a new thread, up to its first item, whose commit also
        creates the thread: it is awaited here, so a create that fails leaves nothing."""
        head = [await anext(stream)]
        if kind != "threads.create":
            return head
        try:
            while not head[-1].startswith(DONE) and (event := await anext(stream, None)):
                head.append(event)
            await self.server.threads.flush(context)
        except BaseException:
            with contextlib.suppress(Exception):
                await stream.aclose()  # type: ignore[attr-defined]
            raise
        return head

    async def _check_retry(self, thread_id: str, item_id: str, context: ChatRequestContext) -> None:
        """A retry answers a user message stored in the thread; anything else is refused
        before chatkit starts (it would fail mid-stream)."""
        item = await self.server.store.load_item(thread_id, item_id, context)
        if not isinstance(item, UserMessageItem):
            raise field_error("params.item_id", "retry after a user message of this thread")

    def _cors(self, request: Request) -> dict[str, str]:
        """The grant for an exact allowed origin (a browser sends it canonical; another
        spelling is not that origin), answered with the allowed entry itself."""
        origin = request.headers.get("origin", "")
        if origin not in self.origins:
            return {}
        return {
            "Access-Control-Allow-Origin": origin,
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": f"Content-Type, Authorization, {SESSION_HEADER}",
            "Access-Control-Max-Age": "3600",
            "Vary": "Origin",
        }


async def _chain(head: list[bytes], rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    for chunk in head:
        yield chunk
    async for chunk in rest:
        yield chunk
