// The demo page: a candlestick chart of sample bars, symbol/timeframe pickers that keep the
// backend's context current (syncContext), and a chat wired with the kit's chatKitOptions: the
// chatkit function answers over the ChatKit protocol and its `chart_commands` effects are drawn
// on the chart (ChartController). The chat is the demo's own box (chatkit-client.js, offline),
// or OpenAI's ChatKit element when the server's config has a domain key (chat-mode.js). With a
// Firebase web config in the server's config the page also follows its session's chart document
// live (live-view.js): what an agent elsewhere draws on this session appears here.
// Everything the page talks to is on its own origin, but for the live listener's Firestore.
import * as lib from "lightweight-charts";
import {
  CHART_EFFECT, ChartController, OutsideBarsWarning, chartDocument, chatKitOptions, describeCommand,
  fetchBars as fetchBarsRoute, parseCommands, persistentSessionId, syncContext, versionGate,
} from "/src/index.js";
import { hideAnalysis, say, showAnalysis } from "/demo/chat.js";
import { chatMode, mountChatKit } from "/demo/chat-mode.js";
import { chatKitClient } from "/demo/chatkit-client.js";
import { explainFailure } from "/demo/errors.js";
import { lastRequest, startLive } from "/demo/live-view.js";

const TIMEFRAMES = ["1m", "5m", "15m", "30m", "1H", "4H", "1D", "1W", "1M"];
const INTRADAY = new Set(["1m", "5m", "15m", "30m", "1H", "4H"]);
const VIEW_VERBS = new Set(["RANGE", "ZOOM", "COMPARE", "CLEAR"]); // shown as a toast on the chart
const HIDES_ANALYSIS = new Set(["ALL", "DRAWINGS", "PATTERNS"]);
const $ = (id) => document.getElementById(id);
const state = { symbol: "TSLA", timeframe: "1D" };
let lastAnswer = null; // the effect being executed, so ANALYZE can show its data
const analysisKinds = new Set(); // ANALYZE kinds of that reply

const chart = lib.createChart($("chart"), {
  autoSize: true,
  layout: {
    background: { color: "#0b1120" }, textColor: "#94a3b8", fontSize: 12,
    fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", panes: { separatorColor: "#1e293b" },
    attributionLogo: false,
  },
  grid: { vertLines: { color: "#111a2c" }, horzLines: { color: "#111a2c" } },
  crosshair: { mode: lib.CrosshairMode.Normal },
  timeScale: { timeVisible: true, borderColor: "#1e293b", rightOffset: 6 },
  rightPriceScale: { borderColor: "#1e293b", scaleMargins: { top: 0.16, bottom: 0.08 } },
});
const candles = chart.addSeries(lib.CandlestickSeries, {
  upColor: "#26a69a", downColor: "#ef5350", borderVisible: false, wickUpColor: "#26a69a", wickDownColor: "#ef5350",
});
const watermark = lib.createTextWatermark(chart.panes()[0], {
  horzAlign: "center", vertAlign: "center", lines: [{ text: "", color: "rgba(148, 163, 184, 0.07)", fontSize: 72, fontStyle: "bold" }],
});

/** Bars of any symbol from chart_action's bars route: the bars its analysis reads (the chart's
 * own, and COMPARE's). */
async function fetchBars(symbol, timeframe) {
  return (await fetchBarsRoute("/api/chatkit/bars", symbol, timeframe)).bars;
}

/** The server's page config (the ChatKit domain key, if any); none is the offline chat. */
async function loadConfig() {
  try {
    const response = await fetch("/demo/config.json");
    return response.ok ? await response.json() : {};
  } catch {
    return {};
  }
}

const config = await loadConfig();
const mode = chatMode(config);
const drawnVersions = versionGate(); // every path that draws the chart document claims its version
/** Claim the version of an answer that carries the chart document (the page drew it). */
const drawn = (answer) => { drawnVersions.claim(answer?.chart?.version); return answer; };
// The session survives a reload (persistentSessionId): its threads and its chart document are
// the backend's, so a reload shows the chart and the conversation as they were.
const sessionId = persistentSessionId();
const THREAD_KEY = "chart-control.thread"; // the offline box's thread on show, kept for a reload
const sync = syncContext({ url: "/api/chatkit/update-context", sessionId });
const controller = new ChartController(chart, candles, lib, {
  onLoad: (symbol) => show({ symbol }),
  onTimeframe: (timeframe) => show({ timeframe }),
  onAnalyze: (kind) => showAnalysis(analysisKinds.add(kind), `${state.symbol} · ${state.timeframe}`, lastAnswer?.data?.analysis),
  onError: (error, command) => say("error", error instanceof OutsideBarsWarning
    ? `“${describeCommand(command)}” lies outside the bars on the chart: ${error.message}`
    : `Could not draw “${describeCommand(command)}”: ${error.message ?? error}`),
  loadBars: (symbol, timeframe) => fetchBars(symbol, timeframe ?? state.timeframe).finally(() => renderOverlays()),
});

