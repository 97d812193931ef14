import { test } from "node:test";
import assert from "node:assert/strict";
import { chatKitClient, sseEvents } from "../demo/chatkit-client.js";
import { explainFailure } from "../demo/errors.js";
import { chatKitOptions } from "../src/chatkit.js";
import { ChartController } from "../src/execute.js";
import { bars, fakeChart, fakeSeries, lib } from "./fake-chart.js";

const SESSION = "chart_session_0123456789";

/** A streamed body delivering `chunks` one by one (split anywhere, as the network does). */
function streamOf(chunks, { failAfter = Infinity } = {}) {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream({
    pull(controller) { // one chunk per read, as a slow network delivers them
      if (next === failAfter) controller.error(new TypeError("network error"));
      else if (next === chunks.length) controller.close();
      else controller.enqueue(encoder.encode(chunks[next]));
      next += 1;
    },
  });
}

const sse = (...events) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("");

const EFFECT = { commands: ["SUPPORT:95.5", "RESISTANCE:110.25"], text: "TSLA 1D: support 95.50, resistance 110.25.\nSUPPORT:95.5\nRESISTANCE:110.25", data: {} };
const TURN = [
  { type: "thread.created", thread: { id: "thr_1", items: { data: [] } } },
  { type: "thread.item.done", item: { type: "user_message", content: [{ type: "input_text", text: "levels" }] } },
  { type: "stream_options", stream_options: { allow_cancel: true } },
  { type: "client_effect", name: "chart_commands", data: EFFECT },
  { type: "thread.item.done", item: { type: "assistant_message", content: [{ type: "output_text", text: "TSLA 1D: support 95.50, resistance 110.25." }] } },
];
const LATER = TURN.slice(1); // a turn on an existing thread: no thread.created

/**
 * The chatkit function as the page sees it: each POST gets the next answer. An answer is
 * `{status, body, headers, chunks, failAfter}`; a 200 body is streamed in `chunks` pieces.
 */
function fakeChatKit(answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, headers: new Headers(init.headers), body: JSON.parse(init.body) });
    const answer = answers.shift();
    if (answer === "down") throw new TypeError("Failed to fetch");
    const { status = 200, body, headers = {}, chunks = 2, failAfter } = answer;
    if (status !== 200) return new Response(body, { status, headers: { "Content-Type": "application/json", ...headers } });
    const size = Math.ceil(body.length / chunks);
    const pieces = Array.from({ length: chunks }, (_, i) => body.slice(i * size, (i + 1) * size));
    return new Response(streamOf(pieces, { failAfter }), { status, headers: { "Content-Type": "text/event-stream" } });
  };
  return { fetch, calls };
}

/** The page's wiring: the kit's chatKitOptions on a chart, the demo's client on its api. */
function page(answers) {
  const { fetch, calls } = fakeChatKit(answers);
  const candles = fakeSeries("Candlestick");
  const controller = new ChartController(fakeChart(), candles, lib);
  controller.setBars(bars());
  const told = [];
  const kit = chatKitOptions({ url: "/api/chatkit", domainKey: "offline", controller, sync: { sessionId: SESSION }, fetch, onCommands: (d) => told.push(d) });
  const effects = [];
  const chat = chatKitClient({ api: kit.api, onEffect: (effect) => { effects.push(effect); kit.onEffect(effect); } });
  return { chat, calls, candles, told, effects };
}

async function collect(body) {
  const events = [];
  for await (const event of sseEvents(body)) events.push(event);
  return events;
}

test("SSE events are read across arbitrary chunk boundaries", async () => {
  const text = sse(...TURN);
  for (const cuts of [[5, 90, 91], [1, 2, 3], [text.length - 1], [text.indexOf("\n\n") + 1]]) {
    const bounds = [0, ...cuts, text.length];
    const chunks = bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
    assert.deepEqual(await collect(streamOf(chunks)), TURN, `cut at ${cuts}`);
  }
});

test("SSE framing: CRLF, comments, other fields, multi-byte text split mid-character", async () => {
  const text = ": keep-alive\r\n\r\nevent: message\r\nid: 7\r\ndata: {\"type\":\"a\",\r\ndata: \"text\":\"é€\"}\r\n\r\n";
  const bytes = new TextEncoder().encode(text);
  const euro = bytes.length - 8; // inside the three bytes of "€"
  const body = new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice(0, euro));
      controller.enqueue(bytes.slice(euro));
      controller.close();
    },
  });
  assert.deepEqual(await collect(body), [{ type: "a", text: "é€" }]);
});

