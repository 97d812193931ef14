"""The kit README's page as a page builder makes it, in a clean folder: `npm pack` the kit,
install the tarball with lightweight-charts and esbuild (offline, from npm's cache, at the
versions of web/package-lock.json), write the README's `index.html`, `main.js` and `bff.mjs`
exactly as the README shows them, build with esbuild, run `bff.mjs`, and drive the page in
Chromium against the real functions — behind the demo server as the load balancer, with a
bearer token and the page's origin in ALLOWED_ORIGINS. Drawings are checked from coordinates
(the chart API's `priceToCoordinate` / `timeToCoordinate`), not by counting series."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devtools.demo_server import DemoConfig, DemoServer, start_demo_server
from devtools.processes import REPO, free_port
from tests.e2e.test_browser import browser_context, new_page  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WEB = REPO / "web"
README = WEB / "README.md"
TOKEN = "walk-token-" + "w4lk" * 6
BLOCK = re.compile(r"<!-- walk: (\S+) -->\n```\w+\n(.*?)```", re.S)
# the packages a page builder installs beside the kit (README "A page, step by step")
THIRD_PARTY = ("lightweight-charts", "fancy-canvas", "esbuild", "@esbuild/")
PIXELS = 1.0  # "on its price": within a pixel


def readme_files() -> dict[str, str]:
    """The files the README's walk shows, by name."""
    files = dict(BLOCK.findall(README.read_text()))
    assert set(files) == {"index.html", "main.js", "bff.mjs"}, set(files)
    return files


def run(command: list[str], cwd: Path) -> str:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done.stdout


def lockfile(tarball: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """package.json and package-lock.json of the clean folder: the kit's tarball, and the
    third-party packages at web/'s locked versions (so `npm ci --offline` needs npm's cache
    only, filled by `make install`)."""
    locked = json.loads((WEB / "package-lock.json").read_text())["packages"]
    version = {
        name: locked[f"node_modules/{name}"]["version"]
        for name in ("lightweight-charts", "esbuild")
    }
    deps = {
        "@chart-control/web-kit": f"file:../{tarball.name}",
        "lightweight-charts": version["lightweight-charts"],
    }
    dev = {"esbuild": version["esbuild"]}
    packages: dict[str, Any] = {"": {"name": "walk", "dependencies": deps, "devDependencies": dev}}
    for key, entry in locked.items():
        name = key.removeprefix("node_modules/")
        if key.startswith("node_modules/") and name.startswith(THIRD_PARTY):
            base = name.rsplit("/", 1)[-1]
            resolved = f"https://registry.npmjs.org/{name}/-/{base}-{entry['version']}.tgz"
            packages[key] = {**entry, "resolved": entry.get("resolved", resolved),
                             "dev": name.startswith(("esbuild", "@esbuild/"))}  # fmt: skip
    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    kit = json.loads((WEB / "package.json").read_text())
    packages["node_modules/@chart-control/web-kit"] = {
        "version": kit["version"], "resolved": f"file:../{tarball.name}",
        "integrity": f"sha512-{digest}", "peerDependencies": kit["peerDependencies"],
        "peerDependenciesMeta": kit.get("peerDependenciesMeta", {}),  # firebase: optional
    }  # fmt: skip
    manifest = {"name": "walk", "private": True, "type": "module", "dependencies": deps,
                "devDependencies": dev}  # fmt: skip
    return manifest, {"name": "walk", "lockfileVersion": 3, "requires": True, "packages": packages}


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    """The clean folder with the README's files, the packed kit installed, the page built."""
    folder = tmp_path_factory.mktemp("readme-walk")
    [packed] = json.loads(run(["npm", "pack", "--json", "--pack-destination", str(folder)], WEB))
    app = folder / "app"
    app.mkdir()
    for name, text in readme_files().items():
        (app / name).write_text(text)
    manifest, lock = lockfile(folder / packed["filename"])
    (app / "package.json").write_text(json.dumps(manifest, indent=2))
    (app / "package-lock.json").write_text(json.dumps(lock, indent=2))
    run(["npm", "ci", "--offline", "--no-audit", "--no-fund"], app)
    esbuild = str(app / "node_modules" / ".bin" / "esbuild")
    run([esbuild, "main.js", "--bundle", "--format=esm", "--outfile=dist/main.js"], app)
    shutil.copyfile(app / "index.html", app / "dist" / "index.html")
    return app


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"bff.mjs did not listen on {port}")


