// Executing chart-control commands on a TradingView Lightweight Chart (v5).
// The controller owns everything it draws, so CLEAR removes exactly that (never the page's own
// series), and pages and tests can read the chart's state through the chart API (price lines,
// series, markers) or `snapshot()`, rather than pixels.

import { bbands, closesAsOf, ema, fibonacciLevels, macd, rsi, sma, vwap } from "./indicators.js";
import { parseCommands } from "./commands.js";
import { indicatorName, patternName } from "./describe.js";

/** @typedef {import("./commands.js").ChartCommand} ChartCommand */
/** @typedef {import("./indicators.js").Bar} Bar */
/**
 * What the page does for the verbs that change more than the drawing, and where the bars of
 * another symbol come from.
 * @typedef {object} Callbacks
 * @property {(symbol: string) => void} [onLoad]        switch symbol (then call setBars with its bars)
 * @property {(timeframe: string) => void} [onTimeframe] switch timeframe (then call setBars)
 * @property {(kind: string) => void} [onAnalyze]        open the analysis panel (TECHNICAL/PATTERNS)
 * @property {(error: unknown, command: ChartCommand) => void} [onError] a command failed to draw
 * @property {(symbol: string, timeframe: string | undefined) => Promise<Bar[]>} [loadBars]
 *   bars of another symbol on the chart's timeframe, oldest first (COMPARE needs it)
 */
/**
 * The parts of the lightweight-charts module the controller uses (pass the module itself).
 * @typedef {{LineSeries: any, HistogramSeries: any, createSeriesMarkers: Function, LineStyle?: any,
 *   PriceScaleMode?: any}} ChartLib
 */
/**
 * What the bars show; COMPARE asks `loadBars` for the same timeframe.
 * @typedef {{symbol?: string, timeframe?: string}} BarsContext
 */
/** @typedef {{kind: string, price: number, title: string, line: any}} DrawnLevel */
/** @typedef {{name: string, period: number|null, color: string, series: any[]}} DrawnIndicator */
/** @typedef {{p1: number, t1: number, p2: number, t2: number, label: string, series: any}} DrawnTrendline */
/** @typedef {{name: string, t1: number, t2: number, level: number|null, label: string, series: any}} DrawnPattern */
/** @typedef {{symbol: string, color: string, series: any, loading: Promise<void>}} DrawnComparison */

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
  COMPARE: ["#f472b6", "#facc15", "#2dd4bf", "#c084fc"],
};
const LEVEL_TITLES = { SUPPORT: "Support", RESISTANCE: "Resistance", ENTRY: "Entry", TARGET: "Target", STOPLOSS: "Stop" };
const OSCILLATORS = new Set(["RSI", "MACD", "VOLUME"]);
const DEFAULT_PERIODS = { SMA: 20, EMA: 20, RSI: 14, BBANDS: 20 };
const OSCILLATOR_PANE_STRETCH = 0.3; // relative to the price pane's 1: oscillators stay small
const MIN_ZOOM_BARS = 10; // ZOOM:IN stops here: fewer bars is not a chart any more
const PERCENT_SCALE = 2; // PriceScaleMode.Percentage: every series from its first visible bar
const NORMAL_SCALE = 0;

