import { test } from "node:test";
import assert from "node:assert/strict";
import { withIdToken } from "../src/auth.js";
import { chatKitOptions } from "../src/chatkit.js";
import { syncContext } from "../src/sync.js";

function recordingFetch() {
  const calls = [];
  const fetch = async (input, init) => {
    calls.push({ input, init });
    return new Response(JSON.stringify({ success: true }), { headers: { "Content-Type": "application/json" } });
  };
  return { fetch, calls };
}

test("without getIdToken no Authorization header is added (the demo runs without identity)", async () => {
  const headers = await withIdToken(new Headers({ "Content-Type": "application/json" }));
  assert.equal(headers.get("Authorization"), null);
  assert.equal((await withIdToken(new Headers(), async () => null)).get("Authorization"), null);
});

test("chatKitOptions sends the ID token on every request, asked for each time", async () => {
  const { fetch, calls } = recordingFetch();
  let issued = 0;
  const options = chatKitOptions({
    url: "/api/chatkit", domainKey: "k", controller: { execute: () => [] }, fetch,
    sync: { sessionId: "chart_session_0123456789" }, getIdToken: async () => `token-${++issued}`,
  });
  await options.api.fetch("/api/chatkit", { method: "POST", body: "{}" });
  await options.api.fetch("/api/chatkit", { method: "POST", body: "{}" });
  assert.equal(calls[0].init.headers.get("Authorization"), "Bearer token-1");
  assert.equal(calls[1].init.headers.get("Authorization"), "Bearer token-2"); // a refreshed token
  assert.equal(calls[1].init.headers.get("X-Chart-Session"), "chart_session_0123456789");
});

test("syncContext sends the ID token with each update", async () => {
  const { fetch, calls } = recordingFetch();
  const sync = syncContext({ url: "/u", fetch, debounceMs: 0, getIdToken: () => "abc.def.ghi" });
  await sync.update({ symbol: "TSLA", timeframe: "1D" });
  assert.equal(calls[0].init.headers.get("Authorization"), "Bearer abc.def.ghi");
  assert.equal(calls[0].init.headers.get("Content-Type"), "application/json");
});
