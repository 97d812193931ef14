// chart-control web kit: keep the backend's context current and execute its chart commands.
export { parseCommand, parseCommands } from "./commands.js";
export { describeCommand, formatTime, formatTimeRange, indicatorName, patternName } from "./describe.js";
export { ChartController, COLORS, executeCommands } from "./execute.js";
export { newSessionId, syncContext } from "./sync.js";
export { CHART_EFFECT, CHART_SESSION_HEADER, chatKitOptions, persistentSessionId } from "./chatkit.js";
export { AUTHORIZATION_HEADER, withIdToken } from "./auth.js";
export { BLOCKED_MESSAGE, BlockedError, readableFetch } from "./network.js";
export * as indicators from "./indicators.js";

/** @typedef {import("./commands.js").ChartCommand} ChartCommand */
/** @typedef {import("./execute.js").Callbacks} Callbacks */
/** @typedef {import("./indicators.js").Bar} Bar */
