"""The demo page's local server: static files of web/, sample bars, and a reverse proxy that
puts the functions behind one origin (`/api/chatkit/...`), as production's load balancer does.

Dev tooling only (stdlib `ThreadingHTTPServer`); `make run` starts it, and so does the browser
test. `python -m devtools.demo_server [--port 8080] [UPDATE_URL] [ACTION_URL] [CHATKIT_URL]` runs it
on its own (defaults: the functions on 8081, 8082 and 8083, as `make run` starts them).

The page's bars are chart_action's bars route (`GET /api/chatkit/bars`, the kit's `barsUrl`), so
the levels chart_action computes sit on the candles the page shows. The proxy relays what a load
balancer does: methods (GET, POST and the browser's OPTIONS preflight), the query string, the
request's Origin, Authorization and If-None-Match, and the answer's status and CORS, caching and
Retry-After headers, so a page on another origin can use it as the API (the kit's README walk
does). When CHART_ACTION_TOKEN is set, the proxy adds the bearer token server-side, as a real
backend-for-frontend would: the browser never sees it.

The page's chat talks to chatkit (`POST /api/chatkit`, relayed as a stream). `/demo/config.json`
tells the page which chat to show: with CHATKIT_DOMAIN_KEY set (a ChatKit domain key; `make run`
passes the environment on), OpenAI's ChatKit element from its CDN; without it, the demo's own
chat box speaking the same protocol, offline.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from devtools.processes import REPO

WEB = REPO / "web"
STATIC_ROOTS = ("/src/", "/demo/", "/node_modules/lightweight-charts/dist/")
CHATKIT_ROUTE = "/api/chatkit"  # the ChatKit protocol, streamed (SSE)
CONFIG_ROUTE = "/demo/config.json"
SESSION_HEADER = "X-Chart-Session"
RELAYED_HEADERS = ("Content-Type", "Retry-After")  # the page's error messages read Retry-After
# what a load balancer passes on: the request's headers, and the answer's
FORWARDED_REQUEST_HEADERS = (
    "Content-Type", "Origin", "Authorization", "If-None-Match",
    "Access-Control-Request-Method", "Access-Control-Request-Headers",
)  # fmt: skip
FORWARDED_ANSWER_HEADERS = (
    "Retry-After", "Cache-Control", "ETag", "Vary", "Allow", "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age",
)  # fmt: skip


@dataclass(frozen=True)
class DemoConfig:
    """What the page is told at /demo/config.json. `chatkit_domain_key`: mount OpenAI's ChatKit
    element with it (None: the demo's own chat box)."""

    chatkit_domain_key: str | None = None

    @classmethod
    def from_env(cls) -> DemoConfig:
        return cls(chatkit_domain_key=os.environ.get("CHATKIT_DOMAIN_KEY") or None)

    def page_json(self) -> bytes:
        return json.dumps({"chatkitDomainKey": self.chatkit_domain_key}).encode()


@dataclass
class DemoServer:
    """A running demo server. `calls` records every proxied API call, in order, as
    `{"path", "body", "status", "answer"}` (request and response bodies parsed; a ChatKit
    stream's answer is its SSE text, and its call also has the chart `session` it was sent
    with), in memory for tests."""

    url: str
    server: ThreadingHTTPServer
    thread: threading.Thread
    calls: list[dict[str, Any]] = field(default_factory=list)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _handler(
    routes: dict[str, str], calls: list[dict[str, Any]], config: DemoConfig
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:  # quiet: the functions log for us
            return

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            headers: dict[str, str] | None = None,
        ) -> None:
            _write(self, status, body, content_type, headers or {})

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path in routes:
                return self._proxy("GET")
            if url.path == CONFIG_ROUTE:
                return self._send(200, config.page_json(), "application/json")
            return self._send(*_static(url.path))

        def do_OPTIONS(self) -> None:
            if urlparse(self.path).path not in routes:
                return self._send(404, b"", None)
            return self._proxy("OPTIONS")

        def do_POST(self) -> None:
            if urlparse(self.path).path not in routes:
                return self._send(404, b'{"error": "no such route"}', "application/json")
            return self._proxy("POST")

        def _proxy(self, method: str) -> None:
            status, answer, headers = _relay(self, method, routes, calls)
            return self._send(status, answer, headers.pop("Content-Type", None), headers)

    return Handler


def _write(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str | None,
    headers: dict[str, str],
) -> None:
    """One whole answer; not cached unless the function said how (the bars route does)."""
    handler.send_response(status)
    if content_type and status != 304:
        handler.send_header("Content-Type", content_type)
    for name, value in {"Cache-Control": "no-store", **headers}.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _relay(
    handler: BaseHTTPRequestHandler, method: str, routes: dict[str, str], calls: list[dict]
) -> tuple[int, bytes, dict[str, str]]:
    """Relay the handler's request to its function (path and query kept) and record it."""
    url = urlparse(handler.path)
    target = routes[url.path] + (f"?{url.query}" if url.query else "")
    body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
    sent = {k: v for k in FORWARDED_REQUEST_HEADERS if (v := handler.headers.get(k))}
    status, answer, headers = _forward(method, target, body, sent)
    if method != "OPTIONS":
        calls.append(
            {"path": url.path, "query": url.query, "method": method,
             "body": _json(body), "status": status, "answer": _json(answer)}
        )  # fmt: skip
    return status, answer, headers


def _static(path: str) -> tuple[int, bytes, str]:
    """A file under STATIC_ROOTS of web/ (the page at /), else a 404. Containment is checked on
    the normalised path, not the resolved one: web/node_modules may be a symlink (a worktree
    sharing another checkout's packages)."""
    path = "/demo/index.html" if path in ("/", "/index.html") else path
    file = Path(os.path.normpath(WEB / path.lstrip("/")))
    if not path.startswith(STATIC_ROOTS) or not file.is_relative_to(WEB) or not file.is_file():
        return 404, b"not found", "text/plain"
    script = file.suffix in (".js", ".mjs")
    kind = "text/javascript" if script else mimetypes.guess_type(file.name)[0]
    return 200, file.read_bytes(), kind or "application/octet-stream"


def _with_chatkit(
    base: type[BaseHTTPRequestHandler], target: str, calls: list[dict[str, Any]]
) -> type[BaseHTTPRequestHandler]:
    """The handler plus `POST /api/chatkit`, relayed as a stream."""

    class Handler(base):  # type: ignore[misc, valid-type]
        def do_POST(self) -> None:
            if urlparse(self.path).path != CHATKIT_ROUTE:
                return super().do_POST()  # type: ignore[misc]
            return _relay_chatkit(self, target, calls)

    return Handler


def _relay_chatkit(
    handler: BaseHTTPRequestHandler, target: str, calls: list[dict[str, Any]]
) -> None:
    """ChatKit: forward the chart session header and relay the SSE stream as it comes (event
    by event, so the page gets the chart effect before the answer ends)."""
    body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
    headers = {"Content-Type": handler.headers.get("Content-Type") or "application/json"}
    session = handler.headers.get(SESSION_HEADER)
    if session:
        headers[SESSION_HEADER] = session
    upstream = _open_chatkit(target, body, headers)
    record = {"path": handler.path, "body": _json(body), "session": session}
    if upstream is None:
        message = "chatkit is not running behind this demo"
        answer = {"success": False, "error": {"code": "bad_gateway", "message": message}}
        calls.append({**record, "status": 502, "answer": answer})
        handler.send_response(502)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.wfile.write(json.dumps(answer).encode())
        return
    with upstream:
        handler.send_response(upstream.status)
        for name in RELAYED_HEADERS:
            if value := upstream.headers.get(name):
                handler.send_header(name, value)
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()  # no length: the stream ends when the connection closes
        relayed = b""
        while chunk := upstream.read1(65536):
            handler.wfile.write(chunk)
            handler.wfile.flush()
            relayed += chunk
    streamed = "text/event-stream" in (upstream.headers.get("Content-Type") or "")
    answer = relayed.decode(errors="replace") if streamed else _json(relayed)
    calls.append({**record, "status": upstream.status, "answer": answer})


def _open_chatkit(target: str, body: bytes, headers: dict[str, str]) -> Any:
    """The chatkit function's answer (an error status is an answer too), or None if down."""
    request = urllib.request.Request(target, data=body, method="POST", headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as error:
        return error
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        return None


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return raw.decode(errors="replace")


def _forward(
    method: str, target: str, body: bytes, sent: dict[str, str]
) -> tuple[int, bytes, dict[str, str]]:
    """Relay one request to the function: its status, body and the headers a load balancer
    passes on (Content-Type, Retry-After for the page's backoff, CORS, caching). A function that
    is down becomes a JSON 502, not a connection reset."""
    headers = dict(sent)
    if method == "POST":
        headers.setdefault("Content-Type", "application/json")
    token = os.environ.get("CHART_ACTION_TOKEN")
    if token and urlparse(target).path.endswith("/chart-action"):
        headers["Authorization"] = f"Bearer {token}"
    data = body if method == "POST" else None
    request = urllib.request.Request(target, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), _answer_headers(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), _answer_headers(error.headers)
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        message = f"function unreachable: {getattr(error, 'reason', error)}"
        answer = {"success": False, "error": {"code": "bad_gateway", "message": message}}
        return 502, json.dumps(answer).encode(), {"Content-Type": "application/json"}


def _answer_headers(received: Any) -> dict[str, str]:
    names = ("Content-Type", *FORWARDED_ANSWER_HEADERS)
    return {name: value for name in names if (value := received.get(name))}


def start_demo_server(
    port: int,
    update_context_url: str,
    chart_action_url: str,
    chatkit_url: str | None = None,
    config: DemoConfig | None = None,
) -> DemoServer:
    """Serve the demo on 127.0.0.1:`port` (0 picks a free one) in a background thread.
    `config` defaults to the environment's (CHATKIT_DOMAIN_KEY)."""
    routes = {
        "/api/chatkit/update-context": update_context_url.rstrip("/")
        + "/api/chatkit/update-context",
        "/api/chatkit/chart-document": update_context_url.rstrip("/")
        + "/api/chatkit/chart-document",
        "/api/chatkit/chart-action": chart_action_url.rstrip("/") + "/api/chatkit/chart-action",
        "/api/chatkit/bars": chart_action_url.rstrip("/") + "/api/chatkit/bars",
    }
    calls: list[dict[str, Any]] = []
    handler = _handler(routes, calls, config or DemoConfig.from_env())
    if chatkit_url:
        handler = _with_chatkit(handler, chatkit_url.rstrip("/") + CHATKIT_ROUTE, calls)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(  # a short poll interval makes stop() quick
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="demo-server", daemon=True
    )
    thread.start()
    return DemoServer(f"http://127.0.0.1:{server.server_address[1]}", server, thread, calls)


def main() -> None:
    """Run the demo on its own, in front of functions started elsewhere."""
    parser = argparse.ArgumentParser(
        description="The demo page, with /api/chatkit/* proxied to the three functions."
    )
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("update_context_url", nargs="?", default="http://127.0.0.1:8081")
    parser.add_argument("chart_action_url", nargs="?", default="http://127.0.0.1:8082")
    parser.add_argument("chatkit_url", nargs="?", default="http://127.0.0.1:8083")
    args = parser.parse_args()
    demo = start_demo_server(
        args.port, args.update_context_url, args.chart_action_url, args.chatkit_url
    )
    print(f"demo page at {demo.url} — Ctrl-C stops it", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        demo.stop()


if __name__ == "__main__":
    main()
