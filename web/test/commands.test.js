import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCommand, parseCommands } from "../src/commands.js";

test("every verb of the grammar parses", () => {
  const lines = [
    "LOAD:BRK.B", "TIMEFRAME:1M", "ANALYZE:TECHNICAL", "SUPPORT:238.40", "RESISTANCE:4512.25",
    "ENTRY:1.5", "TARGET:0.00001234", "STOPLOSS:99", "TRENDLINE:100.00:1700000000:110.50:1700086400",
    "FIBONACCI:275.00:221.10", "INDICATOR:SMA:50", "INDICATOR:VWAP", "PATTERN:DOUBLE_TOP:1:2",
    "CLEAR:DRAWINGS", "CLEAR",
  ];
  const parsed = lines.map(parseCommand);
  assert.ok(parsed.every((c) => c !== null));
  assert.deepEqual(parsed[3].args, [238.4]);
  assert.deepEqual(parsed[8].args, [100, 1700000000, 110.5, 1700086400]);
  assert.deepEqual(parsed[10].args, ["SMA", 50]);
  assert.deepEqual(parsed[14].args, ["ALL"]);
});

test("unknown verbs and bad arguments are ignored", () => {
  for (const line of ["", "HELLO:WORLD", "SUPPORT", "SUPPORT:abc", "SUPPORT:-1", "SUPPORT:1:2",
    "TIMEFRAME:2D", "INDICATOR:FOO", "CLEAR:EVERYTHING", "LOAD:", "TRENDLINE:1:2:3", "PATTERN:x:1:2",
    "support:1", null, undefined, 42]) {
    assert.equal(parseCommand(line), null, String(line));
  }
});

test("commands come from responses, MCP results, arrays and agent text", () => {
  const response = { chart_commands: ["LOAD:TSLA", "SUPPORT:1.00", "NOPE:1"], text: "x" };
  assert.deepEqual(parseCommands(response).map((c) => c.raw), ["LOAD:TSLA", "SUPPORT:1.00"]);
  assert.equal(parseCommands({ structuredContent: response }).length, 2);
  const text = "TSLA 1D: support 238.40.\r\nLOAD:TSLA\nSUPPORT:238.40\n  RESISTANCE:262.90  \nthanks!";
  assert.deepEqual(parseCommands(text).map((c) => c.verb), ["LOAD", "SUPPORT", "RESISTANCE"]);
  assert.equal(parseCommands({ text: "SUPPORT:5" }).length, 1);
});

test("never throws on garbage", () => {
  for (const junk of [null, undefined, 0, {}, [], [null, 5, {}], { chart_commands: "x" }, Symbol("s"),
    { get chart_commands() { throw new Error("boom"); } }]) {
    assert.doesNotThrow(() => parseCommands(junk));
  }
});
