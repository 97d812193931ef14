// Keeping chart-control's session context current: the page reports every symbol/timeframe
// change to update-context, debounced, with an increasing `seq` so a late request never
// overwrites a newer chart state, and retries with backoff while the backend answers 503/504.

import { withIdToken } from "./auth.js";
import { readableFetch } from "./network.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
const RETRYABLE = new Set([503, 504]);
const MAX_DELAY_MS = 10_000;

/** Firestore reserves document ids matching __.*__; the backend refuses them as session ids. */
const RESERVED_ID = /^__.*__$/;

/**
 * An unguessable session id of [A-Za-z0-9_-] from crypto.getRandomValues (64 symbols, so each
 * byte's low 6 bits map without bias; 32 chars = 192 bits). An id Firestore reserves
 * (`__...__`, about one in 17 million) is drawn again, so the kit never sends one.
 * @param {number} [length] 16-128
 * @param {(bytes: Uint8Array<ArrayBuffer>) => void} [fill] the random source (tests pass their own)
 */
export function newSessionId(length = 32, fill = (bytes) => crypto.getRandomValues(bytes)) {
  if (!(length >= 16 && length <= 128)) throw new RangeError("session ids are 16-128 chars");
  const bytes = new Uint8Array(length);
  for (;;) {
    fill(bytes);
    const id = Array.from(bytes, (b) => ALPHABET[b & 63]).join("");
    if (!RESERVED_ID.test(id)) return id;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before retry `attempt` (0-based): the server's Retry-After if longer, else doubling. */
function retryDelay(response, attempt, baseMs) {
  const backoff = baseMs * 2 ** attempt;
  const retryAfter = Number(response?.headers?.get?.("Retry-After"));
  return Math.min(Number.isFinite(retryAfter) ? Math.max(backoff, retryAfter * 1000) : backoff, MAX_DELAY_MS);
}

/**
 * @typedef {object} ChartState
 * @property {string} symbol
 * @property {import("./api.js").Timeframe} timeframe
 * @property {string} [snapshotId]
 */

/**
 * @param {object} options
 * @param {string} options.url           update-context URL (e.g. "/api/chatkit/update-context")
 * @param {string} [options.sessionId]   defaults to a new random id
 * @param {number} [options.debounceMs]  wait this long after the last change (default 250)
 * @param {number} [options.retries]     503/504/network retries (default 4)
 * @param {number} [options.backoffMs]   first retry delay, doubling each time (default 250)
 * @param {typeof fetch} [options.fetch]
 * @param {() => string | null | undefined | Promise<string | null | undefined>} [options.getIdToken]
 *                                       the host app's ID token, sent as a Bearer token on every
 *                                       update (when the backend has identity configured)
 */
export function syncContext({
  url, sessionId = newSessionId(), debounceMs = 250, retries = 4, backoffMs = 250,
  fetch: fetchImpl = globalThis.fetch, getIdToken,
}) {
  // seq starts at the clock, not 0: a page that keeps its session id across reloads (e.g. in
  // sessionStorage) would otherwise send seq 1 again and the server would ignore it as stale.
  let seq = 0;
  let timer = null;
  let last = "";
  let settlePending = () => {};
  let threadId = null; // the ChatKit thread the page shows: its chart document is reported
  // the newest chart document version the page has drawn or been answered: a report of
  // another chart than a newer version shows is behind an answer still on its way to the page,
  // and the backend does not take it for the user's switch (which drops the old chart's drawings)
  /** @type {number | null} */
  let seen = null;
  /** @param {number | undefined | null} version */
  const saw = (version) => {
    if (typeof version === "number" && Number.isInteger(version) && (seen === null || version > seen)) seen = version;
  };

  /** POST `body`; retry while retryable, unless a newer state has been posted meanwhile. */
  async function post(body) {
    for (let attempt = 0; ; attempt += 1) {
      let response;
      try {
        const headers = await withIdToken(new Headers({ "Content-Type": "application/json" }), getIdToken);
        response = await readableFetch(fetchImpl, url, { method: "POST", headers, body: JSON.stringify(body) });
        if (!RETRYABLE.has(response.status) || attempt >= retries) return response.json();
      } catch (error) {
        if (attempt >= retries) throw error;
      }
      await sleep(retryDelay(response, attempt, backoffMs));
      if (body.seq !== seq) return undefined; // superseded: the newer update wins anyway
    }
  }

  return {
    sessionId,
    /**
     * A chart document version the page has drawn (an answer's effect, a document load, a live
     * version); later updates carry the newest as `seen_version`.
     * @param {number | undefined | null} version
     */
    saw,
    /**
     * The ChatKit thread the page shows now (null: none yet); the next update reports it, so
     * the backend keeps each thread's chart document apart.
     * @param {string | null} id
     */
    setThread(id) {
      if (id === threadId) return;
      threadId = id;
      last = ""; // the same chart on another thread is news
    },
    /**
     * Report what the chart shows; unchanged states are not re-sent.
     * @param {ChartState} state
     * @returns {Promise<import("./api.js").UpdateContextResponse | import("./api.js").ErrorResponse | undefined>}
     *   update-context's answer (check `success`); undefined when nothing was
     *   sent (unchanged, or superseded by a newer state within the debounce window)
     */
    update({ symbol, timeframe, snapshotId }) {
      const key = `${symbol}|${timeframe}|${snapshotId ?? ""}`;
      if (key === last) return Promise.resolve(undefined);
      last = key;
      clearTimeout(timer);
      settlePending(); // a newer state replaces the one still waiting: settle its promise
      const seenThen = seen; // the state is the chart as of this version, whenever it is sent
      return new Promise((resolve, reject) => {
        settlePending = () => resolve(undefined);
        timer = setTimeout(() => {
          settlePending = () => {};
          seq = Math.max(seq + 1, Date.now());
          const body = { session_id: sessionId, symbol, timeframe, seq };
          if (snapshotId) body.snapshot_id = snapshotId;
          if (threadId) body.thread_id = threadId;
          if (seenThen !== null) body.seen_version = seenThen;
          // not stored (error answer or network failure): let the same state be sent again
          const forget = () => { if (last === key) last = ""; };
          post(body).then((answer) => {
            saw(answer?.chart?.version);
            // not stored, or not applied (behind a newer document): the same state may be news
            if (answer && (answer.success !== true || answer.applied === false)) forget();
            resolve(answer);
          }, (error) => {
            forget();
            reject(error);
          });
        }, debounceMs);
      });
    },
  };
}
