import { test } from "node:test";
import assert from "node:assert/strict";
import { chatKitOptions } from "../src/chatkit.js";
import { BLOCKED_MESSAGE, BlockedError, readableFetch } from "../src/network.js";
import { syncContext } from "../src/sync.js";

// What a browser's fetch() does when Cloud Armor answers 429 without CORS headers.
const opaque = async () => { throw new TypeError("Failed to fetch"); };

test("an opaque network or CORS failure becomes a readable 'too many requests or blocked'", async () => {
  await assert.rejects(readableFetch(opaque, "/api/chatkit"), (error) => {
    assert.ok(error instanceof BlockedError && error instanceof TypeError);
    assert.equal(error.message, BLOCKED_MESSAGE);
    assert.match(error.message, /too many requests, or the request was blocked/);
    assert.equal(error.cause.message, "Failed to fetch");
    return true;
  });
});

test("an abort and a real answer pass through unchanged", async () => {
  const abort = async () => { throw new DOMException("aborted", "AbortError"); };
  await assert.rejects(readableFetch(abort, "/x"), { name: "AbortError" });
  const limited = await readableFetch(async () => new Response("{}", { status: 429 }), "/x");
  assert.equal(limited.status, 429); // a 429 the page can read is the caller's to handle
});

test("chatKitOptions' fetch and syncContext report the readable failure", async () => {
  const options = chatKitOptions({
    url: "/api/chatkit", domainKey: "k", controller: { execute: () => [] }, fetch: opaque,
    sync: { sessionId: "chart_session_0123456789" },
  });
  await assert.rejects(options.api.fetch("/api/chatkit", { method: "POST" }), { message: BLOCKED_MESSAGE });
  const sync = syncContext({ url: "/u", fetch: opaque, debounceMs: 0, retries: 1, backoffMs: 1 });
  await assert.rejects(sync.update({ symbol: "SPY", timeframe: "1D" }), { message: BLOCKED_MESSAGE });
});
