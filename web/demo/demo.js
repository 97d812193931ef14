// The demo page: a candlestick chart of sample bars, symbol/timeframe pickers that keep the
// backend's context current (syncContext), and a chat box that asks chart_action and executes
// its answer (ChartController). Everything the page talks to is on its own origin.
import * as lib from "lightweight-charts";
import { ChartController, syncContext } from "/src/index.js";
import { hideAnalysis, say, showAnalysis } from "/demo/chat.js";

const TIMEFRAMES = ["1m", "5m", "15m", "30m", "1H", "4H", "1D", "1W", "1M"];
const $ = (id) => document.getElementById(id);
const state = { symbol: "TSLA", timeframe: "1D" };
let lastAnswer = null; // the reply being executed, so ANALYZE can show its data
const analysisKinds = new Set(); // ANALYZE kinds of that reply

const chart = lib.createChart($("chart"), {
  autoSize: true,
  layout: { background: { color: "#0b1120" }, textColor: "#cbd5e1", panes: { separatorColor: "#334155" } },
  grid: { vertLines: { color: "#131c2e" }, horzLines: { color: "#131c2e" } },
  crosshair: { mode: lib.CrosshairMode.Normal },
  timeScale: { timeVisible: true, borderColor: "#334155", rightOffset: 4 },
  rightPriceScale: { borderColor: "#334155", scaleMargins: { top: 0.12, bottom: 0.08 } },
});
const candles = chart.addSeries(lib.CandlestickSeries, {
  upColor: "#22c55e", downColor: "#ef4444", borderVisible: false, wickUpColor: "#22c55e", wickDownColor: "#ef4444",
});
const sync = syncContext({ url: "/api/chatkit/update-context" });
const controller = new ChartController(chart, candles, lib, {
  onLoad: (symbol) => show({ symbol }),
  onTimeframe: (timeframe) => show({ timeframe }),
  onAnalyze: (kind) => showAnalysis(analysisKinds.add(kind), lastAnswer?.data?.analysis),
  onError: (error, command) => say("error", `Could not draw ${command.raw}: ${error}`),
});

/** Header status pill. @param {"ok"|"pending"|"error"} kind @param {string} text */
function status(kind, text) {
  $("status").dataset.state = kind;
  $("status").textContent = text;
}

/** Symbol · timeframe and the last bar (or the bar under the crosshair). */
function legend(bar) {
  const el = $("legend");
  el.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = `${state.symbol} · ${state.timeframe}`;
  el.append(title);
  if (!bar) return;
  const ohlc = document.createElement("span");
  ohlc.className = bar.close >= bar.open ? "up" : "down";
  const f = (price) => candles.priceFormatter().format(price);
  ohlc.textContent = `O ${f(bar.open)}  H ${f(bar.high)}  L ${f(bar.low)}  C ${f(bar.close)}`;
  el.append(ohlc);
}
chart.subscribeCrosshairMove((param) => legend(param.seriesData?.get(candles) ?? controller.bars.at(-1)));

/** Reflect `state` in the pickers (a LOAD may name a symbol the list does not have yet). */
function renderPickers() {
  if (![...$("symbol").options].some((o) => o.value === state.symbol)) $("symbol").add(new Option(state.symbol));
  $("symbol").value = state.symbol;
  document.querySelectorAll("#timeframes button").forEach((b) => b.classList.toggle("active", b.textContent === state.timeframe));
}

let showing = 0; // the latest show() wins when bars arrive out of order

/** Switch symbol and/or timeframe: new bars, then tell the backend what the chart shows. */
async function show(change) {
  const changed = Object.entries(change).some(([key, value]) => state[key] !== value);
  Object.assign(state, change);
  if (changed) hideAnalysis();
  const ticket = ++showing;
  renderPickers();
  const query = new URLSearchParams({ symbol: state.symbol, timeframe: state.timeframe });
  const response = await fetch(`/demo/bars?${query}`);
  const bars = await response.json();
  if (ticket !== showing) return;
  if (!response.ok) {
    status("error", `no bars for ${state.symbol} ${state.timeframe}: ${bars.error}`);
    return;
  }
  controller.setBars(bars);
  chart.timeScale().fitContent();
  legend(bars.at(-1));
  status("pending", `syncing ${state.symbol} ${state.timeframe}…`);
  try {
    const stored = await sync.update({ symbol: state.symbol, timeframe: state.timeframe });
    if (stored?.success) {
      const { symbol, timeframe } = stored.chart_context;
      status("ok", `context ${symbol} ${timeframe} · session ${sync.sessionId.slice(0, 6)}…`);
    } else if (stored) status("error", `context not stored: ${stored.error?.message ?? "error"}`);
  } catch (error) {
    status("error", `backend unreachable (${error.message})`);
  }
}

/** Ask chart_action and execute its commands on the chart. */
async function ask(query) {
  say("user", query);
  const pending = say("pending", "thinking…");
  $("ask").querySelector("button").disabled = true;
  try {
    const response = await fetch("/api/chatkit/chart-action", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, session_id: sync.sessionId }),
    });
    const answer = await response.json();
    pending.remove();
    if (!response.ok || !answer.success) {
      say("error", answer.error?.message ?? `HTTP ${response.status}`);
      return;
    }
    lastAnswer = answer;
    analysisKinds.clear();
    const drawn = controller.execute(answer);
    say("agent", answer.text.split("\n")[0], { commands: answer.chart_commands, drawn });
  } catch (error) {
    pending.remove();
    say("error", `chart_action unreachable: ${error.message}`);
  } finally {
    $("ask").querySelector("button").disabled = false;
  }
}

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
document.querySelectorAll(".chips button").forEach((b) => b.addEventListener("click", () => ask(b.dataset.q)));

say("hint", "Pick a symbol and timeframe, then ask for support and resistance, a trendline, Fibonacci, "
  + "a trade plan, patterns or indicators (SMA, EMA, RSI, MACD, Bollinger, VWAP, volume) — or tap an example below.");

// For tests and the curious: the chart API objects and the kit's controller.
window.chartControl = { chart, candles, controller, sync, state, ready: show({}) };
