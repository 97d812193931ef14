"""The whole loop in headless Chromium against the real functions and the Firestore emulator:
pick TSLA on the demo page, ask in its chat — which speaks the ChatKit protocol to the chatkit
function (threads.create, then threads.add_user_message on the same thread) — and find the
levels of the `chart_commands` effect in the SSE stream drawn on the chart, read through the
chart API (`series.priceLines()`, `options()`, panes), never from pixels; and the demo a trader
sees, step by step at two window sizes, with the screenshots the README shows
(docs/screenshots/, also in build/screens/)."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from google.cloud import firestore

from devtools.demo_server import DemoConfig, DemoServer, start_demo_server
from devtools.processes import REPO

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
    "--font-render-hinting=none",
]  # fmt: skip
BUILD = REPO / "build"
SCREENSHOTS = REPO / "docs" / "screenshots"
KIT_COLORS = {"Support": "#22c55e", "Resistance": "#ef4444"}  # web/src/execute.js COLORS
LEVEL_TITLES = {"SUPPORT": "Support", "RESISTANCE": "Resistance", "ENTRY": "Entry",
                "TARGET": "Target", "STOPLOSS": "Stop"}  # fmt: skip
# the walk asks far more than the default 10 turns a minute of one chart session
TURNS = {"CHATKIT_TURNS_PER_MINUTE": "1000"}
VIEWPORTS = {"wide": {"width": 1280, "height": 800}, "narrow": {"width": 800, "height": 700}}
# (symbol, timeframe) charts to ask for patterns, until one has a pattern: the sample market is
# deterministic for a day, and any one chart may hold no classic pattern that day.
PATTERN_CHARTS = [
    ("TSLA", "1D"), ("MSFT", "1D"), ("BTC-USD", "1D"), ("AAPL", "1D"), ("NVDA", "1D"),
    ("SPY", "1D"), ("QQQ", "1D"), ("AAPL", "1W"), ("BTC-USD", "1W"), ("TSLA", "1W"),
    ("SPY", "4H"), ("AAPL", "4H"),
]  # fmt: skip


def demo_for(function_servers, chatkit_url: str) -> DemoServer:
    """The demo in front of the functions, with its own chat box (no ChatKit domain key)."""
    return start_demo_server(
        0, function_servers.update_context_url, function_servers.chart_action_url,
        chatkit_url, config=DemoConfig(),
    )  # fmt: skip


@pytest.fixture
def demo(function_servers, chatkit_with, clean_firestore) -> Iterator[DemoServer]:
    server = demo_for(function_servers, chatkit_with(**TURNS))
    yield server
    server.stop()


@pytest.fixture
def browser_context(tmp_path) -> Iterator[Any]:
    """Chromium (Debian's, never `playwright install`) with a fresh profile."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is installed by `make install` (chromium-install)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


def new_page(browser: Any, viewport: dict[str, int], errors: list[str]) -> Any:
    """A page whose uncaught errors and console errors land in `errors`."""
    page = browser.new_page(viewport=viewport, device_scale_factor=1)
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: errors.append(str(error)))

    def console(message: Any) -> None:
        if message.type == "error":
            errors.append(f"{message.text} [{message.location.get('url')}]")

    page.on("console", console)
    return page


@pytest.fixture
def page(browser_context) -> Iterator[Any]:
    """A 1280x800 page; any uncaught page error or console error fails the test."""
    errors: list[str] = []
    yield new_page(browser_context, VIEWPORTS["wide"], errors)
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


def chat_turns(demo: DemoServer) -> list[dict]:
    """The page's ChatKit requests, as the demo's proxy relayed them, without the thread list
    the page reads on load (its conversation picker)."""
    return [
        c for c in demo.calls
        if c["path"] == "/api/chatkit" and (c["body"] or {}).get("type") != "threads.list"
    ]  # fmt: skip


