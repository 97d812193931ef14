import { test } from "node:test";
import assert from "node:assert/strict";
import { CHATKIT_ELEMENT, CHATKIT_SCRIPT, chatMode, mountChatKit } from "../demo/chat-mode.js";
import { chatKitOptions } from "../src/chatkit.js";
import { ChartController } from "../src/execute.js";
import { bars, fakeChart, fakeSeries, lib } from "./fake-chart.js";

test("a domain key in the config mounts OpenAI's ChatKit; none, blank or odd keeps the offline box", () => {
  assert.deepEqual(chatMode({ chatkitDomainKey: "domain_pk_123" }), { kind: "chatkit", domainKey: "domain_pk_123" });
  assert.deepEqual(chatMode({ chatkitDomainKey: " domain_pk_123\n" }), { kind: "chatkit", domainKey: "domain_pk_123" });
  for (const config of [{ chatkitDomainKey: null }, { chatkitDomainKey: "  " }, { chatkitDomainKey: 42 }, {}, null, undefined]) {
    assert.equal(chatMode(config).kind, "protocol", JSON.stringify(config));
  }
});

/** Just enough DOM for mountChatKit: a head that "loads" scripts, a registry, the element. */
function fakeDom({ loads = true } = {}) {
  const defined = new Set();
  const registry = {
    get: (name) => (defined.has(name) ? class {} : undefined),
    whenDefined: async (name) => { assert.ok(defined.has(name), `${name} was never defined`); },
  };
  const scripts = [];
  const doc = {
    head: {
      append(script) {
        scripts.push(script);
        queueMicrotask(() => {
          if (loads) defined.add(CHATKIT_ELEMENT);
          script.dispatchEvent(new Event(loads ? "load" : "error"));
        });
      },
    },
    createElement(tag) {
      const element = new EventTarget();
      element.tagName = tag;
      element.setOptions = (options) => { element.options = options; };
      return element;
    },
  };
  const host = { children: [], replaceChildren(...children) { this.children = children; } };
  return { doc, registry, scripts, host };
}

function chartAndOptions() {
  const candles = fakeSeries("Candlestick");
  const controller = new ChartController(fakeChart(), candles, lib);
  controller.setBars(bars());
  const kit = chatKitOptions({ url: "/api/chatkit", domainKey: "domain_pk_123", controller, sync: { sessionId: "s".repeat(20) } });
  return { candles, kit };
}

test("the element gets the kit's api and UI options; its chatkit.effect events draw on the chart", async () => {
  const { doc, registry, scripts, host } = fakeDom();
  const { candles, kit } = chartAndOptions();
  const element = await mountChatKit({ host, doc, registry, chatkit: { ...kit, theme: { colorScheme: "dark" } } });
  assert.equal(scripts.length, 1);
  assert.equal(scripts[0].src, CHATKIT_SCRIPT);
  assert.equal(scripts[0].async, true);
  assert.equal(element.tagName, CHATKIT_ELEMENT);
  assert.deepEqual(host.children, [element]);
  assert.equal(element.options.api, kit.api); // url, domainKey, the fetch adding X-Chart-Session
  assert.deepEqual(element.options.theme, { colorScheme: "dark" });
  assert.equal("onEffect" in element.options, false); // an event on the element, not an option
  const detail = { name: "chart_commands", data: { commands: ["SUPPORT:95.5"], text: "support", data: {} } };
  element.dispatchEvent(Object.assign(new Event("chatkit.effect"), { detail }));
  assert.deepEqual(candles.priceLines().map((l) => l.options().price), [95.5]);
});

test("the script is loaded once; a failed load is an error naming where it came from", async () => {
  const { doc, registry, scripts, host } = fakeDom();
  const { kit } = chartAndOptions();
  await mountChatKit({ host, doc, registry, chatkit: kit });
  await mountChatKit({ host, doc, registry, chatkit: kit });
  assert.equal(scripts.length, 1);
  const offline = fakeDom({ loads: false });
  await assert.rejects(
    mountChatKit({ host: offline.host, doc: offline.doc, registry: offline.registry, chatkit: kit }),
    new Error(`ChatKit did not load from ${CHATKIT_SCRIPT}`),
  );
  assert.deepEqual(offline.host.children, []);
});
