import { test } from "node:test";
import assert from "node:assert/strict";
import { ChartController, COLORS, executeCommands } from "../src/execute.js";
import { bars, fakeChart, fakeSeries, lib } from "./fake-chart.js";

function setup(callbacks = {}) {
  const chart = fakeChart();
  const candles = fakeSeries("Candlestick");
  const controller = new ChartController(chart, candles, lib, callbacks);
  controller.setBars(bars());
  return { chart, candles, controller };
}

const lineOptions = (series) => series.priceLines().map((l) => l.options());

test("levels become labelled, colour-coded price lines", () => {
  const { candles, controller } = setup();
  controller.execute(["SUPPORT:95.50", "RESISTANCE:110.25", "ENTRY:100", "TARGET:108", "STOPLOSS:94"]);
  const options = lineOptions(candles);
  assert.deepEqual(options.map((o) => o.price), [95.5, 110.25, 100, 108, 94]);
  assert.deepEqual(options.map((o) => o.title), ["Support", "Resistance", "Entry", "Target", "Stop"]);
  assert.deepEqual(options.map((o) => o.color),
    [COLORS.SUPPORT, COLORS.RESISTANCE, COLORS.ENTRY, COLORS.TARGET, COLORS.STOPLOSS]);
  assert.ok(options.every((o) => o.axisLabelVisible));
  assert.equal(new Set(options.map((o) => o.color)).size, 5);
});

test("the same level asked twice is drawn once", () => {
  const { candles, controller } = setup();
  controller.execute("SUPPORT:95.50\nSUPPORT:95.50\nRESISTANCE:95.50");
  assert.equal(candles.priceLines().length, 2);
});

test("fibonacci draws its retracement levels", () => {
  const { candles, controller } = setup();
  controller.execute("FIBONACCI:200.00:100.00");
  const options = lineOptions(candles);
  assert.deepEqual(options.map((o) => Math.round(o.price * 10) / 10), [200, 176.4, 161.8, 150, 138.2, 121.4, 100]);
  assert.deepEqual(options.map((o) => o.title),
    ["Fib 0.0%", "Fib 23.6%", "Fib 38.2%", "Fib 50.0%", "Fib 61.8%", "Fib 78.6%", "Fib 100.0%"]);
  assert.ok(options.every((o) => o.color === COLORS.FIBONACCI));
});

test("indicators: overlays on the price pane, oscillators each in their own pane", () => {
  const { chart, controller } = setup();
  controller.execute(["INDICATOR:SMA:50", "INDICATOR:EMA:20", "INDICATOR:BBANDS", "INDICATOR:VWAP",
    "INDICATOR:RSI:14", "INDICATOR:MACD", "INDICATOR:VOLUME"]);
  assert.deepEqual(controller.snapshot().indicators.map((i) => i.name), ["SMA", "EMA", "BBANDS", "VWAP", "RSI", "MACD", "VOLUME"]);
  assert.equal(chart.series.length, 1 + 1 + 3 + 1 + 1 + 3 + 1);
  const inPane = (pane) => chart.series.filter((s) => s.pane === pane).length;
  assert.equal(inPane(0), 6); // SMA, EMA, 3 bands, VWAP
  assert.deepEqual([1, 2, 3].map(inPane), [1, 3, 1]); // RSI, MACD, VOLUME
  assert.ok(chart.panes().slice(1).every((p) => p.stretch < 1)); // oscillator panes stay small
  const [sma50, , , , , , rsi14] = chart.series;
  assert.equal(sma50.data.length, 120 - 49);
  assert.ok(rsi14.data.every((p) => p.value >= 0 && p.value <= 100));
  assert.deepEqual(rsi14.priceLines().map((l) => l.options().price), [70, 30]);
});

test("indicators: the same one twice is added once; a new period is another line", () => {
  const { chart, controller } = setup();
  controller.execute(["INDICATOR:SMA:50", "INDICATOR:SMA:50", "INDICATOR:SMA:200"]);
  assert.equal(chart.series.length, 2);
  assert.equal(chart.series[1].data.length, 0); // 200 bars needed, 120 loaded: empty, no error
});

