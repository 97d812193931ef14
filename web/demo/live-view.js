// The demo's live path: the kit's listener (connectLive) on this session's chart document, a
// "live" indicator in the chat's head, and a line in the chat log whenever another door (an MCP
// client, the JSON route, another tab) changed the chart: "drawn by an agent: support 174.26".
// The page's own turns are claimed by the kit's chat effect and never come through here.
import { connectLive, describeCommand, parseCommand } from "/src/index.js";

const STATUS_WORDS = { connecting: "connecting…", live: "live", offline: "offline, reconnecting", stopped: "off" };

/** The request of the document's latest answer, as the server keeps it (truncated). */
export const lastRequest = (document) => document.last_answer?.request ?? null;

/** The number of the document's latest answer (0 before any). */
const turnOf = (document) => Number(document.last_answer?.turn ?? 0) || 0;

/**
 * The chat log's line for a version another door wrote: what its latest answer drew.
 * @param {Record<string, any>} document
 * @returns {string}
 */
export function agentLine(document) {
  const turn = turnOf(document);
  const words = (document.drawings ?? [])
    .filter((drawing) => turn && drawing.turn === turn)
    .map((drawing) => parseCommand(drawing.command))
    .filter(Boolean)
    .map((command) => describeCommand(/** @type {any} */ (command)));
  const text = words.map((word) => `${word[0].toLowerCase()}${word.slice(1)}`).join(", ");
  if (text) return `drawn by an agent: ${text}`;
  return `changed by an agent: ${document.symbol ?? ""} ${document.timeframe ?? ""}`.trim();
}

/**
 * Listen when the page's config has a Firebase web config; else the indicator stays hidden.
 * @param {object} options
 * @param {Record<string, any> | null | undefined} options.firebase  /demo/config.json's `firebase`
 * @param {string} options.sessionId
 * @param {HTMLElement} options.indicator   the "live" badge
 * @param {(document: Record<string, any>) => Promise<boolean> | boolean} options.draw  redraws the
 *   chart; true when it moved to another symbol or timeframe
 * @param {(text: string) => void} options.log  adds a line to the chat log
 * @param {(document: Record<string, any>) => boolean} [options.isOwnTurn]  whether a version is
 *   the page's own chat turn still in flight (its write can reach the listener before ChatKit's
 *   effect does): drawn, but not announced as another door's
 * @param {(document: Record<string, any>) => boolean} [options.accepts]  whether a version is for
 *   this page at all (e.g. the chart of the thread it shows)
 * @param {{claim: Function}} [options.gate]  the page's versionGate, shared with the
 *   page's chat effect and its own context updates, so their versions are not drawn twice
 */
export async function startLive({
  firebase, sessionId, indicator, draw, log, gate, isOwnTurn = () => false, accepts = () => true,
}) {
  let lastTurn = 0;
  const live = await connectLive({
    firebase,
    sessionId,
    onStatus: (status) => {
      indicator.hidden = false;
      indicator.dataset.status = status;
      indicator.title = `Live updates: ${STATUS_WORDS[status]}`;
      indicator.querySelector("span").textContent = status === "live" ? "live" : STATUS_WORDS[status];
    },
    onError: (error) => console.warn("live updates:", /** @type {any} */ (error)?.code ?? error),
    gate,
    render: (document, { initial }) => {
      if (!accepts(document)) return;
      // A line for what another door did: a new answer, or a switch of the chart. Not for the
      // state the page found on subscribing, nor for a version of the page's own context that
      // reached the listener before update_context's answer could claim it.
      const answered = turnOf(document) > lastTurn && !isOwnTurn(document);
      lastTurn = turnOf(document);
      Promise.resolve(draw(document)).then((moved) => {
        if (!initial && (answered || moved)) log(agentLine(document));
      }, (error) => log(`could not draw a change: ${error.message ?? error}`));
    },
  });
  return live;
}
