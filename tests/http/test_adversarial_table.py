"""The adversarial suite's table: hostile bodies, headers and framing for each route (issue 17).

Each `Case` is one request an attacker might send to update_context's JSON route, chart_action's
JSON route or chart_action's MCP door, and the answer it must get. `tests/http/test_adversarial`
sends every case over a raw socket to the production server (functions-framework's gunicorn)
and checks the status, the envelope, that nothing hostile comes back or reaches the logs, and
that a stored context (`VICTIM`, which most bodies aim at) is unchanged. The test in this file
checks the table itself: every issue row it answers has a case on every route it concerns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from tests.helpers import new_session_id

Route = Literal["update", "action", "mcp"]
ROUTES: tuple[Route, ...] = ("update", "action", "mcp")
Framing = Literal["length", "chunked", "raw"]

TOKEN = "adversarial-token-" + "k7" * 12  # chart_action's bearer token: never logged or echoed
VICTIM = new_session_id("victim")  # a stored context every hostile body tries to change
OTHER = new_session_id("other")  # a session valid requests may write
SCRIPT = "<script>x</script>"
RESERVED = "__" + "a" * 20 + "__"  # valid by the character rule; Firestore reserves it
BIG = 17 * 1024  # over the 16 KiB body limit

# JSON-RPC error codes (mcp_types), spelled out so the table reads as the wire does.
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
UNSUPPORTED_VERSION = -32022
TOOL_ERROR = "tool_error"  # an MCP `isError` result (HTTP 200): the model reads it


@dataclass(frozen=True)
class Case:
    """One hostile request and the answer it must get.

    `code` is the SPEC 6 error code on the JSON routes, the JSON-RPC error code on MCP,
    TOOL_ERROR for an `isError` tool result and None for a success. `markers` must not come
    back in the answer nor appear in the logs (the victim's id and the token are checked on
    every case). With framing "raw", `body` is sent as is after the headers (it carries its own
    chunked framing); `half_close` hangs up the sending side right after it."""

    id: str
    route: Route
    body: bytes = b""
    status: int = 400
    code: str | int | None = None
    rows: tuple[int, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    drop: tuple[str, ...] = ()
    method: str = "POST"
    framing: Framing = "length"
    half_close: bool = False
    markers: tuple[str, ...] = ()


def dumps(value: Any) -> bytes:
    return json.dumps(value).encode()


# A body per route with one slot (@) for a raw JSON value: where a hostile value would land.
SLOT = {
    "update": f'{{"session_id":"{VICTIM}","symbol":"EVIL","timeframe":"1D","seq":@}}',
    "action": f'{{"query":"support","session_id":"{VICTIM}","timeframe":@}}',
    "mcp": '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"chart_control",'
    f'"arguments":{{"query":"support","session_id":"{VICTIM}","extra":@}}}}}}',
}
VALID = {  # a valid body per route; the update would overwrite the victim (seq 99 > 10)
    "update": {"session_id": VICTIM, "symbol": "EVIL", "timeframe": "1D", "seq": 99},
    "action": {"query": "support", "session_id": VICTIM},
    "mcp": {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/call",
        "params": {"name": "chart_control", "arguments": {"query": "x", "session_id": VICTIM}},
    },
}


def slot(route: Route, raw_value: str) -> bytes:
    return SLOT[route].replace("@", raw_value).encode()


def body_error(route: Route, status: int, json_code: str, rpc_code: int = INVALID_REQUEST):
    """The (status, code) a refusal of the body gets on a route (JSON-RPC's code on MCP)."""
    return status, (rpc_code if route == "mcp" else json_code)


# --- strict JSON: every route, a hostile value in a field (issue rows 1, 2, 10) ----------------

HOSTILE_VALUES = (  # id, raw JSON value, issue rows, what must not come back
    ("int-5000-digits", "9" * 5000, (1,), "9" * 40),
    ("int-4301-digits-negative", "-" + "8" * 4301, (1,), "8" * 40),
    ("int-65-digits", "7" * 65, (1,), "7" * 40),
    ("nesting-5000", "[" * 5000 + "]" * 5000, (2,), "[[[[[[[[[["),
    ("nesting-33-objects", '{"a":' * 33 + "1" + "}" * 33, (2,), '{"a":{"a":'),
    ("nan", "NaN", (10,), "NaN"),
    ("infinity", "Infinity", (10,), "Infinity"),
    ("minus-infinity", "-Infinity", (10,), "-Infinity"),
    ("float-overflow", "1e999", (10,), "1e999"),
    ("lone-high-surrogate", '"\\ud800"', (10,), "ud800"),
    ("lone-low-surrogate", '"x\\udfffy"', (10,), "udfff"),
    ("reversed-surrogates", '"\\udc00\\ud800"', (10,), "udc00"),
)


def strict_json_cases() -> list[Case]:
    cases = []
    for route in ROUTES:
        status, code = body_error(route, 400, "invalid_json", PARSE_ERROR)
        for name, raw, rows, marker in HOSTILE_VALUES:
            cases.append(
                Case(f"{route}-{name}", route, slot(route, raw), status, code, rows,
                     markers=(marker,))
            )  # fmt: skip
        base = dumps(VALID[route])
        whole = (  # id, body, issue rows, markers
            ("whole-nesting-5000", b"[" * 5000 + b"]" * 5000, (2,), ("[[[[[[[[[[",)),
            ("not-json", b"{nope " + SCRIPT.encode(), (), (SCRIPT,)),
            ("empty-body", b"", (), ()),
            ("trailing-garbage", base + SCRIPT.encode(), (), (SCRIPT,)),
            ("utf8-bom", b"\xef\xbb\xbf" + base, (), ()),
            ("invalid-utf8", base[:-1] + b',"k":"\xff\xfe"}', (), ()),
            ("utf16-body", json.dumps(VALID[route]).encode("utf-16"), (), ()),
            ("lone-surrogate-key", base[:-1] + b',"\\ud800":1}', (10,), ("ud800",)),
        )
        for name, body, rows, markers in whole:
            cases.append(Case(f"{route}-{name}", route, body, status, code, rows, markers=markers))
    return cases


# --- media type, size, framing: every route (issue rows 3, 10, 13) -----------------------------


def chunked(payload: bytes, size: int = 4000) -> bytes:
    parts = [payload[i : i + size] for i in range(0, len(payload), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def transport_cases() -> list[Case]:
    cases = []
    for route in ROUTES:
        base = dumps(VALID[route])
        media = body_error(route, 415, "unsupported_media_type")
        large = body_error(route, 413, "payload_too_large")
        framing = body_error(route, 400, "invalid_request")
        pad = dumps({**VALID[route], "pad": "Z" * BIG})
        cases += [
            Case(f"{route}-text-plain", route, base, *media, (10,),
                 headers=(("Content-Type", "text/plain"),)),
            Case(f"{route}-form-urlencoded", route, b"session_id=" + VICTIM.encode(), *media,
                 (10,), headers=(("Content-Type", "application/x-www-form-urlencoded"),)),
            Case(f"{route}-no-content-type", route, base, *media, (10,), drop=("Content-Type",)),
            Case(f"{route}-html-content-type", route, base, *media, (10,),
                 headers=(("Content-Type", "text/html; charset=utf-8"),)),
            Case(f"{route}-over-16k-length", route, pad, *large, (10,), markers=("Z" * 40,)),
            Case(f"{route}-over-16k-chunked", route, pad, *large, (10,), framing="chunked",
                 markers=("Z" * 40,)),
            Case(f"{route}-te-gzip-chunked", route, chunked(base), *framing, (13,),
                 headers=(("Transfer-Encoding", "gzip, chunked"),), framing="raw"),
            Case(f"{route}-te-deflate-chunked", route, chunked(base), *framing, (13,),
                 headers=(("Transfer-Encoding", "deflate, chunked"),), framing="raw"),
            Case(f"{route}-chunk-bad-size", route, b"zz\r\n" + base + b"\r\n0\r\n\r\n",
                 *framing, (3,), headers=(("Transfer-Encoding", "chunked"),), framing="raw"),
            Case(f"{route}-chunk-missing-crlf", route,
                 b"%x\r\n%sXX0\r\n\r\n" % (len(base), base), *framing, (3,),
                 headers=(("Transfer-Encoding", "chunked"),), framing="raw"),
            Case(f"{route}-chunk-client-gone", route, b"%x\r\n%s" % (len(base), base[:10]),
                 *framing, (3,), headers=(("Transfer-Encoding", "chunked"),), framing="raw",
                 half_close=True),
            Case(f"{route}-refused-before-a-broken-chunk", route, b"zz\r\n" + base, *media, (3,),
                 headers=(("Transfer-Encoding", "chunked"), ("Content-Type", "text/plain")),
                 framing="raw"),
            Case(f"{route}-refused-before-a-large-body", route, b"Y" * (BIG * 8), *media, (3,),
                 headers=(("Content-Type", "text/plain"),), markers=("Y" * 40,)),
            Case(f"{route}-length-client-gone", route, base[: len(base) // 2],
                 *body_error(route, 400, "invalid_json", PARSE_ERROR), (3,),
                 headers=(("Content-Length", str(len(base))),), framing="raw", half_close=True),
        ]  # fmt: skip
    return cases


# --- headers: X-Request-Id (issue row 11) on every route ---------------------------------------

LONG_REQUEST_ID = "R" * 8000


def request_id_cases() -> list[Case]:
    cases = []
    for route in ROUTES:
        valid = dict(VALID[route])
        if route in ("update", "action"):
            # a valid write, but not to the victim (an answer that draws edits the chart
            # document of its session)
            valid["session_id"] = OTHER
        status, code = (200, None)
        cases += [
            Case(f"{route}-request-id-8000-chars", route, dumps(valid), status, code, (11,),
                 headers=(("X-Request-Id", LONG_REQUEST_ID),), markers=("R" * 40,)),
            Case(f"{route}-request-id-markup", route, slot(route, "NaN"),
                 *body_error(route, 400, "invalid_json", PARSE_ERROR), (11,),
                 headers=(("X-Request-Id", '"><script>'),), markers=("><script>",)),
        ]  # fmt: skip
    return cases


# --- update_context's fields (issue rows 4, 8, 9) ----------------------------------------------


def update(patch: dict[str, Any]) -> bytes:
    return dumps({**VALID["update"], **patch})


def update_cases() -> list[Case]:
    bad = ("invalid_request",)
    rows: list[tuple[str, bytes, tuple[int, ...], tuple[str, ...]]] = [
        ("timeframe-script", update({"timeframe": SCRIPT}), (8,), (SCRIPT,)),
        ("timeframe-15000-chars", update({"timeframe": "T" * 15000}), (8,), ("T" * 40,)),
        ("symbol-script", update({"symbol": SCRIPT}), (8,), (SCRIPT,)),
        ("snapshot-id-script", update({"snapshot_id": SCRIPT}), (8,), (SCRIPT,)),
        ("unknown-key-script", update({SCRIPT: 1}), (8,), (SCRIPT,)),
        ("unknown-key-5000-chars", update({"K" * 5000: 1}), (8,), ("K" * 40,)),
        ("session-id-trailing-newline", update({"session_id": VICTIM + "\n"}), (9,), ()),
        ("session-id-spaces-around", update({"session_id": f"  {VICTIM}  "}), (9,), ()),
        ("session-id-tab-inside", update({"session_id": VICTIM[:8] + "\t" + VICTIM[8:]}), (9,),
         ()),
        ("session-id-reserved", update({"session_id": RESERVED}), (4,), (RESERVED,)),
        ("session-id-reserved-long", update({"session_id": "__" + VICTIM + "__"}), (4,), ()),
        ("session-id-null-byte", update({"session_id": VICTIM + "\x00"}), (9,), ()),
        ("session-id-fullwidth", update({"session_id": VICTIM + "Ａ"}), (), ()),
        ("snapshot-id-newline", update({"snapshot_id": "snap\n"}), (9,), ()),
        ("seq-float", update({"seq": 100.0}), (), ()),
        ("seq-string", update({"seq": "100"}), (), ()),
        ("seq-bool", update({"seq": True}), (), ()),
        ("seq-2-pow-63", update({"seq": 2**63}), (), ()),
        ("seq-negative", update({"seq": -1}), (), ()),
        ("symbol-object", update({"symbol": {"$gt": ""}}), (), ()),
        ("timeframe-null", update({"timeframe": None}), (), ()),
        ("json-array", dumps([VALID["update"]]), (), ()),
        ("json-string", dumps(SCRIPT), (), (SCRIPT,)),
    ]  # fmt: skip
    return [Case(f"update-{n}", "update", b, 400, *bad, r, markers=m) for n, b, r, m in rows]


# --- chart_action's JSON route: fields and the bearer token (issue rows 4, 8, 9, 14) -----------


def action(patch: dict[str, Any]) -> bytes:
    return dumps({**VALID["action"], **patch})


BLANK_QUERIES = (  # no readable character: issue row 14
    ("spaces", "   \t\n  "),
    ("zero-width", "\u200b\u200c\u200d\u2060"),
    ("controls", "\x00\x01\x1b\x7f"),
    ("bom-and-separators", "\ufeff\u2028\u2029\u00a0"),
)


def action_cases() -> list[Case]:
    rows: list[tuple[str, bytes, tuple[int, ...], tuple[str, ...]]] = [
        *((f"query-{n}", action({"query": q}), (14,), ()) for n, q in BLANK_QUERIES),
        ("query-2001-chars", action({"query": "Q" * 2001}), (8,), ("Q" * 40,)),
        ("query-number", action({"query": 5}), (), ()),
        ("session-id-reserved", action({"session_id": RESERVED}), (4,), (RESERVED,)),
        ("session-id-trailing-newline", action({"session_id": VICTIM + "\n"}), (9,), ()),
        ("session-id-spaces-around", action({"session_id": f" {VICTIM} "}), (9,), ()),
        ("timeframe-script", action({"timeframe": SCRIPT}), (8,), (SCRIPT,)),
        ("timeframe-15000-chars", action({"timeframe": "T" * 15000}), (8,), ("T" * 40,)),
        ("symbol-15000-chars", action({"symbol": "S" * 15000}), (8,), ("S" * 40,)),
        ("unknown-key-script", action({SCRIPT: 1}), (8,), (SCRIPT,)),
        ("json-array", dumps([VALID["action"]]), (), ()),
    ]  # fmt: skip
    cases = [Case(f"action-{n}", "action", b, 400, "invalid_request", r, markers=m)
             for n, b, r, m in rows]  # fmt: skip
    base = dumps(VALID["action"])
    for name, value in (
        ("no-token", None),
        ("wrong-token", "Bearer nope"),
        ("token-plus-one", f"Bearer {TOKEN}x"),
        ("basic-scheme", f"Basic {TOKEN}"),
        ("token-8000-chars", "Bearer " + "B" * 8000),
    ):
        headers = () if value is None else (("Authorization", value),)
        drop = ("Authorization",) if value is None else ()
        cases.append(
            Case(f"action-auth-{name}", "action", base, 401, "unauthorized", (),
                 headers=headers, drop=drop, markers=("B" * 40,))
        )  # fmt: skip
    cases.append(
        # valid: answered 200 (the planner's "could not map" sentence quotes the user's own
        # query back to the same user; docs/hardening.md)
        Case("action-query-script-is-answered", "action", action({"query": SCRIPT}), 200, None),
    )  # fmt: skip
    return cases


# --- MCP: ids, methods, versions, guards, tool arguments (issue rows 1, 4, 9, 10, 14) ----------


def rpc(method: str = "ping", id_: Any = 1, **params: Any) -> bytes:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params:
        message["params"] = params
    return dumps(message)


def tool(**arguments: Any) -> bytes:
    return rpc("tools/call", 3, name="chart_control", arguments=arguments)


def mcp_cases() -> list[Case]:
    meta = {"io.modelcontextprotocol/protocolVersion": SCRIPT}
    P, IR = PARSE_ERROR, INVALID_REQUEST
    rows: list[tuple[str, bytes, int, int | str, tuple[int, ...], tuple[str, ...]]] = [
        ("id-5000-digits", b'{"jsonrpc":"2.0","id":' + b"9" * 5000 + b',"method":"ping"}',
         400, P, (1,), ("9" * 40,)),
        ("id-lone-surrogate", b'{"jsonrpc":"2.0","id":"\\ud800","method":"ping"}', 400, P,
         (10,), ("ud800",)),
        ("id-nan", b'{"jsonrpc":"2.0","id":NaN,"method":"ping"}', 400, P, (10,), ("NaN",)),
        ("params-nan", b'{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":NaN}}', 400, P,
         (10,), ()),
        ("id-script", rpc(id_=SCRIPT), 400, IR, (10,), (SCRIPT,)),
        ("id-8000-chars", rpc(id_="I" * 8000), 400, IR, (10,), ("I" * 40,)),
        ("id-float", rpc(id_=1.5), 400, IR, (10,), ()),
        ("id-object", rpc(id_={"a": SCRIPT}), 400, IR, (10,), (SCRIPT,)),
        ("jsonrpc-script", dumps({"jsonrpc": SCRIPT, "id": 1, "method": "ping"}), 400, IR, (),
         (SCRIPT,)),
        ("batch", dumps([json.loads(rpc())]), 400, IR, (), ()),
        ("notification-script", dumps({"jsonrpc": "1.0", "method": SCRIPT}), 400, IR, (),
         (SCRIPT,)),
        ("method-script", rpc(SCRIPT), 200, METHOD_NOT_FOUND, (10,), (SCRIPT,)),
        ("method-5000-chars", rpc("M" * 5000), 200, METHOD_NOT_FOUND, (10,), ("M" * 40,)),
        ("tool-name-script", rpc("tools/call", 2, name=SCRIPT, arguments={}), 200,
         INVALID_PARAMS, (10,), (SCRIPT,)),
        ("meta-version-script", rpc("tools/list", 2, _meta=meta), 400, UNSUPPORTED_VERSION,
         (10,), (SCRIPT,)),
        ("tool-query-zero-width", tool(query="\u200b\u200b"), 200, TOOL_ERROR, (14,), ()),
        ("tool-query-controls", tool(query="\x00\x07\x1b"), 200, TOOL_ERROR, (14,), ()),
        ("tool-session-reserved", tool(query="support", session_id=RESERVED), 200, TOOL_ERROR,
         (4,), (RESERVED,)),
        ("tool-session-newline", tool(query="support", session_id=VICTIM + "\n"), 200,
         TOOL_ERROR, (9,), ()),
        ("tool-unknown-key-script", tool(query="support", **{SCRIPT: 1}), 200, TOOL_ERROR, (8,),
         (SCRIPT,)),
        ("tool-query-2001-chars", tool(query="Q" * 2001), 200, TOOL_ERROR, (8,), ("Q" * 40,)),
        ("initialize-version-script", rpc("initialize", 1, protocolVersion=SCRIPT,
         capabilities={}, clientInfo={"name": SCRIPT, "version": "1"}), 200, "", (), (SCRIPT,)),
    ]  # fmt: skip
    cases = [Case(f"mcp-{n}", "mcp", b, s, c or None, r, markers=m) for n, b, s, c, r, m in rows]
    ping = rpc()
    guards = (  # id, status, extra headers, dropped headers, method
        ("get", 405, (), (), "GET"),
        ("put", 405, (), (), "PUT"),
        ("delete", 405, (), (), "DELETE"),
        ("no-token", 401, (), ("Authorization",), "POST"),
        ("wrong-token", 401, (("Authorization", "Bearer nope"),), (), "POST"),
        ("foreign-origin", 403, (("Origin", "https://evil.example"),), (), "POST"),
        ("accept-html", 406, (("Accept", "text/html"),), (), "POST"),
        ("accept-sse-only", 406, (("Accept", "text/event-stream"),), (), "POST"),
        ("version-header-script", 400, (("MCP-Protocol-Version", SCRIPT),), (), "POST"),
        ("version-header-5000", 400, (("MCP-Protocol-Version", "V" * 5000),), (), "POST"),
    )
    for name, status, headers, drop, method in guards:
        code = UNSUPPORTED_VERSION if name.startswith("version") else INVALID_REQUEST
        body = b"" if method in ("GET", "DELETE") else ping
        cases.append(
            Case(f"mcp-{name}", "mcp", body, status, code, (10,), headers=headers, drop=drop,
                 method=method, markers=(SCRIPT, "V" * 40))
        )  # fmt: skip
    cases.append(Case("mcp-no-accept-is-served", "mcp", ping, 200, None, (10,), drop=("Accept",)))
    cases.append(  # refused before the body is read; the body's framing is broken
        Case("mcp-no-token-then-a-broken-chunk", "mcp", b"zz\r\n" + ping, 401, INVALID_REQUEST,
             (3,), headers=(("Transfer-Encoding", "chunked"),), drop=("Authorization",),
             framing="raw")
    )  # fmt: skip
    return cases


# --- loose input (issue 25): duplicate keys, symbols folded to ASCII, integers as strings ------

DUPLICATE = {  # the first session id is the victim's, the last (which json keeps) another's
    "update": f'{{"session_id":"{VICTIM}","session_id":"{OTHER}","symbol":"EVIL",'
    '"timeframe":"1D"}',
    "action": f'{{"query":"support","session_id":"{OTHER}","session_id":"{VICTIM}"}}',
    "mcp": '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"chart_control",'
    f'"arguments":{{"query":"support","session_id":"{OTHER}","session_id":"{VICTIM}"}}}}}}',
}
FOLDING = (("long-s", "\u017fpy"), ("dotless-i", "\u0131bm"), ("sharp-s", "\u00df"),
           ("fullwidth", "\uff34\uff33\uff2c\uff21"), ("kelvin", "\u212a"))  # fmt: skip


def loose_input_cases() -> list[Case]:
    cases = []
    for route in ROUTES:
        status, code = body_error(route, 400, "invalid_json", PARSE_ERROR)
        cases.append(Case(f"{route}-duplicate-key", route, DUPLICATE[route].encode(), status,
                          code, (25,)))  # fmt: skip
        nested = SLOT[route].replace("@", '{"a":1,"a":2}').encode()
        cases.append(Case(f"{route}-duplicate-nested-key", route, nested, status, code, (25,)))
    for name, folded in FOLDING:
        cases.append(Case(f"update-symbol-{name}", "update", update({"symbol": folded}), 400,
                          "invalid_request", (25,)))  # fmt: skip
        cases.append(Case(f"action-symbol-{name}", "action", action({"symbol": folded}), 400,
                          "invalid_request", (25,)))  # fmt: skip
    for name, period in (("string", "50"), ("true", True), ("float", 50.0), ("false", False)):
        indicators = [{"name": "SMA", "period": period}]
        cases.append(Case(f"action-period-{name}", "action", action({"indicators": indicators}),
                          400, "invalid_request", (25,)))  # fmt: skip
        cases.append(Case(f"mcp-period-{name}", "mcp", tool(query="x", indicators=indicators),
                          200, TOOL_ERROR, (25,)))  # fmt: skip
    return cases


CASES: list[Case] = [
    *strict_json_cases(),
    *transport_cases(),
    *request_id_cases(),
    *update_cases(),
    *action_cases(),
    *mcp_cases(),
    *loose_input_cases(),
]
ISSUE_ROWS = (1, 2, 3, 4, 8, 9, 10, 11, 13, 14, 25)  # row 15 has its own test (a failing store)


def test_the_table_answers_each_issue_row_on_each_route():
    assert len({case.id for case in CASES}) == len(CASES) >= 80
    for row in ISSUE_ROWS:
        routes = {case.route for case in CASES if row in case.rows}
        expected = {10: {"mcp"}, 14: {"action", "mcp"}}.get(row, {"update", "action", "mcp"})
        assert expected <= routes, f"issue row {row}: {routes}"
    assert all(case.status < 500 for case in CASES)
