// Executing chart-control commands on a TradingView Lightweight Chart (v5).
// The controller owns everything it draws, so CLEAR can remove exactly that and tests can read
// the chart's state through the chart API (price lines, series, markers) rather than pixels.

import { bbands, ema, fibonacciLevels, macd, rsi, sma, vwap } from "./indicators.js";
import { parseCommands } from "./commands.js";

/** @typedef {import("./commands.js").ChartCommand} ChartCommand */
/** @typedef {import("./indicators.js").Bar} Bar */
/**
 * @typedef {object} Callbacks
 * @property {(symbol: string) => void} [onLoad]        the page switches symbol (and then calls setBars)
 * @property {(timeframe: string) => void} [onTimeframe] the page switches timeframe
 * @property {(kind: string) => void} [onAnalyze]        the page opens its analysis panel
 */

export const COLORS = {
  SUPPORT: "#16a34a",
  RESISTANCE: "#dc2626",
  ENTRY: "#2563eb",
  TARGET: "#9333ea",
  STOPLOSS: "#ea580c",
  FIBONACCI: "#a16207",
  TRENDLINE: "#0ea5e9",
  PATTERN: "#f59e0b",
  INDICATORS: ["#6366f1", "#0d9488", "#db2777", "#65a30d", "#7c3aed"],
};
const LEVEL_TITLES = { SUPPORT: "S", RESISTANCE: "R", ENTRY: "Entry", TARGET: "Target", STOPLOSS: "Stop" };
const OSCILLATORS = new Set(["RSI", "MACD", "VOLUME"]);
const DEFAULT_PERIODS = { SMA: 20, EMA: 20, RSI: 14, BBANDS: 20 };

export class ChartController {
  /**
   * @param {any} chart    the object `createChart` returned
   * @param {any} candles  its candlestick series
   * @param {any} lib      the lightweight-charts module (LineSeries, HistogramSeries, createSeriesMarkers, LineStyle)
   * @param {Callbacks} [callbacks]
   */
  constructor(chart, candles, lib, callbacks = {}) {
    this.chart = chart;
    this.candles = candles;
    this.lib = lib;
    this.callbacks = callbacks;
    /** @type {Bar[]} */
    this.bars = [];
    /** @type {{kind: string, price: number, line: any}[]} */
    this.priceLines = [];
    /** @type {{name: string, period: number|null, series: any[]}[]} */
    this.indicators = [];
    /** @type {any[]} */
    this.trendlines = [];
    /** @type {any[]} */
    this.patternMarkers = [];
    this.markers = null;
  }

  /** The bars the page shows; indicators are recomputed from them. @param {Bar[]} bars */
  setBars(bars) {
    this.bars = bars;
    this.candles.setData(bars);
    const shown = this.indicators.map(({ name, period }) => ({ name, period }));
    this.clear("INDICATORS");
    shown.forEach(({ name, period }) => this.addIndicator(name, period));
  }

  /**
   * Execute commands (models, strings, text or a chart_action response), in order.
   * @param {unknown} input
   * @returns {string[]} the verbs executed
   */
  execute(input) {
    const commands = Array.isArray(input) && input.every((c) => c && typeof c === "object" && "verb" in c)
      ? /** @type {ChartCommand[]} */ (input)
      : parseCommands(input);
    return commands.filter((command) => this.run(command)).map((command) => command.verb);
  }

  /** @param {ChartCommand} command @returns {boolean} whether it was executed */
  run({ verb, args }) {
    switch (verb) {
      case "LOAD":
        this.clear("ALL");
        this.callbacks.onLoad?.(String(args[0]));
        return true;
      case "TIMEFRAME":
        this.callbacks.onTimeframe?.(String(args[0]));
        return true;
      case "ANALYZE":
        this.callbacks.onAnalyze?.(String(args[0]));
        return true;
      case "SUPPORT": case "RESISTANCE": case "ENTRY": case "TARGET": case "STOPLOSS":
        this.addPriceLine(verb, Number(args[0]), `${LEVEL_TITLES[verb]} ${args[0]}`);
        return true;
      case "FIBONACCI":
        fibonacciLevels(Number(args[0]), Number(args[1])).forEach(({ ratio, price }) =>
          this.addPriceLine("FIBONACCI", price, `Fib ${(ratio * 100).toFixed(1)}%`));
        return true;
      case "TRENDLINE":
        this.addTrendline(Number(args[0]), Number(args[1]), Number(args[2]), Number(args[3]));
        return true;
      case "INDICATOR":
        this.addIndicator(String(args[0]), args[1] === undefined ? null : Number(args[1]));
        return true;
      case "PATTERN":
        this.addPattern(String(args[0]), Number(args[1]), Number(args[2]));
        return true;
      case "CLEAR":
        this.clear(String(args[0] ?? "ALL"));
        return true;
      default:
        return false;
    }
  }