// The session's chart document, drawn on load and whenever the thread changes (web/src/document.js)
const documentView = chartDocument({ url: "/api/chatkit/chart-document", sync, controller, showChart: (c) => show(c) });

/** The chat's connection line. @param {"ok"|"pending"|"error"} kind @param {string} text */
function status(kind, text) {
  $("status").dataset.state = kind;
  $("status").textContent = text;
}

const price = (value) => candles.priceFormatter().format(value);

/** Symbol · timeframe, and the bar under the crosshair (else the last one) with its change. */
function legend(bar) {
  const el = $("legend");
  el.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = state.symbol;
  const frame = document.createElement("span");
  frame.className = "frame";
  frame.textContent = state.timeframe;
  const badge = document.createElement("span");
  badge.className = "badge";
  badge.textContent = "Sample data";
  el.append(title, frame, badge);
  if (!bar) return;
  const bars = controller.bars;
  const previous = bars[bars.findIndex((b) => b.time === bar.time) - 1];
  const change = previous ? bar.close - previous.close : bar.close - bar.open;
  const base = previous ? previous.close : bar.open;
  const ohlc = document.createElement("span");
  ohlc.className = `ohlc ${change >= 0 ? "up" : "down"}`;
  const sign = change >= 0 ? "+" : "−";
  ohlc.textContent = `O ${price(bar.open)}  H ${price(bar.high)}  L ${price(bar.low)}  C ${price(bar.close)}  `
    + `${sign}${price(Math.abs(change))} (${sign}${Math.abs((change / base) * 100).toFixed(2)}%)`;
  el.append(ohlc);
}
chart.subscribeCrosshairMove((param) => legend(param.seriesData?.get(candles) ?? controller.bars.at(-1)));

/** The overlays in the legend: indicators and comparisons, each with its colour. */
function renderOverlays() {
  const { indicators, comparisons } = controller.snapshot();
  const items = [
    ...indicators.map((i) => ({ label: i.label, color: i.color })),
    ...comparisons.map((c) => ({ label: `vs ${c.symbol} (%)`, color: c.color })),
  ];
  $("overlays").replaceChildren(...items.map(({ label, color }) => {
    const item = document.createElement("span");
    item.style.setProperty("--swatch", color);
    item.textContent = label;
    return item;
  }));
}

let toastTimer = 0;
/** A short caption on the chart for what changes the view rather than the drawing. */
function toast(text) {
  $("toast").textContent = text;
  $("toast").hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { $("toast").hidden = true; }, 6000);
}

/** Reflect `state` in the pickers (a LOAD may name a symbol the list does not have yet). */
function renderPickers() {
  if (![...$("symbol").options].some((o) => o.value === state.symbol)) $("symbol").add(new Option(state.symbol));
  $("symbol").value = state.symbol;
  document.querySelectorAll("#timeframes button").forEach((b) => {
    b.classList.toggle("active", b.textContent === state.timeframe);
    b.setAttribute("aria-pressed", String(b.textContent === state.timeframe));
  });
}

let showing = 0; // the latest show() wins when bars arrive out of order

/** The status line for update-context's answer (nothing when nothing was sent). */
function reportStored(stored) {
  if (stored?.success) {
    const { symbol, timeframe } = stored.chart_context;
    status("ok", `context ${symbol} ${timeframe} · session ${sync.sessionId.slice(0, 6)}…`);
  } else if (stored) status("error", `context not stored: ${stored.error?.message ?? "error"}`);
}

/** Switch symbol and/or timeframe: new bars, then tell the backend what the chart shows. */
async function show(change) {
  const changed = Object.entries(change).some(([key, value]) => state[key] !== value);
  Object.assign(state, change);
  if (changed) hideAnalysis();
  const ticket = ++showing;
  renderPickers();
  let bars;
  try {
    bars = await fetchBars(state.symbol, state.timeframe);
  } catch (error) {
    if (ticket === showing) status("error", error.message);
    return;
  }
  if (ticket !== showing) return;
  controller.setBars(bars, { symbol: state.symbol, timeframe: state.timeframe });
  chart.applyOptions({ timeScale: { timeVisible: INTRADAY.has(state.timeframe), secondsVisible: false } });
  chart.timeScale().fitContent();
  watermark.applyOptions({ lines: [{ text: `${state.symbol} · ${state.timeframe}`, color: "rgba(148, 163, 184, 0.07)", fontSize: 72, fontStyle: "bold" }] });
  legend(bars.at(-1));
  renderOverlays();
  document.title = `${state.symbol} ${price(bars.at(-1).close)} · ${state.timeframe} · chart-control demo`;
  const before = { kind: $("status").dataset.state, text: $("status").textContent };
  status("pending", `syncing ${state.symbol} ${state.timeframe}…`);
  try {
    const stored = drawn(await sync.update({ symbol: state.symbol, timeframe: state.timeframe }));
    // undefined: unchanged (already stored), or superseded by a newer report, which says its own
    if (stored === undefined && ticket === showing) status(before.kind, before.text);
    reportStored(stored);
  } catch (error) {
    status("error", `backend unreachable (${error.message})`);
  }
}