def sse_events(stream: str) -> list[dict]:
    """The events of a ChatKit SSE answer (`data: {json}` blocks)."""
    blocks = [block for block in stream.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return [
        json.loads("\n".join(line[5:].lstrip() for line in block.splitlines()
                             if line.startswith("data:")))
        for block in blocks
    ]  # fmt: skip


def chart_effects(turn: dict) -> list[dict]:
    """The `chart_commands` client effects of one turn's stream, in order."""
    events = sse_events(turn["answer"]) if turn["status"] == 200 else []
    return [e["data"] for e in events if e["type"] == "client_effect"
            and e["name"] == "chart_commands"]  # fmt: skip


def level_lines(commands: list[str]) -> list[dict]:
    """The price lines the effect's levels must draw: {price, title} each; a FIBONACCI's high
    and low are its 0% and 100% lines (the ratios between are the kit's)."""
    lines = []
    for command in commands:
        verb, *args = command.split(":")
        if verb in LEVEL_TITLES:
            lines.append({"price": float(args[0]), "title": LEVEL_TITLES[verb]})
        elif verb == "FIBONACCI":
            high, low = float(args[0]), float(args[1])
            lines += [{"price": high, "title": "Fib 0.0%"}, {"price": low, "title": "Fib 100.0%"}]
    return sorted(lines, key=lambda line: (line["price"], line["title"]))


def assert_levels_drawn(page, commands: list[str]) -> None:
    """The chart's price lines (the chart API's, not the kit's records) are the effect's."""
    drawn = page.evaluate(
        "window.chartControl.candles.priceLines().map(l => l.options())"
        ".map(o => ({price: o.price, title: o.title}))"
    )
    fib = [d for d in drawn if d["title"].startswith("Fib ")]
    ends = [d for d in fib if d["title"] in ("Fib 0.0%", "Fib 100.0%")]
    assert len(fib) == 7 * len(ends) // 2, fib  # seven ratios per FIBONACCI
    kept = sorted([d for d in drawn if d not in fib or d in ends],
                  key=lambda line: (line["price"], line["title"]))  # fmt: skip
    expected = level_lines(commands)
    assert [d["title"] for d in kept] == [e["title"] for e in expected], (kept, commands)
    assert [d["price"] for d in kept] == pytest.approx([e["price"] for e in expected], abs=1e-9)


def the_first_turn(demo: DemoServer, query: str, session_id: str) -> dict:
    """The only ChatKit request so far created a thread under the page's chart session and
    streamed one chart effect before the assistant's answer: that effect."""
    assert calls_to(demo, "chart-action") == []  # the chat goes to chatkit only
    [turn] = chat_turns(demo)
    assert turn["body"]["type"] == "threads.create"
    assert turn["body"]["params"]["input"]["content"] == [{"type": "input_text", "text": query}]
    assert turn["session"] == session_id and turn["status"] == 200
    events = sse_events(turn["answer"])
    kinds = [e["type"] for e in events]
    assert kinds[0] == "thread.created" and "error" not in kinds
    said = next(i for i, e in enumerate(events) if e["type"] == "thread.item.done"
                and e["item"]["type"] == "assistant_message")  # fmt: skip
    assert kinds.index("client_effect") < said  # the chart is drawn before the answer
    [effect] = chart_effects(turn)
    return effect


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

    effect = the_first_turn(demo, "draw support and resistance for TSLA", session_id)
    commands = effect["commands"]
    levels = [c.split(":") for c in commands if c.startswith(("SUPPORT:", "RESISTANCE:"))]
    assert {verb for verb, _ in levels} == {"SUPPORT", "RESISTANCE"}
    assert not any(c.startswith(("LOAD:", "TIMEFRAME:")) for c in commands)  # context was used
    assert effect["data"]["chart_context"]["symbol"] == "TSLA"
    assert_levels_drawn(page, commands)

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
    assert "SUPPORT:" not in reply  # the sentence, not command lines
    BUILD.mkdir(exist_ok=True)
    page.screenshot(path=str(BUILD / "e2e-chart.png"))
    assert (BUILD / "e2e-chart.png").stat().st_size > 10_000


def test_a_second_message_goes_to_the_same_thread(demo, page):
    open_demo(page, demo)
    wait_for_context(page, "TSLA")
    levels = ask(page, demo, "draw support and resistance")
    plan = ask(page, demo, "trade setup")
    first, second = chat_turns(demo)
    thread_id = sse_events(first["answer"])[0]["thread"]["id"]
    assert second["body"]["type"] == "threads.add_user_message"
    assert second["body"]["params"]["thread_id"] == thread_id
    assert "thread.created" not in [e["type"] for e in sse_events(second["answer"])]
    assert (
        second["session"] == first["session"] == page.evaluate("window.chartControl.sync.sessionId")
    )
    assert {c.split(":")[0] for c in plan["commands"]} >= {"ENTRY", "TARGET", "STOPLOSS"}
    assert_levels_drawn(page, levels["commands"] + plan["commands"])  # the plan joins the levels
    assert page.evaluate("window.chartControl.chat.threadId") == thread_id
    assert page.locator("#messages li.agent").count() == 2


def test_agent_switches_symbol_and_draws_indicators(demo, page):
    """A reply with LOAD/TIMEFRAME moves the chart, and the page reports the new context."""
    open_demo(page, demo)
    wait_for_context(page, "TSLA")
    page.click(".examples button:has-text('NVDA weekly')")  # bollinger bands and macd
    wait_for_context(page, "NVDA", "1W")
    page.wait_for_function("window.chartControl.controller.snapshot().indicators.length === 2")

    [effect] = chart_effects(chat_turns(demo)[0])
    assert effect["commands"][:2] == ["LOAD:NVDA", "TIMEFRAME:1W"]
    assert calls_to(demo, "update-context")[-1]["body"]["symbol"] == "NVDA"
    assert page.input_value("#symbol") == "NVDA"
    assert page.evaluate("window.chartControl.chart.panes().length") == 2  # MACD below prices
    assert page.locator("#overlays span").all_inner_texts() == ["Bollinger bands 20", "MACD"]
    session_id = page.evaluate("window.chartControl.sync.sessionId")
    stored = stored_session(session_id)
    assert stored is not None and (stored["symbol"], stored["timeframe"]) == ("NVDA", "1W")

    page.click(".examples button:has-text('Clear')")
    page.wait_for_function("window.chartControl.controller.snapshot().indicators.length === 0")
    assert page.evaluate("window.chartControl.chart.panes().length") == 1
    assert page.locator("#overlays span").count() == 0


def test_an_error_event_is_shown_in_words(function_servers, chatkit_with, clean_firestore, page):
    """Past the chart session's turn limit chatkit answers with an error event; the page says
    so, keeps the chart as it was, and stays usable."""
    demo = demo_for(function_servers, chatkit_with(CHATKIT_TURNS_PER_MINUTE="1"))
    try:
        open_demo(page, demo)
        wait_for_context(page, "TSLA")
        first = ask(page, demo, "draw support and resistance")
        limited = ask(page, demo, "trade setup")
        assert limited["commands"] == []
        turn = chat_turns(demo)[-1]
        [event] = sse_events(turn["answer"])
        assert (turn["status"], event["type"]) == (200, "error")
        message = page.locator("#messages li.error").last.inner_text()
        assert message == event["message"]
        assert "wait a minute" in message
        assert_levels_drawn(page, first["commands"])  # nothing else drawn, nothing lost
        assert page.is_enabled("#query") and page.is_hidden("#progress")
    finally:
        demo.stop()


# OpenAI's ChatKit script cannot load offline. This stand-in defines the element as far as the
# page uses it (setOptions), so the test can act as ChatKit does: send through the page's
# `api.fetch` and hand the stream's client effects to the element as `chatkit.effect` events.
CHATKIT_SCRIPT = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js"  # chat-mode.js
CHATKIT_STAND_IN = """
customElements.define("openai-chatkit", class extends HTMLElement {
  setOptions(options) { window.chatkitStandIn = { element: this, options }; }
});
"""
AS_CHATKIT_DOES = """async (text) => {
  const { element, options } = window.chatkitStandIn;
  const input = { content: [{ type: "input_text", text }], attachments: [], inference_options: {} };
  const response = await options.api.fetch(options.api.url, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ type: "threads.create", params: { input } }),
  });
  const events = (await response.text()).split("\\n\\n").filter((b) => b.startsWith("data:"))
    .map((b) => JSON.parse(b.slice(5)));
  for (const { name, data } of events.filter((e) => e.type === "client_effect")) {
    element.dispatchEvent(new CustomEvent("chatkit.effect", { detail: { name, data } }));
  }
  return { url: options.api.url, domainKey: options.api.domainKey, status: response.status,
    prompts: options.startScreen.prompts.map((p) => p.prompt), onEffect: "onEffect" in options };
}"""


def test_with_a_domain_key_the_page_mounts_chatkit_wired_by_the_kit(
    function_servers, chatkit_with, clean_firestore, page
):
    """CHATKIT_DOMAIN_KEY: the page loads ChatKit's script, mounts <openai-chatkit> with
    chatKitOptions in place of its own box, and draws the effects the element hands it."""
    demo = start_demo_server(
        0, function_servers.update_context_url, function_servers.chart_action_url,
        chatkit_with(**TURNS), config=DemoConfig(chatkit_domain_key="domain_pk_local"),
    )  # fmt: skip
    stand_in = {"body": CHATKIT_STAND_IN, "content_type": "text/javascript"}
    page.route(CHATKIT_SCRIPT, lambda route: route.fulfill(**stand_in))
    try:
        open_demo(page, demo)
        wait_for_context(page, "TSLA")
        page.wait_for_function("() => window.chatkitStandIn !== undefined")
        assert page.is_visible("#chatkit openai-chatkit")
        assert all(page.is_hidden(own) for own in ("#messages", "#ask", ".examples"))
        seen = page.evaluate(AS_CHATKIT_DOES, "draw support and resistance")
        assert seen["url"] == "/api/chatkit" and seen["domainKey"] == "domain_pk_local"
        assert seen["status"] == 200 and seen["onEffect"] is False  # an event, not an option
        assert "draw support and resistance" in seen["prompts"]  # the examples, as start prompts
        session_id = page.evaluate("window.chartControl.sync.sessionId")
        effect = the_first_turn(demo, "draw support and resistance", session_id)
        assert_levels_drawn(page, effect["commands"])
        page.reload()  # the kept session id: the element lists the same threads
        page.wait_for_function("window.chartControl !== undefined")
        assert page.evaluate("window.chartControl.sync.sessionId") == session_id
    finally:
        demo.stop()


EVERY_VERB = """async () => {
  const { controller, candles, chart } = window.chartControl;
  const t = controller.bars.map((b) => b.time);
  const errors = [];
  controller.callbacks.onError = (error, command) => errors.push(`${command.raw}: ${error}`);
  // prices inside the bars (a drawing outside them is reported as an OutsideBarsWarning)
  const lo = Math.min(...controller.bars.map((b) => b.low));
  const hi = Math.max(...controller.bars.map((b) => b.high));
  const p = (f) => (lo + (hi - lo) * f).toFixed(2);
  const done = controller.execute([
    `SUPPORT:${p(0.3)}`, `RESISTANCE:${p(0.7)}`, `ENTRY:${p(0.5)}`, `TARGET:${p(0.8)}`,
    `STOPLOSS:${p(0.2)}`, `FIBONACCI:${p(0.95)}:${p(0.05)}`,
    `TRENDLINE:${p(0.2)}:${t.at(-80)}:${p(0.5)}:${t.at(-40)}`,
    `PATTERN:DOUBLE_TOP:${t.at(-60)}:${t.at(-20)}`,
    "INDICATOR:SMA:20", "INDICATOR:EMA:50", "INDICATOR:BBANDS", "INDICATOR:VWAP",
    "INDICATOR:RSI", "INDICATOR:MACD", "INDICATOR:VOLUME", "ANALYZE:TECHNICAL",
    "COMPARE:QQQ", `RANGE:${t.at(-120)}:${t.at(-1)}`, "ZOOM:IN",
  ]);
  await controller.idle();
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const trend = controller.trendlines[0].series;
  const compare = controller.comparisons[0].series;
  const range = chart.timeScale().getVisibleLogicalRange();
  return {
    done: done.length, errors,
    priceLines: candles.priceLines().length,
    panes: chart.panes().length,
    snapshot: controller.snapshot(),
    trendEnd: trend.data().at(-1).time === t.at(-1), trendLabel: controller.trendlines[0].label,
    compareTimes: compare.data().length, compareTitle: compare.options().title,
    scaleMode: candles.priceScale().options().mode,
    barsInView: range.to - range.from,
    offsets: offsetsFromPrice(),
  };
}"""

# How far (px) each drawing on the price pane sits from where the candles' scale puts its price,
# per kind: the kit's line series (trendline, neckline, SMA, EMA, Bollinger bands, VWAP) at every
# point in view, the price lines (levels, Fibonacci), the pattern markers (their bar's high or
# low), and the comparison at the bar its percent change counts from (the candle's close there).
OFFSETS = """
function offsetsFromPrice() {
  const { controller, candles, chart } = window.chartControl;
  const off = {};
  const note = (name, a, b) => {
    if (a !== null && b !== null) off[name] = Math.max(off[name] ?? 0, Math.abs(a - b));
  };
  const range = chart.timeScale().getVisibleLogicalRange();
  const inView = (time) => {
    const i = controller.barIndex(time);
    return i !== null && i >= range.from && i <= range.to;
  };
  const lines = [
    ...controller.trendlines.map((d) => ["trendline", d.series]),
    ...controller.patterns.filter((d) => d.series).map((d) => ["neckline", d.series]),
    ...controller.indicators.filter((i) => i.pane === 0)
      .flatMap((i) => i.series.map((s) => [i.name, s])),
  ];
  for (const [name, series] of lines) {
    for (const p of series.data().filter((p) => inView(p.time))) {
      note(name, series.priceToCoordinate(p.value), candles.priceToCoordinate(p.value));
    }
  }
  // labels: each line's own axis label and each price line's read the candles' percent
  const base = controller.bars[controller.percent.index].close;
  const percent = (price) =>
    `${price >= base ? "+" : "−"}${Math.abs((price / base - 1) * 100).toFixed(2)}%`;
  off.wrongLabels = [];
  for (const [name, series] of lines) {
    const value = series.data().at(-1).value;
    if (series.priceFormatter().format(value) !== percent(value)) off.wrongLabels.push(name);
  }
  for (const line of candles.priceLines()) {
    const { price, title } = line.options();
    if (candles.priceFormatter().format(price) !== percent(price)) off.wrongLabels.push(title);
  }
  const comparison = controller.comparisons[0];
  if (comparison && controller.percent) {
    const bar = controller.bars[controller.percent.index];
    const point = comparison.series.data().find((p) => p.time === bar.time);
    const y = comparison.series.priceToCoordinate(point.value);
    note("comparison", y, candles.priceToCoordinate(bar.close));
    off.baseLabel = candles.priceFormatter().format(bar.close);
  }
  return off;
}
"""
EVERY_VERB = EVERY_VERB.replace("async () => {", "async () => {" + OFFSETS, 1)


def test_every_verb_on_the_real_chart(demo, page):
    """The kit against the real lightweight-charts (the unit tests use a fake chart)."""
    open_demo(page, demo)
    result = page.evaluate(EVERY_VERB)
    assert result["errors"] == []
    assert result["done"] == 19
    assert result["priceLines"] == 5 + 7  # five levels, seven Fibonacci ratios
    assert result["panes"] == 4  # prices, RSI, MACD, volume
    assert result["trendEnd"] and result["trendLabel"] == "Uptrend"  # extended to the last bar
    [pattern] = result["snapshot"]["patterns"]
    assert pattern["label"] == "Neckline" and pattern["level"] > 0
    assert result["compareTitle"] == "QQQ" and result["compareTimes"] == 300
    assert result["scaleMode"] == 0  # not the library's percentage mode (see execute.js)
    offsets = result["offsets"]
    assert offsets.pop("baseLabel") == "+0.00%"  # the axis reads percent from the base bar
    assert offsets.pop("wrongLabels") == []  # price lines and the kit's lines read percent
    kinds = {"trendline", "neckline", "SMA", "EMA", "BBANDS", "VWAP", "comparison"}
    assert set(offsets) == kinds, offsets
    assert max(offsets.values()) <= 1.0, offsets  # every drawing on its price, within a pixel
    assert 55 <= result["barsInView"] <= 70  # RANGE showed 120 bars, ZOOM:IN halved them
    assert page.is_visible("#analysis")
    page.screenshot(path=str(BUILD / "e2e-every-verb.png"))

    page.evaluate("window.chartControl.controller.execute('CLEAR:DRAWINGS')")
    assert page.evaluate("window.chartControl.candles.priceLines().length") == 0
    assert page.evaluate("window.chartControl.controller.snapshot().indicators.length") == 7
    page.evaluate("window.chartControl.controller.execute('CLEAR:INDICATOR:RSI')")
    assert page.evaluate("window.chartControl.chart.panes().length") == 3
    page.evaluate("window.chartControl.controller.execute(['ZOOM:FIT', 'CLEAR:ALL'])")
    assert page.evaluate("window.chartControl.chart.panes().length") == 1
    assert page.evaluate("window.chartControl.candles.priceScale().options().mode") == 0


# --- the demo a trader sees, at two sizes -----------------------------------------------------

BOXES = """() => {
  const box = (el) => { if (!el || el.hidden || !el.offsetParent) return null;
    const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  const q = (s) => document.querySelector(s);
  return { card: box(q('#analysis')), messages: box(q('#messages')), form: box(q('#ask')),
    input: box(q('#query')), examples: box(q('.examples')), chat: box(q('.chat')),
    chart: box(q('.chart-panel')), legend: box(q('.legend')), header: box(q('header')),
    viewport: {w: innerWidth, h: innerHeight} };
}"""


def overlaps(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return False
    return (
        a["x"] < b["x"] + b["w"] - 0.5
        and b["x"] < a["x"] + a["w"] - 0.5
        and a["y"] < b["y"] + b["h"] - 0.5
        and b["y"] < a["y"] + a["h"] - 0.5
    )


def assert_layout(page) -> None:
    """Nothing overlaps; the chat keeps a usable width; the input sits off the bottom edge."""
    boxes = page.evaluate(BOXES)
    viewport = boxes["viewport"]
    for a, b in [("card", "messages"), ("card", "form"), ("card", "examples"),
                 ("messages", "form"), ("examples", "form"), ("chat", "chart"),
                 ("header", "chat"), ("header", "chart")]:  # fmt: skip
        assert not overlaps(boxes[a], boxes[b]), (a, b, boxes[a], boxes[b])
    if boxes["card"]:
        assert boxes["card"]["y"] + boxes["card"]["h"] <= boxes["messages"]["y"] + 0.5
    assert boxes["chat"]["w"] >= 300, boxes["chat"]
    assert boxes["chart"]["w"] >= 440, boxes["chart"]
    assert boxes["messages"]["h"] >= 120, boxes["messages"]
    input_bottom = boxes["input"]["y"] + boxes["input"]["h"]
    assert input_bottom <= viewport["h"] - 24, (input_bottom, viewport)
    assert boxes["chat"]["x"] + boxes["chat"]["w"] <= viewport["w"] + 0.5  # no sideways scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["w"]


def shoot(page, name: str, size: str) -> None:
    """Save the step's screenshot in build/screens/, with a 256-colour copy (a third of the
    bytes, no visible difference on this flat dark UI). The copy goes to docs/screenshots/
    (committed, shown by the README) when it is missing or UPDATE_SCREENSHOTS=1: every run
    differs a little (session id, the sample market's day), and a test run should not leave
    the checkout modified."""
    from PIL import Image  # noqa: PLC0415

    page.wait_for_timeout(150)  # let the chart paint its last frame
    viewport = VIEWPORTS[size]
    file = f"{name}-{viewport['width']}x{viewport['height']}.png"
    screens = BUILD / "screens"
    (screens / "small").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screens / file))
    with Image.open(screens / file) as image:
        small = image.convert("RGB").quantize(
            256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
        small.save(screens / "small" / file, optimize=True)
    assert 20_000 < (screens / "small" / file).stat().st_size < 120_000  # a chart; a small file
    if os.environ.get("UPDATE_SCREENSHOTS") == "1" or not (SCREENSHOTS / file).exists():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screens / "small" / file, SCREENSHOTS / file)


