// Parsing chart-control's command grammar (SPEC 5): `VERB:ARG[:ARG]`, one per line.
// Mirrors shared/models/commands.py; unknown verbs and malformed lines are ignored, never thrown.

/** @typedef {{verb: string, args: (string|number)[], raw: string}} ChartCommand */

const PRICE = /^\d+(\.\d+)?$/;
const INT = /^\d+$/;
const SYMBOL = /^[A-Z0-9^][A-Z0-9.^=/-]{0,14}$/;
const TIMEFRAMES = new Set(["1m", "5m", "15m", "30m", "1H", "4H", "1D", "1W", "1M"]);
const INDICATORS = new Set(["SMA", "EMA", "RSI", "MACD", "BBANDS", "VWAP", "VOLUME"]);

const price = (v) => (PRICE.test(v) && Number(v) > 0 ? Number(v) : null);
const int = (v) => (INT.test(v) ? Number(v) : null);

/** Per verb: argument parsers, and how many arguments are required. */
const GRAMMAR = {
  LOAD: { args: [(v) => (SYMBOL.test(v) ? v : null)], required: 1 },
  TIMEFRAME: { args: [(v) => (TIMEFRAMES.has(v) ? v : null)], required: 1 },
  ANALYZE: { args: [(v) => (v === "TECHNICAL" || v === "PATTERNS" ? v : null)], required: 1 },
  SUPPORT: { args: [price], required: 1 },
  RESISTANCE: { args: [price], required: 1 },
  ENTRY: { args: [price], required: 1 },
  TARGET: { args: [price], required: 1 },
  STOPLOSS: { args: [price], required: 1 },
  TRENDLINE: { args: [price, int, price, int], required: 4 },
  FIBONACCI: { args: [price, price], required: 2 },
  INDICATOR: { args: [(v) => (INDICATORS.has(v) ? v : null), int], required: 1 },
  PATTERN: { args: [(v) => (/^[A-Z][A-Z0-9_]{1,39}$/.test(v) ? v : null), int, int], required: 3 },
  CLEAR: { args: [(v) => (["ALL", "DRAWINGS", "INDICATORS"].includes(v) ? v : null)], required: 0 },
};

/**
 * One command line, or null when the verb is unknown or an argument is invalid.
 * @param {string} line
 * @returns {ChartCommand | null}
 */
export function parseCommand(line) {
  if (typeof line !== "string") return null;
  const raw = line.trim();
  const [verb, ...parts] = raw.split(":");
  const rule = GRAMMAR[verb];
  if (!rule || parts.length < rule.required || parts.length > rule.args.length) return null;
  const args = [];
  for (let i = 0; i < parts.length; i += 1) {
    const value = rule.args[i](parts[i]);
    if (value === null) return null;
    args.push(value);
  }
  if (verb === "CLEAR" && args.length === 0) args.push("ALL");
  return { verb, args, raw };
}

/**
 * Commands from a chart_action/MCP response or from the agent's message text.
 * Accepts a response object (`chart_commands`, or `structuredContent`), an array of lines, or
 * free text in which command lines are embedded. Never throws.
 * @param {unknown} input
 * @returns {ChartCommand[]}
 */
export function parseCommands(input) {
  try {
    let lines = [];
    if (typeof input === "string") lines = input.split(/\r?\n/);
    else if (Array.isArray(input)) lines = input;
    else if (input && typeof input === "object") {
      const body = /** @type {any} */ (input).structuredContent ?? input;
      if (Array.isArray(body.chart_commands)) lines = body.chart_commands;
      else if (typeof body.text === "string") lines = body.text.split(/\r?\n/);
    }
    return lines.map(parseCommand).filter((c) => c !== null);
  } catch {
    return [];
  }
}