/** While a question is out: progress bar, a pending bubble, the form disabled. */
function busy(on) {
  $("progress").hidden = !on;
  $("ask").classList.toggle("busy", on);
  $("ask").querySelector("button").disabled = on;
  $("query").disabled = on;
  document.querySelectorAll(".examples button").forEach((b) => { b.disabled = on; });
}

/** The commands the chat's effects drew in the current turn (for the reply's chips). */
let turn = { commands: [], drawn: [], effect: null };

/** After the kit drew an effect: what else on the page follows from it. */
function afterEffect({ drawn, ...effect }) {
  const executed = parseCommands(drawn);
  if (executed.some((c) => c.verb === "CLEAR" && HIDES_ANALYSIS.has(String(c.args[0])))) hideAnalysis();
  const view = executed.filter((c) => VIEW_VERBS.has(c.verb));
  if (view.length) toast(view.map((c) => describeCommand(c, { intraday: INTRADAY.has(state.timeframe) })).join(" · "));
  renderOverlays();
  turn = { commands: [...turn.commands, ...effect.commands], drawn: [...turn.drawn, ...drawn], effect };
}

const kit = chatKitOptions({
  url: "/api/chatkit", domainKey: mode.domainKey, controller, sync, onCommands: afterEffect, chartDocument: documentView,
  live: drawnVersions,
});
/** The kit's onEffect, after noting the effect's data for the analysis card (ANALYZE). */
function onEffect(effect) {
  if (effect.name === CHART_EFFECT) {
    lastAnswer = effect.data;
    analysisKinds.clear();
  }
  kit.onEffect(effect);
}
const chat = chatKitClient({ api: kit.api, onEffect });

/** The turn's reply: the assistant's sentence, its commands behind the toggle. */
function sayReply(text) {
  const { effect } = turn;
  const { sentence } = storedSentence(text || effect?.text || "");
  const market = effect?.data?.market_data;
  const note = market?.sample ? `computed on sample data (${market.bars} bars), not real prices` : "";
  say("agent", sentence, { commands: turn.commands, drawn: turn.drawn, intraday: INTRADAY.has(state.timeframe), note });
}

/** An answer's first line without its sample-data tag, which the reply shows as its note (a
 * stored answer, shown again after a reload, reads as it did when it arrived). */
function storedSentence(text) {
  const line = text.split("\n")[0];
  const sentence = line.replace(/\s*\(sample data, not real prices\)/, "");
  return { sentence, options: { note: sentence === line ? "" : "computed on sample data, not real prices" } };
}

/** Send the message over the ChatKit protocol; effects are drawn as they arrive. */
async function ask(query) {
  say("user", query);
  const pending = say("pending", "Reading the chart");
  $("toast").hidden = true; // a caption belongs to the reply before
  busy(true);
  turn = { commands: [], drawn: [], effect: null };
  asking.add(query);
  const reply = await chat.send(query).finally(() => asking.delete(query));
  pending.remove();
  busy(false);
  $("query").focus();
  const answered = reply.status === 200 && (reply.text || turn.effect);
  if (answered) sayReply(reply.text);
  if (!answered || reply.error) say("error", explainFailure(reply, query)); // an empty answer too
  if (reply.threadId && reply.threadId !== keptThread()) { // a new conversation: report its thread
    keepThread(reply.threadId);
    sync.setThread(reply.threadId);
    sync.update({ symbol: state.symbol, timeframe: state.timeframe }).then((stored) => reportStored(drawn(stored)), () => {});
    listThreads();
  }
}

function keptThread() {
  try { return localStorage.getItem(THREAD_KEY); } catch { return null; }
}
function keepThread(id) {
  try { if (id) localStorage.setItem(THREAD_KEY, id); else localStorage.removeItem(THREAD_KEY); } catch { /* no storage */ }
}