def ask(page, demo: DemoServer, query: str) -> dict:
    """Ask through the chat as a user does: the turn's chart effect (its `commands` are all
    its effects' commands; `data` and `text` the last one's), empty if it got none."""
    before = len(chat_turns(demo))
    replies = page.locator("#messages li.agent, #messages li.error").count()
    page.fill("#query", query)
    page.press("#query", "Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#messages li.agent, #messages li.error').length > n",
        arg=replies,
    )
    page.wait_for_function("() => document.querySelector('#progress').hidden")
    page.evaluate("window.chartControl.controller.idle()")
    [turn] = chat_turns(demo)[before:]
    effects = chart_effects(turn)
    merged = {"commands": [c for e in effects for c in e["commands"]], "data": {}, "text": ""}
    return {**merged, **({k: effects[-1][k] for k in ("data", "text")} if effects else {})}


def clear(page, demo: DemoServer) -> None:
    """The Clear example, as the user taps it: nothing drawn, the card hidden."""
    page.click(".examples button:has-text('Clear')")
    page.wait_for_function(
        "() => { const s = window.chartControl.controller.snapshot();"
        " return !s.priceLines.length && !s.indicators.length && !s.trendlines.length"
        " && !s.patterns.length; }"
    )  # drawn when the effect arrives; the turn ends after it:
    page.wait_for_function("() => document.querySelector('#progress').hidden")
    assert page.is_hidden("#analysis")


