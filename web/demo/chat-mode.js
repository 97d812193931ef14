// Which chat the demo shows, and how OpenAI's ChatKit element is mounted when it is the one.
// With a ChatKit domain key in the page's config (CHATKIT_DOMAIN_KEY given to the demo server),
// the real <openai-chatkit> element from OpenAI's CDN talks to the chatkit function; without one
// (the default, and offline) the demo's own chat box speaks the same protocol
// (chatkit-client.js). Both get their options from the kit's chatKitOptions.

export const CHATKIT_SCRIPT = "https://cdn.platform.openai.com/deployments/chatkit/chatkit.js";
export const CHATKIT_ELEMENT = "openai-chatkit";
const OFFLINE_DOMAIN_KEY = "offline-demo"; // the protocol client never sends it

/**
 * @typedef {{kind: "chatkit" | "protocol", domainKey: string}} ChatMode
 */

/**
 * The chat for this page: "chatkit" (OpenAI's element) when the config names a domain key,
 * else "protocol" (the offline chat box).
 * @param {{chatkitDomainKey?: unknown} | null | undefined} config  /demo/config.json
 * @returns {ChatMode}
 */
export function chatMode(config) {
  const key = typeof config?.chatkitDomainKey === "string" ? config.chatkitDomainKey.trim() : "";
  return key ? { kind: "chatkit", domainKey: key } : { kind: "protocol", domainKey: OFFLINE_DOMAIN_KEY };
}

/**
 * Load ChatKit's script once (a <script> on OpenAI's CDN) and wait for its element.
 * @param {Document} doc @param {CustomElementRegistry} registry @param {string} src
 */
async function loadChatKit(doc, registry, src) {
  if (!registry.get(CHATKIT_ELEMENT)) {
    const script = doc.createElement("script");
    script.src = src;
    script.async = true;
    const loaded = new Promise((resolve, reject) => {
      script.addEventListener("load", resolve);
      script.addEventListener("error", () => reject(new Error(`ChatKit did not load from ${src}`)));
    });
    doc.head.append(script);
    await loaded;
  }
  await registry.whenDefined(CHATKIT_ELEMENT);
}

/**
 * Mount <openai-chatkit> in `host` with chatKitOptions' result (plus any ChatKit UI options).
 * The element takes `onEffect` as its `chatkit.effect` DOM event, not as an option (React's
 * useChatKit takes it as an option and does this itself).
 * @param {object} options
 * @param {Element} options.host
 * @param {{onEffect: (effect: {name: string, data?: any}) => void} & Record<string, any>} options.chatkit
 * @param {Document} [options.doc]
 * @param {CustomElementRegistry} [options.registry]
 * @param {string} [options.src]
 * @returns {Promise<HTMLElement & {setOptions: (options: object) => void}>}
 */
export async function mountChatKit({ host, chatkit, doc = document, registry = customElements, src = CHATKIT_SCRIPT }) {
  await loadChatKit(doc, registry, src);
  const { onEffect, ...elementOptions } = chatkit;
  const element = /** @type {any} */ (doc.createElement(CHATKIT_ELEMENT));
  element.addEventListener("chatkit.effect", (/** @type {CustomEvent} */ event) => onEffect(event.detail));
  element.setOptions(elementOptions);
  host.replaceChildren(element);
  return element;
}
