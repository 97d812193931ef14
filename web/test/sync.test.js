import { test } from "node:test";
import assert from "node:assert/strict";
import { newSessionId, syncContext } from "../src/sync.js";

/** A fetch that answers the given statuses in turn (then 200), echoing the body. */
function fakeFetch(statuses, headers = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, at: Date.now(), body: JSON.parse(init.body) });
    const status = statuses.shift() ?? 200;
    if (status === "network") throw new TypeError("fetch failed");
    return {
      status,
      headers: new Headers(status === 200 ? {} : headers),
      json: async () => ({ success: status === 200, status, ...JSON.parse(init.body) }),
    };
  };
  return { fetch, calls };
}

test("session ids are unguessable and valid for the backend", () => {
  const ids = new Set(Array.from({ length: 200 }, () => newSessionId()));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{32}$/);
  assert.match(newSessionId(16), /^[A-Za-z0-9_-]{16}$/);
  assert.match(newSessionId(128), /^[A-Za-z0-9_-]{128}$/);
  assert.throws(() => newSessionId(8), RangeError);
});

test("session ids never take the form Firestore reserves (__...__)", () => {
  const draws = [62, 62, 7]; // "_" everywhere (reserved), "_" again, then "H" everywhere
  const fill = (bytes) => bytes.fill(draws.shift());
  assert.equal(newSessionId(16, fill), "H".repeat(16));
  assert.equal(draws.length, 0);
});

test("debounced: only the last of quick changes is posted, with an increasing seq", async () => {
  const { fetch, calls } = fakeFetch([]);
  const sync = syncContext({ url: "/u", fetch, debounceMs: 20, sessionId: "s".repeat(20) });
  const first = sync.update({ symbol: "AAPL", timeframe: "1D" });
  const second = sync.update({ symbol: "TSLA", timeframe: "1D", snapshotId: "snap1" });
  assert.equal(await first, undefined);
  assert.equal((await second).symbol, "TSLA");
  assert.equal(calls.length, 1);
  assert.deepEqual(Object.keys(calls[0].body).sort(), ["seq", "session_id", "snapshot_id", "symbol", "timeframe"]);
  assert.equal(calls[0].body.snapshot_id, "snap1");
  await sync.update({ symbol: "TSLA", timeframe: "1W" });
  assert.ok(calls[1].body.seq > calls[0].body.seq);
  assert.equal(await sync.update({ symbol: "TSLA", timeframe: "1W" }), undefined); // unchanged
  assert.equal(calls.length, 2);
});

test("seq starts from the clock, so a session id kept across reloads is not seen as stale", async () => {
  const { fetch, calls } = fakeFetch([]);
  const before = Date.now();
  await syncContext({ url: "/u", fetch, debounceMs: 0 }).update({ symbol: "SPY", timeframe: "1D" });
  assert.ok(calls[0].body.seq >= before && Number.isSafeInteger(calls[0].body.seq));
});

test("retries 503, 504 and network errors with doubling backoff, same seq", async () => {
  const { fetch, calls } = fakeFetch([503, "network", 504]);
  const sync = syncContext({ url: "/u", fetch, debounceMs: 0, backoffMs: 10 });
  const answer = await sync.update({ symbol: "SPY", timeframe: "1H" });
  assert.equal(answer.status, 200);
  assert.equal(calls.length, 4);
  assert.equal(new Set(calls.map((c) => c.body.seq)).size, 1);
  const gaps = calls.slice(1).map((c, i) => c.at - calls[i].at);
  assert.ok(gaps[0] >= 9 && gaps[1] >= 19 && gaps[2] >= 39, String(gaps));
});

test("honours Retry-After when it asks for longer than the backoff", async () => {
  const { fetch, calls } = fakeFetch([503], { "Retry-After": "1" });
  const sync = syncContext({ url: "/u", fetch, debounceMs: 0, backoffMs: 1 });
  await sync.update({ symbol: "SPY", timeframe: "1H" });
  assert.ok(calls[1].at - calls[0].at >= 990);
});

test("gives up after `retries`; a failed state can be sent again", async () => {
  const { fetch, calls } = fakeFetch([503, 503, 503]);
  const sync = syncContext({ url: "/u", fetch, debounceMs: 0, retries: 2, backoffMs: 1 });
  const answer = await sync.update({ symbol: "SPY", timeframe: "1H" });
  assert.equal(answer.status, 503);
  assert.equal(calls.length, 3);
  assert.equal((await sync.update({ symbol: "SPY", timeframe: "1H" })).status, 200);
});

test("a retry loop stops once a newer state has been posted", async () => {
  const { fetch, calls } = fakeFetch([503, 200, 503, 503]);
  const sync = syncContext({ url: "/u", fetch, debounceMs: 0, backoffMs: 30 });
  const old = sync.update({ symbol: "AAPL", timeframe: "1D" });
  await new Promise((r) => setTimeout(r, 5)); // AAPL got its 503 and is waiting to retry
  const fresh = await sync.update({ symbol: "TSLA", timeframe: "1D" });
  assert.equal(fresh.symbol, "TSLA");
  assert.equal(await old, undefined);
  assert.deepEqual(calls.map((c) => c.body.symbol), ["AAPL", "TSLA"]);
});

test("network failure after all retries rejects", async () => {
  const { fetch } = fakeFetch(["network", "network"]);
  const sync = syncContext({ url: "/u", fetch, debounceMs: 0, retries: 1, backoffMs: 1 });
  await assert.rejects(sync.update({ symbol: "SPY", timeframe: "1D" }), TypeError);
});

test("reports carry the document version the page had seen when it asked, not when they are sent", async () => {
  const answers = [{ chart: { version: 3 } }, { applied: false, chart: { version: 7 } }, {}];
  const calls = [];
  const fetch = async (url, init) => {
    calls.push(JSON.parse(init.body));
    const answer = answers.shift();
    return { status: 200, headers: new Headers(), json: async () => ({ success: true, applied: true, ...answer }) };
  };
  const sync = syncContext({ url: "/u", fetch, debounceMs: 20, sessionId: "s".repeat(20) });
  await sync.update({ symbol: "TSLA", timeframe: "1D" }); // nothing seen yet: no version
  assert.equal(calls[0].seen_version, undefined);
  const pending = sync.update({ symbol: "TSLA", timeframe: "1W" }); // asked having seen 3
  sync.saw(5); // an answer drawn while the report waits out the debounce
  sync.saw(4); // versions only go up
  assert.equal((await pending).applied, false);
  assert.equal(calls[1].seen_version, 3);
  // not applied: the same state is news again, sent with the newest version known (7)
  await sync.update({ symbol: "TSLA", timeframe: "1W" });
  assert.equal(calls[2].seen_version, 7);
  sync.saw(undefined);
  sync.saw(-1.5); // not a version: ignored
  assert.equal(calls.length, 3);
});
