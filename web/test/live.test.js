// The live listener's own logic (src/live.js): dedupe by version, reconnect, unsubscribe on a
// session change. The document source is a small in-memory stand-in with the Subscribe shape;
// the Firebase SDK itself is exercised against the Firestore emulator in
// test-emulator/live.test.js and in the browser test.
import { afterEach, beforeEach, mock, test } from "node:test";
import assert from "node:assert/strict";
import { chatKitOptions } from "../src/chatkit.js";
import { chartDocumentOf, connectLive, firestoreSubscriber, liveChart, versionGate } from "../src/live.js";

const FUTURE = Date.now() + 3_600_000;

/** Subscriptions to hand snapshots and errors to, per session id, and who unsubscribed. */
function documentSource() {
  const subscriptions = [];
  const subscribe = (sessionId, observer) => {
    const entry = { sessionId, observer, active: true };
    subscriptions.push(entry);
    return () => { entry.active = false; };
  };
  const latest = (sessionId) => subscriptions.filter((s) => s.sessionId === sessionId).at(-1);
  return {
    subscribe,
    subscriptions,
    active: () => subscriptions.filter((s) => s.active).map((s) => s.sessionId),
    push(sessionId, data, fromCache = false) { latest(sessionId).observer.next({ data, fromCache }); },
    fail(sessionId, error = new Error("unavailable")) { latest(sessionId).observer.error(error); },
  };
}

const doc = (version, extra = {}) => ({ version, symbol: "TSLA", expires_at: FUTURE, ...extra });

function listen(source, options = {}) {
  const rendered = [];
  const statuses = [];
  const live = liveChart({
    sessionId: "sessionAAAAAAAAAAAAAAAA",
    subscribe: source.subscribe,
    render: (document, info) => rendered.push([info.sessionId, info.version, document.symbol, info.initial]),
    onStatus: (status) => statuses.push(status),
    ...options,
  });
  return { live, rendered, statuses };
}

test("each version is drawn once, in order; older and repeated versions are ignored", () => {
  const source = documentSource();
  const { rendered } = listen(source);
  for (const version of [1, 2, 2, 1, 3, 3]) source.push("sessionAAAAAAAAAAAAAAAA", doc(version));
  assert.deepEqual(rendered.map(([, v]) => v), [1, 2, 3]);
  assert.deepEqual(rendered.map(([, , , initial]) => initial), [true, false, false]);
});

test("the first live document is the initial one, whatever its version field holds", () => {
  const source = documentSource();
  const { rendered } = listen(source, { versionOf: (d) => d.version ?? 0 });
  source.push("sessionAAAAAAAAAAAAAAAA", null);
  source.push("sessionAAAAAAAAAAAAAAAA", { symbol: "TSLA", expires_at: FUTURE }); // no version yet
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1));
  assert.deepEqual(rendered.map(([, v, , initial]) => [v, initial]), [[1, false]]);
});

test("a first snapshot after the page drew a version of its own is a change, not the initial state", () => {
  const source = documentSource();
  const { live, rendered } = listen(source);
  live.claim(1); // the page's own context update answered version 1 (its snapshot never came)
  source.push("sessionAAAAAAAAAAAAAAAA", doc(2));
  assert.deepEqual(rendered.map(([, v, , initial]) => [v, initial]), [[2, false]]);
});

test("a version the page drew itself (its chat turn's effect) is not drawn again", () => {
  const source = documentSource();
  const { live, rendered } = listen(source);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1));
  assert.equal(live.claim(2), true); // the ChatKit effect of the page's own turn came first
  source.push("sessionAAAAAAAAAAAAAAAA", doc(2)); // ... then its write, through the listener
  source.push("sessionAAAAAAAAAAAAAAAA", doc(3)); // an agent elsewhere
  assert.deepEqual(rendered.map(([, v]) => v), [1, 3]);
  assert.equal(live.lastVersion, 3);
  assert.equal(live.claim(3), false, "the listener drew 3: a late effect of it must not draw");
});

