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

test("a trendline is extended along its slope (in bars, not seconds) to the last bar and labelled", () => {
  const { chart, controller } = setup();
  const t = controller.bars.map((b) => b.time);
  controller.execute([`TRENDLINE:110.00:${t[60]}:100.00:${t[40]}`]);
  const [line] = chart.series;
  // 10 points down per 20 bars going back, so +0.5 a bar from bar 60 to the last bar (119)
  assert.deepEqual(line.data, [{ time: t[40], value: 100 }, { time: t[60], value: 110 }, { time: t[119], value: 139.5 }]);
  // both swings marked, the name at the first one, under the line: not in the price-axis stack
  assert.deepEqual(line.markersPlugin.markers.map((m) => [m.time, m.text, m.position]),
    [[t[40], "Uptrend", "belowBar"], [t[60], undefined, "belowBar"]]);
  assert.ok(!line.options.lastValueVisible && line.options.title === "");
  controller.execute([`TRENDLINE:100.00:${t[10]}:90.00:${t[20]}`]);
  assert.deepEqual(chart.series[1].markersPlugin.markers.map((m) => [m.text, m.position]),
    [["Downtrend", "aboveBar"], [undefined, "aboveBar"]]);
  assert.equal(chart.series[1].data.at(-1).value > 0, true); // a line that would cross zero stops earlier
});

test("a trendline ending at the last bar, or outside the bars, is drawn as given", () => {
  const { chart, controller } = setup();
  const t = controller.bars.map((b) => b.time);
  controller.execute([`TRENDLINE:100:${t[100]}:110:${t[119]}`, "TRENDLINE:110.00:1:100.00:2"]);
  assert.deepEqual(chart.series.map((s) => s.data.length), [2, 2]);
});

test("a pattern is its neckline between its times, named at its start in words", () => {
  const { chart, candles, controller } = setup();
  const t = controller.bars.map((b) => b.time);
  const lowest = Math.min(...controller.bars.slice(31, 60).map((b) => b.low));
  controller.execute([`PATTERN:DOUBLE_TOP:${t[60]}:${t[30]}`, `PATTERN:INVERSE_HEAD_AND_SHOULDERS:${t[70]}:${t[100]}`,
    `PATTERN:ASCENDING_TRIANGLE:${t[80]}:${t[110]}`]);
  const [top, inverse, triangle] = chart.series;
  assert.deepEqual(top.data, [{ time: t[30], value: lowest }, { time: t[60], value: lowest }]);
  assert.deepEqual([top, inverse, triangle].map((s) => s.options.title), ["Neckline", "Neckline", "Flat top"]);
  const highest = Math.max(...controller.bars.slice(80, 111).map((b) => b.high));
  assert.equal(triangle.data[0].value, highest);
  const markers = candles.markersPlugin.markers;
  assert.deepEqual(markers.map((m) => m.time), [t[30], t[60], t[70], t[80], t[100], t[110]]);
  assert.deepEqual(markers.filter((m) => m.text).map((m) => m.text),
    ["double top", "inverse head and shoulders", "ascending triangle"]);
  assert.deepEqual(markers.filter((m) => m.text).map((m) => m.position), ["aboveBar", "belowBar", "belowBar"]);
  assert.deepEqual(controller.snapshot().patterns.map((p) => p.label), ["Neckline", "Neckline", "Flat top"]);
});

test("a chart_action response's pattern level wins over the kit's estimate", () => {
  const { chart, controller } = setup();
  const t = controller.bars.map((b) => b.time);
  controller.execute({
    chart_commands: [`PATTERN:HEAD_AND_SHOULDERS:${t[20]}:${t[50]}`, "PATTERN:DOUBLE_TOP:1:2"],
    data: { analysis: { patterns: [{ name: "HEAD_AND_SHOULDERS", t1: t[20], t2: t[50], level: 97.25 }] } },
  });
  assert.deepEqual(chart.series[0].data.map((p) => p.value), [97.25, 97.25]);
  assert.equal(chart.series.length, 1); // outside the bars: markers only, no guessed line
  assert.equal(controller.snapshot().patterns[1].level, null);
});

