// Executing chart-control commands on a TradingView Lightweight Chart (v5).
// The controller owns everything it draws, so CLEAR removes exactly that (never the page's own
// series), and pages and tests can read the chart's state through the chart API (price lines,
// series, markers) or `snapshot()`, rather than pixels.

import { bbands, closesAsOf, ema, fibonacciLevels, macd, rsi, sma, vwap } from "./indicators.js";
import { INTRADAY_TIMEFRAMES, parseCommands } from "./commands.js";
import { formatTime, indicatorName, patternName } from "./describe.js";
import { barsLoader } from "./bars.js";

/** @typedef {import("./commands.js").ChartCommand} ChartCommand */
/** @typedef {import("./commands.js").Timeframe} Timeframe */
/** @typedef {import("./commands.js").ClearTarget} ClearTarget */
/** @typedef {import("./commands.js").IndicatorName} IndicatorName */
/** @typedef {import("./commands.js").AnalyzeKind} AnalyzeKind */
/** @typedef {import("./indicators.js").Bar} Bar */
/** @typedef {import("./api.js").BarsResponse} BarsResponse */
/** @typedef {import("lightweight-charts").IChartApi} IChartApi */
/** @typedef {import("lightweight-charts").UTCTimestamp} UTCTimestamp */
/** @typedef {import("lightweight-charts").PriceFormat} PriceFormat */
/** @typedef {import("lightweight-charts").ISeriesApi<"Line"> | import("lightweight-charts").ISeriesApi<"Histogram">} KitSeries */
/**
 * The page's price series: price lines, markers and the kit's percent scale go here.
 * @typedef {import("lightweight-charts").ISeriesApi<"Candlestick"> | import("lightweight-charts").ISeriesApi<"Bar">} PriceSeries
 */
/**
 * What the page does for the verbs that change more than the drawing, and where bars come from.
 * @typedef {object} Callbacks
 * @property {string} [barsUrl] chart_action's bars route (`.../api/chatkit/bars`): the default
 *   `loadBars`, so `show()`, LOAD, TIMEFRAME and COMPARE show the bars the backend analysed
 * @property {(symbol: string, timeframe: Timeframe | undefined) => Promise<Bar[] | BarsResponse>} [loadBars]
 *   bars of a symbol on a timeframe, oldest first (`show`, the kit's LOAD/TIMEFRAME and COMPARE)
 * @property {(bars: Bar[], context: BarsContext) => void} [onBars] told after `show()` (or a
 *   LOAD/TIMEFRAME the kit switched) set new bars: report the context, show the symbol
 * @property {(symbol: string) => void} [onLoad] the page switches itself (then calls setBars);
 *   without onLoad and onTimeframe, the kit switches with `show()` when it has a loadBars
 * @property {(timeframe: Timeframe) => void} [onTimeframe] the page switches itself (then setBars)
 * @property {(kind: AnalyzeKind) => void} [onAnalyze] open the analysis panel
 * @property {(error: unknown, command: ChartCommand) => void} [onError] a command failed to
 *   draw, or drew outside the bars the chart holds (an `OutsideBarsWarning`)
 */
/**
 * The parts of the lightweight-charts module the controller uses (pass the module itself).
 * @typedef {Pick<typeof import("lightweight-charts"), "LineSeries" | "HistogramSeries" | "createSeriesMarkers">
 *   & Partial<Pick<typeof import("lightweight-charts"), "LineStyle">>} ChartLib
 */
/**
 * What the bars show; COMPARE asks `loadBars` for the same timeframe, intraday timeframes show
 * the time of day; `sample` when the bars route said they are synthetic.
 * @typedef {{symbol?: string, timeframe?: Timeframe, sample?: boolean}} BarsContext
 */
