// ChatKit beside the chart: the options that connect OpenAI's ChatKit UI (@openai/chatkit-react's
// useChatKit, or the <openai-chatkit> element's setOptions) to the chatkit function. Every
// request carries the chart session in X-Chart-Session (the id syncContext reports to
// update-context), so the server reads what the chart shows itself; the turn's chart commands
// arrive as a `chart_commands` client effect and are executed on the ChartController.

import { withIdToken } from "./auth.js";
import { readableFetch } from "./network.js";
import { newSessionId } from "./sync.js";

export const CHART_SESSION_HEADER = "X-Chart-Session";
export const CHART_EFFECT = "chart_commands";
export const SESSION_STORAGE_KEY = "chart-control.session";
const SESSION_ID = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * The chart session id this browser keeps (localStorage), so the page's ChatKit threads, which
 * the server files under this id, survive a reload. A new one is made and stored when none is
 * kept; without usable storage (private mode, blocked cookies) every load gets a new one.
 * @param {{storage?: Storage | null, key?: string, newId?: () => string}} [options]
 * @returns {string}
 */
export function persistentSessionId({ storage = globalThis.localStorage, key = SESSION_STORAGE_KEY, newId = newSessionId } = {}) {
  try {
    const kept = storage?.getItem(key);
    if (kept && SESSION_ID.test(kept)) return kept;
    const fresh = newId();
    storage?.setItem(key, fresh);
    return fresh;
  } catch {
    return newId();
  }
}

/**
 * ChatKit options for one chart.
 *
 *   const sync = syncContext({ url: "/api/chatkit/update-context", sessionId: persistentSessionId() });
 *   const { control } = useChatKit(chatKitOptions({ url: "/api/chatkit", domainKey, controller, sync }));
 *   // or: document.querySelector("openai-chatkit").setOptions(chatKitOptions({...}))
 *
 * @param {object} options
 * @param {string} options.url            the chatkit function ("/api/chatkit" behind one origin)
 * @param {string} options.domainKey      ChatKit's domain key (any value on localhost; production
 *                                        domains are registered on OpenAI's allowlist)
 * @param {{execute: (input: unknown) => string[]}} options.controller  the page's ChartController
 * @param {{sessionId: string, saw?: (version?: number | null) => void}} options.sync  syncContext's result (or anything with the session id)
 * @param {(drawn: {commands: string[], drawn: string[], text?: string, data?: object}) => void} [options.onCommands]
 *                                        told after each effect (e.g. to show an analysis card)
 * @param {{afterAnswer: (effect: object) => Promise<void>}} [options.chartDocument]  document.js's
 *                                        chartDocument: answers that remove by id or switch the
 *                                        chart are redrawn from their chart document
 * @param {{claim: (version: unknown, options?: {partial?: boolean}) => boolean} | null} [options.live]
 *                                        the live listener's versionGate (connectLive): an effect
 *                                        carrying the document version it wrote
 *                                        (`data.data.chart.version`) claims it, so the listener
 *                                        does not draw it again; an effect the listener drew
 *                                        already (its write can reach the listener first) is not
 *                                        executed, only told
 * @param {typeof fetch} [options.fetch]
 * @param {() => string | null | undefined | Promise<string | null | undefined>} [options.getIdToken]
 *                                        the host app's ID token, sent as a Bearer token on every
 *                                        request (when the backend has identity configured)
 * @returns {{api: {url: string, domainKey: string, fetch: typeof fetch}, onEffect: (effect: {name: string, data?: any}) => void}}
 */
export function chatKitOptions({
  url, domainKey, controller, sync, onCommands, chartDocument, live = null, fetch: fetchImpl = globalThis.fetch,
  getIdToken,
}) {
  return {
    api: {
      url,
      domainKey,
      async fetch(input, init = {}) {
        const headers = await withIdToken(new Headers(init.headers), getIdToken);
        headers.set(CHART_SESSION_HEADER, sync.sessionId);
        return readableFetch(fetchImpl, input, { ...init, headers });
      },
    },
    onEffect({ name, data }) {
      if (name !== CHART_EFFECT || !Array.isArray(data?.commands)) return;
      const version = data.data?.chart?.version;
      sync.saw?.(version); // the chart this answer moved to is the page's next report
      if (live && version !== undefined && !live.claim(version, { partial: true })) {
        onCommands?.({ ...data, drawn: data.commands }); // the listener drew this version first
        return;
      }
      // as a response, so the effect's pattern necklines (data.analysis) are drawn as sent
      const drawn = controller.execute({ chart_commands: data.commands, data: data.data });
      chartDocument?.afterAnswer({ commands: data.commands, data: data.data });
      onCommands?.({ ...data, drawn });
    },
  };
}
