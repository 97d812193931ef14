// The demo page: a candlestick chart of sample bars, symbol/timeframe pickers that keep the
// backend's context current, and a chat box that asks chart_action and executes its answer.
import * as lib from "lightweight-charts";
import { ChartController, syncContext } from "/src/index.js";

const TIMEFRAMES = ["5m", "15m", "1H", "4H", "1D", "1W"];
const $ = (id) => document.getElementById(id);
const state = { symbol: "TSLA", timeframe: "1D" };

const chart = lib.createChart($("chart"), {
  autoSize: true,
  layout: { background: { color: "#0f172a" }, textColor: "#cbd5e1" },
  grid: { vertLines: { color: "#1e293b" }, horzLines: { color: "#1e293b" } },
  timeScale: { timeVisible: true, borderColor: "#334155" },
  rightPriceScale: { borderColor: "#334155" },
});
const candles = chart.addSeries(lib.CandlestickSeries, {
  upColor: "#22c55e", downColor: "#ef4444", borderVisible: false, wickUpColor: "#22c55e", wickDownColor: "#ef4444",
});
const sync = syncContext({ url: "/api/chatkit/update-context" });
const controller = new ChartController(chart, candles, lib, {
  onLoad: (symbol) => show({ symbol }),
  onTimeframe: (timeframe) => show({ timeframe }),
  onAnalyze: (kind) => { $("analysis").hidden = false; $("analysis").textContent = `Analysis panel: ${kind.toLowerCase()}`; },
});

async function show(change) {
  Object.assign(state, change);
  $("symbol").value = state.symbol;
  document.querySelectorAll("#timeframes button").forEach((b) => b.classList.toggle("active", b.textContent === state.timeframe));
  const response = await fetch(`/demo/bars?symbol=${encodeURIComponent(state.symbol)}&timeframe=${encodeURIComponent(state.timeframe)}`);
  controller.setBars(await response.json());
  chart.timeScale().fitContent();
  const stored = await sync.update({ symbol: state.symbol, timeframe: state.timeframe });
  if (stored) $("status").textContent = `context: ${stored.chart_context.symbol} ${stored.chart_context.timeframe} · session ${sync.sessionId.slice(0, 6)}…`;
}

function say(kind, text, commands = []) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  if (commands.length) {
    const code = document.createElement("code");
    code.textContent = commands.join("  ");
    item.append(code);
  }
  $("messages").append(item);
  item.scrollIntoView({ block: "end" });
}

async function ask(query) {
  say("user", query);
  try {
    const response = await fetch("/api/chatkit/chart-action", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, session_id: sync.sessionId }),
    });
    const answer = await response.json();
    if (!response.ok) return say("error", answer.error?.message ?? `HTTP ${response.status}`);
    say("agent", answer.text.split("\n")[0], answer.chart_commands);
    controller.execute(answer);
  } catch (error) {
    say("error", String(error));
  }
}

for (const tf of TIMEFRAMES) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = tf;
  button.addEventListener("click", () => { controller.clear("DRAWINGS"); show({ timeframe: tf }); });
  $("timeframes").append(button);
}
$("symbol").addEventListener("change", (e) => { controller.clear("ALL"); show({ symbol: e.target.value }); });
$("ask").addEventListener("submit", (e) => { e.preventDefault(); const q = $("query").value.trim(); if (q) ask(q); $("query").value = ""; });
document.querySelectorAll(".chips button").forEach((b) => b.addEventListener("click", () => ask(b.dataset.q)));

window.chartControl = { chart, candles, controller, sync, state, ready: show({}) };
