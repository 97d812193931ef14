// The demo's chat panel: message bubbles and the analysis card. DOM only — no chart, no fetch.

const $ = (id) => document.getElementById(id);

/**
 * Append a message. Agent replies list their commands, the executed ones highlighted.
 * @param {"user"|"agent"|"hint"|"error"|"pending"} kind
 * @param {string} text
 * @param {{commands?: string[], drawn?: string[]}} [extra]
 * @returns {HTMLLIElement}
 */
export function say(kind, text, { commands = [], drawn = [] } = {}) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  if (commands.length) {
    const list = document.createElement("div");
    list.className = "commands";
    for (const command of commands) {
      const code = document.createElement("code");
      code.textContent = command;
      code.classList.toggle("drawn", drawn.includes(command));
      list.append(code);
    }
    item.append(list);
  }
  $("messages").append(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

const ANALYSIS_ROWS = [
  ["trend", "Trend", (v) => v],
  ["close", "Close", (v) => v.toFixed(2)],
  ["sma_20", "SMA 20", (v) => v.toFixed(2)],
  ["sma_50", "SMA 50", (v) => v.toFixed(2)],
  ["rsi_14", "RSI 14", (v) => v.toFixed(1)],
  ["support_distance_pct", "To support", (v) => `${v.toFixed(2)}% below`],
  ["resistance_distance_pct", "To resistance", (v) => `${v.toFixed(2)}% above`],
  ["patterns", "Patterns", (v) => (v.length ? v.map((p) => p.name ?? p).join(", ") : "none found")],
];

/**
 * Show the analysis card (ANALYZE:<kind>, possibly both kinds in one reply); filled from
 * chart_action's `data.analysis` when the reply carries it.
 * @param {Set<string>} kinds TECHNICAL and/or PATTERNS
 * @param {Record<string, any> | null | undefined} [analysis]
 */
export function showAnalysis(kinds, analysis) {
  const card = $("analysis");
  card.hidden = false;
  card.replaceChildren();
  const title = document.createElement("h2");
  title.textContent = [kinds.has("TECHNICAL") && "Technical analysis", kinds.has("PATTERNS") && "Pattern scan"]
    .filter(Boolean).join(" · ");
  const list = document.createElement("dl");
  for (const [key, label, format] of ANALYSIS_ROWS) {
    const value = analysis?.[key];
    if (value === null || value === undefined) continue;
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = label;
    dd.textContent = format(value);
    list.append(dt, dd);
  }
  card.append(title, list);
}

/** The analysis belongs to one chart: hide it when the chart changes. */
export function hideAnalysis() {
  $("analysis").hidden = true;
}
