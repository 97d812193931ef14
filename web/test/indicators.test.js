import { test } from "node:test";
import assert from "node:assert/strict";
import { bbands, ema, fibonacciLevels, macd, rsi, sma, vwap } from "../src/indicators.js";

const closes = (values, step = 86400) =>
  values.map((close, i) => ({ time: i * step, open: close, high: close + 1, low: close - 1, close, volume: 10 }));
const near = (a, b) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

test("sma and ema (ema seeded with the sma)", () => {
  const bars = closes([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(sma(bars, 3).map((p) => p.value), [2, 3, 4, 5]);
  const e = ema(bars, 3).map((p) => p.value);
  assert.deepEqual(e, [2, 3, 4, 5]); // a straight line: the ema trails it by the same lag
  assert.equal(ema(closes([1, 2]), 3).length, 0);
});

test("rsi: 100 on a rising market, 0 on a falling one, 50 on a zig-zag", () => {
  assert.ok(rsi(closes([1, 2, 3, 4, 5, 6, 7]), 3).every((p) => p.value === 100));
  assert.ok(rsi(closes([7, 6, 5, 4, 3, 2, 1]), 3).every((p) => p.value === 0));
  const zigzag = rsi(closes([10, 11, 10, 11, 10, 11, 10, 11, 10]), 2).at(-1).value;
  assert.ok(zigzag > 30 && zigzag < 70, String(zigzag));
});

test("macd: histogram is line minus signal, on the times both exist", () => {
  const bars = closes(Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 5) * 10));
  const m = macd(bars);
  assert.equal(m.line.length, 60 - 25);
  assert.equal(m.histogram.length, m.line.length - 8);
  const last = m.histogram.at(-1);
  near(last.value, m.line.at(-1).value - m.signal.at(-1).value);
});

test("bollinger bands are symmetric around the sma", () => {
  const b = bbands(closes([1, 2, 3, 4, 5]), 5);
  near(b.middle[0].value, 3);
  near(b.upper[0].value - 3, 3 - b.lower[0].value);
  near(b.upper[0].value, 3 + 2 * Math.sqrt(2));
});

test("vwap resets each day on intraday bars", () => {
  const hourly = closes([10, 20, 30], 8 * 3600); // 00:00, 08:00, 16:00 of one day...
  const nextDay = { time: 86400, open: 40, high: 41, low: 39, close: 40, volume: 10 };
  const values = vwap([...hourly, nextDay]).map((p) => p.value);
  near(values[2], 20);
  near(values[3], 40); // ...and a new session starts the average again
  near(vwap(closes([10, 20, 30])).at(-1).value, 20); // daily: cumulative
});

test("fibonacci levels run from the high to the low", () => {
  const levels = fibonacciLevels(200, 100);
  assert.deepEqual(levels.map((l) => l.ratio), [0, 0.236, 0.382, 0.5, 0.618, 0.786, 1]);
  near(levels[4].price, 138.2);
});
