// Words for commands: what a trader reads in a chip, a legend or a label ("Double top, 3 Mar –
// 2 Jun 2025", not `PATTERN:DOUBLE_TOP:1740960000:1748822400`). Dates are UTC, as the chart's
// time axis shows them; prices keep the decimals the backend wrote.

/** @typedef {import("./commands.js").ChartCommand} ChartCommand */

const DAY_FORMAT = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" });
const MINUTE_FORMAT = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
});
const LEVEL_WORDS = { SUPPORT: "Support", RESISTANCE: "Resistance", ENTRY: "Entry", TARGET: "Target", STOPLOSS: "Stop" };
const INDICATOR_WORDS = {
  SMA: "SMA", EMA: "EMA", RSI: "RSI", MACD: "MACD", BBANDS: "Bollinger bands", VWAP: "VWAP", VOLUME: "Volume",
};
const CLEAR_WORDS = {
  ALL: "Clear everything", DRAWINGS: "Clear drawings", INDICATORS: "Remove indicators", TRENDLINES: "Remove trendlines",
  LEVELS: "Remove levels", FIBONACCI: "Remove Fibonacci", PATTERNS: "Remove patterns",
};
const ZOOM_WORDS = { IN: "Zoom in", OUT: "Zoom out", FIT: "Fit all bars" };

/**
 * A pattern's name as traders say it: `DOUBLE_TOP` -> "double top".
 * @param {string} name
 */
export function patternName(name) {
  return String(name).toLowerCase().replaceAll("_", " ");
}

/**
 * An indicator's name as a legend shows it: `SMA`, 50 -> "SMA 50"; `BBANDS` -> "Bollinger bands".
 * @param {string} name @param {number | null} [period]
 */
export function indicatorName(name, period = null) {
  const word = INDICATOR_WORDS[name] ?? name;
  return period ? `${word} ${period}` : word;
}

/**
 * A bar time as a date ("3 Mar 2025"), with the time of day when `intraday`.
 * @param {number} time unix seconds
 * @param {boolean} [intraday]
 */
export function formatTime(time, intraday = false) {
  return (intraday ? MINUTE_FORMAT : DAY_FORMAT).format(new Date(time * 1000)).replace(/[\u2009\u202f]/g, " ");
}

/**
 * Two bar times as one range ("3 Mar – 2 Jun 2025"), the shared parts written once.
 * @param {number} from unix seconds @param {number} to unix seconds @param {boolean} [intraday]
 */
export function formatTimeRange(from, to, intraday = false) {
  const [a, b] = from <= to ? [from, to] : [to, from];
  const text = (intraday ? MINUTE_FORMAT : DAY_FORMAT).formatRange(new Date(a * 1000), new Date(b * 1000));
  return text.replace(/[\u2009\u202f]/g, " "); // Intl's thin spaces around the dash: plain ones
}

/**
 * What a command does, in words, for chips and legends. Prices keep the command's own digits.
 * @param {ChartCommand} command a parsed command (see parseCommand)
 * @param {{intraday?: boolean}} [options] show times of day (intraday charts)
 * @returns {string}
 */
export function describeCommand({ verb, args, raw }, { intraday = false } = {}) {
  const text = raw.split(":").map((part) => part.trim()); // prices as written: 238.40, not 238.4
  const when = (/** @type {number} */ t) => formatTime(t, intraday);
  switch (verb) {
    case "LOAD": return `Load ${args[0]}`;
    case "TIMEFRAME": return `Timeframe ${args[0]}`;
    case "ANALYZE": return args[0] === "PATTERNS" ? "Pattern scan" : "Technical analysis";
    case "SUPPORT": case "RESISTANCE": case "ENTRY": case "TARGET": case "STOPLOSS":
      return `${LEVEL_WORDS[verb]} ${text[1]}`;
    case "TRENDLINE":
      return `Trendline ${text[1]} (${when(Number(args[1]))}) → ${text[3]} (${when(Number(args[3]))})`;
    case "FIBONACCI": return `Fibonacci ${text[1]} – ${text[2]}`;
    case "INDICATOR": return indicatorName(String(args[0]), args[1] === undefined ? null : Number(args[1]));
    case "PATTERN": {
      const name = patternName(String(args[0]));
      return `${name[0].toUpperCase()}${name.slice(1)}, ${formatTimeRange(Number(args[1]), Number(args[2]), intraday)}`;
    }
    case "CLEAR":
      return args[0] === "INDICATOR" ? `Remove ${indicatorName(String(args[1]))}` : CLEAR_WORDS[String(args[0])];
    case "COMPARE": return `Compare with ${args[0]} (% change)`;
    case "RANGE": return `Show ${formatTimeRange(Number(args[0]), Number(args[1]), intraday)}`;
    case "ZOOM": return ZOOM_WORDS[String(args[0])];
    default: return raw;
  }
}
