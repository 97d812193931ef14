import { test } from "node:test";
import assert from "node:assert/strict";
import { CHART_SESSION_HEADER, chatKitOptions, persistentSessionId, SESSION_STORAGE_KEY } from "../src/chatkit.js";
import { ChartController } from "../src/execute.js";
import * as kit from "../src/index.js";
import { bars, fakeChart, fakeSeries, lib } from "./fake-chart.js";

/** A Storage stand-in (localStorage's getItem/setItem). */
function memoryStorage(entries = {}) {
  const map = new Map(Object.entries(entries));
  return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => map.set(k, String(v)), map };
}

function setup() {
  const candles = fakeSeries("Candlestick");
  const controller = new ChartController(fakeChart(), candles, lib);
  controller.setBars(bars());
  const calls = [];
  const fetch = async (input, init) => { calls.push({ input, init }); return new Response("{}"); };
  const told = [];
  const options = chatKitOptions({
    url: "/api/chatkit", domainKey: "domain_pk_local", controller, fetch,
    sync: { sessionId: "chart_session_0123456789" }, onCommands: (d) => told.push(d),
  });
  return { candles, options, calls, told };
}

test("the session id is kept per browser and reused after a reload", () => {
  const storage = memoryStorage();
  const first = persistentSessionId({ storage });
  assert.match(first, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(storage.map.get(SESSION_STORAGE_KEY), first);
  assert.equal(persistentSessionId({ storage }), first); // the reload
  const tampered = memoryStorage({ [SESSION_STORAGE_KEY]: "bad id!" });
  assert.notEqual(persistentSessionId({ storage: tampered }), "bad id!");
});

test("without usable storage every load gets a fresh id", () => {
  const blocked = { getItem() { throw new Error("SecurityError"); }, setItem() {} };
  const a = persistentSessionId({ storage: blocked });
  assert.match(a, /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(persistentSessionId({ storage: null }), a);
});

test("api carries the url, the domain key and a fetch that adds X-Chart-Session", async () => {
  const { options, calls } = setup();
  assert.equal(options.api.url, "/api/chatkit");
  assert.equal(options.api.domainKey, "domain_pk_local");
  const body = JSON.stringify({ type: "threads.list", params: {} });
  await options.api.fetch("/api/chatkit", { method: "POST", body, headers: { "Content-Type": "application/json" } });
  const { init } = calls[0];
  assert.equal(init.headers.get(CHART_SESSION_HEADER), "chart_session_0123456789");
  assert.equal(init.headers.get("Content-Type"), "application/json"); // ChatKit's own headers stay
  assert.equal(init.body, body);
  assert.equal(init.method, "POST");
});

test("a chart_commands effect is executed on the chart", () => {
  const { options, candles, told } = setup();
  const data = { commands: ["SUPPORT:95.5", "RESISTANCE:110.25", "FROBNICATE:1"], text: "levels", data: {} };
  options.onEffect({ name: "chart_commands", data });
  assert.deepEqual(candles.priceLines().map((l) => l.options().price), [95.5, 110.25]);
  assert.deepEqual(told[0].drawn, ["SUPPORT:95.5", "RESISTANCE:110.25"]);
  assert.equal(told[0].text, "levels");
});

test("an effect's pattern necklines are drawn as the server sent them", () => {
  const controller = new ChartController(fakeChart(), fakeSeries("Candlestick"), lib);
  controller.setBars(bars());
  const t = controller.bars.map((b) => b.time);
  const drawing = chatKitOptions({ url: "/api/chatkit", domainKey: "k", controller, sync: { sessionId: "s".repeat(20) } });
  const pattern = { name: "DOUBLE_TOP", t1: t[20], t2: t[50], level: 97.25 };
  drawing.onEffect({ name: "chart_commands", data: { commands: [`PATTERN:DOUBLE_TOP:${t[20]}:${t[50]}`], data: { analysis: { patterns: [pattern] } } } });
  assert.equal(controller.snapshot().patterns[0].level, 97.25); // not the kit's estimate
});

test("other effects and malformed data are ignored", () => {
  const { options, candles, told } = setup();
  options.onEffect({ name: "something_else", data: { commands: ["SUPPORT:1"] } });
  options.onEffect({ name: "chart_commands" });
  options.onEffect({ name: "chart_commands", data: { commands: "SUPPORT:1" } });
  assert.equal(candles.priceLines().length, 0);
  assert.equal(told.length, 0);
});

test("the kit's index exports the ChatKit helpers", () => {
  assert.equal(kit.chatKitOptions, chatKitOptions);
  assert.equal(kit.persistentSessionId, persistentSessionId);
  assert.equal(kit.CHART_EFFECT, "chart_commands");
});