/** @typedef {{kind: string, price: number, title: string, line: import("lightweight-charts").IPriceLine}} DrawnLevel */
/** @typedef {{name: IndicatorName, period: number|null, color: string, pane: number, series: KitSeries[]}} DrawnIndicator */
/** @typedef {{p1: number, t1: number, p2: number, t2: number, label: string, series: import("lightweight-charts").ISeriesApi<"Line">}} DrawnTrendline */
/** @typedef {{name: string, t1: number, t2: number, level: number|null, label: string, series: import("lightweight-charts").ISeriesApi<"Line"> | null}} DrawnPattern */
/** @typedef {{symbol: string, color: string, series: import("lightweight-charts").ISeriesApi<"Line">, other: Bar[] | null, loading: Promise<void>}} DrawnComparison */

/**
 * A drawing whose price or time lies outside the bars the chart holds (reported to `onError`
 * after it is drawn): the backend's levels were computed on other bars than the page shows.
 */
export class OutsideBarsWarning extends Error {
  /** @param {string} message @param {{prices: number[], times: number[]}} outside */
  constructor(message, outside) {
    super(message);
    this.name = "OutsideBarsWarning";
    this.prices = outside.prices;
    this.times = outside.times;
  }
}

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
const LEVEL_VERBS = new Set(["SUPPORT", "RESISTANCE", "ENTRY", "TARGET", "STOPLOSS"]);
const SWITCH_VERBS = new Set(["LOAD", "TIMEFRAME"]);
const INTRADAY = new Set(INTRADAY_TIMEFRAMES);
const PRICE_SLACK = 0.001; // a level this close outside the bars (rounding to the tick) is inside
const PLAIN_PRICE = /** @type {PriceFormat} */ ({ type: "price", precision: 2, minMove: 0.01 });
/** @param {number} t a bar time (unix seconds) as the chart's time type */
const utc = (t) => /** @type {UTCTimestamp} */ (t);

/** Patterns that point down (their name sits above the bars, their line under the tops). */
const isBearish = (/** @type {string} */ name) => /TOP|^HEAD_AND_SHOULDERS$|DESCENDING|RISING_WEDGE/.test(name);

export class ChartController {
  /**
   * @param {IChartApi} chart         the object `createChart` returned
   * @param {PriceSeries} candles     its candlestick (or bar) series: price lines and markers go here
   * @param {ChartLib} lib            the lightweight-charts module
   * @param {Callbacks} [callbacks]
   */
  constructor(chart, candles, lib, callbacks = {}) {
    if (typeof chart?.addSeries !== "function" || typeof candles?.setData !== "function") {
      throw new TypeError("new ChartController(chart, candles, lib): createChart's chart first, then its candlestick series");
    }
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
    /** @type {import("lightweight-charts").ISeriesMarkersPluginApi<import("lightweight-charts").Time> | null} */
    this.markers = null;
    /** @type {Map<string, number>} pattern levels a chart_action response carried */
    this.knownLevels = new Map();
    this.indicatorCount = 0; // colours rotate over every indicator ever added
    /** @type {{from: number, to: number} | null} the view this batch of commands set */
    this.viewRange = null;
    /** @type {{format: PriceFormat, base: number, index: number, onRange: () => void} | null}
     * the percent scale while a comparison is shown */
    this.percent = null;
    this.showing = 0; // the latest show() wins when bars arrive out of order
    /** @type {{symbol?: string, timeframe?: Timeframe}} what the latest show() asked for */
    this.target = {};
    /** @type {Promise<unknown>[]} switches and the commands waiting for their bars */
    this.pending = [];
  }

  /**
   * The bars the page shows: sets the candles' data (`candles.setData(bars)`), recomputes the
   * kit's indicators and reloads its comparisons for them, and shows the time of day on the
   * time axis for intraday timeframes (dates only otherwise). Drawings stay: clear them first
   * when the bars are another chart's (LOAD and TIMEFRAME do). It does not move the view.
   * @param {Bar[]} bars oldest first
   * @param {BarsContext} [context] what they are (COMPARE loads the same timeframe)
   */
  setBars(bars, context = {}) {
    this.bars = bars;
    this.context = { ...this.context, ...context };
    this.target = { symbol: this.context.symbol, timeframe: this.context.timeframe };
    this.candles.setData(bars);
    const { timeframe } = this.context;
    const intraday = timeframe ? INTRADAY.has(timeframe) : bars.length > 1 && bars[1].time - bars[0].time < 86_400;
    this.chart.applyOptions?.({ timeScale: { timeVisible: intraday, secondsVisible: false } });
    const shown = this.indicators.map(({ name, period }) => ({ name, period }));
    this.clear("INDICATORS");
    shown.forEach(({ name, period }) => this.addIndicator(name, period));
    if (this.percent) this.percent.index = -1;
    this.comparisons.forEach((comparison) => { comparison.loading = this.loadComparison(comparison); });
  }

