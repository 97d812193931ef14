import { test } from "node:test";
import assert from "node:assert/strict";
import { chatKitClient, sseEvents } from "../demo/chatkit-client.js";

/** A streamed body delivering `chunks` one by one (split anywhere, as the network does). */
function streamOf(chunks) {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

const sse = (...events) => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join("");

const TURN = [
  { type: "thread.created", thread: { id: "thr_1", items: { data: [] } } },
  { type: "thread.item.done", item: { type: "user_message", content: [{ type: "input_text", text: "levels" }] } },
  { type: "stream_options", stream_options: { allow_cancel: true } },
  { type: "client_effect", name: "chart_commands", data: { commands: ["SUPPORT:95.5"], text: "TSLA 1D: support 95.50.\nSUPPORT:95.5" } },
  { type: "thread.item.done", item: { type: "assistant_message", content: [{ type: "output_text", text: "TSLA 1D: support 95.50." }] } },
];

function fakeChatKit(answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, headers: init.headers, body: JSON.parse(init.body) });
    const { status = 200, body } = answers.shift();
    const type = status === 200 ? "text/event-stream" : "application/json";
    return new Response(status === 200 ? streamOf([body.slice(0, 7), body.slice(7)]) : body, { status, headers: { "Content-Type": type } });
  };
  return { fetch, calls };
}

test("SSE events are read across arbitrary chunk boundaries", async () => {
  const text = sse(...TURN);
  const chunks = [text.slice(0, 5), text.slice(5, 90), text.slice(90, 91), text.slice(91)];
  const events = [];
  for await (const event of sseEvents(streamOf(chunks))) events.push(event);
  assert.deepEqual(events, TURN);
});

test("the first message creates a thread, the next add to it, with the chart session header", async () => {
  const { fetch, calls } = fakeChatKit([{ body: sse(...TURN) }, { body: sse(...TURN.slice(1)) }]);
  const chat = chatKitClient({ url: "/api/chatkit", sessionId: () => "chart_session_0123456789", fetch });
  const effects = [];
  const first = await chat.send("levels", { onEffect: (data) => effects.push(data) });
  assert.equal(first.threadId, "thr_1");
  assert.equal(first.text, "TSLA 1D: support 95.50.");
  assert.deepEqual(first.effects[0].commands, ["SUPPORT:95.5"]);
  assert.deepEqual(effects, first.effects);
  assert.equal(first.error, null);
  await chat.send("weekly");
  assert.equal(calls[0].body.type, "threads.create");
  assert.equal(calls[0].body.params.input.content[0].text, "levels");
  assert.deepEqual(calls[1].body.params.thread_id, "thr_1");
  assert.equal(calls[1].body.type, "threads.add_user_message");
  assert.ok(calls.every((c) => c.headers["X-Chart-Session"] === "chart_session_0123456789"));
});

test("an error event and an error answer are reported, a lost thread starts over", async () => {
  const failed = sse(TURN[0], { type: "error", code: "custom", message: "Could not get market data.", allow_retry: true });
  const lost = JSON.stringify({ success: false, error: { code: "not_found", message: "no such thread" } });
  const { fetch, calls } = fakeChatKit([{ body: failed }, { status: 404, body: lost }, { body: sse(...TURN) }]);
  const chat = chatKitClient({ url: "/api/chatkit", sessionId: () => "s".repeat(20), fetch });
  assert.equal((await chat.send("levels")).error, "Could not get market data.");
  assert.equal((await chat.send("again")).error, "no such thread");
  await chat.send("once more");
  assert.equal(calls[2].body.type, "threads.create");
});