test("a command that cannot be drawn is skipped and reported; the rest still run", () => {
  const errors = [];
  const { candles, controller } = setup({ onError: (error, command) => errors.push(command.raw) });
  candles.createPriceLine = ((original) => (opts) => {
    if (opts.price === 93) throw new Error("boom");
    return original(opts);
  })(candles.createPriceLine);
  const done = controller.execute(["TRENDLINE:100.00:5:102.00:5", "SUPPORT:93", "SUPPORT:94"]);
  assert.deepEqual(done, ["SUPPORT:94"]); // a zero-length trendline is not drawn either
  assert.deepEqual(errors, ["SUPPORT:93"]);
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
  assert.deepEqual(controller.snapshot(), { priceLines: [], indicators: [], trendlines: [], patterns: [], comparisons: [] });
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
  assert.deepEqual(controller.snapshot().indicators.map(({ name, period, label }) => ({ name, period, label })),
    [{ name: "EMA", period: 9, label: "EMA 9" }]);
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

test("CLEAR removes one kind of drawing or one indicator and leaves the rest", () => {
  const { chart, candles, controller } = setup();
  const t = controller.bars.map((b) => b.time);
  const draw = () => controller.execute(["SUPPORT:95", "TARGET:120", "FIBONACCI:110:90", `TRENDLINE:95:${t[10]}:100:${t[50]}`,
    `PATTERN:DOUBLE_TOP:${t[60]}:${t[90]}`, "INDICATOR:SMA:20", "INDICATOR:SMA:50", "INDICATOR:RSI"]);
  const kinds = () => {
    const s = controller.snapshot();
    return { levels: s.priceLines.filter((l) => l.kind !== "FIBONACCI").length, fib: s.priceLines.filter((l) => l.kind === "FIBONACCI").length,
      trendlines: s.trendlines.length, patterns: s.patterns.length, indicators: s.indicators.map((i) => i.label) };
  };
  draw();
  assert.deepEqual(kinds(), { levels: 2, fib: 7, trendlines: 1, patterns: 1, indicators: ["SMA 20", "SMA 50", "RSI 14"] });
  controller.execute("CLEAR:LEVELS");
  assert.deepEqual(kinds(), { levels: 0, fib: 7, trendlines: 1, patterns: 1, indicators: ["SMA 20", "SMA 50", "RSI 14"] });
  controller.execute("CLEAR:FIBONACCI");
  assert.equal(candles.priceLines().length, 0);
  controller.execute("CLEAR:TRENDLINES");
  assert.deepEqual(kinds().trendlines, 0);
  controller.execute("CLEAR:PATTERNS");
  assert.deepEqual([kinds().patterns, candles.markersPlugin.markers.length], [0, 0]);
  controller.execute("CLEAR:INDICATOR:SMA");
  assert.deepEqual(kinds().indicators, ["RSI 14"]);
  assert.equal(chart.series.length, 1); // trendline, neckline and both SMAs gone; the RSI stays
  assert.deepEqual(controller.execute(["CLEAR:INDICATOR:MACD", "CLEAR:LEVELS"]), ["CLEAR:INDICATOR:MACD", "CLEAR:LEVELS"]);
});

function setupWithOtherBars(otherBars) {
  const asked = [];
  const errors = [];
  const result = setup({
    loadBars: async (symbol, timeframe) => {
      asked.push([symbol, timeframe]);
      if (otherBars instanceof Error) throw otherBars;
      return otherBars;
    },
    onError: (error, command) => errors.push([command.raw, String(error)]),
  });
  result.controller.setBars(bars(), { symbol: "TSLA", timeframe: "1D" });
  return { ...result, asked, errors };
}

test("COMPARE overlays the other symbol's closes at this chart's bar times, on a percent scale", async () => {
  const other = bars(200).map((b, i) => ({ ...b, time: b.time - 50 * 86400 + 43200, close: 50 + i })); // another calendar
  const { chart, candles, controller, asked } = setupWithOtherBars(other);
  assert.deepEqual(controller.execute(["COMPARE:RIVN", "COMPARE:RIVN"]), ["COMPARE:RIVN"]);
  await controller.idle();
  assert.deepEqual(asked, [["RIVN", "1D"]]);
  const [overlay] = chart.series;
  assert.equal(overlay.options.title, "RIVN");
  assert.equal(overlay.data.length, 120);
  assert.deepEqual(overlay.data.map((p) => p.time), controller.bars.map((b) => b.time)); // no new slots on the axis
  // as of the bar's time (the other's bar 12 h earlier, close 50 + 49), scaled onto the candles
  // at the first bar in view: both start there, at 0%
  const first = controller.bars[0].close;
  const scale = first / (50 + 49);
  overlay.data.forEach((p, i) => assert.ok(Math.abs(p.value - (50 + 49 + i) * scale) < 1e-9));
  assert.equal(candles.scale.mode, 0); // not the library's percentage mode: drawings keep their prices
  const format = candles.options.priceFormat;
  assert.equal(format.type, "custom");
  assert.deepEqual([first, first * 1.05, first * 0.9].map(format.formatter), ["+0.00%", "+5.00%", "−10.00%"]);
  chart.timeScale().setVisibleLogicalRange({ from: 59.6, to: 119 }); // the user pans: from bar 60
  chart.timeScale().listeners.forEach((f) => f());
  assert.ok(Math.abs(overlay.data[60].value - controller.bars[60].close) < 1e-9);
  assert.equal(format.formatter(controller.bars[60].close), "+0.00%");
  assert.deepEqual(controller.snapshot().comparisons.map((c) => c.symbol), ["RIVN"]);
  controller.setBars(bars(100), { timeframe: "1W" }); // a new timeframe reloads the comparison
  await controller.idle();
  assert.deepEqual(asked.at(-1), ["RIVN", "1W"]);
  controller.execute("CLEAR:DRAWINGS");
  assert.equal(chart.series.length, 1); // a comparison is not a drawing
  controller.execute("CLEAR:ALL");
  assert.deepEqual([chart.series.length, candles.scale.mode], [0, 0]);
  assert.equal(candles.options.priceFormat.type, "price"); // prices again
  assert.equal(chart.timeScale().listeners.size, 0);
});

test("COMPARE that cannot load its bars is reported and removed; without loadBars it is an error", async () => {
  const { chart, candles, controller, errors } = setupWithOtherBars(new Error("no bars for RIVN"));
  controller.execute("COMPARE:RIVN");
  await controller.idle();
  assert.deepEqual(errors, [["COMPARE:RIVN", "Error: no bars for RIVN"]]);
  assert.deepEqual([chart.series.length, candles.scale.mode], [0, 0]);
  const reported = [];
  const plain = setup({ onError: (error, command) => reported.push(command.raw) });
  assert.deepEqual(plain.controller.execute("COMPARE:RIVN"), []);
  assert.deepEqual(reported, ["COMPARE:RIVN"]);
});

test("COMPARE cleared before its bars arrive draws nothing", async () => {
  let release;
  const { chart, controller } = setup({ loadBars: () => new Promise((resolve) => { release = resolve; }) });
  controller.execute(["COMPARE:QQQ", "CLEAR"]);
  release(bars());
  await controller.idle();
  assert.equal(chart.series.length, 0);
});

test("RANGE shows two times; ZOOM halves or doubles the bars in view, keeping the latest, or fits", () => {
  const { chart, controller } = setup();
  const t = controller.bars.map((b) => b.time);
  controller.execute(`RANGE:${t[10]}:${t[40]}`);
  assert.deepEqual(chart.timeScale().getVisibleLogicalRange(), { from: 10, to: 40 });
  controller.execute([`RANGE:${t[0] - 86400 * 30}:${t[119] + 86400}`, "ZOOM:IN"]); // beyond the bars: all of them, halved
  assert.deepEqual(chart.timeScale().getVisibleLogicalRange(), { from: 59.5, to: 119 });
  chart.timeScale().setVisibleLogicalRange({ from: 60, to: 120 });
  controller.execute("ZOOM:IN");
  assert.deepEqual(chart.timeScale().getVisibleLogicalRange(), { from: 90, to: 120 });
  controller.execute(["ZOOM:IN", "ZOOM:IN", "ZOOM:IN"]);
  assert.deepEqual(chart.timeScale().getVisibleLogicalRange(), { from: 110, to: 120 }); // at least 10 bars
  controller.execute("ZOOM:OUT");
  assert.deepEqual(chart.timeScale().getVisibleLogicalRange(), { from: 100, to: 120 });
  controller.execute("ZOOM:FIT");
  assert.equal(chart.timeScale().fitted, 1);
  controller.execute(["ZOOM:OUT", "ZOOM:OUT", "ZOOM:OUT"]); // past every bar: fit instead
  assert.equal(chart.timeScale().fitted, 2);
});