  /** @returns {((symbol: string, timeframe: Timeframe | undefined) => Promise<Bar[] | BarsResponse>) | null} */
  loader() {
    const { loadBars, barsUrl } = this.callbacks;
    return loadBars ?? (barsUrl ? barsLoader(barsUrl) : null);
  }

  /**
   * Show another chart: load its bars (`loadBars`, by default the bars route), set them, fit
   * them in view, tell `onBars`. When shows overlap (a click, then the agent's LOAD), the
   * latest wins and earlier answers are dropped (resolved with null).
   * @param {{symbol?: string, timeframe?: Timeframe}} change
   * @returns {Promise<Bar[] | null>}
   */
  async show(change) {
    const loader = this.loader();
    if (!loader) throw new Error("show needs loadBars or barsUrl");
    // a change on top of what the latest show asked for: a symbol picked while a timeframe
    // switch is loading keeps the new timeframe
    const context = { ...this.context, ...this.target, ...change };
    if (!context.symbol) throw new Error("show needs a symbol");
    this.target = { symbol: context.symbol, timeframe: context.timeframe };
    const ticket = ++this.showing;
    const answer = await loader(context.symbol, context.timeframe);
    if (ticket !== this.showing) return null;
    const bars = Array.isArray(answer) ? answer : answer.bars;
    const sample = Array.isArray(answer) ? undefined : answer.market_data.sample;
    this.setBars(bars, { ...context, sample });
    this.chart.timeScale().fitContent();
    this.callbacks.onBars?.(bars, this.context);
    return bars;
  }

  /**
   * Execute commands (parsed commands, command strings, agent text or a chart_action / MCP
   * response), in order. A command that fails to draw is reported to `onError` and skipped; one
   * drawn outside the bars is reported as an `OutsideBarsWarning`. When the kit switches the
   * chart itself (no onLoad/onTimeframe, a loadBars or barsUrl), a batch's LOAD and TIMEFRAME
   * are one `show()`, and the commands after them run once its bars are set: await `idle()`.
   * COMPARE draws once its bars arrive (`idle()` too).
   * @param {unknown} input
   * @returns {string[]} the raw lines executed (a switch's later lines run after its bars)
   */
  execute(input) {
    const parsed = Array.isArray(input) && input.length > 0 && input.every((c) => c && typeof c === "object" && "verb" in c);
    const commands = parsed ? /** @type {ChartCommand[]} */ (input) : parseCommands(input);
    this.rememberPatternLevels(input);
    this.viewRange = null; // the chart applies a new view on its next frame: track it meanwhile
    const done = [];
    const kitSwitches = !this.callbacks.onLoad && !this.callbacks.onTimeframe && this.loader() !== null;
    for (let i = 0; i < commands.length; i += 1) {
      if (kitSwitches && SWITCH_VERBS.has(commands[i].verb)) {
        const later = commands.slice(i);
        const switches = later.filter((c) => SWITCH_VERBS.has(c.verb));
        done.push(...switches.map((c) => c.raw));
        this.switchThenRun(switches, later.filter((c) => !SWITCH_VERBS.has(c.verb)));
        return done;
      }
      this.runChecked(commands[i], done);
    }
    return done;
  }

