"""The whole loop in headless Chromium against the real functions and the Firestore emulator:
pick TSLA on the demo page, ask the agent's question, and find the levels drawn on the chart —
read through the chart API (`series.priceLines()`, `options()`, panes), never from pixels."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from google.cloud import firestore

from devtools.demo_server import DemoServer, start_demo_server
from devtools.processes import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
BUILD = REPO / "build"
KIT_COLORS = {"Support": "#22c55e", "Resistance": "#ef4444"}  # web/src/execute.js COLORS


@pytest.fixture
def demo(function_servers, clean_firestore) -> Iterator[DemoServer]:
    server = start_demo_server(
        0, function_servers.update_context_url, function_servers.chart_action_url
    )
    yield server
    server.stop()


@pytest.fixture
def page(tmp_path) -> Iterator[Any]:
    """A page in a fresh Chromium profile; any uncaught page error fails the test."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is installed by `make install` (chromium-install)"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, args=CHROMIUM_FLAGS,
            headless=True, viewport={"width": 1280, "height": 760},
        )  # fmt: skip
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield page
        context.close()
        assert errors == [], errors


def open_demo(page, demo: DemoServer) -> None:
    page.goto(demo.url)
    page.wait_for_function("window.chartControl !== undefined")
    page.evaluate("window.chartControl.ready")


def wait_for_context(page, symbol: str, timeframe: str = "1D") -> None:
    """The page shows update-context's answer for this state."""
    page.wait_for_function(
        "expected => document.querySelector('#status').textContent.includes(expected)",
        arg=f"context {symbol} {timeframe}",
    )


def stored_session(session_id: str) -> dict | None:
    """The session document as update_context stored it in the emulator."""
    client = firestore.Client(project=os.environ["GOOGLE_CLOUD_PROJECT"])
    return client.collection("chart_sessions").document(session_id).get().to_dict()


def calls_to(demo: DemoServer, route: str) -> list[dict]:
    return [c for c in demo.calls if c["path"] == f"/api/chatkit/{route}"]


def test_support_and_resistance_end_to_end(demo, page):
    open_demo(page, demo)
    wait_for_context(page, "TSLA")  # the page's initial state
    page.select_option("#symbol", "NVDA")
    wait_for_context(page, "NVDA")
    page.select_option("#symbol", "TSLA")  # the user picks TSLA
    wait_for_context(page, "TSLA")

    session_id = page.evaluate("window.chartControl.sync.sessionId")
    updates = calls_to(demo, "update-context")
    assert [u["body"]["symbol"] for u in updates] == ["TSLA", "NVDA", "TSLA"]
    assert all(u["status"] == 200 and u["body"]["session_id"] == session_id for u in updates)
    seqs = [u["body"]["seq"] for u in updates]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    stored = stored_session(session_id)  # what chart_action will read
    assert stored is not None
    assert (stored["symbol"], stored["timeframe"], stored["seq"]) == ("TSLA", "1D", seqs[-1])

    page.fill("#query", "draw support and resistance for TSLA")
    page.press("#query", "Enter")
    page.wait_for_selector("#messages li.agent")

    [action] = calls_to(demo, "chart-action")
    assert action["body"] == {
        "query": "draw support and resistance for TSLA",
        "session_id": session_id,
    }
    assert action["status"] == 200 and action["answer"]["success"] is True
    commands = action["answer"]["chart_commands"]
    levels = [c.split(":") for c in commands if c.startswith(("SUPPORT:", "RESISTANCE:"))]
    assert {verb for verb, _ in levels} == {"SUPPORT", "RESISTANCE"}
    assert not any(c.startswith(("LOAD:", "TIMEFRAME:")) for c in commands)  # context was used
    assert action["answer"]["data"]["chart_context"]["symbol"] == "TSLA"

    drawn = page.evaluate(
        "window.chartControl.candles.priceLines().map(l => l.options())"
        ".map(o => ({price: o.price, title: o.title, color: o.color}))"
    )
    expected = [
        {"price": float(price), "title": verb.title(), "color": KIT_COLORS[verb.title()]}
        for verb, price in levels
    ]
    assert sorted(drawn, key=lambda d: d["price"]) == sorted(expected, key=lambda d: d["price"])
    last_close = page.evaluate("window.chartControl.controller.bars.at(-1).close")
    assert all(d["price"] <= last_close * 1.5 and d["price"] >= last_close / 1.5 for d in drawn)

    reply = page.locator("#messages li.agent").last.inner_text()
    assert "support" in reply and "resistance" in reply
    BUILD.mkdir(exist_ok=True)
    page.screenshot(path=str(BUILD / "e2e-chart.png"))
    assert (BUILD / "e2e-chart.png").stat().st_size > 10_000


