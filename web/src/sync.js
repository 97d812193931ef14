// Keeping chart-control's session context current: the page reports every symbol/timeframe
// change to update-context, debounced, with an increasing `seq` so a late request never
// overwrites a newer chart state, and retries with backoff while the store answers 503.

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** An unguessable session id (32 chars of [A-Za-z0-9_-]) from crypto.getRandomValues. */
export function newSessionId(length = 32) {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => ALPHABET[b & 63]).join("");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {object} options
 * @param {string} options.url          update-context URL (e.g. "/api/chatkit/update-context")
 * @param {string} [options.sessionId]  defaults to a new random id
 * @param {number} [options.debounceMs] wait this long after the last change (default 250)
 * @param {number} [options.retries]    503/network retries (default 4, backoff 250 ms doubling)
 * @param {typeof fetch} [options.fetch]
 */
export function syncContext({ url, sessionId = newSessionId(), debounceMs = 250, retries = 4, fetch: fetchImpl = globalThis.fetch }) {
  let seq = 0;
  let timer = null;
  let last = "";
  let superseded = () => {};

  async function post(body) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await fetchImpl(url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        if (response.status !== 503 || attempt >= retries) return response.json();
      } catch (error) {
        if (attempt >= retries) throw error;
      }
      await sleep(250 * 2 ** attempt);
    }
  }

  return {
    sessionId,
    /**
     * Report what the chart shows; unchanged states are not re-sent.
     * @param {{symbol: string, timeframe: string, snapshotId?: string}} state
     * @returns {Promise<object|undefined>} the update-context answer
     */
    update({ symbol, timeframe, snapshotId }) {
      const key = `${symbol}|${timeframe}|${snapshotId ?? ""}`;
      if (key === last) return Promise.resolve(undefined);
      last = key;
      clearTimeout(timer);
      superseded(); // a newer state replaces the one still waiting: settle its promise
      return new Promise((resolve, reject) => {
        superseded = () => resolve(undefined);
        timer = setTimeout(() => {
          superseded = () => {};
          seq += 1;
          const body = { session_id: sessionId, symbol, timeframe, seq };
          if (snapshotId) body.snapshot_id = snapshotId;
          post(body).then(resolve, reject);
        }, debounceMs);
      });
    },
  };
}