  /** One `show()` for a batch's LOAD and TIMEFRAME, then the batch's other commands on its bars.
   * @param {ChartCommand[]} switches @param {ChartCommand[]} rest */
  switchThenRun(switches, rest) {
    this.clear("DRAWINGS"); // drawings belong to the old chart; indicators follow the new bars
    /** @type {{symbol?: string, timeframe?: Timeframe}} */
    const change = {};
    for (const { verb, args } of switches) {
      if (verb === "LOAD") change.symbol = String(args[0]);
      else change.timeframe = /** @type {Timeframe} */ (String(args[0]));
    }
    const ticket = this.showing + 1;
    const run = this.show(change).then(
      () => { if (ticket === this.showing) rest.forEach((command) => this.runChecked(command, [])); },
      (error) => switches.forEach((command) => this.callbacks.onError?.(error, command)),
    );
    this.pending.push(run);
  }

  /** Run one command; report a failure, or a drawing outside the bars, to onError.
   * @param {ChartCommand} command @param {string[]} done the lines executed so far */
  runChecked(command, done) {
    try {
      if (!this.run(command)) return;
      done.push(command.raw);
      const warning = this.outsideBars(command);
      if (warning) this.callbacks.onError?.(warning, command);
    } catch (error) {
      this.callbacks.onError?.(error, command);
    }
  }

  /**
   * The warning for a drawing whose prices lie outside the bars' lows and highs or whose times
   * lie outside their first and last bar, else null.
   * @param {ChartCommand} command
   * @returns {OutsideBarsWarning | null}
   */
  outsideBars({ verb, args, raw }) {
    const n = (/** @type {number} */ i) => Number(args[i]);
    const prices = LEVEL_VERBS.has(verb) ? [n(0)] : verb === "FIBONACCI" ? [n(0), n(1)] : verb === "TRENDLINE" ? [n(0), n(2)] : [];
    const times = verb === "TRENDLINE" ? [n(1), n(3)] : verb === "PATTERN" ? [n(1), n(2)] : [];
    if (!prices.length && !times.length) return null;
    const { bars } = this;
    if (!bars.length) return new OutsideBarsWarning(`${raw}: drawn before any bars were set (setBars)`, { prices, times });
    const low = Math.min(...bars.map((b) => b.low));
    const high = Math.max(...bars.map((b) => b.high));
    const slack = high * PRICE_SLACK;
    const outside = {
      prices: prices.filter((p) => p < low - slack || p > high + slack),
      times: times.filter((t) => t < bars[0].time || t > bars[bars.length - 1].time),
    };
    if (!outside.prices.length && !outside.times.length) return null;
    const intraday = this.context.timeframe ? INTRADAY.has(this.context.timeframe) : false;
    const price = (/** @type {number} */ p) => String(Number(p.toFixed(p < 1 ? 8 : 2)));
    const span = `${price(low)}–${price(high)}, ${formatTime(bars[0].time, intraday)} – ${formatTime(bars[bars.length - 1].time, intraday)}`;
    return new OutsideBarsWarning(
      `${raw} lies outside the bars the chart holds (${span}): computed on other bars? show chart_action's bars (barsUrl)`,
      outside,
    );
  }

  /** A chart_action response names each pattern's neckline: prefer it to the kit's estimate.
   * @param {unknown} input */
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

