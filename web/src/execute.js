// Executing chart-control commands on a TradingView Lightweight Chart (v5).
// The controller owns everything it draws, so CLEAR removes exactly that (never the page's own
// series), and pages and tests can read the chart's state through the chart API (price lines,
// series, markers) or `snapshot()`, rather than pixels.

import { bbands, ema, fibonacciLevels, macd, rsi, sma, vwap } from "./indicators.js";
import { parseCommands } from "./commands.js";

/** @typedef {import("./commands.js").ChartCommand} ChartCommand */
/** @typedef {import("./indicators.js").Bar} Bar */
/**
 * What the page does for the verbs that change more than the drawing.
 * @typedef {object} Callbacks
 * @property {(symbol: string) => void} [onLoad]        switch symbol (then call setBars with its bars)
 * @property {(timeframe: string) => void} [onTimeframe] switch timeframe (then call setBars)
 * @property {(kind: string) => void} [onAnalyze]        open the analysis panel (TECHNICAL/PATTERNS)
 * @property {(error: unknown, command: ChartCommand) => void} [onError] a command failed to draw
 */
/**
 * The parts of the lightweight-charts module the controller uses (pass the module itself).
 * @typedef {{LineSeries: any, HistogramSeries: any, createSeriesMarkers: Function, LineStyle?: any}} ChartLib
 */

export const COLORS = {
  SUPPORT: "#22c55e",
  RESISTANCE: "#ef4444",
  ENTRY: "#3b82f6",
  TARGET: "#a855f7",
  STOPLOSS: "#f97316",
  FIBONACCI: "#eab308",
  TRENDLINE: "#38bdf8",
  PATTERN: "#f59e0b",
  INDICATORS: ["#818cf8", "#2dd4bf", "#f472b6", "#a3e635", "#c084fc"],
};
const LEVEL_TITLES = { SUPPORT: "Support", RESISTANCE: "Resistance", ENTRY: "Entry", TARGET: "Target", STOPLOSS: "Stop" };
const OSCILLATORS = new Set(["RSI", "MACD", "VOLUME"]);
const DEFAULT_PERIODS = { SMA: 20, EMA: 20, RSI: 14, BBANDS: 20 };
const OSCILLATOR_PANE_STRETCH = 0.3; // relative to the price pane's 1: oscillators stay small

