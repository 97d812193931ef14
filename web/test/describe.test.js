import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCommand } from "../src/commands.js";
import { describeCommand, formatTime, formatTimeRange, patternName } from "../src/describe.js";

const MAR_3_2025 = 1740960000; // 00:00 UTC
const JUN_2_2025 = 1748822400;

test("every verb reads as words, times as dates and prices as written", () => {
  const cases = {
    "LOAD:NVDA": "Load NVDA", "TIMEFRAME:1W": "Timeframe 1W", "ANALYZE:TECHNICAL": "Technical analysis",
    "ANALYZE:PATTERNS": "Pattern scan", "SUPPORT:238.40": "Support 238.40", "RESISTANCE:262.90": "Resistance 262.90",
    "ENTRY:240.00": "Entry 240.00", "TARGET:275": "Target 275", "STOPLOSS:229.10": "Stop 229.10",
    [`TRENDLINE:221.10:${MAR_3_2025}:238.40:${JUN_2_2025}`]: "Trendline 221.10 (3 Mar 2025) → 238.40 (2 Jun 2025)",
    "FIBONACCI:275.00:221.10": "Fibonacci 275.00 – 221.10", "INDICATOR:SMA:50": "SMA 50", "INDICATOR:BBANDS": "Bollinger bands",
    [`PATTERN:DOUBLE_TOP:${MAR_3_2025}:${JUN_2_2025}`]: "Double top, 3 Mar – 2 Jun 2025", "CLEAR": "Clear everything",
    "CLEAR:TRENDLINES": "Remove trendlines", "CLEAR:INDICATOR:RSI": "Remove RSI", "COMPARE:RIVN": "Compare with RIVN (% change)",
    [`RANGE:${MAR_3_2025}:${JUN_2_2025}`]: "Show 3 Mar – 2 Jun 2025", "ZOOM:IN": "Zoom in", "ZOOM:FIT": "Fit all bars",
  };
  for (const [line, words] of Object.entries(cases)) assert.equal(describeCommand(parseCommand(line)), words, line);
  for (const words of Object.values(cases)) assert.doesNotMatch(words, /\d{9,}|_/); // no unix times, no raw names
});

test("intraday charts show the time of day (UTC, as the chart's axis)", () => {
  assert.equal(formatTime(MAR_3_2025 + 14.5 * 3600, true), "3 Mar 2025, 14:30");
  assert.equal(formatTime(MAR_3_2025 + 14.5 * 3600), "3 Mar 2025");
  assert.equal(formatTimeRange(JUN_2_2025, MAR_3_2025), "3 Mar – 2 Jun 2025"); // either order
  assert.equal(patternName("INVERSE_HEAD_AND_SHOULDERS"), "inverse head and shoulders");
});
