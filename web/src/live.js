// Live updates: every page open on a session shows what any door (an MCP client, an Agents SDK
// service, the JSON route, another tab) did to the session's chart document, within a second
// and without polling a function. The kit listens to that one Firestore document with the
// Firebase JavaScript SDK's real-time listener (`onSnapshot`); firestore.rules let a browser get
// only the session document it names, and never write.
//
// Each document version is drawn once, whichever way it reached the page: the page's own chat
// turn arrives first through ChatKit's effect (and the page's own update_context answer carries
// the version it wrote), so every drawing path claims its version on one `versionGate` and only
// the first to claim a version draws it.
//
// The Firebase SDK is an optional peer dependency, loaded only when a `firebase` web config is
// given: without one there are no live updates and everything else works as before.

export const SESSIONS_COLLECTION = "chart_sessions";
const RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * The versions drawn on one session's chart. `claim(v)` is true exactly once per new version:
 * a version at or below the highest claimed one has been drawn (or superseded) already.
 *
 * A drawing is full (the whole document: the listener, the page's load) or partial (one turn's
 * commands: the chat effect). A partial claim that skips versions (an agent's write that the
 * listener has not delivered yet) leaves the page behind the document, so the next full drawing
 * of that version is let through once: the listener then redraws the whole document.
 */
export function versionGate() {
  let highest = -Infinity;
  let behind = false;
  return {
    /**
     * @param {unknown} version
     * @param {{partial?: boolean}} [options]  partial: the caller draws one turn's commands only
     * @returns {boolean} whether the caller should draw it
     */
    claim(version, { partial = false } = {}) {
      if (typeof version !== "number" || !Number.isFinite(version)) return false;
      if (version < highest || (version === highest && (partial || !behind))) return false;
      behind = partial && version > highest + 1;
      highest = version;
      return true;
    },
    /** The highest version claimed so far (-Infinity before any). */
    get highest() { return highest; },
  };
}

/**
 * @typedef {object} Snapshot
 * @property {Record<string, any> | null} data  the document's fields (null: no such document yet)
 * @property {boolean} [fromCache]              served from the SDK's cache, not yet confirmed
 */

/**
 * How the listener reaches a session document: subscribe and get snapshots until unsubscribed.
 * `firestoreSubscriber` makes one from the Firebase SDK; tests pass their own.
 * @typedef {(sessionId: string, observer: {next: (snapshot: Snapshot) => void, error: (error: unknown) => void}) => () => void} Subscribe
 */

/**
 * @typedef {"connecting" | "live" | "offline" | "stopped"} LiveStatus
 * connecting: subscribed, nothing confirmed by the server yet; live: the server's latest version
 * is on the page; offline: the listener failed and waits to reconnect; stopped: `stop()` ran.
 */

/** A Firestore Timestamp, a Date or epoch milliseconds as milliseconds (NaN otherwise). */
function millis(value) {
  if (typeof value?.toMillis === "function") return value.toMillis();
  if (value instanceof Date) return value.getTime();
  return typeof value === "number" ? value : Number.NaN;
}

/**
 * The chart document as every door answers it (`data.chart` of chart_action and of the chat's
 * effect, update_context's `chart`), from the stored session document: the context's symbol
 * and timeframe, the version, and the `chart` map — empty past its `chart_expires_at`, and
 * without drawings of another chart (a switch leaves them behind), as the server reads it.
 * @param {Record<string, any>} data  the Firestore document's fields
 * @param {number} [now]  epoch milliseconds
 */
export function chartDocumentOf(data, now = Date.now()) {
  const stored = data.chart && typeof data.chart === "object" ? data.chart : {};
  const chart = millis(data.chart_expires_at) > now ? stored : {};
  const here = (drawing) => drawing.symbol === data.symbol && drawing.timeframe === data.timeframe;
  return {
    symbol: data.symbol ?? null,
    timeframe: data.timeframe ?? null,
    version: data.version ?? 0,
    drawings: (chart.drawings ?? []).filter(here),
    indicators: chart.indicators ?? [],
    overlays: chart.overlays ?? [],
    view: chart.view ?? null,
    last_answer: chart.last_answer ?? null,
    thread_id: chart.thread ?? null,
  };
}

