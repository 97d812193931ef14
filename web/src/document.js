// The chart document on the page (issue 22): the backend keeps what a session's chart shows and
// what was said about it; the page draws it on load and whenever its ChatKit thread changes, so a
// reload or a switched thread shows the chart as it was. One read of one document
// (POST /api/chatkit/chart-document), then the document's own command lines on the controller.
//
//   const view = chartDocument({ url: "/api/chatkit/chart-document", sync, controller,
//                                showChart: ({ symbol, timeframe }) => page.show(...) });
//   await view.load(threadId);                     // on load and on every thread change
//   chatKitOptions({ ..., chartDocument: view });  // answers that remove by id redraw it

import { withIdToken } from "./auth.js";
import { readableFetch } from "./network.js";

/**
 * @typedef {{id: string, command: string, kind?: string, name?: string, symbol?: string}} DocumentItem
 * @typedef {{symbol: string | null, timeframe: string | null, version: number,
 *   drawings: DocumentItem[], indicators: DocumentItem[], overlays: DocumentItem[],
 *   view: {t1: number | null, t2: number | null, zoom: string | null} | null,
 *   thread_id?: string | null}} ChartDocument
 */

/**
 * The command lines that draw a document on a bare chart, in the order the kit runs an answer:
 * indicators, overlays, drawings, then the view.
 * @param {ChartDocument} doc
 * @returns {string[]}
 */
export function documentCommands(doc) {
  const lines = [
    ...(doc.indicators ?? []).map((i) => i.command),
    ...(doc.overlays ?? []).map((o) => o.command),
    ...(doc.drawings ?? []).map((d) => d.command),
  ];
  const view = doc.view;
  if (view && Number.isFinite(view.t1) && Number.isFinite(view.t2)) lines.push(`RANGE:${view.t1}:${view.t2}`);
  else if (view?.zoom) lines.push(`ZOOM:${view.zoom}`);
  return lines.filter((line) => typeof line === "string");
}

/**
 * Whether an answer's commands need the document drawn afterwards rather than only executed:
 * a REMOVE names a drawing by id (the document no longer has it), and a switch's drawings are
 * anchored to the new chart's bars, which arrive after the commands ran.
 * @param {string[]} commands
 */
export function redrawsDocument(commands) {
  return commands.some((line) => /^(REMOVE|LOAD|TIMEFRAME):/i.test(line));
}

/**
 * @param {object} options
 * @param {string} options.url  the document route ("/api/chatkit/chart-document")
 * @param {{sessionId: string, setThread?: (id: string | null) => void, saw?: (version?: number) => void}} options.sync  syncContext's result
 * @param {{clear: (what?: string) => boolean, execute: (input: unknown) => string[], context: {symbol?: string, timeframe?: string}}} options.controller
 * @param {(chart: {symbol: string, timeframe: string}) => Promise<unknown> | unknown} options.showChart
 *   switch the page to this symbol and timeframe and load its bars (resolve once they are set)
 * @param {typeof fetch} [options.fetch]
 * @param {() => string | null | undefined | Promise<string | null | undefined>} [options.getIdToken]
 *   the host app's ID token, sent as a Bearer token (when the backend has identity configured)
 */
export function chartDocument({ url, sync, controller, showChart, fetch: fetchImpl = globalThis.fetch, getIdToken }) {
  let drawing = Promise.resolve();

  /** Draw `doc` on the page: its chart first (bars in), then everything on it. */
  async function draw(doc) {
    if (!doc) return;
    sync.saw?.(doc.version);
    const { symbol, timeframe } = controller.context ?? {};
    if (doc.symbol && doc.timeframe && (doc.symbol !== symbol || doc.timeframe !== timeframe)) {
      await showChart({ symbol: doc.symbol, timeframe: doc.timeframe });
    }
    controller.clear("ALL");
    controller.execute(documentCommands(doc));
  }

  /** One drawing at a time, in the order they were asked for. */
  const queue = (doc) => (drawing = drawing.then(() => draw(doc), () => draw(doc)));

  return {
    /**
     * Read the session's document (of `threadId`, when the page shows a thread) and draw it;
     * the thread is reported with the next context update.
     * @param {string | null} [threadId]
     * @returns {Promise<ChartDocument | null>} the document (null: the session has none yet)
     */
    async load(threadId = null) {
      sync.setThread?.(threadId);
      const body = { session_id: sync.sessionId, ...(threadId ? { thread_id: threadId } : {}) };
      const headers = await withIdToken(new Headers({ "Content-Type": "application/json" }), getIdToken);
      const response = await readableFetch(fetchImpl, url, { method: "POST", headers, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`chart document: HTTP ${response.status}`);
      const { chart } = await response.json();
      await queue(chart ?? null);
      return chart ?? null;
    },
    /**
     * After an answer was executed: draw its document when the answer needs it (see
     * redrawsDocument). Resolves once drawn.
     * @param {{commands?: string[], data?: {chart?: ChartDocument | null}}} effect
     */
    afterAnswer(effect) {
      const doc = effect?.data?.chart;
      if (!doc || !redrawsDocument(effect.commands ?? [])) return Promise.resolve();
      return queue(doc);
    },
    /**
     * Draw a chart document the page was handed (the live listener's: a version another door
     * wrote), in turn with the others. Resolves once drawn.
     * @param {ChartDocument} doc
     */
    draw(doc) {
      return queue(doc);
    },
    /** Every drawing asked for so far is on the chart. */
    idle() {
      return drawing;
    },
  };
}
