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

test("levels become labelled, colour-coded price lines", () => {
  const { candles, controller } = setup();
  controller.execute(["SUPPORT:95.50", "RESISTANCE:110.25", "ENTRY:100", "TARGET:108", "STOPLOSS:94"]);
  const options = candles.priceLines().map((l) => l.options());
  assert.deepEqual(options.map((o) => o.price), [95.5, 110.25, 100, 108, 94]);
  assert.equal(options[0].color, COLORS.SUPPORT);
  assert.equal(options[1].color, COLORS.RESISTANCE);
  assert.match(options[0].title, /^S 95.5/);
  assert.match(options[4].title, /^Stop/);
});

test("fibonacci draws its retracement levels", () => {
  const { candles, controller } = setup();
  controller.execute("FIBONACCI:200.00:100.00");
  const prices = candles.priceLines().map((l) => l.options().price);
  assert.deepEqual(prices.map((p) => Math.round(p * 10) / 10), [200, 176.4, 161.8, 150, 138.2, 121.4, 100]);
});

test("indicators: overlays on the price pane, oscillators in their own panes", () => {
  const { chart, controller } = setup();
  controller.execute(["INDICATOR:SMA:50", "INDICATOR:EMA:20", "INDICATOR:BBANDS", "INDICATOR:VWAP",
    "INDICATOR:RSI:14", "INDICATOR:MACD", "INDICATOR:VOLUME"]);
  const panes = chart.series.map((s) => s.pane);
  assert.deepEqual(controller.snapshot().indicators.map((i) => i.name), ["SMA", "EMA", "BBANDS", "VWAP", "RSI", "MACD", "VOLUME"]);
  assert.equal(chart.series.length, 1 + 1 + 3 + 1 + 1 + 3 + 1);
  assert.deepEqual(panes.slice(0, 6), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(new Set(panes.slice(6)), new Set([1, 2, 3]));
  assert.equal(chart.series[0].data.length, 120 - 49); // SMA 50 over 120 bars
  assert.ok(chart.series[6].data.every((p) => p.value >= 0 && p.value <= 100)); // RSI
});

test("trendline and pattern are a line series and markers", () => {
  const { chart, candles, controller } = setup();
  controller.execute(["TRENDLINE:110.00:1700864000:100.00:1700000000", "PATTERN:DOUBLE_TOP:1700000000:1700864000"]);
  assert.deepEqual(chart.series[0].data.map((p) => p.time), [1700000000, 1700864000]);
  assert.equal(candles.markersPlugin.markers.length, 2);
  assert.equal(controller.snapshot().patterns, 1);
});

test("clear removes drawings, indicators or everything", () => {
  const { chart, candles, controller } = setup();
  controller.execute(["SUPPORT:1", "TRENDLINE:1:1:2:2", "INDICATOR:RSI", "PATTERN:DOUBLE_TOP:1:2"]);
  controller.execute("CLEAR:DRAWINGS");
  assert.equal(candles.priceLines().length, 0);
  assert.equal(candles.markersPlugin.markers.length, 0);
  assert.equal(chart.series.length, 1); // the RSI stays
  controller.execute("CLEAR:INDICATORS");
  assert.equal(chart.series.length, 0);
  controller.execute(["SUPPORT:1", "INDICATOR:SMA", "CLEAR:ALL"]);
  assert.deepEqual(controller.snapshot(), { priceLines: [], indicators: [], trendlines: 0, patterns: 0 });
});

test("LOAD, TIMEFRAME and ANALYZE go to the page's callbacks; LOAD clears old drawings", () => {
  const calls = [];
  const { candles, controller } = setup({
    onLoad: (s) => calls.push(["load", s]),
    onTimeframe: (t) => calls.push(["tf", t]),
    onAnalyze: (k) => calls.push(["analyze", k]),
  });
  controller.execute("SUPPORT:5");
  const done = executeCommands(controller, { chart_commands: ["LOAD:NVDA", "TIMEFRAME:1W", "ANALYZE:PATTERNS", "SUPPORT:7", "BOGUS:1"] });
  assert.deepEqual(done, ["LOAD", "TIMEFRAME", "ANALYZE", "SUPPORT"]);
  assert.deepEqual(calls, [["load", "NVDA"], ["tf", "1W"], ["analyze", "PATTERNS"]]);
  assert.deepEqual(candles.priceLines().map((l) => l.options().price), [7]);
});

test("indicators follow new bars", () => {
  const { chart, controller } = setup();
  controller.execute("INDICATOR:SMA:10");
  controller.setBars(bars(60));
  assert.equal(chart.series.length, 1);
  assert.equal(chart.series[0].data.length, 51);
});
