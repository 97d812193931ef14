// The bars chart_action's analysis read (its bars route, `GET /api/chatkit/bars`): show these
// and the backend's levels, trendlines and patterns sit on your candles. The controller's
// default `loadBars` when it is given `barsUrl`.

/** @typedef {import("./api.js").BarsResponse} BarsResponse */
/** @typedef {import("./api.js").ErrorResponse} ErrorResponse */
/** @typedef {import("./api.js").Timeframe} Timeframe */

/** A failed bars request: the route's error code and message (never the request). */
export class BarsError extends Error {
  /** @param {string} message @param {number} status @param {string} [code] */
  constructor(message, status, code) {
    super(message);
    this.name = "BarsError";
    this.status = status;
    this.code = code;
  }
}

/**
 * Fetch the bars of one chart from the bars route.
 * @param {string} url the bars route, e.g. "https://chart-api.example.com/api/chatkit/bars"
 * @param {string} symbol
 * @param {Timeframe} [timeframe] default 1D
 * @param {{fetch?: typeof fetch, signal?: AbortSignal}} [options]
 * @returns {Promise<BarsResponse>} `bars` oldest first, ready for `candles.setData`;
 *   `market_data.sample` is true when the bars are synthetic (say so on the page)
 */
export async function fetchBars(url, symbol, timeframe = "1D", { fetch: fetchImpl = globalThis.fetch, signal } = {}) {
  const target = new URL(url, globalThis.location?.href);
  target.searchParams.set("symbol", symbol);
  target.searchParams.set("timeframe", timeframe);
  const response = await fetchImpl(target, { signal, headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok || !body?.success) {
    const error = /** @type {ErrorResponse | null} */ (body)?.error;
    throw new BarsError(`no bars for ${symbol} ${timeframe}: ${error?.message ?? `HTTP ${response.status}`}`, response.status, error?.code);
  }
  return /** @type {BarsResponse} */ (body);
}

/**
 * A `loadBars` for ChartController that reads the bars route.
 * @param {string} url the bars route
 * @param {{fetch?: typeof fetch}} [options]
 * @returns {(symbol: string, timeframe?: Timeframe) => Promise<BarsResponse>}
 */
export function barsLoader(url, options = {}) {
  return (symbol, timeframe) => fetchBars(url, symbol, timeframe, options);
}
