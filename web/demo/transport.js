// How the demo's chat reaches the agent: one function, so another transport (the ChatKit
// protocol, web/demo/chatkit-client.js) can replace it without touching the page.

/**
 * @typedef {object} AgentReply
 * @property {boolean} ok          the request succeeded and the answer says success
 * @property {number} status       HTTP status (0 when the server could not be reached)
 * @property {any} body            the parsed JSON answer (chart_action's response or error envelope)
 * @property {number | null} retryAfter seconds, from a 503's Retry-After header
 */

/**
 * Ask chart_action (through the demo server's one-origin proxy) about the chart of `sessionId`.
 * Never throws: an unreachable server is `{ok: false, status: 0}`.
 * @param {string} query
 * @param {string} sessionId
 * @returns {Promise<AgentReply>}
 */
export async function askAgent(query, sessionId) {
  try {
    const response = await fetch("/api/chatkit/chart-action", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, session_id: sessionId }),
    });
    const body = await response.json().catch(() => null);
    const retryAfter = Number(response.headers.get("Retry-After")) || null;
    return { ok: response.ok && body?.success === true, status: response.status, body, retryAfter };
  } catch {
    return { ok: false, status: 0, body: null, retryAfter: null };
  }
}
