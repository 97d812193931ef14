// Indicators computed in the page from its own bars (the backend only says which to show).

/** @typedef {import("lightweight-charts").UTCTimestamp} UTCTimestamp */
/**
 * One bar, oldest first in a series: Lightweight Charts' candlestick data (`time` in unix
 * seconds, UTC) with an optional volume; the bars route's `bars` are exactly these.
 * @typedef {{time: UTCTimestamp, open: number, high: number, low: number, close: number, volume?: number}} Bar
 */
/** A line point, as Lightweight Charts' line data takes it. @typedef {{time: UTCTimestamp, value: number}} Point */

/** @param {Bar[]} bars @param {number} period @returns {Point[]} */
export function sma(bars, period = 20) {
  const out = [];
  let sum = 0;
  bars.forEach((bar, i) => {
    sum += bar.close;
    if (i >= period) sum -= bars[i - period].close;
    if (i >= period - 1) out.push({ time: bar.time, value: sum / period });
  });
  return out;
}

/** Exponential moving average, seeded with the SMA of its first `period` closes.
 * @param {Bar[]} bars @param {number} period @returns {Point[]} */
export function ema(bars, period = 20) {
  const k = 2 / (period + 1);
  const out = [];
  let value = 0;
  bars.forEach((bar, i) => {
    if (i < period) value += bar.close / period;
    else value = bar.close * k + value * (1 - k);
    if (i >= period - 1) out.push({ time: bar.time, value });
  });
  return out;
}

/** Wilder's RSI. @param {Bar[]} bars @param {number} period @returns {Point[]} */
export function rsi(bars, period = 14) {
  const out = [];
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < bars.length; i += 1) {
    const change = bars[i].close - bars[i - 1].close;
    const up = Math.max(change, 0);
    const down = Math.max(-change, 0);
    if (i <= period) {
      gain += up / period;
      loss += down / period;
    } else {
      gain = (gain * (period - 1) + up) / period;
      loss = (loss * (period - 1) + down) / period;
    }
    if (i >= period) out.push({ time: bars[i].time, value: loss === 0 ? 100 : 100 - 100 / (1 + gain / loss) });
  }
  return out;
}

/** MACD line, signal and histogram. @param {Bar[]} bars */
export function macd(bars, fast = 12, slow = 26, signal = 9) {
  const fastByTime = new Map(ema(bars, fast).map((p) => [p.time, p.value]));
  const line = ema(bars, slow).map((p) => ({ time: p.time, value: (fastByTime.get(p.time) ?? p.value) - p.value }));
  const signalLine = ema(line.map((p) => ({ time: p.time, close: p.value, open: 0, high: 0, low: 0 })), signal);
  const signalByTime = new Map(signalLine.map((p) => [p.time, p.value]));
  const histogram = line
    .filter((p) => signalByTime.has(p.time))
    .map((p) => ({ time: p.time, value: p.value - (signalByTime.get(p.time) ?? p.value) }));
  return { line, signal: signalLine, histogram };
}

/** Bollinger bands (period, 2 standard deviations). @param {Bar[]} bars */
export function bbands(bars, period = 20, width = 2) {
  const middle = sma(bars, period);
  const upper = [];
  const lower = [];
  middle.forEach((p, j) => {
    const window = bars.slice(j, j + period);
    const variance = window.reduce((s, b) => s + (b.close - p.value) ** 2, 0) / period;
    const sd = Math.sqrt(variance);
    upper.push({ time: p.time, value: p.value + width * sd });
    lower.push({ time: p.time, value: p.value - width * sd });
  });
  return { upper, middle, lower };
}

/** Volume-weighted average price: reset each UTC day on intraday bars (the session VWAP
 * traders expect), cumulative over the loaded bars otherwise. @param {Bar[]} bars */
export function vwap(bars) {
  const intraday = bars.length > 1 && bars[1].time - bars[0].time < 86400;
  let pv = 0;
  let volume = 0;
  let day = null;
  return bars.map((bar) => {
    const today = Math.floor(bar.time / 86400);
    if (intraday && today !== day) [pv, volume, day] = [0, 0, today];
    const v = bar.volume ?? 0;
    pv += ((bar.high + bar.low + bar.close) / 3) * v;
    volume += v;
    return { time: bar.time, value: volume ? pv / volume : bar.close };
  });
}

export const FIB_RATIOS = [0, 0.236, 0.382, 0.5, 0.618, 0.786, 1];

/** Retracement prices from the high down to the low. */
export function fibonacciLevels(high, low) {
  return FIB_RATIOS.map((ratio) => ({ ratio, price: high - (high - low) * ratio }));
}

/**
 * Another symbol's closes at this chart's bar times: for each bar, the other symbol's last close
 * at or before it (as of that time). Calendars differ (a coin trades at weekends, a stock does
 * not), and a series with times the chart lacks would add empty slots to the time axis.
 * @param {Bar[]} other the other symbol's bars, oldest first
 * @param {Bar[]} bars this chart's bars, oldest first
 * @returns {Point[]}
 */
export function closesAsOf(other, bars) {
  const out = [];
  let j = -1;
  for (const bar of bars) {
    while (j + 1 < other.length && other[j + 1].time <= bar.time) j += 1;
    if (j >= 0) out.push({ time: bar.time, value: other[j].close });
  }
  return out;
}
