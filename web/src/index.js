// chart-control web kit: keep the backend's context current and execute its chart commands.
export { INTRADAY_TIMEFRAMES, TIMEFRAMES, parseCommand, parseCommands } from "./commands.js";
export { describeCommand, formatTime, formatTimeRange, indicatorName, patternName } from "./describe.js";
export { ChartController, COLORS, executeCommands, OutsideBarsWarning } from "./execute.js";
export { BarsError, barsLoader, fetchBars } from "./bars.js";
export { newSessionId, syncContext } from "./sync.js";
export { CHART_EFFECT, CHART_SESSION_HEADER, chatKitOptions, persistentSessionId } from "./chatkit.js";
export { chartDocument, documentCommands, redrawsDocument } from "./document.js";
export {
  SESSIONS_COLLECTION, chartDocumentOf, connectLive, firestoreSubscriber, liveChart, versionGate,
} from "./live.js";
export { AUTHORIZATION_HEADER, withIdToken } from "./auth.js";
export { BLOCKED_MESSAGE, BlockedError, readableFetch } from "./network.js";
export * as indicators from "./indicators.js";

/** @typedef {import("./commands.js").ChartCommand} ChartCommand */
/** @typedef {import("./commands.js").Verb} Verb */
/** @typedef {import("./commands.js").Timeframe} Timeframe */
/** @typedef {import("./commands.js").ClearTarget} ClearTarget */
/** @typedef {import("./commands.js").IndicatorName} IndicatorName */
/** @typedef {import("./commands.js").AnalyzeKind} AnalyzeKind */
/** @typedef {import("./commands.js").ZoomDirection} ZoomDirection */
/** @typedef {import("./execute.js").Callbacks} Callbacks */
/** @typedef {import("./execute.js").BarsContext} BarsContext */
/** @typedef {import("./execute.js").ChartLib} ChartLib */
/** @typedef {import("./execute.js").PriceSeries} PriceSeries */
/** @typedef {import("./indicators.js").Bar} Bar */
/** @typedef {import("./indicators.js").Point} Point */
/** @typedef {import("./sync.js").ChartState} ChartState */
/** @typedef {import("./api.js").UpdateContextRequest} UpdateContextRequest */
/** @typedef {import("./api.js").UpdateContextResponse} UpdateContextResponse */
/** @typedef {import("./api.js").ChartActionRequest} ChartActionRequest */
/** @typedef {import("./api.js").ChartActionResponse} ChartActionResponse */
/** @typedef {import("./api.js").BarsResponse} BarsResponse */
/** @typedef {import("./api.js").MarketDataInfo} MarketDataInfo */
/** @typedef {import("./api.js").ErrorResponse} ErrorResponse */