test("the first message creates a thread, the next add to it; the kit's fetch adds the chart session", async () => {
  const { chat, calls, candles, told } = page([{ body: sse(...TURN), chunks: 7 }, { body: sse(...LATER) }]);
  const first = await chat.send("levels");
  assert.equal(first.status, 200);
  assert.equal(first.threadId, "thr_1");
  assert.equal(first.text, "TSLA 1D: support 95.50, resistance 110.25.");
  assert.deepEqual(first.effects, [EFFECT]);
  assert.equal(first.error, null);
  assert.deepEqual(candles.priceLines().map((l) => l.options().price), [95.5, 110.25]); // drawn by the kit
  assert.deepEqual(told[0].drawn, EFFECT.commands);
  const second = await chat.send("weekly");
  assert.equal(second.threadId, "thr_1");
  assert.equal(calls[0].url, "/api/chatkit");
  assert.equal(calls[0].body.type, "threads.create");
  assert.deepEqual(calls[0].body.params.input.content, [{ type: "input_text", text: "levels" }]);
  assert.deepEqual(calls[0].body.params.input.attachments, []);
  assert.equal(calls[1].body.type, "threads.add_user_message");
  assert.equal(calls[1].body.params.thread_id, "thr_1");
  assert.equal(calls[1].body.params.input.content[0].text, "weekly");
  assert.ok(calls.every((c) => c.headers.get("X-Chart-Session") === SESSION));
  assert.ok(calls.every((c) => c.headers.get("Content-Type") === "application/json"));
});

test("every effect reaches onEffect in stream order; only chart_commands are collected", async () => {
  const second = { commands: ["CLEAR:ALL"], text: "Cleared.", data: {} };
  const body = sse(TURN[0], { type: "client_effect", name: "toast", data: { text: "hi" } },
    { type: "client_effect", name: "chart_commands", data: EFFECT }, { type: "client_effect", name: "chart_commands", data: second });
  const { chat, effects, candles } = page([{ body, chunks: 5 }]);
  const reply = await chat.send("levels then clear");
  assert.deepEqual(effects.map((e) => e.name), ["toast", "chart_commands", "chart_commands"]);
  assert.deepEqual(reply.effects, [EFFECT, second]);
  assert.equal(reply.text, ""); // no assistant message in this turn
  assert.equal(candles.priceLines().length, 0); // drawn, then cleared, in order
});

test("an error event after the effect: the chart is drawn and the error is kept", async () => {
  const failed = sse(TURN[0], TURN[3], { type: "error", code: "custom", message: "The model timed out; please try again.", allow_retry: true });
  const { chat, candles } = page([{ body: failed, chunks: 3 }]);
  const reply = await chat.send("levels");
  assert.equal(reply.status, 200);
  assert.equal(reply.error, "The model timed out; please try again.");
  assert.equal(candles.priceLines().length, 2);
  assert.equal(explainFailure(reply, "levels"), "The model timed out; please try again.");
  const { chat: other } = page([{ body: sse({ type: "error", allow_retry: true }) }]);
  assert.equal((await other.send("x")).error, "The answer failed; please try again."); // no message
});

test("a stream cut off mid-way says so and keeps what arrived", async () => {
  const { chat, candles } = page([{ body: sse(...TURN), chunks: 4, failAfter: 3 }]);
  const reply = await chat.send("levels");
  assert.match(reply.error, /cut off/);
  assert.equal(candles.priceLines().length, 2);
});

test("refusals: the envelope and Retry-After are kept; a lost thread starts over", async () => {
  const envelope = (code, message, details = []) => JSON.stringify({ success: false, error: { code, message, details } });
  const { chat, calls } = page([
    { body: sse(...TURN) },
    { status: 404, body: envelope("not_found", "no such thread or item for this chart session") },
    { status: 429, body: envelope("rate_limited", "slow down"), headers: { "Retry-After": "7" } },
    "down",
    { body: sse(...TURN) },
  ]);
  await chat.send("levels");
  const lost = await chat.send("again");
  assert.equal(lost.status, 404);
  assert.equal(lost.threadId, null);
  assert.equal(lost.body.error.code, "not_found");
  assert.match(explainFailure(lost, "again"), /conversation is gone/);
  const limited = await chat.send("again");
  assert.equal(calls[2].body.type, "threads.create"); // the lost thread is not retried
  assert.equal(limited.retryAfter, 7);
  assert.equal(explainFailure(limited, "again"), "Too many messages in a short time. Wait and ask again in 7 s.");
  const down = await chat.send("again");
  assert.equal(down.status, 0);
  assert.match(explainFailure(down, "again"), /did not answer/);
  assert.equal((await chat.send("again")).threadId, "thr_1");
});

test("a 400 is explained from its details: the limit the server sent, the field in words", () => {
  const long = "support " + "x".repeat(2000);
  const tooLong = { status: 400, body: { error: { code: "invalid_request", message: "the message must be 1-2000 characters", details: [{ field: "params.input.content", message: "the message must be 1-2000 characters" }] } } };
  assert.equal(explainFailure(tooLong, long), "Your message is over 2,000 characters (it has 2,008). Shorten it and send it again.");
  assert.equal(explainFailure(tooLong, " "), "Your message is empty. Type a question first.");
  const session = { status: 400, body: { error: { details: [{ field: "X-Chart-Session", message: "must be 16-128 chars of [A-Za-z0-9_-]" }] } } };
  assert.match(explainFailure(session, "x"), /^The chart session id was refused .* Reload the page/);
  assert.match(explainFailure({ status: 502, body: null }, "x"), /chatkit function is not running/);
  assert.equal(explainFailure({ status: 503, body: { error: { code: "store_unavailable" } }, retryAfter: 2 }, "x"),
    "The backend is temporarily unavailable (store_unavailable). Try again in 2 s.");
  assert.equal(explainFailure({ status: 418, body: { error: { message: "odd" } } }, "x"), "odd (HTTP 418).");
});