def chips_of_last_reply(page) -> list[str]:
    """Open the last reply's "commands" toggle: its chips, as shown."""
    reply = page.locator("#messages li.agent").last
    chips = reply.locator(".chip")
    assert not chips.first.is_visible()  # behind the toggle until opened
    reply.locator("summary").click()
    texts = chips.all_inner_texts()
    heights = chips.evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")
    assert all(h < 24 for h in heights), heights  # one line each: nothing wraps
    assert not any(re.search(r"\d{9,}", t) for t in texts), texts  # dates, not unix times
    reply.locator("summary").click()  # closed again for the screenshot
    return texts


def find_a_pattern(page, demo: DemoServer) -> dict:
    """Ask for patterns on charts until one has a pattern (see PATTERN_CHARTS)."""
    for symbol, timeframe in PATTERN_CHARTS:
        if page.input_value("#symbol") != symbol:
            page.select_option("#symbol", symbol)
        page.click(f"#timeframes button:text-is('{timeframe}')")
        wait_for_context(page, symbol, timeframe)
        answer = ask(page, demo, "patterns")
        if any(c.startswith("PATTERN:") for c in answer["commands"]):
            return answer
    pytest.fail(f"no pattern on any of {PATTERN_CHARTS} today")


def query_limit() -> int:
    """chart_action's query length limit, as the OpenAPI document (from the model) says; chatkit
    bounds a message the same way."""
    schema = json.loads((REPO / "docs" / "openapi.json").read_text())
    query = schema["components"]["schemas"]["ChartActionRequest"]["properties"]["query"]
    return next(o["maxLength"] for o in query.get("anyOf", [query]) if "maxLength" in o)