@pytest.fixture
def walk(app: Path, servers_with, clean_firestore) -> Iterator[tuple[str, DemoServer]]:
    """The page's server (the README's bff.mjs) on its own origin, the functions behind the
    demo server as the API's one base URL; the page's `chart-api` meta names that URL."""
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    servers = servers_with(ALLOWED_ORIGINS=origin, CHART_ACTION_TOKEN=TOKEN)
    api = start_demo_server(
        0, servers.update_context_url, servers.chart_action_url, config=DemoConfig()
    )
    page = (app / "index.html").read_text()
    assert 'content="https://chart-api.example.com"' in page
    (app / "dist" / "index.html").write_text(page.replace("https://chart-api.example.com", api.url))
    env = {**os.environ, "CHART_API": api.url, "CHART_ACTION_TOKEN": TOKEN, "PORT": str(port)}
    bff = subprocess.Popen(["node", "bff.mjs"], cwd=app, env=env, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, bff)
        yield origin, api
    finally:
        bff.terminate()
        bff.wait(timeout=10)
        api.stop()


def bars_calls(api: DemoServer) -> list[str]:
    return [c["query"] for c in api.calls if c["path"] == "/api/chatkit/bars"]


def ask(page: Any, query: str) -> None:
    """Ask as the user does, and wait until the reply is drawn (a switch's bars, a COMPARE)."""
    before = page.evaluate("document.querySelector('#status').textContent")
    page.fill("#query", query)
    page.press("#query", "Enter")
    page.wait_for_function("t => document.querySelector('#status').textContent !== t", arg=before)
    page.evaluate("window.chartControl.controller.idle()")


ON_PRICE = """() => {
  // how far (px) every kit line on the price pane and every price line sits from where the
  // candles' scale puts the same price; the comparison against the candle close at its base bar
  const { chart, candles, controller } = window.chartControl;
  const off = {};
  const note = (name, a, b) => {
    if (a !== null && b !== null) off[name] = Math.max(off[name] ?? 0, Math.abs(a - b));
  };
  const overlays = controller.indicators.filter((i) => i.pane === 0);
  const lines = [
    ...controller.trendlines.map((t) => ["trendline", t.series]),
    ...controller.patterns.filter((p) => p.series).map((p) => ["neckline", p.series]),
    ...overlays.flatMap((i) => i.series.map((s) => [i.name, s])),
  ];
  for (const [name, series] of lines) {
    for (const p of series.data()) {
      note(name, series.priceToCoordinate(p.value), candles.priceToCoordinate(p.value));
    }
  }
  const height = chart.panes()[0].getHeight();
  const ys = candles.priceLines()
    .map((l) => [l.options().title, candles.priceToCoordinate(l.options().price)]);
  ys.forEach(([title, y]) => note(title, y, y));
  const onScreen = ys.every(([, y]) => y !== null && y >= 0 && y <= height);
  const comparison = controller.comparisons[0];
  let base = null;
  if (comparison && controller.percent) {
    const bar = controller.bars[controller.percent.index];
    const point = comparison.series.data().find((p) => p.time === bar.time);
    const y = comparison.series.priceToCoordinate(point.value);
    note("comparison at its base", y, candles.priceToCoordinate(bar.close));
    base = candles.priceFormatter().format(bar.close);
  }
  const axis = candles.priceFormatter().format(controller.bars.at(-1).close);
  return { off, onScreen, base, axis };
}"""

TRENDLINE = """() => {
  const { chart, controller } = window.chartControl;
  const [line] = controller.trendlines;
  const data = line.series.data();
  const x = (t) => chart.timeScale().timeToCoordinate(t);
  const bars = controller.bars;
  const first = bars.find((b) => b.time === data[0].time);
  return {
    width: chart.timeScale().width(), x1: x(data[0].time), xEnd: x(data.at(-1).time),
    endsAtLast: data.at(-1).time === bars.at(-1).time, p1: data[0].value, low: first.low,
    high: first.high, label: line.label, index: bars.indexOf(first), bars: bars.length,
  };
}"""


def eventually(check: Any, what: str) -> None:
    deadline = time.monotonic() + 10
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def open_page(page: Any, origin: str, api: DemoServer) -> None:
    """The page shows TSLA 1D from the bars route, labelled as sample data, dates only."""
    page.goto(origin + "/")
    page.wait_for_function("window.chartControl !== undefined")
    assert page.text_content("#title") == "TSLA · 1D · sample data, not real prices"
    assert bars_calls(api) == ["symbol=TSLA&timeframe=1D"]
    assert page.evaluate("window.chartControl.chart.options().timeScale.timeVisible") is False

    def stored() -> bool:  # the page's context is the backend's before the first question
        updates = [c for c in api.calls if c["path"] == "/api/chatkit/update-context"]
        return any(c["status"] == 200 and c["body"].get("symbol") == "TSLA" for c in updates)

    eventually(stored, "update_context stored TSLA 1D")