export class ChartController {
  /**
   * @param {any} chart        the object `createChart` returned
   * @param {any} candles      its candlestick (or bar) series: price lines and markers go here
   * @param {ChartLib} lib     the lightweight-charts module
   * @param {Callbacks} [callbacks]
   */
  constructor(chart, candles, lib, callbacks = {}) {
    this.chart = chart;
    this.candles = candles;
    this.lib = lib;
    this.callbacks = callbacks;
    /** @type {Bar[]} */
    this.bars = [];
    /** @type {{kind: string, price: number, title: string, line: any}[]} */
    this.priceLines = [];
    /** @type {{name: string, period: number|null, series: any[]}[]} */
    this.indicators = [];
    /** @type {{p1: number, t1: number, p2: number, t2: number, series: any}[]} */
    this.trendlines = [];
    /** @type {{name: string, t1: number, t2: number}[]} */
    this.patterns = [];
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
   * Execute commands (parsed commands, command strings, agent text or a chart_action / MCP
   * response), in order. A command that fails to draw is reported to `onError` and skipped.
   * @param {unknown} input
   * @returns {string[]} the raw lines executed
   */
  execute(input) {
    const parsed = Array.isArray(input) && input.length > 0 && input.every((c) => c && typeof c === "object" && "verb" in c);
    const commands = parsed ? /** @type {ChartCommand[]} */ (input) : parseCommands(input);
    const done = [];
    for (const command of commands) {
      try {
        if (this.run(command)) done.push(command.raw);
      } catch (error) {
        this.callbacks.onError?.(error, command);
      }
    }
    return done;
  }

  /** @param {ChartCommand} command @returns {boolean} whether it changed anything */
  run({ verb, args }) {
    switch (verb) {
      case "LOAD": // drawings belong to the old symbol/timeframe; indicators follow the new bars
        this.clear("DRAWINGS");
        this.callbacks.onLoad?.(String(args[0]));
        return true;
      case "TIMEFRAME":
        this.clear("DRAWINGS");
        this.callbacks.onTimeframe?.(String(args[0]));
        return true;
      case "ANALYZE":
        this.callbacks.onAnalyze?.(String(args[0]));
        return true;
      case "SUPPORT": case "RESISTANCE": case "ENTRY": case "TARGET": case "STOPLOSS":
        return this.addPriceLine(verb, Number(args[0]), LEVEL_TITLES[verb]);
      case "FIBONACCI":
        return fibonacciLevels(Number(args[0]), Number(args[1]))
          .map(({ ratio, price }) => this.addPriceLine("FIBONACCI", price, `Fib ${(ratio * 100).toFixed(1)}%`))
          .some(Boolean);
      case "TRENDLINE":
        return this.addTrendline(Number(args[0]), Number(args[1]), Number(args[2]), Number(args[3]));
      case "INDICATOR":
        return this.addIndicator(String(args[0]), args[1] === undefined ? null : Number(args[1]));
      case "PATTERN":
        return this.addPattern(String(args[0]), Number(args[1]), Number(args[2]));
      case "CLEAR":
        this.clear(String(args[0] ?? "ALL"));
        return true;
      default:
        return false;
    }
  }

  /** A labelled horizontal line; the same level asked twice is drawn once. */
  addPriceLine(kind, price, title) {
    if (this.priceLines.some((l) => l.kind === kind && l.title === title && l.price === price)) return false;
    const dashed = kind === "FIBONACCI" || kind === "ENTRY";
    const line = this.candles.createPriceLine({
      price,
      color: COLORS[kind],
      lineWidth: kind === "FIBONACCI" ? 1 : 2,
      lineStyle: dashed ? this.lib.LineStyle?.Dashed ?? 2 : this.lib.LineStyle?.Solid ?? 0,
      axisLabelVisible: true,
      title,
    });
    this.priceLines.push({ kind, price, title, line });
    return true;
  }

  /** A two-point line series; lightweight-charts wants strictly increasing times. */
  addTrendline(p1, t1, p2, t2) {
    if (t1 === t2) return false;
    const series = this.chart.addSeries(this.lib.LineSeries, {
      color: COLORS.TRENDLINE, lineWidth: 2, lastValueVisible: false, priceLineVisible: false,
      crosshairMarkerVisible: false,
    });
    series.setData([{ time: t1, value: p1 }, { time: t2, value: p2 }].sort((a, b) => a.time - b.time));
    this.trendlines.push({ p1, t1, p2, t2, series });
    return true;
  }

  /** Markers at both ends of the pattern; the name is written once, at its start. */
  addPattern(name, t1, t2) {
    if (this.patterns.some((p) => p.name === name && p.t1 === t1 && p.t2 === t2)) return false;
    this.patterns.push({ name, t1, t2 });
    if (!this.markers) this.markers = this.lib.createSeriesMarkers(this.candles, []);
    this.markers.setMarkers(this.patternMarkers());
    return true;
  }

  /** Markers of every pattern, sorted by time as lightweight-charts requires. */
  patternMarkers() {
    return this.patterns
      .flatMap(({ name, t1, t2 }) => {
        const [start, end] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const marker = { position: "aboveBar", color: COLORS.PATTERN, shape: "arrowDown" };
        return [
          { ...marker, time: start, text: name.replaceAll("_", " ").toLowerCase() },
          ...(end !== start ? [{ ...marker, time: end, shape: "circle" }] : []),
        ];
      })
      .sort((a, b) => a.time - b.time);
  }

  /**
   * An indicator computed from the page's bars: overlays on the price pane, oscillators each in
   * a pane of their own below it.
   * @param {string} name @param {number|null} period
   */
  addIndicator(name, period) {
    if (this.indicators.some((i) => i.name === name && i.period === period)) return false;
    const color = COLORS.INDICATORS[this.indicators.length % COLORS.INDICATORS.length];
    const pane = OSCILLATORS.has(name) ? this.nextPane() : 0;
    const add = (type, data, options = {}) => {
      const series = this.chart.addSeries(type, {
        color, lineWidth: 2, priceLineVisible: false, lastValueVisible: false, ...options,
      }, pane);
      series.setData(data);
      return series;
    };
    const line = (data, options) => add(this.lib.LineSeries, data, options);
    const p = period ?? DEFAULT_PERIODS[name];
    const series = [];
    if (name === "SMA") series.push(line(sma(this.bars, p), { title: `SMA ${p}` }));
    if (name === "EMA") series.push(line(ema(this.bars, p), { title: `EMA ${p}` }));
    if (name === "VWAP") series.push(line(vwap(this.bars), { title: "VWAP" }));
    if (name === "BBANDS") {
      const bands = bbands(this.bars, p);
      series.push(
        line(bands.upper, { lineWidth: 1, title: `BB ${p}` }),
        line(bands.middle, { lineWidth: 1, lineStyle: 2 }),
        line(bands.lower, { lineWidth: 1 }),
      );
    }
    if (name === "RSI") {
      const rsiSeries = line(rsi(this.bars, p), { title: `RSI ${p}`, lastValueVisible: true });
      for (const level of [70, 30]) { // the usual overbought / oversold guides
        rsiSeries.createPriceLine({ price: level, color: "#64748b", lineWidth: 1, lineStyle: 2, axisLabelVisible: false, title: "" });
      }
      series.push(rsiSeries);
    }
    if (name === "MACD") {
      const m = macd(this.bars);
      series.push(
        add(this.lib.HistogramSeries, m.histogram.map((pt) => ({ ...pt, color: pt.value >= 0 ? "#14b8a680" : "#f43f5e80" }))),
        line(m.line, { title: "MACD" }),
        line(m.signal, { color: "#f97316", title: "signal", lineWidth: 1 }),
      );
    }
    if (name === "VOLUME") {
      series.push(add(this.lib.HistogramSeries, this.bars.map((b) => ({
        time: b.time, value: b.volume ?? 0, color: b.close >= b.open ? "#22c55e80" : "#ef444480",
      })), { title: "Volume", priceFormat: { type: "volume" } }));
    }
    this.indicators.push({ name, period, series });
    if (pane > 0) this.chart.panes?.()[pane]?.setStretchFactor?.(OSCILLATOR_PANE_STRETCH);
    return true;
  }

  /** The pane for the next oscillator: one below the last one in use. */
  nextPane() {
    return this.indicators.filter((i) => OSCILLATORS.has(i.name)).length + 1;
  }

  /** @param {string} what ALL, DRAWINGS or INDICATORS */
  clear(what = "ALL") {
    if (what === "ALL" || what === "DRAWINGS") {
      this.priceLines.forEach(({ line }) => this.candles.removePriceLine(line));
      this.priceLines = [];
      this.trendlines.forEach(({ series }) => this.chart.removeSeries(series));
      this.trendlines = [];
      this.patterns = [];
      this.markers?.setMarkers([]);
    }
    if (what === "ALL" || what === "INDICATORS") {
      this.indicators.forEach(({ series }) => series.forEach((s) => this.chart.removeSeries(s)));
      this.indicators = [];
    }
  }

  /** What is drawn, as plain data (for pages, tests and debugging). */
  snapshot() {
    return {
      priceLines: this.priceLines.map(({ kind, price, title }) => ({ kind, price, title })),
      indicators: this.indicators.map(({ name, period }) => ({ name, period })),
      trendlines: this.trendlines.map(({ p1, t1, p2, t2 }) => ({ p1, t1, p2, t2 })),
      patterns: this.patterns.map((p) => ({ ...p })),
    };
  }
}

/**
 * Execute `input` (see ChartController#execute) on a controller, and return the lines executed.
 * @param {ChartController} controller
 * @param {unknown} input
 */
export function executeCommands(controller, input) {
  return controller.execute(input);
}
