"""The chart remembers, as a trader sees it (issue 22), in headless Chromium against the real
functions and the Firestore emulator: a conversation of several turns on the demo page, then a
reload shows the same chart (symbol, timeframe, every price line and indicator) and the same
conversation; a second conversation on another chart, then switching back in the picker
redraws the first conversation's chart document, and switching again the second's. Drawings
are read through the chart API (`series.priceLines()`) and the kit's snapshot, never from
pixels; no console errors (the page fixture); screenshots of the reload and the switch.

The turns follow each other faster than the kit's 250 ms debounce, so the page's report of its
first thread lands while the third turn's answer has already moved the chart: the report names
the chart the page showed before it drew that answer (`seen_version`), and the answer's levels
survive it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_browser import (  # noqa: F401 - browser_context, demo, page: fixtures
    ask,
    browser_context,
    demo,
    open_demo,
    page,
    shoot,
    wait_for_context,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# What the chart shows, read from the chart API and the kit: the page state that must survive.
CHART_STATE = """async () => {
  const { candles, controller, state, chart, documentView } = window.chartControl;
  await documentView.idle();
  await controller.idle();
  return {
    symbol: state.symbol, timeframe: state.timeframe,
    lines: candles.priceLines().map((l) => l.options()).map((o) => `${o.title} ${o.price}`).sort(),
    indicators: controller.snapshot().indicators.map((i) => i.label).sort(),
    panes: chart.panes().length,
    bars: controller.bars.length,
  };
}"""
# each message's sentence (an answer's note and command chips are shown beside it)
CONVERSATION = """() => [...document.querySelectorAll('#messages li.user, #messages li.agent')]
  .map((li) => `${li.className}: ${li.querySelector('p').textContent}`)"""
LINES_ARE = "n => window.chartControl.candles.priceLines().length === n"


def chart_state(tab: Any) -> dict[str, Any]:
    return tab.evaluate(CHART_STATE)


def conversation(tab: Any) -> list[str]:
    """The conversation as shown: each user message and each answer's sentence."""
    return tab.evaluate(CONVERSATION)


def a_weekly_conversation(tab: Any, server: Any) -> dict[str, Any]:
    """Levels, an SMA, then the weekly with the levels carried over: the chart it leaves."""
    open_demo(tab, server)
    wait_for_context(tab, "TSLA")
    ask(tab, server, "draw support and resistance")
    ask(tab, server, "add the 50 day sma")
    weekly = ask(tab, server, "switch to the weekly and keep the levels")
    assert "TIMEFRAME:1W" in weekly["commands"]
    wait_for_context(tab, "TSLA", "1W")
    shown = chart_state(tab)
    levels = sorted(
        f"{verb.title()} {float(price):.10g}"
        for verb, _, price in (c.partition(":") for c in weekly["commands"])
        if verb in ("SUPPORT", "RESISTANCE")
    )
    assert levels and shown["lines"] == levels, (shown, weekly["commands"])
    assert (shown["symbol"], shown["timeframe"], shown["indicators"]) == ("TSLA", "1W", ["SMA 50"])
    return shown


def test_a_reload_keeps_the_chart_and_the_conversation(demo, page):  # noqa: F811 - fixtures
    before = a_weekly_conversation(page, demo)
    said = conversation(page)
    assert len(said) == 6, said
    thread = page.evaluate("window.chartControl.chat.threadId")

    page.reload()
    page.wait_for_function("window.chartControl !== undefined")
    page.evaluate("window.chartControl.ready")
    page.wait_for_function(LINES_ARE, arg=len(before["lines"]))
    assert chart_state(page) == before  # the same chart, line for line
    assert page.evaluate("window.chartControl.chat.threadId") == thread
    assert conversation(page) == said  # the same conversation
    assert page.input_value("#symbol") == "TSLA"
    shoot(page, "8-after-reload", "wide")

    page.click("#new-chat")  # a second conversation, on another chart
    page.wait_for_function(LINES_ARE, arg=0)
    ask(page, demo, "show me NVDA with the RSI")
    wait_for_context(page, "NVDA", "1W")  # LOAD keeps the timeframe
    second = chart_state(page)
    assert second["symbol"] == "NVDA" and "RSI 14" in second["indicators"], second
    second_thread = page.evaluate("window.chartControl.chat.threadId")
    assert second_thread and second_thread != thread

    page.select_option("#threads", thread)  # back to the first: its chart and its messages
    wait_for_context(page, "TSLA", "1W")
    page.wait_for_function(LINES_ARE, arg=len(before["lines"]))
    assert chart_state(page) == before
    assert conversation(page) == said
    shoot(page, "9-thread-switched-back", "wide")

    page.select_option("#threads", second_thread)
    wait_for_context(page, "NVDA", "1W")
    page.wait_for_function(LINES_ARE, arg=0)
    assert chart_state(page) == second
