// The demo's chat panel: message bubbles, the commands behind each reply, and the analysis card.
// DOM only — no chart, no fetch.
import { describeCommand, parseCommand, patternName } from "/src/index.js";

const $ = (id) => document.getElementById(id);

/**
 * The commands of a reply as chips, behind a "commands" toggle: each chip says what it does in
 * words (times as dates); the raw line is its tooltip. Lines the page did not run are dimmed.
 * @param {string[]} commands @param {string[]} drawn @param {boolean} intraday
 */
function commandList(commands, drawn, intraday) {
  const details = document.createElement("details");
  details.className = "commands";
  const summary = document.createElement("summary");
  summary.textContent = `commands · ${commands.length}`;
  const list = document.createElement("div");
  list.className = "chip-list";
  for (const line of commands) {
    const parsed = parseCommand(line);
    const chip = document.createElement("span");
    chip.className = `chip verb-${(parsed?.verb ?? "unknown").toLowerCase()}`;
    chip.classList.toggle("drawn", drawn.includes(line));
    chip.textContent = parsed ? describeCommand(parsed, { intraday }) : line;
    chip.title = line;
    list.append(chip);
  }
  details.append(summary, list);
  return details;
}

/**
 * Append a message. Agent replies carry their commands behind a toggle.
 * @param {"user"|"agent"|"hint"|"error"|"pending"} kind
 * @param {string} text
 * @param {{commands?: string[], drawn?: string[], intraday?: boolean, note?: string}} [extra]
 * @returns {HTMLLIElement}
 */
export function say(kind, text, { commands = [], drawn = [], intraday = false, note = "" } = {}) {
  const item = document.createElement("li");
  item.className = kind;
  const body = document.createElement("p");
  body.textContent = text;
  item.append(body);
  if (note) {
    const small = document.createElement("small");
    small.textContent = note;
    item.append(small);
  }
  if (commands.length) item.append(commandList(commands, drawn, intraday));
  $("messages").append(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

const pct = (v) => `${Math.abs(v).toFixed(2)}%`;
const ANALYSIS_ROWS = [
  ["trend", "Trend", (v) => ({ up: "Uptrend", down: "Downtrend", sideways: "Sideways" })[v] ?? v],
  ["close", "Last close", (v) => v.toFixed(2)],
  ["sma_20", "SMA 20", (v) => v.toFixed(2)],
  ["sma_50", "SMA 50", (v) => v.toFixed(2)],
  ["rsi_14", "RSI 14", (v) => `${v.toFixed(1)}${v >= 70 ? " · overbought" : v <= 30 ? " · oversold" : ""}`],
  ["support_distance_pct", "To support", (v) => `${pct(v)} below`],
  ["resistance_distance_pct", "To resistance", (v) => `${pct(v)} above`],
  ["patterns", "Patterns", (v) => (v.length
    ? v.map((p) => (p.name ? `${patternName(p.name)}${p.level ? ` (${p.name.endsWith("TRIANGLE") ? "flat side" : "neckline"} ${p.level.toFixed(2)})` : ""}` : p)).join(", ")
    : "none found")],
];

/**
 * Show the analysis card (ANALYZE:<kind>, possibly both kinds in one reply); filled from
 * chart_action's `data.analysis` when the reply carries it.
 * @param {Set<string>} kinds TECHNICAL and/or PATTERNS
 * @param {string} chartName e.g. "TSLA · 1D"
 * @param {Record<string, any> | null | undefined} [analysis]
 */
export function showAnalysis(kinds, chartName, analysis) {
  const card = $("analysis");
  card.hidden = false;
  card.replaceChildren();
  const head = document.createElement("div");
  head.className = "card-head";
  const title = document.createElement("h2");
  title.textContent = [kinds.has("TECHNICAL") && "Technical analysis", kinds.has("PATTERNS") && "Pattern scan"]
    .filter(Boolean).join(" · ");
  const chart = document.createElement("span");
  chart.textContent = chartName;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "close";
  close.setAttribute("aria-label", "Close the analysis");
  close.textContent = "×";
  close.addEventListener("click", hideAnalysis);
  head.append(title, chart, close);
  const list = document.createElement("dl");
  for (const [key, label, format] of ANALYSIS_ROWS) {
    const value = analysis?.[key];
    if (value === null || value === undefined) continue;
    if (key === "patterns" && !kinds.has("PATTERNS") && !value.length) continue;
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = format(value);
    if (key === "trend") dd.dataset.trend = value;
    list.append(dt, dd);
  }
  card.append(head, list);
}

/** The analysis belongs to one chart and one set of drawings: hide it when they go. */
export function hideAnalysis() {
  $("analysis").hidden = true;
}