/**
 * Listen to one session's chart document and render each version not drawn yet.
 *
 * @param {object} options
 * @param {string} options.sessionId          the session the page shows (syncContext's id)
 * @param {Subscribe} options.subscribe       the document source (see firestoreSubscriber)
 * @param {(document: ReturnType<typeof chartDocumentOf>, info: {version: number, sessionId: string, initial: boolean}) => void} options.render
 *                                            draws a version that came from elsewhere (the
 *                                            chart document, as the doors answer it)
 *                                            (`initial`: the session's first snapshot, i.e. the
 *                                            state the page found, not a change it saw happen)
 * @param {(status: LiveStatus) => void} [options.onStatus]  for a "live" indicator
 * @param {(error: unknown) => void} [options.onError]       told each failure before a retry
 * @param {(data: Record<string, any>) => unknown} [options.versionOf]  the stored document's
 *                                            version (default its `version`, which every write
 *                                            increments)
 * @param {ReturnType<typeof versionGate>} [options.gate]  shared with the page's other drawing
 *                                            paths (a new one per session otherwise)
 * @param {number} [options.retryMs]          first reconnect delay, doubling (default 500)
 * @param {number} [options.maxRetryMs]       longest reconnect delay (default 30 s)
 * @param {() => number} [options.now]        the clock for `expires_at` (tests pass their own)
 */
export function liveChart({
  sessionId, subscribe, render, onStatus = () => {}, onError = () => {},
  versionOf = (data) => data.version, gate = versionGate(),
  retryMs = RETRY_MS, maxRetryMs = MAX_RETRY_MS, now = Date.now,
}) {
  let current = sessionId;
  let currentGate = gate;
  let unsubscribe = null;
  let retryTimer = null;
  let failures = 0;
  let status = /** @type {LiveStatus | null} */ (null);
  let generation = 0; // snapshots of an older subscription are dropped
  let lastVersion = /** @type {unknown} */ (undefined); // of the latest snapshot, drawn or not
  let found = false; // a snapshot of this session with a live document has arrived

  const setStatus = (next) => {
    if (next === status) return;
    status = next;
    onStatus(next);
  };

  function onSnapshot(mine, { data, fromCache = false }) {
    if (mine !== generation) return;
    failures = 0;
    setStatus(fromCache ? "connecting" : "live");
    if (!data) {
      currentGate.claim(0); // no document yet: version 0, so the first write is not a gap
      return;
    }
    if (millis(data.expires_at) <= now()) return; // expired: absent, as every backend read says
    const version = versionOf(data);
    // The state the page found, not a change it saw: the first live document, unless the page
    // already drew a version of this session (its own context update, its load).
    const initial = !found && !(currentGate.highest > 0);
    found = true;
    lastVersion = version;
    if (!currentGate.claim(version)) return; // drawn already (the page's own turn, or older)
    try {
      render(chartDocumentOf(data, now()), { version: /** @type {number} */ (version), sessionId: current, initial });
    } catch (error) {
      onError(error); // a document the page cannot draw does not end the listening
    }
  }

  function onFailure(mine, error) {
    if (mine !== generation) return;
    unsubscribe?.();
    unsubscribe = null;
    setStatus("offline");
    onError(error);
    const delay = Math.min(retryMs * 2 ** failures, maxRetryMs);
    failures += 1;
    retryTimer = setTimeout(() => { retryTimer = null; connect(); }, delay);
  }

  function connect() {
    const mine = ++generation;
    if (status !== "offline") setStatus("connecting");
    try {
      unsubscribe = subscribe(current, {
        next: (snapshot) => onSnapshot(mine, snapshot),
        error: (error) => onFailure(mine, error),
      });
    } catch (error) {
      onFailure(mine, error);
    }
  }

  function disconnect() {
    generation += 1;
    clearTimeout(retryTimer);
    retryTimer = null;
    unsubscribe?.();
    unsubscribe = null;
  }

  connect();
  return {
    get sessionId() { return current; },
    get status() { return status; },
    get gate() { return currentGate; },
    /** The version of the latest snapshot received, drawn or skipped (undefined before one). */
    get lastVersion() { return lastVersion; },
    /**
     * Claim a version the page drew itself (its chat turn's effect: `{partial: true}`; its
     * load), so the listener does not draw it again.
     * @param {unknown} version @param {{partial?: boolean}} [options]
     * @returns {boolean} whether it was new (false: drawn already, e.g. by the listener)
     */
    claim(version, options) { return currentGate.claim(version, options); },
    /** Follow another session (a new chat, a switched thread): the old one is unsubscribed. */
    switchSession(next, nextGate = versionGate()) {
      if (next === current) return;
      disconnect();
      current = next;
      currentGate = nextGate;
      lastVersion = undefined;
      found = false;
      failures = 0;
      status = null;
      connect();
    },
    /** Unsubscribe for good. */
    stop() {
      disconnect();
      setStatus("stopped");
    },
  };
}

