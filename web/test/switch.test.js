// The kit switching the chart itself (show, LOAD/TIMEFRAME), the bars route as its default
// loadBars, the time axis per timeframe, and drawings outside the bars reported as warnings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChartController, OutsideBarsWarning } from "../src/execute.js";
import { BarsError, fetchBars } from "../src/bars.js";
import { bars, fakeChart, fakeSeries, lib } from "./fake-chart.js";

const later = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A loadBars whose answers the test releases, in any order. */
function gatedLoader() {
  const asked = [];
  const loadBars = (symbol, timeframe) => new Promise((resolve) => asked.push({ symbol, timeframe, resolve }));
  return { asked, loadBars };
}

test("show: the latest wins when answers arrive out of order; onBars hears the winner only", async () => {
  const { asked, loadBars } = gatedLoader();
  const told = [];
  const chart = fakeChart();
  const controller = new ChartController(chart, fakeSeries("Candlestick"), lib, { loadBars, onBars: (b, c) => told.push([b.length, c]) });
  const first = controller.show({ symbol: "TSLA", timeframe: "1D" });
  const second = controller.show({ symbol: "NVDA" });
  assert.deepEqual(asked.map(({ symbol, timeframe }) => [symbol, timeframe]), [["TSLA", "1D"], ["NVDA", "1D"]]);
  asked[1].resolve(bars(50));
  asked[0].resolve(bars(80)); // the overtaken answer lands last
  assert.equal(await first, null);
  assert.equal((await second).length, 50);
  assert.equal(controller.bars.length, 50);
  assert.deepEqual(told, [[50, { symbol: "NVDA", timeframe: "1D", sample: undefined }]]);
  assert.equal(chart.timeScale().fitted, 1);
});

test("LOAD and TIMEFRAME together are one show; the rest of the reply runs on the new bars", async () => {
  const { asked, loadBars } = gatedLoader();
  const warnings = [];
  const candles = fakeSeries("Candlestick");
  const controller = new ChartController(fakeChart(), candles, lib, { loadBars, onError: (e) => warnings.push(e) });
  controller.setBars(bars(), { symbol: "TSLA", timeframe: "1D" });
  controller.execute("SUPPORT:95");
  const done = controller.execute(["LOAD:NVDA", "TIMEFRAME:1W", "SUPPORT:505", "INDICATOR:SMA:20"]);
  assert.deepEqual(done, ["LOAD:NVDA", "TIMEFRAME:1W"]);
  assert.deepEqual(asked.map(({ symbol, timeframe }) => [symbol, timeframe]), [["NVDA", "1W"]]);
  assert.equal(candles.priceLines().length, 0); // the old chart's drawings went with the switch
  const nvda = bars().map((b) => ({ ...b, open: b.open * 5, high: b.high * 5, low: b.low * 5, close: b.close * 5 }));
  asked[0].resolve({ success: true, symbol: "NVDA", timeframe: "1W", market_data: { sample: true }, bars: nvda });
  await controller.idle();
  assert.deepEqual(controller.context, { symbol: "NVDA", timeframe: "1W", sample: true });
  assert.deepEqual(candles.priceLines().map((l) => l.options().price), [505]);
  assert.deepEqual(controller.snapshot().indicators.map((i) => i.name), ["SMA"]);
  assert.deepEqual(warnings, []); // 505 is inside NVDA's bars: checked once they were set
});

test("with onLoad/onTimeframe the page switches itself, as before", () => {
  const calls = [];
  const controller = new ChartController(fakeChart(), fakeSeries("Candlestick"), lib, {
    loadBars: async () => bars(), onLoad: (s) => calls.push(s), onTimeframe: (t) => calls.push(t),
  });
  controller.setBars(bars());
  assert.deepEqual(controller.execute(["LOAD:NVDA", "TIMEFRAME:1W", "SUPPORT:95"]), ["LOAD:NVDA", "TIMEFRAME:1W", "SUPPORT:95"]);
  assert.deepEqual(calls, ["NVDA", "1W"]);
});

