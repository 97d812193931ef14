import { test } from "node:test";
import assert from "node:assert/strict";
import { parseCommand, parseCommands } from "../src/commands.js";

test("every verb of the grammar parses, with typed arguments", () => {
  const cases = {
    "LOAD:BRK.B": ["BRK.B"], "LOAD:^GSPC": ["^GSPC"], "LOAD:ES=F": ["ES=F"], "TIMEFRAME:1M": ["1M"],
    "TIMEFRAME:1m": ["1m"], "ANALYZE:TECHNICAL": ["TECHNICAL"], "SUPPORT:238.40": [238.4],
    "RESISTANCE:4512.25": [4512.25], "ENTRY:1.5": [1.5], "TARGET:0.00001234": [0.00001234],
    "STOPLOSS:99": [99], "TRENDLINE:100.00:1700000000:110.50:1700086400": [100, 1700000000, 110.5, 1700086400],
    "FIBONACCI:275.00:221.10": [275, 221.1], "INDICATOR:SMA:50": ["SMA", 50], "INDICATOR:VWAP": ["VWAP"],
    "PATTERN:DOUBLE_TOP:1:2": ["DOUBLE_TOP", 1, 2], "CLEAR:DRAWINGS": ["DRAWINGS"], "CLEAR": ["ALL"],
    "CLEAR:TRENDLINES": ["TRENDLINES"], "CLEAR:LEVELS": ["LEVELS"], "CLEAR:FIBONACCI": ["FIBONACCI"],
    "CLEAR:PATTERNS": ["PATTERNS"], "CLEAR:INDICATOR:RSI": ["INDICATOR", "RSI"], "COMPARE:RIVN": ["RIVN"],
    "COMPARE:^GSPC": ["^GSPC"], "RANGE:1700000000:1710000000": [1700000000, 1710000000], "ZOOM:IN": ["IN"],
    "ZOOM:OUT": ["OUT"], "ZOOM:FIT": ["FIT"],
  };
  for (const [line, args] of Object.entries(cases)) {
    const command = parseCommand(line);
    assert.deepEqual(command, { verb: line.split(":")[0], args, raw: line }, line);
  }
});

test("like the server's parser: verbs are case-insensitive, arguments trimmed, symbols upper-cased", () => {
  assert.deepEqual(parseCommand("support: 238.40 ").args, [238.4]);
  assert.deepEqual(parseCommand("load:tsla"), { verb: "LOAD", args: ["TSLA"], raw: "load:tsla" });
});

test("unknown verbs and bad arguments are ignored", () => {
  for (const line of ["", "HELLO:WORLD", "SUPPORT", "SUPPORT:abc", "SUPPORT:-1", "SUPPORT:0", "SUPPORT:1e3",
    "SUPPORT:1,000", "SUPPORT:1:2", "TIMEFRAME:2D", "TIMEFRAME:1d", "INDICATOR:FOO", "INDICATOR:SMA:0",
    "INDICATOR:SMA:501", "CLEAR:EVERYTHING", "LOAD:", "LOAD:$TSLA", "TRENDLINE:1:2:3", "TRENDLINE:1:2.5:3:4",
    "PATTERN:x:1:2", "toString:1", "__proto__:1", "constructor", null, undefined, 42, {},
    // the newer verbs, malformed
    "CLEAR:INDICATOR", "CLEAR:INDICATOR:FOO", "CLEAR:LEVELS:RSI", "CLEAR:trendlines", "COMPARE:", "COMPARE:$X",
    "COMPARE:A:B", "RANGE:5", "RANGE:5:5", "RANGE:9:5", "RANGE:1.5:9", "ZOOM", "ZOOM:in", "ZOOM:LEFT", "ZOOM:IN:2"]) {
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

test("agent text may decorate command lines as markdown", () => {
  const text = "Levels:\n- SUPPORT:1.00\n* `RESISTANCE:2.00`\n1. **ENTRY:1.50**\n```\nTARGET:3\n```\n> STOPLOSS:0.5";
  assert.deepEqual(parseCommands(text).map((c) => c.args[0]), [1, 2, 1.5, 3, 0.5]);
  assert.deepEqual(parseCommands("Note: SUPPORT is near 5\nsupport 5"), []); // prose is not a command
});

test("never throws on garbage", () => {
  for (const junk of [null, undefined, 0, {}, [], [null, 5, {}], { chart_commands: "x" }, Symbol("s"),
    { get chart_commands() { throw new Error("boom"); } }, new Proxy({}, { get() { throw new Error("x"); } }),
    "\u0000".repeat(10_000), ":".repeat(5000), { text: 5 }, { structuredContent: null }]) {
    assert.doesNotThrow(() => parseCommands(junk));
    assert.ok(Array.isArray(parseCommands(junk)));
  }
});

test("a parser that predates a verb ignores it: only the verbs it knows are read", () => {
  const text = "SUPPORT:1\nSQUIGGLE:1:2\nZOOM:IN\nCOMPARE:QQQ\nANNOTATE:hello:1";
  assert.deepEqual(parseCommands(text).map((c) => c.raw), ["SUPPORT:1", "ZOOM:IN", "COMPARE:QQQ"]);
});
