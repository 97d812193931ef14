import { test } from "node:test";
import assert from "node:assert/strict";
import { chartDocument, documentCommands, redrawsDocument } from "../src/document.js";
import { ChartController } from "../src/execute.js";
import { syncContext } from "../src/sync.js";
import { bars, fakeChart, fakeSeries, lib } from "./fake-chart.js";

const DOC = {
  symbol: "TSLA", timeframe: "1D", version: 3,
  drawings: [{ id: "d1", kind: "support", command: "SUPPORT:95.50" }, { id: "d3", kind: "resistance", command: "RESISTANCE:110.25" }],
  indicators: [{ id: "d2", name: "RSI", command: "INDICATOR:RSI" }],
  overlays: [],
  view: null,
};

function page() {
  const controller = new ChartController(fakeChart(), fakeSeries("Candlestick"), lib);
  controller.setBars(bars(), { symbol: "TSLA", timeframe: "1D" });
  const shown = [];
  const showChart = async (chart) => { shown.push(chart); controller.setBars(bars(), chart); };
  const posted = [];
  const fetch = async (url, init) => {
    posted.push({ url, body: JSON.parse(init.body) });
    return { ok: true, status: 200, json: async () => ({ success: true, chart: DOC }) };
  };
  return { controller, shown, showChart, posted, fetch };
}

test("the document's command lines: indicators, overlays, drawings, then the view", () => {
  assert.deepEqual(documentCommands({ ...DOC, view: { t1: 1, t2: 5, zoom: null } }),
    ["INDICATOR:RSI", "SUPPORT:95.50", "RESISTANCE:110.25", "RANGE:1:5"]);
  assert.deepEqual(documentCommands({ ...DOC, drawings: [], indicators: [], view: { zoom: "IN" } }), ["ZOOM:IN"]);
});

test("a reload draws the session's document: one POST, then everything on it", async () => {
  const { controller, showChart, posted, fetch } = page();
  const sync = { sessionId: "s".repeat(20), setThread() {} };
  const view = chartDocument({ url: "/api/chatkit/chart-document", sync, controller, showChart, fetch });
  controller.execute(["TRENDLINE:90:1700000000:100:1700864000"]); // stale: not in the document
  await view.load("thr_1");
  assert.deepEqual(posted, [{ url: "/api/chatkit/chart-document", body: { session_id: sync.sessionId, thread_id: "thr_1" } }]);
  const drawn = controller.snapshot();
  assert.deepEqual(drawn.priceLines.map((l) => l.price), [95.5, 110.25]);
  assert.deepEqual(drawn.indicators.map((i) => i.name), ["RSI"]);
  assert.deepEqual(drawn.trendlines, []);
});

test("another chart in the document is shown first, its drawings once its bars are in", async () => {
  const { controller, shown, showChart, fetch } = page();
  const sync = { sessionId: "s".repeat(20) };
  const view = chartDocument({ url: "/doc", sync, controller, showChart, fetch });
  await view.afterAnswer({ commands: ["LOAD:NVDA", "SUPPORT:95.50"], data: { chart: { ...DOC, symbol: "NVDA" } } });
  assert.deepEqual(shown, [{ symbol: "NVDA", timeframe: "1D" }]);
  assert.equal(controller.snapshot().priceLines.length, 2);
});

test("REMOVE by id redraws the document; answers without a switch or a REMOVE are left alone", async () => {
  assert.equal(redrawsDocument(["REMOVE:d3"]), true);
  assert.equal(redrawsDocument(["TIMEFRAME:1W", "SUPPORT:1"]), true);
  assert.equal(redrawsDocument(["SUPPORT:1", "CLEAR:LEVELS"]), false);
  const { controller, showChart, fetch } = page();
  const view = chartDocument({ url: "/doc", sync: { sessionId: "x".repeat(20) }, controller, showChart, fetch });
  controller.execute(["SUPPORT:95.50", "RESISTANCE:110.25", "SUPPORT:90"]);
  await view.afterAnswer({ commands: ["REMOVE:d4"], data: { chart: DOC } });
  assert.deepEqual(controller.snapshot().priceLines.map((l) => l.price), [95.5, 110.25]);
});

test("syncContext reports the thread the page shows, and a thread change is sent again", async () => {
  const bodies = [];
  const fetch = async (_url, init) => {
    bodies.push(JSON.parse(init.body));
    return { status: 200, json: async () => ({ success: true }) };
  };
  const sync = syncContext({ url: "/u", sessionId: "s".repeat(20), debounceMs: 0, fetch });
  await sync.update({ symbol: "TSLA", timeframe: "1D" });
  sync.setThread("thr_a");
  await sync.update({ symbol: "TSLA", timeframe: "1D" });
  assert.equal(bodies.length, 2);
  assert.equal(bodies[0].thread_id, undefined);
  assert.equal(bodies[1].thread_id, "thr_a");
});
