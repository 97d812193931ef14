"""Any agent draws on the open page (issue 23), in headless Chromium against the real functions
and the Firestore emulator running firestore.rules: the demo page subscribes to its session's
chart document with the Firebase JavaScript SDK; an MCP `tools/call` on that session draws its
price lines on the page within a second (the median of 10 is written to
build/live-latency.json); a JSON chart-action on another session changes nothing; the page's
own chat turn is drawn once. Lines are read through the chart API (`series.priceLines()`)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from typing import Any

import pytest

from devtools.demo_server import DemoConfig, DemoServer, local_firebase_config, start_demo_server
from devtools.processes import REPO
from tests.e2e.test_browser import TURNS, browser_context, new_page  # noqa: F401 - fixture
from tests.helpers import FunctionServers, new_session_id, post_json
from tests.mcp_client import McpClient

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RUNS = 10
# Generous bounds for a loaded two-core machine; the figure itself is reported, not asserted.
MEDIAN_BOUND_MS, EACH_BOUND_MS = 1000, 3000
LATENCY_REPORT = REPO / "build" / "live-latency.json"
LEVEL_TITLES = {"SUPPORT": "Support", "RESISTANCE": "Resistance"}
# Every change of the candles' price lines, with the page's clock (Date.now, the same machine
# clock as the test's time.time), polled every 2 ms.
WATCH_LINES = """() => {
  window.lineChanges = [];
  let last = null;
  const read = () => window.chartControl.candles.priceLines().map((l) => l.options())
    .map((o) => `${o.title} ${o.price}`).sort().join("|");
  setInterval(() => {
    const now = read();
    if (now !== last) { last = now; window.lineChanges.push({ at: Date.now(), lines: now }); }
  }, 2);
}"""
LIVE_LINES = "[...document.querySelectorAll('#messages li.live')].map((li) => li.textContent)"


# The functions of these tests wait longer for the emulator than the 3 s default: on a machine
# shared by many test runs a slow emulator would otherwise turn into 504s on the page.
PATIENT = {"STORE_TIMEOUT_SECONDS": "15"}


@pytest.fixture(scope="module")
def servers(servers_with) -> FunctionServers:
    return servers_with(**PATIENT)


@pytest.fixture
def live_demo(servers, chatkit_with, clean_firestore) -> Iterator[DemoServer]:
    """The demo with its listener on the test run's emulator (rules on)."""
    config = DemoConfig(firebase=local_firebase_config(clean_firestore))
    server = start_demo_server(
        0, servers.update_context_url, servers.chart_action_url,
        chatkit_with(**TURNS, **PATIENT), config=config,
    )  # fmt: skip
    yield server
    server.stop()


@pytest.fixture
def page(browser_context) -> Iterator[Any]:  # noqa: F811
    errors: list[str] = []
    yield new_page(browser_context, {"width": 1280, "height": 800}, errors)
    assert errors == [], errors


def open_live(page: Any, demo: DemoServer) -> str:
    """Open the demo, wait until its context is stored and its listener is live: its session."""
    page.goto(demo.url)
    page.wait_for_function("window.chartControl !== undefined")
    page.evaluate("window.chartControl.ready")
    page.wait_for_function("document.querySelector('#status').textContent.includes('context TSLA')")
    page.wait_for_function("document.querySelector('#live').dataset.status === 'live'")
    page.evaluate(WATCH_LINES)
    return page.evaluate("window.chartControl.sync.sessionId")


def js_number(value: float) -> str:
    """A number as JavaScript prints it (174.26, 180 — not 180.0)."""
    return str(int(value)) if value.is_integer() else repr(value)


def levels(commands: list[str]) -> str:
    """The price lines `commands` draw, in the page watcher's form."""
    lines = []
    for command in commands:
        verb, _, price = command.partition(":")
        if verb in LEVEL_TITLES:
            lines.append(f"{LEVEL_TITLES[verb]} {js_number(float(price))}")
    return "|".join(sorted(lines))


def page_lines(page: Any) -> str:
    return page.evaluate("window.lineChanges.at(-1)?.lines ?? ''")


