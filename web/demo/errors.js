// What went wrong, and what to change, in words a user can act on — from the chatkit function's
// refusals (SPEC 6 envelope: `{"error": {"code", "message", "details": [{"field", "message"}]}}`),
// the proxy's and load balancer's statuses (429/502/503/504 with Retry-After), and ChatKit error
// events inside the stream. Limits are read from the details the backend sent ("the message must
// be 1-2000 characters"), not assumed.

/** Words for the request fields the demo sends. */
const FIELD_WORDS = {
  "params.input.content": "Your message",
  "X-Chart-Session": "The chart session id",
};

/**
 * One broken rule as a sentence with the fix.
 * @param {{field?: string | null, message?: string}} detail
 * @param {string} query what the user sent (only its length is used)
 */
function explainDetail({ field, message = "" }, query) {
  const who = FIELD_WORDS[field ?? ""] ?? `The field ${field}`;
  const most = message.match(/(?:at most |\b1-)(\d+) character/);
  if (most && query.length > Number(most[1])) {
    return `${who} is over ${Number(most[1]).toLocaleString("en-US")} characters (it has `
      + `${query.length.toLocaleString("en-US")}). Shorten it and send it again.`;
  }
  if (most || /at least 1 character/.test(message)) return `${who} is empty. Type a question first.`;
  if (field === "X-Chart-Session") return `${who} was refused (${message}). Reload the page to get a new one.`;
  return `${who}: ${message}.`;
}

/** "in 5 s" from a Retry-After, else "in a moment". @param {number | null} seconds */
const after = (seconds) => (seconds ? ` in ${seconds} s` : " in a moment");

/**
 * A failed message, explained.
 * @param {import("./chatkit-client.js").Reply} reply
 * @param {string} query
 * @returns {string}
 */
export function explainFailure({ status, body, retryAfter, error: streamError }, query) {
  if (status === 200) return streamError ?? "The answer failed; please try again.";
  const error = body?.error ?? {};
  const details = Array.isArray(error.details) ? error.details : [];
  if (status === 0) return "The demo server did not answer. Is `make run` still running? Start it again and reload the page.";
  if (status === 400 && details.length) return details.map((d) => explainDetail(d, query)).join(" ");
  if (status === 404) return "This conversation is gone (threads expire after a while). Send your message again to start a new one.";
  if (status === 413) return "Your message is too large to send (the backend accepts requests up to 16 KiB). Shorten it.";
  if (status === 429) return `Too many messages in a short time. Wait and ask again${after(retryAfter)}.`;
  if (status === 502) return "The chatkit function is not running. Start the functions with `make run`, then ask again.";
  if (status === 503) return `The backend is temporarily unavailable (${error.code ?? "unavailable"}). Try again${after(retryAfter)}.`;
  if (status === 504) return `The backend took too long to answer (a dependency timed out). Try again${after(retryAfter)}.`;
  return `${error.message ?? "The request failed"} (HTTP ${status}).`;
}