/** The session's conversations in the picker, the one on show selected. */
async function listThreads() {
  const page = await chat.request("threads.list", { limit: 20, order: "desc" });
  const options = (page?.data ?? []).map((t) => new Option(t.title || "Untitled", t.id));
  $("threads").replaceChildren(new Option("New conversation", ""), ...options);
  $("threads").value = chat.threadId ?? "";
}

/** Show a conversation: its messages, and its chart document drawn on the chart. */
async function openThread(id) {
  $("messages").replaceChildren();
  hideAnalysis();
  if (id) chat.resume(id); else chat.reset();
  keepThread(id);
  const items = id ? await chat.request("items.list", { thread_id: id, limit: 100, order: "asc" }) : null;
  for (const item of items?.data ?? []) {
    const text = (item.content ?? []).map((part) => part.text ?? "").join("");
    if (item.type === "user_message") say("user", text);
    else if (item.type === "assistant_message") {
      const { sentence, options } = storedSentence(text);
      say("agent", sentence, options);
    }
  }
  const doc = await documentView.load(id).catch(() => null);
  drawnVersions.claim(doc?.version);
  if (!doc) await show({});
  else reportStored(drawn(await sync.update({ symbol: state.symbol, timeframe: state.timeframe }))); // report the thread
  $("threads").value = id ?? "";
}

$("threads").addEventListener("change", (e) => openThread(e.target.value || null));
$("new-chat").addEventListener("click", () => {
  $("threads").value = "";
  chat.reset();
  keepThread(null);
  $("messages").replaceChildren();
  controller.clear("DRAWINGS"); // a new conversation starts on the chart as it is, nothing drawn
});

for (const tf of TIMEFRAMES) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = tf;
  button.addEventListener("click", () => { controller.clear("DRAWINGS"); show({ timeframe: tf }); });
  $("timeframes").append(button);
}
$("symbol").addEventListener("change", (e) => { controller.clear("DRAWINGS"); show({ symbol: e.target.value }); });
$("ask").addEventListener("submit", (e) => {
  e.preventDefault();
  const query = $("query").value.trim();
  $("query").value = "";
  if (query) ask(query);
});
document.querySelectorAll(".examples button").forEach((b) => b.addEventListener("click", () => ask(b.dataset.q)));

say("hint", "Ask for support and resistance, a trendline, Fibonacci, a trade plan, patterns or "
  + "indicators (SMA, EMA, RSI, MACD, Bollinger, VWAP, volume) — or tap an example below.");

/** OpenAI's ChatKit in place of the demo's chat box, with the examples as its start prompts. */
async function mountOpenAIChatKit() {
  document.body.dataset.chat = "chatkit";
  const prompts = [...document.querySelectorAll(".examples button")]
    .map((b) => ({ label: b.textContent, prompt: b.dataset.q }));
  try {
    await mountChatKit({
      host: $("chatkit"),
      chatkit: {
        ...kit, onEffect,
        theme: { colorScheme: "dark" },
        startScreen: { greeting: "Ask the chart agent", prompts },
        onThreadChange: ({ threadId }) => documentView.load(threadId ?? null),
        composer: { placeholder: "Ask about this chart, e.g. support and resistance" },
      },
    });
  } catch (error) { // e.g. offline: the demo's own chat box speaks the same protocol
    delete document.body.dataset.chat;
    say("error", `${error.message}; the demo's own chat box answers instead.`);
  }
}

if (mode.kind === "chatkit") mountOpenAIChatKit();

// Live: a version of the session's chart document another door wrote is drawn by the same
// renderer as a reload (document.js), once; a line in the chat says what the agent drew.
const asking = new Set(); // the page's own questions in flight (their write can come first)
const live = startLive({
  firebase: config.firebase, sessionId, gate: drawnVersions, indicator: $("live"),
  log: (text) => say("live", text),
  isOwnTurn: (document) => [...asking].some((query) => query.startsWith(lastRequest(document) ?? "\0")),
  accepts: (document) => !document.thread_id || !chat.threadId || document.thread_id === chat.threadId,
  draw: async (document) => {
    const moved = document.symbol !== state.symbol || document.timeframe !== state.timeframe;
    await documentView.draw(document);
    renderOverlays();
    return Boolean(document.symbol) && moved;
  },
}).catch((error) => { say("error", `Live updates are off: ${error.message ?? error}`); return null; });

// For tests and the curious: the chart API objects, the kit's controller, the chat.
/** On load: the kept conversation and its chart, or the session's chart, else the default one. */
async function start() {
  const kept = mode.kind === "chatkit" ? null : keptThread();
  await openThread(kept);
  await listThreads();
}
window.chartControl = {
  chart, candles, controller, sync, state, chat, mode, renderOverlays, documentView, ready: start(), live, drawnVersions,
};