def wait_lines(page: Any, expected: str, timeout_ms: int = 10_000) -> int:
    """Wait until the page shows exactly `expected`: the page time it first did."""
    page.wait_for_function(
        "want => window.lineChanges.at(-1)?.lines === want", arg=expected, timeout=timeout_ms
    )
    return page.evaluate("window.lineChanges.at(-1).at")


def ask_mcp(client: McpClient, session: str, query: str) -> dict[str, Any]:
    result = client.chart_control(query=query, session_id=session)["result"]
    assert result.get("isError") in (None, False), result
    return result["structuredContent"]


def test_an_mcp_call_draws_on_the_open_page_within_a_second(page, live_demo, servers):
    session = open_live(page, live_demo)
    client = McpClient(servers.chart_action_url + "/mcp")
    client.handshake()
    latencies, round_trips = [], []
    for _ in range(RUNS):
        ask_mcp(client, session, "clear drawings")
        wait_lines(page, "")
        sent_ms = time.time() * 1000
        answer = ask_mcp(client, session, "draw support and resistance")
        answered_ms = time.time() * 1000
        expected = levels(answer["chart_commands"])
        assert expected.count("Support") >= 1 and "Resistance" in expected, answer
        drawn_ms = wait_lines(page, expected)
        # negative: the page drew before the agent had read the answer (the write comes first)
        latencies.append(round(drawn_ms - answered_ms, 1))
        round_trips.append(round(drawn_ms - sent_ms, 1))
    median = statistics.median(latencies)
    report = {
        "from_mcp_response_ms": {"median": median, "runs": latencies},
        "from_mcp_request_ms": {"median": statistics.median(round_trips), "runs": round_trips},
    }
    LATENCY_REPORT.parent.mkdir(exist_ok=True)
    LATENCY_REPORT.write_text(json.dumps(report, indent=1))
    print(f"MCP -> lines on the page, median of {RUNS}: {report}")
    assert median <= MEDIAN_BOUND_MS and max(latencies) <= EACH_BOUND_MS, latencies
    said = page.evaluate(LIVE_LINES)
    assert said[-1].startswith("drawn by an agent: support "), said
    assert page.evaluate("document.querySelector('#live').dataset.status") == "live"


def test_a_call_on_another_session_changes_nothing_on_the_page(page, live_demo, servers):
    session = open_live(page, live_demo)
    other = new_session_id("other")
    chart_action = servers.chart_action_url + "/api/chatkit/chart-action"
    answer = post_json(
        chart_action,
        {"query": "draw support and resistance for TSLA", "session_id": other},
    ).json()
    assert answer["success"] and levels(answer["chart_commands"]), answer
    # Positive control: a call on the page's own session afterwards is drawn, so the listener
    # was live all along and the other session's answer had its chance to arrive first.
    client = McpClient(servers.chart_action_url + "/mcp")
    client.handshake()
    own = ask_mcp(client, session, "draw fibonacci")
    page.wait_for_function("window.lineChanges.some((c) => c.lines.includes('Fib '))")
    changes = page.evaluate("window.lineChanges.map((c) => c.lines)")
    assert changes[0] == "" and all("Fib " in c for c in changes[1:]), changes
    assert not any("Support" in c for c in changes), "the other session's levels were drawn"
    assert [c for c in own["chart_commands"] if c.startswith("FIBONACCI:")]
    assert len(page.evaluate(LIVE_LINES)) == 1


def test_the_pages_own_chat_turn_is_drawn_once(page, live_demo):
    open_live(page, live_demo)
    page.fill("#query", "draw support and resistance")
    page.press("#query", "Enter")
    page.wait_for_function("document.querySelectorAll('#messages li.agent').length === 1")
    version = page.evaluate("window.chartControl.drawnVersions.highest")
    assert isinstance(version, int) and version >= 1  # the effect carried the version it wrote
    # the listener has received that version's snapshot too: and skipped it
    page.wait_for_function(
        "async (v) => (await window.chartControl.live).lastVersion >= v", arg=version
    )
    changes = page.evaluate("window.lineChanges.map((c) => c.lines)")
    drawn = [c for c in changes if c]
    assert len(drawn) == 1, changes  # one drawing of the levels, never redrawn
    titles = drawn[0].split("|")
    assert len(titles) == len(set(titles)) and any(t.startswith("Support") for t in titles)
    assert page.evaluate(LIVE_LINES) == []  # no "drawn by an agent" for the page's own turn