def step_load(page, demo: DemoServer) -> None:
    assert "Sample data" in page.text_content(".legend")


def step_levels(page, demo: DemoServer) -> None:
    answer = ask(page, demo, "draw support and resistance")
    titles = page.evaluate("window.chartControl.candles.priceLines().map(l => l.options().title)")
    assert {"Support", "Resistance"} <= set(titles)
    chips = chips_of_last_reply(page)
    assert any(c.startswith("Support ") for c in chips)
    assert len(chips) == len(answer["commands"])
    assert_levels_drawn(page, answer["commands"])


def step_trendline_fibonacci(page, demo: DemoServer) -> None:
    clear(page, demo)
    answer = ask(page, demo, "trendline and fibonacci")
    assert_levels_drawn(page, answer["commands"])
    snapshot = page.evaluate("window.chartControl.controller.snapshot()")
    [trendline] = snapshot["trendlines"]
    assert trendline["label"] in ("Uptrend", "Downtrend")
    assert page.evaluate(
        "(() => { const c = window.chartControl.controller;"
        " return c.trendlines[0].series.data().at(-1).time === c.bars.at(-1).time; })()"
    )  # extended to the last bar
    assert sum(1 for line in snapshot["priceLines"] if line["kind"] == "FIBONACCI") == 7
    chips = chips_of_last_reply(page)
    assert any(re.match(r"Trendline .* \(\d{1,2} \w{3} \d{4}\) → ", c) for c in chips), chips