def levels_on_the_bars(page: Any, api: DemoServer) -> None:
    """The backend's levels on the backend's bars: inside them, on screen, no warning."""
    ask(page, "draw support and resistance")
    [action] = [c for c in api.calls if c["path"] == "/api/chatkit/chart-action"]
    assert action["status"] == 200 and action["body"]["session_id"]  # the BFF added the token
    levels = action["answer"]["data"]["levels"]
    assert levels["support"] and levels["resistance"]
    drawn = page.evaluate("window.chartControl.candles.priceLines().map(l => l.options().price)")
    assert sorted(drawn) == sorted(levels["support"] + levels["resistance"])
    low, high = page.evaluate(
        "(() => { const b = window.chartControl.controller.bars;"
        " return [Math.min(...b.map(x => x.low)), Math.max(...b.map(x => x.high))]; })()"
    )
    assert all(low <= p <= high for p in drawn)
    assert page.evaluate(ON_PRICE)["onScreen"]
    assert "outside" not in page.text_content("#status")


DIRECT_ACTION = """async () => {
  // what a page that calls chart_action's POST itself gets: the documented answer, readable
  // (CORS on the error too): 401, the token is missing; never a silent "blocked by CORS"
  const api = document.querySelector('meta[name="chart-api"]').content;
  const response = await fetch(`${api}/api/chatkit/chart-action`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query: "support" }),
  });
  return { status: response.status, body: await response.json() };
}"""


def the_page_cannot_ask_chart_action_itself(page: Any) -> None:
    answer = page.evaluate(DIRECT_ACTION)
    assert answer["status"] == 401 and answer["body"]["error"]["code"] == "unauthorized"


def a_visible_trendline(page: Any) -> None:
    """From the swing the README's rule names (in the first three quarters) to the last bar,
    its label at its start, far left of the price labels at the right edge."""
    ask(page, "trendline")
    trend = page.evaluate(TRENDLINE)
    assert trend["endsAtLast"] and trend["index"] <= 0.75 * trend["bars"]
    swing = trend["low"] if trend["label"] == "Uptrend" else trend["high"]
    assert trend["p1"] == pytest.approx(swing, abs=0.01)
    assert trend["xEnd"] - trend["x1"] >= 0.25 * trend["width"] - 8  # spans the last quarter
    assert trend["x1"] <= trend["width"] - 200  # the label, written at x1, is clear of the stack


def a_comparison_keeps_every_drawing_on_its_price(page: Any, api: DemoServer) -> dict:
    ask(page, "add the 50 day moving average")
    before = page.evaluate(ON_PRICE)
    ask(page, "compare with QQQ")
    assert "symbol=QQQ&timeframe=1D" in bars_calls(api)
    compared = page.evaluate(ON_PRICE)
    expected = {"trendline", "SMA", "Support", "Resistance", "comparison at its base"}
    assert set(compared["off"]) >= expected, compared["off"]
    assert max(compared["off"].values()) <= PIXELS, compared["off"]
    assert compared["base"] == "+0.00%" and compared["axis"].endswith("%")
    assert compared["onScreen"]
    ask(page, "clear everything")
    cleared = page.evaluate(ON_PRICE)
    assert cleared["axis"] == before["axis"] and not cleared["axis"].endswith("%")  # prices
    return compared["off"]


def one_switch_for_load_and_timeframe(page: Any, api: DemoServer) -> None:
    fetched = len(bars_calls(api))
    ask(page, "show NVDA weekly")
    page.wait_for_function("document.querySelector('#title').textContent.startsWith('NVDA · 1W')")
    assert bars_calls(api)[fetched:] == ["symbol=NVDA&timeframe=1W"]  # one fetch, not two
    assert page.input_value("#symbol") == "NVDA" and page.input_value("#timeframe") == "1W"


def an_intraday_axis(page: Any, api: DemoServer) -> None:
    page.select_option("#timeframe", "1H")
    page.wait_for_function("document.querySelector('#title').textContent.startsWith('NVDA · 1H')")
    assert page.evaluate("window.chartControl.chart.options().timeScale.timeVisible") is True

    def synced() -> bool:
        updates = [c for c in api.calls if c["path"] == "/api/chatkit/update-context"]
        last = updates[-1] if updates else {"body": {}, "status": 0}
        return last["body"].get("timeframe") == "1H" and last["status"] == 200

    eventually(synced, "update_context stored NVDA 1H")  # (a 503/504 on the way is retried)


def test_the_readme_page_in_a_clean_folder(walk, browser_context):  # noqa: F811 - the fixture
    origin, api = walk
    errors: list[str] = []
    page = new_page(browser_context, {"width": 1280, "height": 800}, errors)
    open_page(page, origin, api)
    levels_on_the_bars(page, api)
    the_page_cannot_ask_chart_action_itself(page)
    a_visible_trendline(page)
    offsets = a_comparison_keeps_every_drawing_on_its_price(page, api)
    print("COMPARE offsets (px):", json.dumps(offsets))
    one_switch_for_load_and_timeframe(page, api)
    an_intraday_axis(page, api)
    page.close()
    refused = [e for e in errors if "401 (Unauthorized)" in e]  # Chromium logs the direct call
    assert len(refused) == 1 and errors == refused, errors
