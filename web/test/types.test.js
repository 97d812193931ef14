// The type test: `tsc --noEmit` over test/types/consumer.ts, a page written against the kit's
// shipped declarations with deliberate mistakes marked `@ts-expect-error`. It passes only when
// every planted mistake is an error; and with the markers removed, tsc must report an error on
// exactly the planted lines — so no mistake slips through while another line's error hides it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const WEB = dirname(dirname(fileURLToPath(import.meta.url)));
const TYPES = join(WEB, "test", "types");
const TSC = join(WEB, "node_modules", "typescript", "bin", "tsc");
const MARK = "// @ts-expect-error";

const tsc = (project) => spawnSync("node", [TSC, "-p", project], { cwd: TYPES, encoding: "utf8" });

test("the consumer compiles: every planted mistake is caught", { timeout: 120_000 }, () => {
  const result = tsc("tsconfig.json");
  assert.equal(result.status, 0, result.stdout + result.stderr);
});

test("without the markers, tsc reports exactly the planted lines", { timeout: 120_000 }, () => {
  const source = readFileSync(join(TYPES, "consumer.ts"), "utf8").split("\n");
  const planted = source.flatMap((line, i) => (line.trim().startsWith(MARK) ? [i + 2] : [])); // 1-based, the line after
  assert.ok(planted.length >= 12, `${planted.length} planted mistakes`);
  const probe = join(TYPES, "probe.ts");
  const config = join(TYPES, "probe.json");
  try {
    writeFileSync(probe, source.map((line) => (line.trim().startsWith(MARK) ? "// (planted)" : line)).join("\n"));
    const base = JSON.parse(readFileSync(join(TYPES, "tsconfig.json"), "utf8"));
    writeFileSync(config, JSON.stringify({ ...base, files: ["probe.ts"] }));
    const { stdout } = tsc("probe.json");
    const errors = [...stdout.matchAll(/^probe\.ts\((\d+),\d+\): error/gm)].map((m) => Number(m[1]));
    assert.deepEqual([...new Set(errors)], planted, stdout);
  } finally {
    rmSync(probe, { force: true });
    rmSync(config, { force: true });
  }
});