def step_technical(page, demo: DemoServer) -> None:
    clear(page, demo)
    answer = ask(page, demo, "technical analysis with the 50 day moving average and rsi")
    assert_levels_drawn(page, answer["commands"])
    assert page.is_visible("#analysis")
    card = page.inner_text("#analysis")
    assert "TECHNICAL ANALYSIS" in card.upper() and "RSI 14" in card and "Trend" in card
    analysis = answer["data"]["analysis"]  # the card shows the effect's data
    assert f"{analysis['rsi_14']:.1f}" in card and f"{analysis['close']:.2f}" in card


def step_patterns(page, demo: DemoServer) -> None:
    clear(page, demo)
    answer = find_a_pattern(page, demo)
    assert_levels_drawn(page, answer["commands"])
    names = [c.split(":")[1] for c in answer["commands"] if c.startswith("PATTERN:")]
    words = [n.lower().replace("_", " ") for n in names]
    markers = page.evaluate(
        "window.chartControl.controller.markers.markers().filter(m => m.text).map(m => m.text)"
    )
    assert sorted(markers) == sorted(words) and "_" not in "".join(markers)
    patterns = page.evaluate("window.chartControl.controller.snapshot().patterns")
    assert all(p["level"] and p["label"] in ("Neckline", "Flat top", "Flat bottom")
               for p in patterns)  # fmt: skip
    sent = answer["data"]["analysis"]["patterns"]
    key = "{name}:{t1}:{t2}".format_map
    assert {key(p): p["level"] for p in patterns} == {key(p): p["level"] for p in sent}
    assert page.evaluate(
        "window.chartControl.controller.patterns.every(p => p.series.data().length === 2)"
    )  # the neckline spans the pattern's two times
    assert words[0] in page.inner_text("#analysis")  # the card names it in words too
    assert words[0] in page.locator("#messages li.agent").last.inner_text()