  /** Every switch, the commands waiting for it, and every COMPARE still loading has drawn (or failed). */
  async idle() {
    while (this.pending.length) await Promise.all(this.pending.splice(0));
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
        this.callbacks.onTimeframe?.(/** @type {Timeframe} */ (String(args[0])));
        return true;
      case "ANALYZE":
        this.callbacks.onAnalyze?.(/** @type {AnalyzeKind} */ (String(args[0])));
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
        return this.addIndicator(/** @type {IndicatorName} */ (String(args[0])), args[1] === undefined ? null : Number(args[1]));
      case "PATTERN":
        return this.addPattern(String(args[0]), Number(args[1]), Number(args[2]));
      case "CLEAR":
        return this.clear(/** @type {ClearTarget} */ (String(args[0] ?? "ALL")), args[1] === undefined ? undefined : /** @type {IndicatorName} */ (String(args[1])));
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

  /** A labelled horizontal line; the same level asked twice is drawn once.
   * @param {string} kind @param {number} price @param {string} title */
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

  /** A new line series on the price pane, on the percent scale while a comparison is shown.
   * @param {import("lightweight-charts").DeepPartial<import("lightweight-charts").LineSeriesOptions>} options
   * @param {number} [pane] */
  addLine(options, pane = 0) {
    const priceFormat = pane === 0 && this.percent ? this.percentFormat() : undefined;
    return this.chart.addSeries(this.lib.LineSeries, { ...options, ...(priceFormat ? { priceFormat } : {}) }, pane);
  }

  /** A two-point line series (lightweight-charts wants strictly increasing times), extended
   * along its slope to the last bar; both swings marked, the trend's name written at the first
   * one (under an uptrend, over a downtrend), away from the price labels at the right edge.
   * @param {number} p1 @param {number} t1 @param {number} p2 @param {number} t2 */
  addTrendline(p1, t1, p2, t2) {
    if (t1 === t2) return false;
    const [a, b] = t1 < t2 ? [{ time: utc(t1), value: p1 }, { time: utc(t2), value: p2 }] : [{ time: utc(t2), value: p2 }, { time: utc(t1), value: p1 }];
    const points = [a, b];
    const [ia, ib] = [this.barIndex(a.time), this.barIndex(b.time)];
    const last = this.bars[this.bars.length - 1];
    if (ia !== null && ib !== null && ib > ia && last && last.time > b.time) {
      const value = b.value + ((b.value - a.value) / (ib - ia)) * (this.bars.length - 1 - ib);
      if (value > 0) points.push({ time: last.time, value });
    }
    const rising = b.value >= a.value;
    const label = rising ? "Uptrend" : "Downtrend";
    const series = this.addLine({
      color: COLORS.TRENDLINE, lineWidth: 2, lastValueVisible: false, priceLineVisible: false,
      crosshairMarkerVisible: false, title: "",
    });
    series.setData(points);
    const mark = { position: rising ? "belowBar" : "aboveBar", shape: "circle", color: COLORS.TRENDLINE, size: 0.6 };
    this.lib.createSeriesMarkers(series, /** @type {any[]} */ ([{ ...mark, time: a.time, text: label }, { ...mark, time: b.time }]));
    this.trendlines.push({ p1, t1, p2, t2, label, series });
    return true;
  }

  /**
   * Where a pattern's neckline (or a triangle's flat side) sits, estimated from the bars when the
   * response did not say: double top, the lowest low between the tops; head and shoulders, the
   * mean of the lowest low on each side of the head; a triangle's flat side, its extreme.
   * @param {string} name @param {number} t1 @param {number} t2
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
   * name written at its start, a mark at its end.
   * @param {string} name @param {number} t1 @param {number} t2 */
  addPattern(name, t1, t2) {
    if (this.patterns.some((p) => p.name === name && p.t1 === t1 && p.t2 === t2)) return false;
    const level = this.patternLevel(name, t1, t2);
    const label = name.endsWith("TRIANGLE") ? (name.startsWith("ASC") ? "Flat top" : "Flat bottom") : "Neckline";
    let series = null;
    if (level !== null && t1 !== t2) {
      series = this.addLine({
        color: COLORS.PATTERN, lineWidth: 2, lineStyle: this.lib.LineStyle?.Dashed ?? 2, lastValueVisible: true,
        priceLineVisible: false, crosshairMarkerVisible: false, title: label,
      });
      series.setData([Math.min(t1, t2), Math.max(t1, t2)].map((time) => ({ time: utc(time), value: level })));
    }
    this.patterns.push({ name, t1, t2, level, label, series });
    if (!this.markers) this.markers = this.lib.createSeriesMarkers(this.candles, []);
    this.markers.setMarkers(/** @type {any[]} */ (this.patternMarkers()));
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
          { ...marker, time: utc(start), shape: bearish ? "arrowDown" : "arrowUp", text: patternName(name) },
          ...(end !== start ? [{ ...marker, time: utc(end), shape: "circle" }] : []),
        ];
      })
      .sort((a, b) => a.time - b.time);
  }

  /**
   * An indicator computed from the page's bars: overlays on the price pane, oscillators each in
   * a pane of their own below it.
   * @param {IndicatorName} name @param {number|null} period
   */
  addIndicator(name, period) {
    if (this.indicators.some((i) => i.name === name && i.period === period)) return false;
    const color = COLORS.INDICATORS[this.indicatorCount % COLORS.INDICATORS.length];
    this.indicatorCount += 1;
    const pane = OSCILLATORS.has(name) ? this.nextPane() : 0;
    /** @type {KitSeries[]} */
    const series = [];
    /** @param {import("./indicators.js").Point[]} data @param {object} [options] */
    const line = (data, options = {}) => {
      const s = this.addLine({ color, lineWidth: 2, priceLineVisible: false, lastValueVisible: false, ...options }, pane);
      s.setData(data);
      return s;
    };
    /** @param {import("lightweight-charts").HistogramData<UTCTimestamp>[]} data @param {object} [options] */
    const histogram = (data, options = {}) => {
      const s = this.chart.addSeries(this.lib.HistogramSeries, { color, priceLineVisible: false, lastValueVisible: false, ...options }, pane);
      s.setData(data);
      return s;
    };
    const p = period ?? DEFAULT_PERIODS[name];
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
        histogram(m.histogram.map((pt) => ({ ...pt, color: pt.value >= 0 ? "#14b8a680" : "#f43f5e80" }))),
        line(m.line, { title: "MACD" }),
        line(m.signal, { color: "#f97316", title: "signal", lineWidth: 1 }),
      );
    }
    if (name === "VOLUME") {
      series.push(histogram(this.bars.map((b) => ({
        time: b.time, value: b.volume ?? 0, color: b.close >= b.open ? "#22c55e80" : "#ef444480",
      })), { title: "Volume", priceFormat: { type: "volume" } }));
    }
    this.indicators.push({ name, period, color, pane, series });
    if (pane > 0) this.chart.panes?.()[pane]?.setStretchFactor?.(OSCILLATOR_PANE_STRETCH);
    return true;
  }

  /** The pane for the next oscillator: one below the last one in use. */
  nextPane() {
    return this.indicators.filter((i) => OSCILLATORS.has(i.name)).length + 1;
  }

  /**
   * Another symbol over the candles, both as percent change from the first visible bar: the
   * other symbol's closes are scaled onto the candles (equal at that bar, rescaled as the user
   * pans) and the price axis reads percent from that bar's close. Lightweight Charts' own
   * percentage mode would measure each of the kit's line series (trendlines, necklines,
   * averages) from its own first visible point instead of the candles', and move it off its
   * price; this way every drawing stays on its price.
   * @param {string} symbol @param {ChartCommand} command
   */
  addComparison(symbol, command) {
    if (this.comparisons.some((c) => c.symbol === symbol)) return false;
    if (!this.loader()) throw new Error("COMPARE needs the loadBars (or barsUrl) option to fetch another symbol's bars");
    this.enterPercent();
    const color = COLORS.COMPARE[this.comparisons.length % COLORS.COMPARE.length];
    const series = this.addLine({ color, lineWidth: 2, lastValueVisible: true, priceLineVisible: false, title: symbol });
    /** @type {DrawnComparison} */
    const comparison = { symbol, color, series, other: null, loading: Promise.resolve() };
    this.comparisons.push(comparison);
    comparison.loading = this.loadComparison(comparison, command);
    return true;
  }

  /** Fetch and draw a comparison's bars, unless it was cleared meanwhile; a failure removes it.
   * @param {DrawnComparison} comparison @param {ChartCommand} [command] */
  async loadComparison(comparison, command = { verb: "COMPARE", args: [comparison.symbol], raw: `COMPARE:${comparison.symbol}` }) {
    try {
      const loader = this.loader();
      if (!loader) throw new Error("COMPARE needs the loadBars (or barsUrl) option to fetch another symbol's bars");
      const answer = await loader(comparison.symbol, this.context.timeframe);
      if (!this.comparisons.includes(comparison)) return;
      comparison.other = Array.isArray(answer) ? answer : answer.bars;
      this.rescale(true);
    } catch (error) {
      this.removeComparisons((c) => c === comparison);
      this.callbacks.onError?.(error, command);
    }
  }

  /** The percent scale: the price axis (and the kit's price-pane series) read percent change
   * from the first visible bar's close; comparisons follow the view. */
  enterPercent() {
    if (this.percent) return;
    const format = /** @type {PriceFormat} */ (this.candles.options?.().priceFormat ?? PLAIN_PRICE);
    this.percent = { format, base: this.bars[0]?.close ?? 1, index: -1, onRange: () => this.rescale(false) };
    this.chart.timeScale().subscribeVisibleLogicalRangeChange?.(this.percent.onRange);
    this.applyPriceFormat(this.percentFormat());
  }

  /** Back to prices: the page's own price format on the candles and the kit's series. */
  leavePercent() {
    if (!this.percent) return;
    const { format, onRange } = this.percent;
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange?.(onRange);
    this.percent = null;
    this.applyPriceFormat(format);
  }

  /** @param {PriceFormat} priceFormat */
  applyPriceFormat(priceFormat) {
    this.candles.applyOptions?.({ priceFormat });
    const kit = [
      ...this.trendlines.map((t) => t.series), ...this.patterns.map((p) => p.series),
      ...this.comparisons.map((c) => c.series), ...this.indicators.filter((i) => i.pane === 0).flatMap((i) => i.series),
    ];
    kit.forEach((series) => series?.applyOptions?.({ priceFormat }));
  }

  /** Percent change from the first visible bar's close, as the axis shows it: "+4.20%". */
  percentFormat() {
    const minMove = this.percent && "minMove" in this.percent.format ? this.percent.format.minMove : 0.01;
    /** @param {number} price */
    const formatter = (price) => {
      const change = (price / (this.percent?.base ?? price) - 1) * 100;
      return `${change >= 0 ? "+" : "−"}${Math.abs(change).toFixed(2)}%`;
    };
    return /** @type {PriceFormat} */ ({ type: "custom", minMove, formatter });
  }

  /** The index of the first bar in view: percent change counts from its close. */
  firstVisibleIndex() {
    const range = this.viewRange ?? this.chart.timeScale().getVisibleLogicalRange();
    return Math.min(this.bars.length - 1, Math.max(0, Math.ceil(range?.from ?? 0)));
  }

  /** Scale each comparison onto the candles at the first visible bar (when it changed, or
   * `force`): there both start at 0%.
   * @param {boolean} force */
  rescale(force) {
    if (!this.percent || !this.bars.length) return;
    const index = this.firstVisibleIndex();
    if (index === this.percent.index && !force) return;
    const first = this.bars[index];
    this.percent.index = index;
    this.percent.base = first.close;
    for (const comparison of this.comparisons) {
      if (!comparison.other) continue;
      const closes = closesAsOf(comparison.other, this.bars);
      const anchor = closes.find((p) => p.time >= first.time) ?? closes[closes.length - 1];
      const scale = anchor ? first.close / anchor.value : 1;
      comparison.series.setData(closes.map(({ time, value }) => ({ time, value: value * scale })));
    }
  }

  /** @param {(c: DrawnComparison) => boolean} which */
  removeComparisons(which) {
    this.comparisons.filter(which).forEach(({ series }) => this.chart.removeSeries(series));
    this.comparisons = this.comparisons.filter((c) => !which(c));
    if (!this.comparisons.length) this.leavePercent();
  }

  /** Show the bars between two times (RANGE); times outside the bars stop at the first/last.
   * @param {number} from @param {number} to */
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
    this.rescale(false);
  }

  /** ZOOM: IN halves the bars in view, OUT doubles them (the latest bar stays where it is),
   * FIT shows every bar.
   * @param {string} direction */
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
   * @param {ClearTarget} [what] @param {IndicatorName} [name] the indicator, for INDICATOR
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
