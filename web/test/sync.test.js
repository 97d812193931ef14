import { test } from "node:test";
import assert from "node:assert/strict";
import { newSessionId, syncContext } from "../src/sync.js";

function fakeFetch(statuses) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, body: JSON.parse(init.body) });
    const status = statuses.shift() ?? 200;
    return { status, json: async () => ({ status, ...JSON.parse(init.body) }) };
  };
  return { fetch, calls };
}

test("session ids are unguessable and valid for the backend", () => {
  const ids = new Set(Array.from({ length: 200 }, () => newSessionId()));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{16,128}$/);
});

test("debounced: only the last of quick changes is posted, with an increasing seq", async () => {
  const { fetch, calls } = fakeFetch([]);
  const sync = syncContext({ url: "/u", fetch, debounceMs: 20, sessionId: "s".repeat(20) });
  const first = sync.update({ symbol: "AAPL", timeframe: "1D" });
  const second = sync.update({ symbol: "TSLA", timeframe: "1D", snapshotId: "snap1" });
  assert.equal(await first, undefined);
  await second;
  assert.deepEqual(calls.map((c) => c.body), [{ session_id: "s".repeat(20), symbol: "TSLA", timeframe: "1D", seq: 1, snapshot_id: "snap1" }]);
  await sync.update({ symbol: "TSLA", timeframe: "1W" });
  assert.equal(calls[1].body.seq, 2);
  assert.equal(await sync.update({ symbol: "TSLA", timeframe: "1W" }), undefined); // unchanged
  assert.equal(calls.length, 2);
});

test("retries with backoff while the store answers 503", async () => {
  const { fetch, calls } = fakeFetch([503, 503, 200]);
  const sync = syncContext({ url: "/u", fetch, debounceMs: 0 });
  const answer = await sync.update({ symbol: "SPY", timeframe: "1H" });
  assert.equal(answer.status, 200);
  assert.equal(calls.length, 3);
  assert.ok(calls.every((c) => c.body.seq === 1));
});
