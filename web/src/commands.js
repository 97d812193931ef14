// Parsing chart-control's command grammar (SPEC 5): `VERB:ARG[:ARG]`, one per line.
// Mirrors shared/models/commands.py `parse_command` (verbs case-insensitive, arguments trimmed,
// symbols upper-cased); tests/e2e/test_web_unit.py checks both parsers agree line by line.
// Unknown verbs and malformed lines are ignored, never thrown.

/** @typedef {import("./api.js").Timeframe} Timeframe */
/**
 * The verbs of the grammar.
 * @typedef {"LOAD" | "TIMEFRAME" | "ANALYZE" | "SUPPORT" | "RESISTANCE" | "ENTRY" | "TARGET" | "STOPLOSS"
 *   | "TRENDLINE" | "FIBONACCI" | "INDICATOR" | "PATTERN" | "CLEAR" | "COMPARE" | "RANGE" | "ZOOM"} Verb
 */
/** @typedef {"SMA" | "EMA" | "RSI" | "MACD" | "BBANDS" | "VWAP" | "VOLUME"} IndicatorName */
/**
 * What one CLEAR removes; `INDICATOR` takes the indicator's name as well.
 * @typedef {"ALL" | "DRAWINGS" | "INDICATORS" | "TRENDLINES" | "LEVELS" | "FIBONACCI" | "PATTERNS" | "INDICATOR"} ClearTarget
 */
/** @typedef {"TECHNICAL" | "PATTERNS"} AnalyzeKind */
/** @typedef {"IN" | "OUT" | "FIT"} ZoomDirection */
/** @typedef {{verb: Verb, args: (string|number)[], raw: string}} ChartCommand */

const PRICE = /^\d+(\.\d+)?$/; // plain decimals only: no sign, exponent or separators
const INT = /^\d+$/;
const SYMBOL = /^[A-Z0-9^][A-Z0-9.^=/-]{0,14}$/;
const PATTERN_NAME = /^[A-Z][A-Z0-9_]{1,39}$/;
/** @type {readonly Timeframe[]} the grammar's timeframes, shortest first */
export const TIMEFRAMES = Object.freeze(["1m", "5m", "15m", "30m", "1H", "4H", "1D", "1W", "1M"]);
/** @type {readonly Timeframe[]} the timeframes whose time axis shows the time of day */
export const INTRADAY_TIMEFRAMES = Object.freeze(["1m", "5m", "15m", "30m", "1H", "4H"]);
const ITEM_ID = /^[a-z][0-9]{1,9}$/; // a drawing, indicator or overlay of the chart document
const INDICATORS = new Set(["SMA", "EMA", "RSI", "MACD", "BBANDS", "VWAP", "VOLUME"]);
// What one CLEAR removes: everything, one family, one kind of drawing, or one indicator
// (`CLEAR:INDICATOR:<NAME>`, the only form with a second argument).
const CLEAR_WHAT = new Set(["ALL", "DRAWINGS", "INDICATORS", "TRENDLINES", "LEVELS", "FIBONACCI", "PATTERNS", "INDICATOR"]);
const ZOOM_DIRECTIONS = new Set(["IN", "OUT", "FIT"]);

// At least the smallest price the backend writes (8 decimals, shared/models/prices.py).
const MIN_PRICE = 1e-8;
/** @param {string} v */
const price = (v) => (PRICE.test(v) && Number(v) >= MIN_PRICE && Number.isFinite(Number(v)) ? Number(v) : null);
/** @param {string} v */
const time = (v) => (INT.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : null);
/** @param {string} v */
const period = (v) => (INT.test(v) && Number(v) >= 1 && Number(v) <= 500 ? Number(v) : null);
/** @param {Set<string>} allowed @returns {(v: string) => string | null} */
const oneOf = (allowed) => (v) => (allowed.has(v) ? v : null);

/** @param {string} v */
const symbol = (v) => (SYMBOL.test(v.toUpperCase()) ? v.toUpperCase() : null);