def test_agent_switches_symbol_and_draws_indicators(demo, page):
    """A reply with LOAD/TIMEFRAME moves the chart, and the page reports the new context."""
    open_demo(page, demo)
    wait_for_context(page, "TSLA")
    page.click(
        ".chips button:has-text('NVDA weekly')"
    )  # "show NVDA weekly with bollinger bands and macd"
    wait_for_context(page, "NVDA", "1W")
    page.wait_for_function("window.chartControl.controller.snapshot().indicators.length === 2")

    commands = calls_to(demo, "chart-action")[0]["answer"]["chart_commands"]
    assert commands[:2] == ["LOAD:NVDA", "TIMEFRAME:1W"]
    assert calls_to(demo, "update-context")[-1]["body"]["symbol"] == "NVDA"
    assert page.input_value("#symbol") == "NVDA"
    assert page.evaluate("window.chartControl.chart.panes().length") == 2  # MACD below prices
    session_id = page.evaluate("window.chartControl.sync.sessionId")
    stored = stored_session(session_id)
    assert stored is not None and (stored["symbol"], stored["timeframe"]) == ("NVDA", "1W")

    page.click(".chips button:has-text('Clear')")
    page.wait_for_function("window.chartControl.controller.snapshot().indicators.length === 0")
    assert page.evaluate("window.chartControl.chart.panes().length") == 1


EVERY_VERB = """() => {
  const { controller, candles, chart } = window.chartControl;
  const t = controller.bars.map((b) => b.time);
  const close = controller.bars.at(-1).close;
  const errors = [];
  controller.callbacks.onError = (error, command) => errors.push(`${command.raw}: ${error}`);
  const p = (f) => (close * f).toFixed(2);
  const done = controller.execute([
    `SUPPORT:${p(0.95)}`, `RESISTANCE:${p(1.05)}`, `ENTRY:${p(1)}`, `TARGET:${p(1.1)}`,
    `STOPLOSS:${p(0.9)}`, `FIBONACCI:${p(1.2)}:${p(0.8)}`,
    `TRENDLINE:${p(0.9)}:${t.at(-80)}:${p(1.0)}:${t.at(-5)}`,
    `PATTERN:DOUBLE_TOP:${t.at(-60)}:${t.at(-20)}`,
    "INDICATOR:SMA:20", "INDICATOR:EMA:50", "INDICATOR:BBANDS", "INDICATOR:VWAP",
    "INDICATOR:RSI", "INDICATOR:MACD", "INDICATOR:VOLUME", "ANALYZE:TECHNICAL",
  ]);
  return {
    done: done.length, errors,
    priceLines: candles.priceLines().length,
    panes: chart.panes().length,
    snapshot: controller.snapshot(),
  };
}"""


def test_every_verb_on_the_real_chart(demo, page):
    """The kit against the real lightweight-charts (the unit tests use a fake chart)."""
    open_demo(page, demo)
    result = page.evaluate(EVERY_VERB)
    assert result["errors"] == []
    assert result["done"] == 16
    assert result["priceLines"] == 5 + 7  # five levels, seven Fibonacci ratios
    assert result["panes"] == 4  # prices, RSI, MACD, volume
    assert len(result["snapshot"]["trendlines"]) == 1
    assert len(result["snapshot"]["patterns"]) == 1
    assert page.is_visible("#analysis")
    page.screenshot(path=str(BUILD / "e2e-every-verb.png"))

    page.evaluate("window.chartControl.controller.execute('CLEAR:DRAWINGS')")
    assert page.evaluate("window.chartControl.candles.priceLines().length") == 0
    assert page.evaluate("window.chartControl.controller.snapshot().indicators.length") == 7
    page.evaluate("window.chartControl.controller.execute('CLEAR:ALL')")
    assert page.evaluate("window.chartControl.chart.panes().length") == 1