test("the chat effect claims its version: the page's own turn is drawn once", () => {
  const source = documentSource();
  const { live, rendered } = listen(source);
  const executed = [];
  const told = [];
  const controller = { execute: (input) => { executed.push(input.chart_commands); return input.chart_commands; } };
  const { onEffect } = chatKitOptions({
    url: "/api/chatkit", domainKey: "k", controller, live, sync: { sessionId: "sessionAAAAAAAAAAAAAAAA" },
    onCommands: ({ drawn }) => told.push(drawn),
  });
  const effect = (version) => ({ name: "chart_commands", data: { commands: ["SUPPORT:1"], data: { chart: { version } } } });
  source.push("sessionAAAAAAAAAAAAAAAA", null); // a new session: no document yet
  onEffect(effect(1)); // the turn's effect first ...
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1)); // ... then its write through the listener
  source.push("sessionAAAAAAAAAAAAAAAA", doc(2)); // an agent's write first ...
  onEffect(effect(2)); // ... then an effect of the same version: drawn already
  onEffect({ name: "chart_commands", data: { commands: ["SUPPORT:2"] } }); // no version: as before
  assert.deepEqual(executed, [["SUPPORT:1"], ["SUPPORT:2"]]);
  assert.deepEqual(rendered.map(([, v]) => v), [2]);
  assert.equal(told.length, 3, "the page is told of every effect, drawn by it or by the listener");
});

test("a shared gate dedupes across every drawing path", () => {
  const gate = versionGate();
  const source = documentSource();
  const { rendered } = listen(source, { gate });
  assert.equal(gate.claim(4), true); // e.g. the page's load fetch drew version 4
  source.push("sessionAAAAAAAAAAAAAAAA", doc(4));
  source.push("sessionAAAAAAAAAAAAAAAA", doc(5));
  assert.deepEqual(rendered.map(([, v]) => v), [5]);
  assert.equal(gate.highest, 5);
});

test("a chat turn that overtook an agent's write gets the whole document redrawn once", () => {
  const source = documentSource();
  const { live, rendered } = listen(source);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(3));
  // the page's own turn wrote version 5; the agent's version 4 has not arrived yet
  assert.equal(live.claim(5, { partial: true }), true);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(4)); // older than what the turn drew: skipped
  source.push("sessionAAAAAAAAAAAAAAAA", doc(5)); // the whole of 5, the agent's part included
  source.push("sessionAAAAAAAAAAAAAAAA", doc(5)); // once
  assert.deepEqual(rendered.map(([, v]) => v), [3, 5]);
  assert.equal(live.claim(6, { partial: true }), true); // the next turn, in order: no redraw
  source.push("sessionAAAAAAAAAAAAAAAA", doc(6));
  assert.deepEqual(rendered.map(([, v]) => v), [3, 5]);
});

test("no document yet, an expired one, or one without a version draws nothing", () => {
  const source = documentSource();
  const { rendered, statuses } = listen(source, { now: () => 1_000 });
  source.push("sessionAAAAAAAAAAAAAAAA", null);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1, { expires_at: 999 }));
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1, { expires_at: { toMillis: () => 1_000 } }));
  source.push("sessionAAAAAAAAAAAAAAAA", doc(undefined));
  source.push("sessionAAAAAAAAAAAAAAAA", doc("7"));
  assert.deepEqual(rendered, []);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1, { expires_at: new Date(2_000) }));
  assert.deepEqual(rendered.map(([, v]) => v), [1]);
  assert.deepEqual(statuses, ["connecting", "live"]);
});

test("the status says connecting until the server confirms a snapshot", () => {
  const source = documentSource();
  const { live, statuses } = listen(source);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1), true);
  assert.equal(live.status, "connecting");
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1));
  assert.equal(live.status, "live");
  assert.deepEqual(statuses, ["connecting", "live"]);
});

test("a render that throws is reported and the listener goes on", () => {
  const source = documentSource();
  const errors = [];
  const rendered = [];
  liveChart({
    sessionId: "sessionAAAAAAAAAAAAAAAA", subscribe: source.subscribe, onError: (e) => errors.push(e.message),
    render: (document) => { if (document.version === 1) throw new Error("bad drawing"); rendered.push(document.version); },
  });
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1));
  source.push("sessionAAAAAAAAAAAAAAAA", doc(2));
  assert.deepEqual(errors, ["bad drawing"]);
  assert.deepEqual(rendered, [2]);
});

beforeEach(() => mock.timers.enable({ apis: ["setTimeout"] }));
afterEach(() => mock.timers.reset());