/**
 * @typedef {object} FirebaseWebConfig  the page's Firebase web config (Terraform's
 *   `firebase_web_config` output; locally the demo's /demo/config.json)
 * @property {string} projectId       the Google Cloud project that holds Firestore
 * @property {string} apiKey          the browser key (restricted to the page's origins and the
 *                                    Firestore API; it identifies the project, rules decide access)
 * @property {string} appId           the Firebase web app's id
 * @property {string} [databaseId]    a named Firestore database ("(default)" if omitted)
 * @property {string} [emulatorHost]  "host:port" of a Firestore emulator (local runs only)
 * @property {string} [collection]    the sessions collection (SESSIONS_COLLECTION, default chart_sessions)
 */

/** The SDK's module names: computed, so a bundler does not require the optional peer. */
const FIREBASE_MODULES = ["firebase/app", "firebase/firestore"];

/**
 * The Firebase SDK's modules, imported on first use only (an optional peer dependency; typed
 * loosely so the kit's declarations do not need it installed). By name at run time, as an
 * import map resolves them (the demo); a bundled page that listens passes its own `load`
 * (`async () => ({app: await import("firebase/app"), firestore: await import("firebase/firestore")})`).
 * @typedef {() => Promise<{app: any, firestore: any}>} LoadFirebase
 * @type {LoadFirebase}
 */
async function loadFirebase() {
  const [app, firestore] = await Promise.all(FIREBASE_MODULES.map((name) => import(name)));
  return { app, firestore };
}

/**
 * A Subscribe over the Firebase JavaScript SDK: `onSnapshot` on `chart_sessions/<id>`.
 * @param {FirebaseWebConfig} config
 * @param {{load?: LoadFirebase}} [options]
 * @returns {Promise<Subscribe>}
 */
export async function firestoreSubscriber(config, { load = loadFirebase } = {}) {
  const { projectId, apiKey, appId, databaseId, emulatorHost, collection = SESSIONS_COLLECTION } = config;
  const { app: appSdk, firestore: sdk } = await load();
  const name = `chart-control:${projectId}:${databaseId ?? ""}:${emulatorHost ?? ""}`;
  const existing = appSdk.getApps().find((candidate) => candidate.name === name);
  const app = existing ?? appSdk.initializeApp({ projectId, apiKey, appId }, name);
  const named = databaseId && databaseId !== "(default)";
  const db = named ? sdk.getFirestore(app, databaseId) : sdk.getFirestore(app);
  if (emulatorHost && !existing) {
    const at = emulatorHost.lastIndexOf(":");
    sdk.connectFirestoreEmulator(db, emulatorHost.slice(0, at), Number(emulatorHost.slice(at + 1)));
  }
  return (sessionId, { next, error }) => sdk.onSnapshot(
    sdk.doc(db, collection, sessionId),
    { includeMetadataChanges: true },
    (snapshot) => next({ data: snapshot.exists() ? snapshot.data() : null, fromCache: snapshot.metadata.fromCache }),
    error,
  );
}

/**
 * The kit's live option: listen when a Firebase web config is given, else do nothing (null).
 *
 *   const live = await connectLive({ firebase: config.firebase, sessionId: sync.sessionId,
 *     render: (doc) => drawDocument(doc), onStatus: (s) => badge.dataset.status = s });
 *   chatKitOptions({ ..., live });   // the page's own turns are claimed, never drawn twice
 *
 * @param {Omit<Parameters<typeof liveChart>[0], "subscribe"> & {firebase?: FirebaseWebConfig | null,
 *   subscribe?: Subscribe, load?: LoadFirebase}} options
 * @returns {Promise<ReturnType<typeof liveChart> | null>}
 */
export async function connectLive({ firebase, subscribe, load, ...options }) {
  if (!subscribe && !firebase?.projectId) return null;
  const config = /** @type {FirebaseWebConfig} */ (firebase);
  return liveChart({ ...options, subscribe: subscribe ?? (await firestoreSubscriber(config, { load })) });
}