/** Patterns that point down (their name sits above the bars, their line under the tops). */
const isBearish = (/** @type {string} */ name) => /TOP|^HEAD_AND_SHOULDERS$|DESCENDING|RISING_WEDGE/.test(name);

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
    /** @type {BarsContext} */
    this.context = {};
    /** @type {DrawnLevel[]} */
    this.priceLines = [];
    /** @type {DrawnIndicator[]} */
    this.indicators = [];
    /** @type {DrawnTrendline[]} */
    this.trendlines = [];
    /** @type {DrawnPattern[]} */
    this.patterns = [];
    /** @type {DrawnComparison[]} */
    this.comparisons = [];
    /** @type {any} */
    this.markers = null;
    /** @type {Map<string, number>} pattern levels a chart_action response carried */
    this.knownLevels = new Map();
    this.indicatorCount = 0; // colours rotate over every indicator ever added
    /** @type {{from: number, to: number} | null} the view this batch of commands set */
    this.viewRange = null;
  }

  /**
   * The bars the page shows; indicators and comparisons are recomputed from them.
   * @param {Bar[]} bars oldest first
   * @param {BarsContext} [context] what they are (COMPARE loads the same timeframe)
   */
  setBars(bars, context = {}) {
    this.bars = bars;
    this.context = { ...this.context, ...context };
    this.candles.setData(bars);
    const shown = this.indicators.map(({ name, period }) => ({ name, period }));
    this.clear("INDICATORS");
    shown.forEach(({ name, period }) => this.addIndicator(name, period));
    this.comparisons.forEach((comparison) => { comparison.loading = this.loadComparison(comparison); });
  }

  /**
   * Execute commands (parsed commands, command strings, agent text or a chart_action / MCP
   * response), in order. A command that fails to draw is reported to `onError` and skipped.
   * COMPARE draws once `loadBars` answers: await `idle()` to know when.
   * @param {unknown} input
   * @returns {string[]} the raw lines executed
   */
  execute(input) {
    const parsed = Array.isArray(input) && input.length > 0 && input.every((c) => c && typeof c === "object" && "verb" in c);
    const commands = parsed ? /** @type {ChartCommand[]} */ (input) : parseCommands(input);
    this.rememberPatternLevels(input);
    this.viewRange = null; // the chart applies a new view on its next frame: track it meanwhile
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

  /** A chart_action response names each pattern's neckline: prefer it to the kit's estimate. */
  rememberPatternLevels(input) {
    try {
      const body = /** @type {any} */ (input)?.structuredContent ?? input;
      for (const p of body?.data?.analysis?.patterns ?? []) {
        if (Number.isFinite(p.level)) this.knownLevels.set(`${p.name}:${p.t1}:${p.t2}`, p.level);
      }
    } catch {
      // not a response: the kit estimates levels from the bars
    }
  }

  /** Every COMPARE still loading has drawn (or failed). */
  async idle() {
    await Promise.all(this.comparisons.map((c) => c.loading));
  }

  /** @param {ChartCommand} command @returns {boolean} whether it changed anything */
  run(command) {
    const { verb, args } = command;
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
        return this.clear(String(args[0] ?? "ALL"), args[1] === undefined ? undefined : String(args[1]));
      case "COMPARE":
        return this.addComparison(String(args[0]), command);
      case "RANGE":
        return this.showRange(Number(args[0]), Number(args[1]));
      case "ZOOM":
        return this.zoom(String(args[0]));
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

  /**
   * A bar time as a position on the time axis (bar index; fractional between two bars). The
   * axis counts bars, not seconds — weekends and nights take no room — so a straight line on the
   * chart is straight in this index, not in unix time. Null outside the loaded bars.
   * @param {number} time
   */
  barIndex(time) {
    const { bars } = this;
    if (!bars.length || time < bars[0].time || time > bars[bars.length - 1].time) return null;
    let lo = 0;
    let hi = bars.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (bars[mid].time <= time) lo = mid; else hi = mid;
    }
    if (bars[lo].time === time) return lo;
    if (bars[hi].time === time) return hi;
    return lo + (time - bars[lo].time) / (bars[hi].time - bars[lo].time);
  }

  /** A two-point line series (lightweight-charts wants strictly increasing times), extended
   * along its slope to the last bar, and labelled on the price axis. */
  addTrendline(p1, t1, p2, t2) {
    if (t1 === t2) return false;
    const [a, b] = t1 < t2 ? [{ time: t1, value: p1 }, { time: t2, value: p2 }] : [{ time: t2, value: p2 }, { time: t1, value: p1 }];
    const points = [a, b];
    const [ia, ib] = [this.barIndex(a.time), this.barIndex(b.time)];
    const last = this.bars[this.bars.length - 1];
    if (ia !== null && ib !== null && ib > ia && last && last.time > b.time) {
      const value = b.value + ((b.value - a.value) / (ib - ia)) * (this.bars.length - 1 - ib);
      if (value > 0) points.push({ time: last.time, value });
    }
    const label = b.value >= a.value ? "Uptrend" : "Downtrend";
    const series = this.chart.addSeries(this.lib.LineSeries, {
      color: COLORS.TRENDLINE, lineWidth: 2, lastValueVisible: true, priceLineVisible: false,
      crosshairMarkerVisible: false, title: label,
    });
    series.setData(points);
    this.trendlines.push({ p1, t1, p2, t2, label, series });
    return true;
  }

  /**
   * Where a pattern's neckline (or a triangle's flat side) sits, estimated from the bars when the
   * response did not say: double top, the lowest low between the tops; head and shoulders, the
   * mean of the lowest low on each side of the head; a triangle's flat side, its extreme.
   * @returns {number | null}
   */
  patternLevel(name, t1, t2) {
    const known = this.knownLevels.get(`${name}:${t1}:${t2}`);
    if (known !== undefined) return known;
    const span = this.bars.filter((bar) => bar.time >= Math.min(t1, t2) && bar.time <= Math.max(t1, t2));
    if (span.length < 3) return null;
    const lows = span.map((bar) => bar.low);
    const highs = span.map((bar) => bar.high);
    const halves = (/** @type {number[]} */ values, /** @type {number} */ pivot) => [values.slice(0, pivot + 1), values.slice(pivot)];
    const mean = (/** @type {number[]} */ values) => values.reduce((sum, v) => sum + v, 0) / values.length;
    switch (name) {
      case "DOUBLE_TOP": return Math.min(...lows.slice(1, -1));
      case "DOUBLE_BOTTOM": return Math.max(...highs.slice(1, -1));
      case "HEAD_AND_SHOULDERS": return mean(halves(lows, highs.indexOf(Math.max(...highs))).map((h) => Math.min(...h)));
      case "INVERSE_HEAD_AND_SHOULDERS": return mean(halves(highs, lows.indexOf(Math.min(...lows))).map((h) => Math.max(...h)));
      case "ASCENDING_TRIANGLE": return Math.max(...highs);
      case "DESCENDING_TRIANGLE": return Math.min(...lows);
      default: return null;
    }
  }

  /** A pattern as traders draw it: its neckline or flat side as a line between its times, its
   * name written at its start, a mark at its end. */
  addPattern(name, t1, t2) {
    if (this.patterns.some((p) => p.name === name && p.t1 === t1 && p.t2 === t2)) return false;
    const level = this.patternLevel(name, t1, t2);
    const label = name.endsWith("TRIANGLE") ? (name.startsWith("ASC") ? "Flat top" : "Flat bottom") : "Neckline";
    let series = null;
    if (level !== null && t1 !== t2) {
      series = this.chart.addSeries(this.lib.LineSeries, {
        color: COLORS.PATTERN, lineWidth: 2, lineStyle: this.lib.LineStyle?.Dashed ?? 2, lastValueVisible: true,
        priceLineVisible: false, crosshairMarkerVisible: false, title: label,
      });
      series.setData([Math.min(t1, t2), Math.max(t1, t2)].map((time) => ({ time, value: level })));
    }
    this.patterns.push({ name, t1, t2, level, label, series });
    if (!this.markers) this.markers = this.lib.createSeriesMarkers(this.candles, []);
    this.markers.setMarkers(this.patternMarkers());
    return true;
  }

  /** Markers of every pattern, sorted by time as lightweight-charts requires. */
  patternMarkers() {
    return this.patterns
      .flatMap(({ name, t1, t2 }) => {
        const [start, end] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const bearish = isBearish(name);
        const marker = { position: bearish ? "aboveBar" : "belowBar", color: COLORS.PATTERN };
        return [
          { ...marker, time: start, shape: bearish ? "arrowDown" : "arrowUp", text: patternName(name) },
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
    const color = COLORS.INDICATORS[this.indicatorCount % COLORS.INDICATORS.length];
    this.indicatorCount += 1;
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
    this.indicators.push({ name, period, color, series });
    if (pane > 0) this.chart.panes?.()[pane]?.setStretchFactor?.(OSCILLATOR_PANE_STRETCH);
    return true;
  }

  /** The pane for the next oscillator: one below the last one in use. */
  nextPane() {
    return this.indicators.filter((i) => OSCILLATORS.has(i.name)).length + 1;
  }

  /**
   * Another symbol over the candles, both as percent change from the first visible bar (the
   * price scale's percentage mode does exactly that, for every series on it, as the user pans).
   * @param {string} symbol @param {ChartCommand} command
   */
  addComparison(symbol, command) {
    if (this.comparisons.some((c) => c.symbol === symbol)) return false;
    if (!this.callbacks.loadBars) throw new Error("COMPARE needs the loadBars option to fetch another symbol's bars");
    const color = COLORS.COMPARE[this.comparisons.length % COLORS.COMPARE.length];
    const series = this.chart.addSeries(this.lib.LineSeries, {
      color, lineWidth: 2, lastValueVisible: true, priceLineVisible: false, title: symbol,
    });
    /** @type {DrawnComparison} */
    const comparison = { symbol, color, series, loading: Promise.resolve() };
    this.comparisons.push(comparison);
    this.setPriceScaleMode(PERCENT_SCALE);
    comparison.loading = this.loadComparison(comparison, command);
    return true;
  }

  /** Fetch and draw a comparison's bars, unless it was cleared meanwhile; a failure removes it. */
  async loadComparison(comparison, command = { verb: "COMPARE", args: [comparison.symbol], raw: `COMPARE:${comparison.symbol}` }) {
    try {
      const { loadBars } = this.callbacks;
      if (!loadBars) throw new Error("COMPARE needs the loadBars option to fetch another symbol's bars");
      const other = await loadBars(comparison.symbol, this.context.timeframe);
      if (this.comparisons.includes(comparison)) comparison.series.setData(closesAsOf(other, this.bars));
    } catch (error) {
      this.removeComparisons((c) => c === comparison);
      this.callbacks.onError?.(error, command);
    }
  }

  /** @param {(c: DrawnComparison) => boolean} which */
  removeComparisons(which) {
    this.comparisons.filter(which).forEach(({ series }) => this.chart.removeSeries(series));
    this.comparisons = this.comparisons.filter((c) => !which(c));
    if (!this.comparisons.length) this.setPriceScaleMode(NORMAL_SCALE);
  }

  /** @param {number} mode */
  setPriceScaleMode(mode) {
    const value = mode === PERCENT_SCALE ? this.lib.PriceScaleMode?.Percentage ?? mode : this.lib.PriceScaleMode?.Normal ?? mode;
    this.candles.priceScale?.().applyOptions({ mode: value });
  }

  /** Show the bars between two times (RANGE); times outside the bars stop at the first/last. */
  showRange(from, to) {
    if (!this.bars.length) return false;
    const index = (/** @type {number} */ time) => this.barIndex(time) ?? (time < this.bars[0].time ? 0 : this.bars.length - 1);
    const range = { from: index(from), to: index(to) };
    if (range.to <= range.from) return false;
    this.setView(range);
    return true;
  }

  /** @param {{from: number, to: number}} range in bars (logical indices) */
  setView(range) {
    this.viewRange = range;
    this.chart.timeScale().setVisibleLogicalRange(range);
  }

  /** ZOOM: IN halves the bars in view, OUT doubles them (the latest bar stays where it is),
   * FIT shows every bar. */
  zoom(direction) {
    const timeScale = this.chart.timeScale();
    const range = this.viewRange ?? timeScale.getVisibleLogicalRange();
    if (!this.bars.length) return false;
    const width = range ? range.to - range.from : 0;
    const wanted = direction === "IN" ? Math.max(width / 2, MIN_ZOOM_BARS) : width * 2;
    if (direction === "FIT" || !range || wanted >= this.bars.length) {
      this.viewRange = null;
      timeScale.fitContent();
      return true;
    }
    this.setView({ from: range.to - wanted, to: range.to });
    return true;
  }

  /**
   * Remove what the controller drew: ALL, DRAWINGS (levels, Fibonacci, trendlines, patterns),
   * INDICATORS, or one kind — TRENDLINES, LEVELS (support/resistance and trade plan), FIBONACCI,
   * PATTERNS, or INDICATOR with `name` (every period of it). Comparisons go with ALL only.
   * @param {string} [what] @param {string} [name] the indicator, for INDICATOR
   * @returns {boolean} always true: a CLEAR is done even when nothing was drawn
   */
  clear(what = "ALL", name = undefined) {
    const all = what === "ALL";
    const drawings = all || what === "DRAWINGS";
    if (drawings || what === "LEVELS") this.removePriceLines((l) => l.kind !== "FIBONACCI");
    if (drawings || what === "FIBONACCI") this.removePriceLines((l) => l.kind === "FIBONACCI");
    if (drawings || what === "TRENDLINES") {
      this.trendlines.forEach(({ series }) => this.chart.removeSeries(series));
      this.trendlines = [];
    }
    if (drawings || what === "PATTERNS") {
      this.patterns.forEach(({ series }) => series && this.chart.removeSeries(series));
      this.patterns = [];
      this.markers?.setMarkers([]);
    }
    if (all || what === "INDICATORS" || what === "INDICATOR") {
      const removed = this.indicators.filter((i) => what !== "INDICATOR" || i.name === name);
      removed.forEach(({ series }) => series.forEach((s) => this.chart.removeSeries(s)));
      this.indicators = this.indicators.filter((i) => !removed.includes(i));
    }
    if (all) this.removeComparisons(() => true);
    return true;
  }

  /** @param {(line: DrawnLevel) => boolean} which */
  removePriceLines(which) {
    this.priceLines.filter(which).forEach(({ line }) => this.candles.removePriceLine(line));
    this.priceLines = this.priceLines.filter((l) => !which(l));
  }

  /** What is drawn, as plain data (for pages, legends, tests and debugging). */
  snapshot() {
    return {
      priceLines: this.priceLines.map(({ kind, price, title }) => ({ kind, price, title })),
      indicators: this.indicators.map(({ name, period, color }) => ({ name, period, color, label: indicatorName(name, period ?? DEFAULT_PERIODS[name]) })),
      trendlines: this.trendlines.map(({ p1, t1, p2, t2, label }) => ({ p1, t1, p2, t2, label })),
      patterns: this.patterns.map(({ name, t1, t2, level, label }) => ({ name, t1, t2, level, label })),
      comparisons: this.comparisons.map(({ symbol, color }) => ({ symbol, color })),
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
