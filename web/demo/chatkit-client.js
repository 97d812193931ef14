// The demo chat's ChatKit client: speaks the ChatKit protocol to the chatkit function without
// OpenAI's UI (which loads from OpenAI's CDN and cannot run offline). It is driven by the same
// options the real ChatKit gets from the kit's chatKitOptions: `api.fetch` (which adds
// X-Chart-Session) carries every request and `onEffect` receives every client effect, so the
// offline demo exercises the kit's wiring exactly as <openai-chatkit> would.
//
// The first message creates a thread (`threads.create`), the next ones add to it
// (`threads.add_user_message`); the answer is read from the SSE stream: client effects as they
// arrive, the assistant's text, and an error event's message.

const INPUT = (text) => ({ content: [{ type: "input_text", text }], attachments: [], inference_options: {} });

/**
 * The events of a ChatKit SSE body, in order (`data: {json}` blocks separated by a blank line;
 * comment lines and other fields are skipped, multi-line data is joined as the SSE spec says).
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
    buffer = done ? "" : blocks.pop() ?? "";
    for (const block of blocks) {
      const data = block.split(/\r?\n/).filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, ""));
      if (data.length) yield JSON.parse(data.join("\n"));
    }
    if (done) return;
  }
}

/**
 * What one message got back. `status` is the HTTP status (0: the server could not be reached);
 * on a refusal (`status` not 200) `body` is the parsed error envelope and `retryAfter` the
 * Retry-After seconds; an error event inside the stream sets `error` (its message).
 * @typedef {object} Reply
 * @property {number} status
 * @property {string} text            the assistant's message ("" if none)
 * @property {{commands: string[], text?: string, data?: any}[]} effects  chart_commands effects, in order
 * @property {string | null} error    an error event's message
 * @property {any} body               a refusal's JSON body (null for a stream)
 * @property {number | null} retryAfter
 * @property {string | null} threadId the thread the next message goes to
 */

/**
 * @param {object} options
 * @param {{url: string, fetch?: typeof fetch}} options.api  chatKitOptions(...).api
 * @param {(effect: {name: string, data?: any}) => void} [options.onEffect]  chatKitOptions(...).onEffect
 * @param {string} [options.effectName]  the effect whose data is collected in `Reply.effects`
 */
export function chatKitClient({ api, onEffect, effectName = "chart_commands" }) {
  const fetchImpl = api.fetch ?? globalThis.fetch;
  let threadId = null;
  return {
    get threadId() { return threadId; },
    /** Forget the thread: the next message starts a new one. */
    reset() { threadId = null; },
    /** Go on in an existing thread (a reload, a thread picked from the list). @param {string} id */
    resume(id) { threadId = id; },
    /**
     * A non-streaming ChatKit request (`threads.list`, `items.list`): its JSON, or null when it
     * failed.
     * @param {string} type @param {object} params
     */
    async request(type, params) {
      try {
        const response = await fetchImpl(api.url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ type, params }),
        });
        return response.ok ? await response.json() : null;
      } catch {
        return null;
      }
    },
    /**
     * Send one user message; `onEffect` runs for each client effect as it arrives. Never throws.
     * @param {string} text
     * @returns {Promise<Reply>}
     */
    async send(text) {
      const request = threadId
        ? { type: "threads.add_user_message", params: { thread_id: threadId, input: INPUT(text) } }
        : { type: "threads.create", params: { input: INPUT(text) } };
      const reply = { status: 0, text: "", effects: [], error: null, body: null, retryAfter: null, threadId };
      let response;
      try {
        response = await fetchImpl(api.url, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(request),
        });
      } catch {
        return reply; // unreachable: status 0
      }
      reply.status = response.status;
      if (!response.ok || !response.body) {
        reply.body = await response.json().catch(() => null);
        reply.retryAfter = Number(response.headers.get("Retry-After")) || null;
        if (response.status === 404) threadId = null; // expired or gone: start over next time
        return { ...reply, threadId };
      }
      try {
        for await (const event of sseEvents(response.body)) {
          if (event.type === "thread.created") threadId = event.thread.id;
          else if (event.type === "client_effect") {
            if (event.name === effectName) reply.effects.push(event.data);
            onEffect?.({ name: event.name, data: event.data });
          } else if (event.type === "thread.item.done" && event.item?.type === "assistant_message") {
            reply.text += event.item.content.map((part) => part.text).join("");
          } else if (event.type === "error") reply.error = event.message || "The answer failed; please try again.";
        }
      } catch {
        reply.error ??= "The answer was cut off before it ended; please try again.";
      }
      return { ...reply, threadId };
    },
  };
}