/**
 * Per verb: one parser per argument (null = invalid), how many are required, and an optional
 * check of the arguments together.
 * @type {Record<string, {args: ((v: string) => string | number | null)[], required: number,
 *   valid?: (args: (string|number)[]) => boolean}>}
 */
const GRAMMAR = {
  LOAD: { args: [symbol], required: 1 },
  TIMEFRAME: { args: [oneOf(new Set(TIMEFRAMES))], required: 1 },
  ANALYZE: { args: [oneOf(new Set(["TECHNICAL", "PATTERNS"]))], required: 1 },
  SUPPORT: { args: [price], required: 1 },
  RESISTANCE: { args: [price], required: 1 },
  ENTRY: { args: [price], required: 1 },
  TARGET: { args: [price], required: 1 },
  STOPLOSS: { args: [price], required: 1 },
  TRENDLINE: { args: [price, time, price, time], required: 4 },
  FIBONACCI: { args: [price, price], required: 2 },
  INDICATOR: { args: [oneOf(INDICATORS), period], required: 1 },
  PATTERN: { args: [(v) => (PATTERN_NAME.test(v) ? v : null), time, time], required: 3 },
  CLEAR: {
    args: [oneOf(CLEAR_WHAT), oneOf(INDICATORS)],
    required: 0,
    valid: ([what, name]) => (what === "INDICATOR") === (name !== undefined), // a name only there
  },
  COMPARE: { args: [symbol], required: 1 },
  RANGE: { args: [time, time], required: 2, valid: ([from, to]) => from < to },
  REMOVE: { args: [(v) => (ITEM_ID.test(v) ? v : null)], required: 1 }, // a chart document id
  ZOOM: { args: [oneOf(ZOOM_DIRECTIONS)], required: 1 },
};

/**
 * One command line, or null when the verb is unknown or an argument is invalid.
 * @param {unknown} line
 * @returns {ChartCommand | null}
 */
export function parseCommand(line) {
  if (typeof line !== "string") return null;
  const raw = line.trim();
  const [head, ...parts] = raw.split(":");
  const verb = head.toUpperCase();
  const rule = Object.hasOwn(GRAMMAR, verb) ? GRAMMAR[verb] : null;
  if (!rule || parts.length < rule.required || parts.length > rule.args.length) return null;
  const args = [];
  for (let i = 0; i < parts.length; i += 1) {
    const value = rule.args[i](parts[i].trim());
    if (value === null) return null;
    args.push(value);
  }
  if (rule.valid && !rule.valid(args)) return null;
  if (verb === "CLEAR" && args.length === 0) args.push("ALL");
  return { verb: /** @type {Verb} */ (verb), args, raw };
}

// Agents relaying the reply sometimes decorate command lines as markdown: `- SUPPORT:1`,
// `1. SUPPORT:1`, `` `SUPPORT:1` ``, `**SUPPORT:1**`. Strip that before parsing.
const DECORATION = /^(?:[-*•>]\s+|\d+[.)]\s+)?[`*_]*|[`*_]*$/g;

/** @param {string} line */
const parseTextLine = (line) => parseCommand(line) ?? parseCommand(line.trim().replace(DECORATION, ""));

/** @param {ChartCommand | null} command @returns {command is ChartCommand} */
const isCommand = (command) => command !== null;

/**
 * Commands from a chart_action/MCP response or from the agent's message text.
 * Accepts a response object (`chart_commands`, else `text`; or an MCP result's
 * `structuredContent`), an array of lines, or free text in which command lines are embedded.
 * Never throws.
 * @param {unknown} input
 * @returns {ChartCommand[]}
 */
export function parseCommands(input) {
  try {
    if (typeof input === "string") return input.split(/\r?\n/).map(parseTextLine).filter(isCommand);
    if (Array.isArray(input)) return input.map(parseCommand).filter(isCommand);
    if (input && typeof input === "object") {
      const body = /** @type {any} */ (input).structuredContent ?? input;
      if (Array.isArray(body.chart_commands)) return parseCommands(body.chart_commands);
      if (typeof body.text === "string") return parseCommands(body.text);
    }
  } catch {
    // a hostile or odd object (throwing getters, proxies): nothing to execute
  }
  return [];
}