test("trendline is a line series; pattern is a pair of markers named at its start", () => {
  const { chart, candles, controller } = setup();
  controller.execute(["TRENDLINE:110.00:1700864000:100.00:1700000000", "PATTERN:DOUBLE_TOP:1700864000:1700000000",
    "PATTERN:HEAD_AND_SHOULDERS:1700086400:1700950400"]);
  assert.deepEqual(chart.series[0].data, [{ time: 1700000000, value: 100 }, { time: 1700864000, value: 110 }]);
  const markers = candles.markersPlugin.markers;
  assert.deepEqual(markers.map((m) => m.time), [1700000000, 1700086400, 1700864000, 1700950400]);
  assert.deepEqual(markers.filter((m) => m.text).map((m) => m.text), ["double top", "head and shoulders"]);
  assert.equal(controller.snapshot().patterns.length, 2);
});

test("a command that cannot be drawn is skipped and reported; the rest still run", () => {
  const errors = [];
  const { candles, controller } = setup({ onError: (error, command) => errors.push(command.raw) });
  candles.createPriceLine = ((original) => (opts) => {
    if (opts.price === 13) throw new Error("boom");
    return original(opts);
  })(candles.createPriceLine);
  const done = controller.execute(["TRENDLINE:1.00:5:2.00:5", "SUPPORT:13", "SUPPORT:14"]);
  assert.deepEqual(done, ["SUPPORT:14"]); // a zero-length trendline is not drawn either
  assert.deepEqual(errors, ["SUPPORT:13"]);
});

test("clear removes drawings, indicators or everything — never the page's own series", () => {
  const { chart, candles, controller } = setup();
  const pageSeries = chart.addSeries("Line", {});
  controller.execute(["SUPPORT:1", "TRENDLINE:1:1:2:2", "INDICATOR:RSI", "PATTERN:DOUBLE_TOP:1:2"]);
  controller.execute("CLEAR:DRAWINGS");
  assert.equal(candles.priceLines().length, 0);
  assert.equal(candles.markersPlugin.markers.length, 0);
  assert.equal(chart.series.length, 2); // the page's series and the RSI stay
  controller.execute("CLEAR:INDICATORS");
  assert.deepEqual(chart.series, [pageSeries]);
  controller.execute(["SUPPORT:1", "INDICATOR:SMA", "CLEAR"]);
  assert.deepEqual(controller.snapshot(), { priceLines: [], indicators: [], trendlines: [], patterns: [] });
  assert.deepEqual(chart.series, [pageSeries]);
});

test("LOAD, TIMEFRAME and ANALYZE go to the page; they clear old drawings but keep indicators", () => {
  const calls = [];
  const { candles, controller } = setup({
    onLoad: (s) => calls.push(["load", s]),
    onTimeframe: (t) => calls.push(["tf", t]),
    onAnalyze: (k) => calls.push(["analyze", k]),
  });
  controller.execute(["SUPPORT:5", "INDICATOR:EMA:9"]);
  const done = executeCommands(controller, { chart_commands: ["LOAD:NVDA", "TIMEFRAME:1W", "ANALYZE:PATTERNS", "SUPPORT:7", "BOGUS:1"] });
  assert.deepEqual(done, ["LOAD:NVDA", "TIMEFRAME:1W", "ANALYZE:PATTERNS", "SUPPORT:7"]);
  assert.deepEqual(calls, [["load", "NVDA"], ["tf", "1W"], ["analyze", "PATTERNS"]]);
  assert.deepEqual(candles.priceLines().map((l) => l.options().price), [7]);
  assert.deepEqual(controller.snapshot().indicators, [{ name: "EMA", period: 9 }]);
});

test("executes agent text and MCP results as well as chart_action responses", () => {
  const { candles, controller } = setup();
  controller.execute("Here you go:\n- `SUPPORT:90.00`\n- **RESISTANCE:120.00**\nAnything else?");
  controller.execute({ structuredContent: { chart_commands: ["TARGET:130"] } });
  assert.deepEqual(candles.priceLines().map((l) => l.options().title), ["Support", "Resistance", "Target"]);
});

test("indicators follow new bars", () => {
  const { chart, controller } = setup();
  controller.execute("INDICATOR:SMA:10");
  controller.setBars(bars(60));
  assert.equal(chart.series.length, 1);
  assert.equal(chart.series[0].data.length, 51);
});