test("after a failure it reconnects with a doubling delay, and resets once live", () => {
  const source = documentSource();
  const errors = [];
  const { rendered, statuses } = listen(source, { retryMs: 100, maxRetryMs: 250, onError: (e) => errors.push(e.message) });
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1));
  source.fail("sessionAAAAAAAAAAAAAAAA");
  assert.deepEqual(source.active(), [], "the failed subscription is released");
  mock.timers.tick(99);
  assert.equal(source.subscriptions.length, 1, "not before the delay");
  mock.timers.tick(1);
  assert.equal(source.subscriptions.length, 2);
  source.fail("sessionAAAAAAAAAAAAAAAA"); // again: 200 ms this time
  mock.timers.tick(199);
  assert.equal(source.subscriptions.length, 2);
  mock.timers.tick(1);
  source.fail("sessionAAAAAAAAAAAAAAAA"); // capped at maxRetryMs
  mock.timers.tick(250);
  assert.equal(source.subscriptions.length, 4);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1)); // the same version again after reconnecting
  source.push("sessionAAAAAAAAAAAAAAAA", doc(2));
  assert.deepEqual(rendered.map(([, v]) => v), [1, 2], "a reconnect redraws nothing");
  source.fail("sessionAAAAAAAAAAAAAAAA"); // live again reset the delay to 100 ms
  mock.timers.tick(100);
  assert.equal(source.subscriptions.length, 5);
  assert.deepEqual(source.active(), ["sessionAAAAAAAAAAAAAAAA"]);
  assert.deepEqual(statuses, ["connecting", "live", "offline", "live", "offline"]);
  assert.equal(errors.length, 4);
});

test("a subscribe that throws is retried like a failure", () => {
  let calls = 0;
  const source = documentSource();
  const subscribe = (id, observer) => {
    calls += 1;
    if (calls === 1) throw new Error("offline");
    return source.subscribe(id, observer);
  };
  const live = liveChart({ sessionId: "sessionAAAAAAAAAAAAAAAA", subscribe, render: () => {}, retryMs: 10 });
  assert.equal(live.status, "offline");
  mock.timers.tick(10);
  assert.equal(calls, 2);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(1));
  assert.equal(live.status, "live");
});

test("a session change unsubscribes the old document and follows the new one", () => {
  const source = documentSource();
  const { live, rendered } = listen(source);
  source.push("sessionAAAAAAAAAAAAAAAA", doc(5));
  const old = source.subscriptions[0];
  live.switchSession("sessionBBBBBBBBBBBBBBBB");
  assert.equal(old.active, false);
  assert.deepEqual(source.active(), ["sessionBBBBBBBBBBBBBBBB"]);
  assert.equal(live.sessionId, "sessionBBBBBBBBBBBBBBBB");
  old.observer.next({ data: doc(9, { symbol: "OLD" }) }); // a late snapshot of the old session
  source.push("sessionBBBBBBBBBBBBBBBB", doc(1, { symbol: "NVDA" })); // its own versions count from 1
  assert.deepEqual(rendered, [
    ["sessionAAAAAAAAAAAAAAAA", 5, "TSLA", true],
    ["sessionBBBBBBBBBBBBBBBB", 1, "NVDA", true], // the first snapshot of each session: what it found
  ]);
  live.switchSession("sessionBBBBBBBBBBBBBBBB"); // the same session: nothing to do
  assert.equal(source.subscriptions.length, 2);
});

test("a session change cancels a pending reconnect of the old session", () => {
  const source = documentSource();
  const { live } = listen(source, { retryMs: 100 });
  source.fail("sessionAAAAAAAAAAAAAAAA");
  live.switchSession("sessionBBBBBBBBBBBBBBBB");
  mock.timers.tick(1_000);
  assert.deepEqual(source.subscriptions.map((s) => s.sessionId), ["sessionAAAAAAAAAAAAAAAA", "sessionBBBBBBBBBBBBBBBB"]);
  assert.deepEqual(source.active(), ["sessionBBBBBBBBBBBBBBBB"]);
});

test("stop unsubscribes for good, a pending reconnect included", () => {
  const source = documentSource();
  const { live, rendered, statuses } = listen(source, { retryMs: 100 });
  source.fail("sessionAAAAAAAAAAAAAAAA");
  live.stop();
  mock.timers.tick(1_000);
  assert.equal(source.subscriptions.length, 1);
  source.subscriptions[0].observer.next({ data: doc(1) });
  assert.deepEqual(rendered, []);
  assert.equal(statuses.at(-1), "stopped");
});