test("a drawing outside the bars is drawn and reported as an OutsideBarsWarning", () => {
  const reported = [];
  const candles = fakeSeries("Candlestick");
  const controller = new ChartController(fakeChart(), candles, lib, { onError: (e, c) => reported.push([c.raw, e]) });
  controller.setBars(bars()); // lows 89, highs 111, times t0 .. t119
  const t = controller.bars.map((b) => b.time);
  const done = controller.execute([
    "SUPPORT:95", "SUPPORT:60", "RESISTANCE:111.05", "FIBONACCI:150:95", "TRENDLINE:95:1:100:2",
    `PATTERN:DOUBLE_TOP:${t[10]}:${t[40]}`, `TRENDLINE:95:${t[10]}:100:${t[40]}`,
  ]);
  assert.equal(done.length, 7); // drawn all the same
  assert.deepEqual(reported.map(([raw]) => raw), ["SUPPORT:60", "FIBONACCI:150:95", "TRENDLINE:95:1:100:2"]);
  assert.ok(reported.every(([, e]) => e instanceof OutsideBarsWarning));
  const [[, low], [, fib], [, line]] = reported;
  assert.deepEqual([low.prices, low.times, fib.prices, line.times], [[60], [], [150], [1, 2]]);
  assert.match(low.message, /SUPPORT:60 lies outside the bars the chart holds \(89–111, /);
});

test("the time axis shows the time of day on intraday timeframes only", () => {
  const chart = fakeChart();
  const controller = new ChartController(chart, fakeSeries("Candlestick"), lib);
  controller.setBars(bars(), { timeframe: "1H" });
  controller.setBars(bars(), { timeframe: "1D" });
  const hourly = bars().map((b, i) => ({ ...b, time: 1_700_000_000 + i * 3600 }));
  controller.context = {};
  controller.setBars(hourly); // no timeframe: from the bars' spacing
  controller.context = {};
  controller.setBars(bars());
  assert.deepEqual(chart.applied.map((o) => o.timeScale.timeVisible), [true, false, true, false]);
});

test("barsUrl: the default loadBars reads chart_action's bars route", async () => {
  const urls = [];
  globalThis.fetch = async (url) => {
    urls.push(String(url));
    return new Response(JSON.stringify({ success: true, symbol: "QQQ", timeframe: "1D", market_data: { sample: true }, bars: bars() }));
  };
  try {
    const chart = fakeChart();
    const controller = new ChartController(chart, fakeSeries("Candlestick"), lib, { barsUrl: "https://api.example.com/api/chatkit/bars" });
    await controller.show({ symbol: "TSLA", timeframe: "4H" });
    controller.execute("COMPARE:QQQ");
    await controller.idle();
    assert.deepEqual(urls, [
      "https://api.example.com/api/chatkit/bars?symbol=TSLA&timeframe=4H",
      "https://api.example.com/api/chatkit/bars?symbol=QQQ&timeframe=4H",
    ]);
    assert.equal(controller.comparisons[0].series.data.length, 120);
  } finally {
    delete globalThis.fetch;
  }
});

test("fetchBars: an error answer is a BarsError with the route's code and message", async () => {
  const fetch = async () => new Response(JSON.stringify({ success: false, error: { code: "invalid_request", message: "invalid fields: timeframe" } }), { status: 400 });
  await assert.rejects(fetchBars("https://api.example.com/bars", "TSLA", "1D", { fetch }), (error) => {
    assert.ok(error instanceof BarsError);
    assert.deepEqual([error.status, error.code, error.message], [400, "invalid_request", "no bars for TSLA 1D: invalid fields: timeframe"]);
    return true;
  });
  await later();
});

test("the constructor refuses swapped or missing chart and series", () => {
  const chart = fakeChart();
  const candles = fakeSeries("Candlestick");
  assert.throws(() => new ChartController(candles, chart, lib), TypeError);
  assert.throws(() => new ChartController({}, candles, lib), /createChart's chart first/);
});
