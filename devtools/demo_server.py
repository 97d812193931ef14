"""The demo page's local server: static files of web/, sample bars, and a reverse proxy that
puts both functions behind one origin (`/api/chatkit/...`), as production's load balancer does.

Dev tooling only (stdlib `ThreadingHTTPServer`); `make run` starts it, and so does the browser
test. `python -m devtools.demo_server PORT UPDATE_URL ACTION_URL` runs it on its own.
"""

from __future__ import annotations

import json
import mimetypes
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from devtools.processes import REPO
from shared.market_data.sample import SampleProvider
from shared.models.fields import parse_timeframe

WEB = REPO / "web"
STATIC_ROOTS = ("/src/", "/demo/", "/node_modules/lightweight-charts/dist/")
DEMO_BARS = 300


@dataclass
class DemoServer:
    """A running demo server; `calls` records every proxied API request (for tests)."""

    url: str
    server: ThreadingHTTPServer
    thread: threading.Thread
    calls: list[dict[str, Any]] = field(default_factory=list)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _handler(routes: dict[str, str], calls: list[dict[str, Any]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: Any) -> None:  # quiet: the functions log for us
            return

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/demo/bars":
                return self._bars(parse_qs(url.query))
            path = "/demo/index.html" if url.path in ("/", "/index.html") else url.path
            file = (WEB / path.lstrip("/")).resolve()
            if (
                not path.startswith(STATIC_ROOTS)
                or not file.is_relative_to(WEB)
                or not file.is_file()
            ):
                return self._send(404, b"not found", "text/plain")
            kind = (
                "text/javascript"
                if file.suffix in (".js", ".mjs")
                else mimetypes.guess_type(file.name)[0]
            )
            return self._send(200, file.read_bytes(), kind or "application/octet-stream")

        def _bars(self, query: dict[str, list[str]]) -> None:
            symbol = query.get("symbol", ["TSLA"])[0].upper()
            timeframe = parse_timeframe(query.get("timeframe", ["1D"])[0])
            bars = [asdict(b) for b in SampleProvider().get_bars(symbol, timeframe, DEMO_BARS)]
            self._send(200, json.dumps(bars).encode(), "application/json")

        def do_POST(self) -> None:
            target = routes.get(urlparse(self.path).path)
            if target is None:
                return self._send(404, b'{"error": "no such route"}', "application/json")
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            calls.append({"path": self.path, "body": json.loads(body or b"null")})
            request = urllib.request.Request(
                target, data=body, method="POST",
                headers={"Content-Type": self.headers.get("Content-Type", "application/json")},
            )  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, answer = response.status, response.read()
            except urllib.error.HTTPError as error:
                status, answer = error.code, error.read()
            self._send(status, answer, "application/json")

    return Handler


def start_demo_server(port: int, update_context_url: str, chart_action_url: str) -> DemoServer:
    """Serve the demo on 127.0.0.1:`port` (0 picks a free one) in a background thread."""
    routes = {
        "/api/chatkit/update-context": update_context_url.rstrip("/")
        + "/api/chatkit/update-context",
        "/api/chatkit/chart-action": chart_action_url.rstrip("/") + "/api/chatkit/chart-action",
    }
    calls: list[dict[str, Any]] = []
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(routes, calls))
    thread = threading.Thread(target=server.serve_forever, name="demo-server", daemon=True)
    thread.start()
    return DemoServer(f"http://127.0.0.1:{server.server_address[1]}", server, thread, calls)


if __name__ == "__main__":
    port, update_url, action_url = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    demo = start_demo_server(port, update_url, action_url)
    print(f"demo page at {demo.url}", flush=True)
    threading.Event().wait()
