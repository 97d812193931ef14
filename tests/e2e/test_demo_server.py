"""The demo server on its own (no browser, no functions): static files and the
one-origin proxy's behaviour when the function answers an error or is not there at all."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from devtools.demo_server import DemoConfig, DemoServer, start_demo_server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo(httpserver: HTTPServer) -> Iterator[DemoServer]:
    base = httpserver.url_for("/").rstrip("/")
    server = start_demo_server(0, base, base)
    yield server
    server.stop()


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers["Content-Type"]


def post(url: str, body: dict) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), dict(error.headers)


def test_serves_the_page_the_kit_and_the_chart_library(demo):
    status, body, kind = get(demo.url + "/")
    assert status == 200 and b'type="importmap"' in body and kind.startswith("text/html")
    for path in ("/src/index.js", "/demo/demo.js", "/demo/chat.js", "/demo/demo.css"):
        assert get(demo.url + path)[0] == 200, path
    library = "/node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.mjs"
    status, _, kind = get(demo.url + library)
    assert status == 200 and kind == "text/javascript"


@pytest.mark.parametrize(
    "path", ["/../README.md", "/src/../../README.md", "/%2e%2e/README.md", "/package.json",
             "/node_modules/fancy-canvas/package.json", "/demo/missing.js"],
)  # fmt: skip
def test_serves_nothing_else(demo, path):
    assert get(demo.url + path)[0] == 404


def test_relays_the_bars_route_and_preflights_as_a_load_balancer_does(demo, httpserver):
    """GET with its query string, OPTIONS, and the answer's CORS and caching headers pass
    through, so a page on another origin can use the demo server as its API."""
    seen: list[Request] = []

    def bars(request: Request) -> Response:
        seen.append(request)
        return Response(
            json.dumps({"success": True, "bars": []}), 200, content_type="application/json",
            headers={"Cache-Control": "public, max-age=900", "ETag": '"abc"',
                     "Access-Control-Allow-Origin": "http://localhost:5173", "Vary": "Origin"},
        )  # fmt: skip

    httpserver.expect_request("/api/chatkit/bars", method="GET").respond_with_handler(bars)
    httpserver.expect_request("/api/chatkit/update-context", method="OPTIONS").respond_with_data(
        "", 204, headers={"Access-Control-Allow-Origin": "http://localhost:5173",
                          "Access-Control-Allow-Methods": "GET, POST, OPTIONS"},
    )  # fmt: skip
    request = urllib.request.Request(
        demo.url + "/api/chatkit/bars?symbol=TSLA&timeframe=1H",
        headers={"Origin": "http://localhost:5173", "If-None-Match": '"old"'},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Cache-Control"] == "public, max-age=900"
        assert response.headers["ETag"] == '"abc"'
        assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert seen[0].args.to_dict() == {"symbol": "TSLA", "timeframe": "1H"}
    assert seen[0].headers["Origin"] == "http://localhost:5173"
    assert seen[0].headers["If-None-Match"] == '"old"'
    preflight = urllib.request.Request(
        demo.url + "/api/chatkit/update-context", method="OPTIONS",
        headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST"},
    )  # fmt: skip
    with urllib.request.urlopen(preflight, timeout=10) as response:
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert [(c["method"], c["path"], c["query"]) for c in demo.calls] == [
        ("GET", "/api/chatkit/bars", "symbol=TSLA&timeframe=1H")
    ]  # preflights are not recorded


def test_proxies_to_the_functions_and_records_the_calls(demo, httpserver, monkeypatch):
    monkeypatch.setenv("CHART_ACTION_TOKEN", "s3cret")
    seen: list[Request] = []

    def answer(request: Request) -> Response:
        seen.append(request)
        return Response(json.dumps({"success": True, "path": request.path}), 200,
                        content_type="application/json")  # fmt: skip

    httpserver.expect_request("/api/chatkit/chart-action", method="POST").respond_with_handler(
        answer
    )
    httpserver.expect_request("/api/chatkit/update-context", method="POST").respond_with_json(
        {"success": False, "error": {"code": "store_unavailable"}}, status=503,
        headers={"Retry-After": "2"},
    )  # fmt: skip
    status, body, _ = post(demo.url + "/api/chatkit/chart-action", {"query": "levels"})
    assert (status, body["path"]) == (200, "/api/chatkit/chart-action")
    assert seen[0].headers["Authorization"] == "Bearer s3cret"  # added server-side only
    status, body, headers = post(demo.url + "/api/chatkit/update-context", {"symbol": "TSLA"})
    assert (status, headers.get("Retry-After")) == (503, "2")  # the kit's backoff reads it
    assert [(c["path"], c["body"], c["status"]) for c in demo.calls] == [
        ("/api/chatkit/chart-action", {"query": "levels"}, 200),
        ("/api/chatkit/update-context", {"symbol": "TSLA"}, 503),
    ]
    assert demo.calls[1]["answer"]["error"]["code"] == "store_unavailable"


def test_a_function_that_is_down_is_a_json_502():
    dead = f"http://127.0.0.1:{free_port()}"
    server = start_demo_server(0, dead, dead)
    try:
        status, body, _ = post(server.url + "/api/chatkit/chart-action", {"query": "x"})
        assert status == 502 and body["error"]["code"] == "bad_gateway"
        assert post(server.url + "/api/chatkit/nope", {})[0] == 404
    finally:
        server.stop()


def chatkit_post(url: str, body: dict, session: str | None) -> tuple[int, bytes, dict]:
    headers = {"Content-Type": "application/json"}
    if session:
        headers["X-Chart-Session"] = session
    request = urllib.request.Request(
        url + "/api/chatkit", data=json.dumps(body).encode(), method="POST", headers=headers
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def test_the_page_config_names_the_chatkit_domain_key_only_when_given(httpserver, monkeypatch):
    base = httpserver.url_for("/").rstrip("/")
    monkeypatch.setenv("CHATKIT_DOMAIN_KEY", "domain_pk_from_env")
    for config, expected in [
        (None, "domain_pk_from_env"),  # make run: the environment's
        (DemoConfig(chatkit_domain_key="domain_pk_given"), "domain_pk_given"),
        (DemoConfig(), None),  # the offline chat box
    ]:
        server = start_demo_server(0, base, base, config=config)
        try:
            status, body, kind = get(server.url + "/demo/config.json")
            assert (status, kind) == (200, "application/json")
            assert json.loads(body) == {"chatkitDomainKey": expected}
        finally:
            server.stop()
    monkeypatch.setenv("CHATKIT_DOMAIN_KEY", "")
    assert DemoConfig.from_env() == DemoConfig()


def test_chatkit_is_relayed_as_a_stream_with_the_chart_session(httpserver):
    seen: list[Request] = []
    stream = 'data: {"type": "thread.created"}\n\ndata: {"type": "client_effect"}\n\n'

    def answer(request: Request) -> Response:
        seen.append(request)
        if request.json["type"] == "threads.list":
            limited = '{"error": {"code": "rate_limited"}}'
            return Response(limited, 429, {"Retry-After": "3"}, content_type="application/json")
        return Response(stream, 200, content_type="text/event-stream")

    httpserver.expect_request("/api/chatkit", method="POST").respond_with_handler(answer)
    base = httpserver.url_for("/").rstrip("/")
    server = start_demo_server(0, base, base, base, config=DemoConfig())
    try:
        status, body, headers = chatkit_post(server.url, {"type": "threads.create"}, "s" * 20)
        assert (status, body.decode()) == (200, stream)
        assert headers["Content-Type"] == "text/event-stream"
        assert seen[0].headers["X-Chart-Session"] == "s" * 20
        status, body, headers = chatkit_post(server.url, {"type": "threads.list"}, None)
        assert (status, headers.get("Retry-After")) == (429, "3")  # the page's message reads it
        assert "X-Chart-Session" not in seen[1].headers  # none sent, none made up
        first, second = server.calls
        assert (first["body"], first["session"], first["answer"]) == (
            {"type": "threads.create"}, "s" * 20, stream,
        )  # fmt: skip
        assert (second["status"], second["answer"]) == (429, {"error": {"code": "rate_limited"}})
    finally:
        server.stop()


def test_chatkit_down_is_a_json_502_in_the_error_envelope():
    dead = f"http://127.0.0.1:{free_port()}"
    server = start_demo_server(0, dead, dead, dead, config=DemoConfig())
    try:
        status, body, headers = chatkit_post(server.url, {"type": "threads.create"}, "s" * 20)
        assert (status, headers["Content-Type"]) == (502, "application/json")
        assert json.loads(body)["error"]["code"] == "bad_gateway"
        assert server.calls[0]["status"] == 502
    finally:
        server.stop()