def step_trade_plan(page, demo: DemoServer) -> None:
    clear(page, demo)
    page.select_option("#symbol", "TSLA")
    page.click("#timeframes button:text-is('1D')")
    wait_for_context(page, "TSLA", "1D")
    answer = ask(page, demo, "trade setup")
    assert_levels_drawn(page, answer["commands"])
    snapshot = page.evaluate("window.chartControl.controller.snapshot()")
    assert {line["kind"] for line in snapshot["priceLines"]} == {"ENTRY", "TARGET", "STOPLOSS"}


def step_clear(page, demo: DemoServer) -> None:
    ask(page, demo, "technical analysis")
    assert page.is_visible("#analysis")
    clear(page, demo)  # the card goes with the drawings
    assert "Clear everything" in page.inner_text("#toast")
    assert chart_effects(chat_turns(demo)[-1])[0]["commands"] == ["CLEAR:ALL"]
    assert_levels_drawn(page, [])


STEPS = [
    ("1-load", step_load), ("2-levels", step_levels),
    ("3-trendline-fibonacci", step_trendline_fibonacci), ("4-technical", step_technical),
    ("5-patterns", step_patterns), ("6-trade-plan", step_trade_plan), ("7-clear", step_clear),
]  # fmt: skip


def check_loading_and_errors(page, demo: DemoServer) -> None:
    """A loading state while a request runs; an over-long question explained with its limit."""
    # the click shows the loading state before any answer can arrive
    loading = page.evaluate(
        "() => { document.querySelector('.examples button').click();"
        " return [!document.querySelector('#progress').hidden,"
        " document.querySelector('#ask button').disabled,"
        " !!document.querySelector('#messages li.pending')]; }"
    )
    assert loading == [True, True, True]
    page.wait_for_function("() => document.querySelector('#progress').hidden")
    # the backend's 400 names the field and its limit; the page says so in words
    limit = query_limit()
    ask(page, demo, "support " + "x" * limit)
    message = page.locator("#messages li.error").last.inner_text()
    assert f"over {limit:,} characters" in message and "Shorten it" in message, message


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_demo_step_by_step(demo, browser_context, size):
    """Load, levels, trendline + Fibonacci, technical, patterns, trade plan, clear — each drawn
    with its labels, the layout intact, a screenshot of each; errors say what to change."""
    errors: list[str] = []
    page = new_page(browser_context, VIEWPORTS[size], errors)
    open_demo(page, demo)
    wait_for_context(page, "TSLA")
    for name, step in STEPS:
        step(page, demo)
        assert_layout(page)
        shoot(page, name, size)
    check_loading_and_errors(page, demo)
    assert_layout(page)
    page.close()
    # the one error Chromium itself logs for that 400; the page logs none
    refused = f"status of 400 (Bad Request) [{demo.url}/api/chatkit]"
    assert [e for e in errors if e.endswith(refused)] == [errors[-1]], errors
    assert errors[:-1] == [], errors
    # one thread for the whole walk, every turn under the page's chart session
    turns = chat_turns(demo)
    assert [t["body"]["type"] for t in turns[:2]] == ["threads.create", "threads.add_user_message"]
    thread_id = sse_events(turns[0]["answer"])[0]["thread"]["id"]
    later = [t["body"] for t in turns[1:]]
    assert all(b["type"] == "threads.add_user_message" for b in later)
    assert {b["params"]["thread_id"] for b in later} == {thread_id}
    assert len({t["session"] for t in turns}) == 1 and turns[0]["session"]