  addPriceLine(kind, price, title) {
    const dashed = kind === "FIBONACCI" || kind === "ENTRY";
    const line = this.candles.createPriceLine({
      price,
      color: COLORS[kind],
      lineWidth: kind === "FIBONACCI" ? 1 : 2,
      lineStyle: dashed ? this.lib.LineStyle?.Dashed ?? 2 : this.lib.LineStyle?.Solid ?? 0,
      axisLabelVisible: true,
      title,
    });
    this.priceLines.push({ kind, price, line });
  }

  addTrendline(p1, t1, p2, t2) {
    const series = this.chart.addSeries(this.lib.LineSeries, {
      color: COLORS.TRENDLINE, lineWidth: 2, lastValueVisible: false, priceLineVisible: false,
    });
    const points = [{ time: t1, value: p1 }, { time: t2, value: p2 }].sort((a, b) => a.time - b.time);
    series.setData(points);
    this.trendlines.push(series);
  }

  addPattern(name, t1, t2) {
    const label = name.replaceAll("_", " ").toLowerCase();
    this.patternMarkers.push(
      { time: t1, position: "aboveBar", color: COLORS.PATTERN, shape: "arrowDown", text: label },
      { time: t2, position: "aboveBar", color: COLORS.PATTERN, shape: "arrowDown", text: label },
    );
    this.patternMarkers.sort((a, b) => a.time - b.time);
    if (!this.markers) this.markers = this.lib.createSeriesMarkers(this.candles, []);
    this.markers.setMarkers(this.patternMarkers);
  }

  /** @param {string} name @param {number|null} period */
  addIndicator(name, period) {
    if (this.indicators.some((i) => i.name === name && i.period === period)) return;
    const color = COLORS.INDICATORS[this.indicators.length % COLORS.INDICATORS.length];
    const pane = OSCILLATORS.has(name) ? this.nextPane() : 0;
    const line = (data, options = {}) => {
      const series = this.chart.addSeries(this.lib.LineSeries, {
        color, lineWidth: 2, priceLineVisible: false, lastValueVisible: false, ...options,
      }, pane);
      series.setData(data);
      return series;
    };
    const p = period ?? DEFAULT_PERIODS[name];
    const series = [];
    if (name === "SMA") series.push(line(sma(this.bars, p), { title: `SMA ${p}` }));
    if (name === "EMA") series.push(line(ema(this.bars, p), { title: `EMA ${p}` }));
    if (name === "VWAP") series.push(line(vwap(this.bars), { title: "VWAP" }));
    if (name === "RSI") series.push(line(rsi(this.bars, p), { title: `RSI ${p}` }));
    if (name === "BBANDS") {
      const bands = bbands(this.bars, p);
      series.push(line(bands.upper, { lineWidth: 1 }), line(bands.middle, { lineWidth: 1, lineStyle: 2 }), line(bands.lower, { lineWidth: 1 }));
    }
    if (name === "MACD") {
      const m = macd(this.bars);
      const histogram = this.chart.addSeries(this.lib.HistogramSeries, { color: "#94a3b8", priceLineVisible: false }, pane);
      histogram.setData(m.histogram);
      series.push(line(m.line, { title: "MACD" }), line(m.signal, { color: "#f97316", title: "signal" }), histogram);
    }
    if (name === "VOLUME") {
      const volume = this.chart.addSeries(this.lib.HistogramSeries, { color: "#94a3b8", priceLineVisible: false, title: "Volume" }, pane);
      volume.setData(this.bars.map((b) => ({
        time: b.time, value: b.volume ?? 0, color: b.close >= b.open ? "#86efac" : "#fca5a5",
      })));
      series.push(volume);
    }
    this.indicators.push({ name, period, series });
  }

  nextPane() {
    const used = this.indicators.filter((i) => OSCILLATORS.has(i.name)).length;
    return used + 1;
  }

  /** @param {string} what ALL, DRAWINGS or INDICATORS */
  clear(what = "ALL") {
    if (what === "ALL" || what === "DRAWINGS") {
      this.priceLines.forEach(({ line }) => this.candles.removePriceLine(line));
      this.priceLines = [];
      this.trendlines.forEach((series) => this.chart.removeSeries(series));
      this.trendlines = [];
      this.patternMarkers = [];
      this.markers?.setMarkers([]);
    }
    if (what === "ALL" || what === "INDICATORS") {
      this.indicators.forEach(({ series }) => series.forEach((s) => this.chart.removeSeries(s)));
      this.indicators = [];
    }
  }

  /** What is drawn, for pages and tests. */
  snapshot() {
    return {
      priceLines: this.priceLines.map(({ kind, price }) => ({ kind, price })),
      indicators: this.indicators.map(({ name, period }) => ({ name, period })),
      trendlines: this.trendlines.length,
      patterns: this.patternMarkers.length / 2,
    };
  }
}

/**
 * One-call form: execute `input` on a controller.
 * @param {ChartController} controller
 * @param {unknown} input
 */
export function executeCommands(controller, input) {
  return controller.execute(input);
}
