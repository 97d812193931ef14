// firestore.rules on the real Firestore emulator, as a browser meets them: the Firebase
// JavaScript SDK through @firebase/rules-unit-testing, against the emulator the test run
// started with `--rules=firestore.rules` (FIRESTORE_EMULATOR_HOST; the rules are not loaded
// here, so what is tested is what the emulator enforces). Seed data is written with rules
// disabled, as the functions' server SDK writes it. Run by tests/unit/test_firestore_rules.py.
import { after, before, beforeEach, describe, test } from "node:test";
import {
  assertFails, assertSucceeds, initializeTestEnvironment,
} from "@firebase/rules-unit-testing";
import {
  collection, collectionGroup, deleteDoc, doc, getDoc, getDocs, limit, query, setDoc,
  updateDoc, where,
} from "firebase/firestore";

const SESSION = "liveRulesSession0123456789";
const OTHER = "liveRulesOtherSession98765";
// A project of its own: clearing it leaves the other tests' data alone (the rules file
// applies to every project on the emulator).
const PROJECT = "demo-chart-control-rules";

let env;

before(async () => {
  const [host, port] = process.env.FIRESTORE_EMULATOR_HOST.split(":");
  env = await initializeTestEnvironment({ projectId: PROJECT, firestore: { host, port: Number(port) } });
});
after(() => env?.cleanup());

beforeEach(async () => {
  await env.clearFirestore();
  await env.withSecurityRulesDisabled(async (admin) => {
    const db = admin.firestore();
    for (const id of [SESSION, OTHER]) {
      await setDoc(doc(db, "chart_sessions", id), { symbol: "TSLA", timeframe: "1D", version: 3 });
    }
    await setDoc(doc(db, "chart_sessions", SESSION, "history", "1"), { version: 1 });
    await setDoc(doc(db, "chatkit_threads", "thr_1"), { owner: "tag", thread: "{}" });
    await setDoc(doc(db, "chatkit_threads", "thr_1", "items", "msg_1"), { item: "{}" });
    await setDoc(doc(db, "market_bars", "sample|TSLA|1D"), { bars: [] });
    await setDoc(doc(db, "anything_else", "x"), { a: 1 });
  });
});

/** Each browser the rules meet: signed out (the kit does not sign in) and signed in. */
const browsers = () => [
  ["a signed-out browser", env.unauthenticatedContext().firestore()],
  ["a signed-in browser", env.authenticatedContext("user-1").firestore()],
];

describe("a browser may get the one session document it names", () => {
  test("allowed: get chart_sessions/<id>", async () => {
    for (const [, db] of browsers()) {
      const snap = await assertSucceeds(getDoc(doc(db, "chart_sessions", SESSION)));
      if (snap.data().version !== 3) throw new Error("wrong document");
    }
  });

  test("allowed: get of a session that does not exist (yet): the listener waits for it", async () => {
    const [[, db]] = browsers();
    const snap = await assertSucceeds(getDoc(doc(db, "chart_sessions", "noSuchSession000000")));
    if (snap.exists()) throw new Error("should not exist");
  });

  test("refused: an id that is not a session id", async () => {
    const [[, db]] = browsers();
    await assertFails(getDoc(doc(db, "chart_sessions", "short")));
  });
});

describe("a browser may not list, write, or read anything else", () => {
  test("refused: list chart_sessions (with or without a filter)", async () => {
    for (const [, db] of browsers()) {
      await assertFails(getDocs(collection(db, "chart_sessions")));
      await assertFails(getDocs(query(collection(db, "chart_sessions"), limit(1))));
      await assertFails(getDocs(query(collection(db, "chart_sessions"), where("symbol", "==", "TSLA"))));
    }
  });

  test("refused: create, update, overwrite and delete a session document", async () => {
    for (const [, db] of browsers()) {
      await assertFails(setDoc(doc(db, "chart_sessions", "newSession0123456789"), { symbol: "X" }));
      await assertFails(setDoc(doc(db, "chart_sessions", SESSION), { symbol: "X" }));
      await assertFails(updateDoc(doc(db, "chart_sessions", SESSION), { version: 99 }));
      await assertFails(deleteDoc(doc(db, "chart_sessions", SESSION)));
    }
  });

  test("refused: documents under a session", async () => {
    const [[, db]] = browsers();
    await assertFails(getDoc(doc(db, "chart_sessions", SESSION, "history", "1")));
    await assertFails(getDocs(collection(db, "chart_sessions", SESSION, "history")));
  });

  test("refused: chat threads and their items, by id or listed", async () => {
    for (const [, db] of browsers()) {
      await assertFails(getDoc(doc(db, "chatkit_threads", "thr_1")));
      await assertFails(getDocs(collection(db, "chatkit_threads")));
      await assertFails(getDoc(doc(db, "chatkit_threads", "thr_1", "items", "msg_1")));
      await assertFails(getDocs(collectionGroup(db, "items")));
      await assertFails(setDoc(doc(db, "chatkit_threads", "thr_2"), { owner: "me" }));
    }
  });

  test("refused: bar caches and any other collection", async () => {
    for (const [, db] of browsers()) {
      await assertFails(getDoc(doc(db, "market_bars", "sample|TSLA|1D")));
      await assertFails(getDocs(collection(db, "market_bars")));
      await assertFails(getDoc(doc(db, "anything_else", "x")));
      await assertFails(setDoc(doc(db, "anything_else", "y"), { a: 1 }));
    }
  });

  test("the seed is there: every refusal above is the rules', not a missing document", async () => {
    await env.withSecurityRulesDisabled(async (admin) => {
      const db = admin.firestore();
      for (const path of ["chatkit_threads/thr_1", "market_bars/sample|TSLA|1D", "anything_else/x",
        `chart_sessions/${SESSION}/history/1`]) {
        const snap = await getDoc(doc(db, path));
        if (!snap.exists()) throw new Error(`${path} missing`);
      }
    });
  });
});
