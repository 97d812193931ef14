// The demo chat's ChatKit client: speaks the ChatKit protocol to the chatkit function without
// OpenAI's UI (which loads from OpenAI's CDN and cannot run offline). The first message creates
// a thread (`threads.create`), the next ones add to it (`threads.add_user_message`); the answer
// is read from the SSE stream: `chart_commands` client effects as they arrive, the assistant's
// text, and an error event's message.

const INPUT = (text) => ({ content: [{ type: "input_text", text }], attachments: [], inference_options: {} });

/**
 * The events of a ChatKit SSE body, in order (`data: {json}` blocks separated by a blank line).
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<Record<string, any>>}
 */
export async function* sseEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value ?? new Uint8Array(), { stream: !done });
    const blocks = buffer.split(/\r?\n\r?\n/);
    buffer = done ? "" : blocks.pop();
    for (const block of blocks) {
      const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trimStart());
      if (data.length) yield JSON.parse(data.join("\n"));
    }
    if (done) return;
  }
}

/**
 * @typedef {object} Reply
 * @property {string} text           the assistant's message ("" if none)
 * @property {{commands: string[], text?: string, data?: object}[]} effects  chart_commands effects
 * @property {string | null} error   an error event's or error answer's message
 * @property {string | null} threadId
 */

/**
 * @param {object} options
 * @param {string} options.url              the chatkit function, e.g. "/api/chatkit"
 * @param {() => string} options.sessionId  the chart session (syncContext's `sessionId`)
 * @param {typeof fetch} [options.fetch]
 */
export function chatKitClient({ url, sessionId, fetch: fetchImpl = globalThis.fetch }) {
  let threadId = null;
  return {
    get threadId() { return threadId; },
    /** Forget the thread: the next message starts a new one. */
    reset() { threadId = null; },
    /**
     * Send one user message; `onEffect` runs for each chart_commands effect as it arrives.
     * @param {string} text
     * @param {{onEffect?: (data: {commands: string[], text?: string, data?: object}) => void}} [handlers]
     * @returns {Promise<Reply>}
     */
    async send(text, { onEffect } = {}) {
      const request = threadId
        ? { type: "threads.add_user_message", params: { thread_id: threadId, input: INPUT(text) } }
        : { type: "threads.create", params: { input: INPUT(text) } };
      const response = await fetchImpl(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Chart-Session": sessionId() },
        body: JSON.stringify(request),
      });
      const reply = { text: "", effects: [], error: null, threadId };
      if (!response.ok) {
        const answer = await response.json().catch(() => ({}));
        if (response.status === 404) threadId = null; // expired or gone: start over next time
        return { ...reply, error: answer.error?.message ?? `HTTP ${response.status}` };
      }
      for await (const event of sseEvents(response.body)) {
        if (event.type === "thread.created") threadId = event.thread.id;
        else if (event.type === "client_effect" && event.name === "chart_commands") {
          reply.effects.push(event.data);
          onEffect?.(event.data);
        } else if (event.type === "thread.item.done" && event.item.type === "assistant_message") {
          reply.text += event.item.content.map((part) => part.text).join("");
        } else if (event.type === "error") reply.error = event.message ?? "the answer failed";
      }
      return { ...reply, threadId };
    },
  };
}