test("without a Firebase config the kit does not listen (and never loads the SDK)", async () => {
  assert.equal(await connectLive({ sessionId: "sessionAAAAAAAAAAAAAAAA", render: () => {} }), null);
  assert.equal(await connectLive({ firebase: null, sessionId: "sessionAAAAAAAAAAAAAAAA", render: () => {} }), null);
  const source = documentSource();
  const live = await connectLive({ subscribe: source.subscribe, sessionId: "sessionAAAAAAAAAAAAAAAA", render: () => {} });
  assert.deepEqual(source.active(), ["sessionAAAAAAAAAAAAAAAA"]);
  live.stop();
});

test("the Firestore subscriber opens chart_sessions/<id> of the configured database", async () => {
  const calls = [];
  const sdk = {
    app: { getApps: () => [], initializeApp: (options, name) => { calls.push(["app", options, name]); return { name }; } },
    firestore: {
      getFirestore: (...args) => { calls.push(["db", args.length]); return { db: args[1] ?? "(default)" }; },
      connectFirestoreEmulator: (db, host, port) => calls.push(["emulator", host, port]),
      doc: (db, collection, id) => ({ path: `${db.db}/${collection}/${id}` }),
      onSnapshot: (ref, options, next) => {
        calls.push(["listen", ref.path, options.includeMetadataChanges]);
        next({ exists: () => true, data: () => ({ version: 2 }), metadata: { fromCache: false } });
        return () => calls.push(["unsubscribe"]);
      },
    },
  };
  const config = { projectId: "demo-x", apiKey: "k", appId: "a", databaseId: "charts", emulatorHost: "127.0.0.1:9090" };
  const subscribe = await firestoreSubscriber(config, { load: async () => sdk });
  const seen = [];
  const unsubscribe = subscribe("sessionAAAAAAAAAAAAAAAA", { next: (s) => seen.push(s), error: assert.fail });
  unsubscribe();
  assert.deepEqual(seen, [{ data: { version: 2 }, fromCache: false }]);
  assert.deepEqual(calls, [
    ["app", { projectId: "demo-x", apiKey: "k", appId: "a" }, "chart-control:demo-x:charts:127.0.0.1:9090"],
    ["db", 2], ["emulator", "127.0.0.1", 9090],
    ["listen", "charts/chart_sessions/sessionAAAAAAAAAAAAAAAA", true], ["unsubscribe"],
  ]);
});

test("the stored document becomes the chart document every door answers", () => {
  const drawing = (id, symbol, timeframe) => ({ id, kind: "support", command: "SUPPORT:1", symbol, timeframe, turn: 1 });
  const stored = {
    symbol: "TSLA", timeframe: "1D", version: 4, seq: 17, expires_at: FUTURE, chart_expires_at: FUTURE,
    chart: {
      drawings: [drawing("d1", "TSLA", "1D"), drawing("d2", "TSLA", "1W"), drawing("d3", "NVDA", "1D")],
      indicators: [{ id: "d4", name: "RSI", command: "INDICATOR:RSI" }], overlays: [],
      view: { t1: 1, t2: 2, zoom: null }, last_answer: { turn: 1 }, turns: 1, next_id: 5, thread: "thr_1",
      threads: { thr_0: { symbol: "AAPL", timeframe: "1D", memory: {} } },
    },
  };
  assert.deepEqual(chartDocumentOf(stored, 0), {
    symbol: "TSLA", timeframe: "1D", version: 4, drawings: [drawing("d1", "TSLA", "1D")],
    indicators: [{ id: "d4", name: "RSI", command: "INDICATOR:RSI" }], overlays: [],
    view: { t1: 1, t2: 2, zoom: null }, last_answer: { turn: 1 }, thread_id: "thr_1",
  });
  const stale = chartDocumentOf({ ...stored, chart_expires_at: 10 }, 10); // the chart outlived its expiry
  assert.deepEqual([stale.drawings, stale.indicators, stale.view, stale.version], [[], [], null, 4]);
  assert.deepEqual(chartDocumentOf({ symbol: "TSLA", timeframe: "1D" }).drawings, []); // no chart yet
});

test("the listener hands the chart document to the renderer", () => {
  const source = documentSource();
  const seen = [];
  liveChart({ sessionId: "sessionAAAAAAAAAAAAAAAA", subscribe: source.subscribe, render: (d) => seen.push(d), now: () => 0 });
  source.push("sessionAAAAAAAAAAAAAAAA", doc(2, { timeframe: "1D", chart_expires_at: FUTURE, chart: { drawings: [], thread: "t" } }));
  assert.deepEqual(seen.map((d) => [d.version, d.symbol, d.thread_id]), [[2, "TSLA", "t"]]);
});
