"""The whole loop in headless Chromium: pick TSLA on the demo page, ask the agent's question,
and find the levels drawn on the chart (read through the chart API, not pixels)."""

from __future__ import annotations

import shutil

import pytest

from devtools.demo_server import start_demo_server
from devtools.processes import REPO

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
SCREENSHOT = REPO / "build" / "e2e-chart.png"


@pytest.fixture
def demo(function_servers, clean_firestore):
    server = start_demo_server(
        0, function_servers.update_context_url, function_servers.chart_action_url
    )
    yield server
    server.stop()


@pytest.fixture
def page(tmp_path):
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is installed by `make install`"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, args=CHROMIUM_FLAGS,
            headless=True, viewport={"width": 1280, "height": 720},
        )  # fmt: skip
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        context.close()
        assert errors == [], errors


def test_support_and_resistance_end_to_end(demo, page):
    page.goto(demo.url)
    page.wait_for_function("window.chartControl !== undefined")
    page.select_option("#symbol", "TSLA")
    page.wait_for_function("document.querySelector('#status').textContent.includes('TSLA')")
    updates = [c["body"] for c in demo.calls if c["path"] == "/api/chatkit/update-context"]
    assert updates and updates[-1]["symbol"] == "TSLA"
    session_id = page.evaluate("window.chartControl.sync.sessionId")
    assert updates[-1]["session_id"] == session_id

    page.fill("#query", "draw support and resistance for TSLA")
    page.click("button[type=submit]")
    page.wait_for_function("window.chartControl.candles.priceLines().length >= 2")

    asked = [c["body"] for c in demo.calls if c["path"] == "/api/chatkit/chart-action"]
    assert asked == [{"query": "draw support and resistance for TSLA", "session_id": session_id}]
    reply = page.locator("#messages li.agent").last.inner_text()
    assert "SUPPORT:" in reply and "RESISTANCE:" in reply
    assert "LOAD:TSLA" not in reply  # the chart already shows TSLA: the stored context was used

    drawn = page.evaluate(
        "window.chartControl.candles.priceLines()"
        ".map(l => ({price: l.options().price, title: l.options().title}))"
    )
    commands = [line for line in reply.split() if line.startswith(("SUPPORT:", "RESISTANCE:"))]
    expected = sorted(float(c.split(":")[1]) for c in commands)
    assert sorted(d["price"] for d in drawn) == expected
    assert any(d["title"].startswith("S ") for d in drawn) and any(
        d["title"].startswith("R ") for d in drawn
    )

    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_indicators_and_clear_in_the_browser(demo, page):
    page.goto(demo.url)
    page.wait_for_function("window.chartControl !== undefined")
    page.evaluate("window.chartControl.ready")
    page.click("text=SMA 50 + RSI")
    page.wait_for_function("window.chartControl.controller.snapshot().indicators.length === 2")
    panes = page.evaluate("window.chartControl.chart.panes().length")
    assert panes == 2  # RSI in its own pane
    page.click("text=Clear")
    page.wait_for_function("window.chartControl.controller.snapshot().indicators.length === 0")
