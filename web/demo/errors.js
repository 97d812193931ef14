// What went wrong, and what to change, in words a user can act on — from the backend's error
// envelope (SPEC 6): `{"error": {"code", "message", "details": [{"field", "message"}]}}`. Limits
// are read from the details the backend sent (pydantic's "at most 2000 characters"), not assumed.

/** Words for the request fields the demo sends. */
const FIELD_WORDS = { query: "Your message", session_id: "The chart session id" };

/**
 * One broken rule as a sentence with the fix.
 * @param {{field?: string | null, message?: string}} detail
 * @param {string} query what the user sent (only its length is used)
 */
function explainDetail({ field, message = "" }, query) {
  const who = FIELD_WORDS[field ?? ""] ?? `The field ${field}`;
  const most = message.match(/at most (\d+) character/);
  if (most) {
    return `${who} is over ${Number(most[1]).toLocaleString("en-US")} characters (it has `
      + `${query.length.toLocaleString("en-US")}). Shorten it and send it again.`;
  }
  if (/at least 1 character/.test(message)) return `${who} is empty. Type a question first.`;
  if (field === "session_id") return `${who} was refused (${message}). Reload the page to get a new one.`;
  return `${who}: ${message}.`;
}

/**
 * A failed request, explained.
 * @param {import("./transport.js").AgentReply} reply
 * @param {string} query
 * @returns {string}
 */
export function explainFailure({ status, body, retryAfter }, query) {
  const error = body?.error ?? {};
  const details = Array.isArray(error.details) ? error.details : [];
  if (status === 0) return "The demo server did not answer. Is `make run` still running? Start it again and reload the page.";
  if (status === 400 && details.length) return details.map((d) => explainDetail(d, query)).join(" ");
  if (status === 413) return "Your message is too large to send (the backend accepts requests up to 16 KiB). Shorten it.";
  if (status === 401) {
    return "chart_action refused the request: its bearer token is missing or wrong. "
      + "Give the demo server the same CHART_ACTION_TOKEN as the function.";
  }
  if (status === 502) return "chart_action is not running. Start both functions with `make run`, then ask again.";
  if (status === 503) {
    const wait = retryAfter ? ` in ${retryAfter} s` : " in a moment";
    return `The backend is temporarily unavailable (${error.code ?? "unavailable"}). Try again${wait}.`;
  }
  if (status === 504) return "The backend took too long to answer (a dependency timed out). Try again.";
  return `${error.message ?? "The request failed"} (HTTP ${status}).`;
}
