// The kit's live listener (src/live.js) with the real Firebase JavaScript SDK on the run's
// Firestore emulator (rules on): writes made as the server makes them (rules bypassed) reach the
// listener, each version once; a session it may not read fails and is retried, not drawn.
// Run by tests/e2e/test_firestore_rules.py.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { initializeTestEnvironment } from "@firebase/rules-unit-testing";
import { deleteApp, getApps } from "firebase/app";
import { doc, setDoc, Timestamp } from "firebase/firestore";
import { firestoreSubscriber, liveChart } from "../src/live.js";

const PROJECT = "demo-chart-control-live";
const SESSION = "liveListenerSession01234567";
let env;
let subscribe;

before(async () => {
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST.split(":");
  env = await initializeTestEnvironment({ projectId: PROJECT, firestore: { host, port: Number(port) } });
  await env.clearFirestore();
  subscribe = await firestoreSubscriber({
    projectId: PROJECT, apiKey: "demo-key", appId: "demo-app", emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
  });
});
after(async () => {
  await env?.cleanup();
  await Promise.all(getApps().map((app) => deleteApp(app))); // the listener's app: close its stream
});

/** Write the session document as the functions do (the server SDK bypasses the rules). */
const serverWrite = (id, version, symbol) => env.withSecurityRulesDisabled((admin) => setDoc(
  doc(admin.firestore(), "chart_sessions", id),
  { version, symbol, expires_at: Timestamp.fromMillis(Date.now() + 3_600_000) },
));

/** Resolve once `predicate()` holds (checked every 10 ms), or fail after `ms`. */
async function until(predicate, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test("server writes reach the listener, each version drawn once", async () => {
  const rendered = [];
  const live = liveChart({ sessionId: SESSION, subscribe, render: (d, { version }) => rendered.push([version, d.symbol]) });
  await until(() => live.status === "live"); // the document does not exist yet: allowed, waiting
  await serverWrite(SESSION, 1, "TSLA");
  await until(() => rendered.length === 1);
  assert.equal(live.claim(2), true); // the page's own turn, drawn through ChatKit first
  await serverWrite(SESSION, 2, "TSLA");
  await serverWrite(SESSION, 3, "NVDA");
  await until(() => rendered.length === 2);
  live.stop();
  await serverWrite(SESSION, 4, "AAPL"); // after stop: not drawn
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(rendered, [[1, "TSLA"], [3, "NVDA"]]);
});

test("a document the rules refuse is an error the listener retries, never a drawing", async () => {
  const errors = [];
  const live = liveChart({
    sessionId: "short", subscribe, render: assert.fail, retryMs: 50, onError: (e) => errors.push(e.code),
  });
  await until(() => errors.length >= 2);
  assert.equal(errors[0], "permission-denied");
  assert.equal(live.status, "offline");
  live.switchSession("liveListenerOther012345678");
  await serverWrite("liveListenerOther012345678", 1, "SPY");
  await until(() => live.status === "live");
  live.stop();
});
