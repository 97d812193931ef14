// The kit as users get it: `npm pack` (which generates the declarations), then install the
// tarball into a clean folder outside this repository and use it there — from node by name (the
// `exports` map), and from TypeScript (the `types` the package ships).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const WEB = dirname(dirname(fileURLToPath(import.meta.url)));
const PACKAGE = JSON.parse(readFileSync(join(WEB, "package.json"), "utf8"));
const TSC = join(WEB, "node_modules", "typescript", "bin", "tsc");
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const CONSUMER_JS = `
import { ChartController, parseCommands, describeCommand, syncContext, indicators } from "${PACKAGE.name}";
import { createRequire } from "node:module";
const commands = parseCommands("Levels:\\nSUPPORT:238.40\\nZOOM:IN\\nCOMPARE:RIVN");
const drawn = [];
const candles = { createPriceLine: (o) => (drawn.push(o.title), o), setData() {} };
const chart = { addSeries() {}, timeScale: () => ({ getVisibleLogicalRange: () => null, fitContent() {} }) };
const controller = new ChartController(chart, candles, {});
controller.setBars([{ time: 1, open: 1, high: 2, low: 0.5, close: 1.5 }, { time: 2, open: 1, high: 300, low: 0.5, close: 1.5 }]);
const done = controller.execute(commands.slice(0, 2));
console.log(JSON.stringify({
  verbs: commands.map((c) => c.verb), words: commands.map((c) => describeCommand(c)), drawn, done,
  sync: typeof syncContext, sma: indicators.sma([{ time: 1, close: 2 }, { time: 2, close: 4 }], 2),
  version: createRequire(import.meta.url)("${PACKAGE.name}/package.json").version,
}));
`;

// the type test's page (test/types/consumer.ts), compiled again against the tarball's declarations
const CONSUMER_TS = join(WEB, "test", "types", "consumer.ts");

test("npm pack ships the kit with its declarations, and a clean folder can import it", { timeout: 120_000 }, () => {
  const folder = mkdtempSync(join(tmpdir(), "web-kit-pack-"));
  try {
    const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", folder], WEB));
    const files = packed.files.map((f) => f.path).sort();
    assert.ok(files.includes("src/index.js") && files.includes("types/index.d.ts") && files.includes("README.md"), files.join(" "));
    assert.ok(files.includes("types/execute.d.ts") && files.includes("package.json"));
    assert.deepEqual(files.filter((f) => /^(test|demo|node_modules)\//.test(f) || f.includes("tsconfig")), []);

    const app = join(folder, "app");
    run("mkdir", ["-p", app], folder);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    // offline: the tarball has no runtime dependencies, and the peer (lightweight-charts) is the app's business
    run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--legacy-peer-deps", join(folder, packed.filename)], app);

    writeFileSync(join(app, "consumer.mjs"), CONSUMER_JS);
    const out = JSON.parse(run("node", ["consumer.mjs"], app));
    assert.deepEqual(out.verbs, ["SUPPORT", "ZOOM", "COMPARE"]);
    assert.deepEqual(out.words, ["Support 238.40", "Zoom in", "Compare with RIVN (% change)"]);
    assert.deepEqual(out.drawn, ["Support"]);
    assert.deepEqual(out.done, ["SUPPORT:238.40", "ZOOM:IN"]);
    assert.equal(out.sync, "function");
    assert.deepEqual(out.sma, [{ time: 2, value: 3 }]);
    assert.equal(out.version, PACKAGE.version);

    // the peer the page installs beside the kit; the declarations use its types
    symlinkSync(join(WEB, "node_modules", "lightweight-charts"), join(app, "node_modules", "lightweight-charts"), "dir");
    copyFileSync(CONSUMER_TS, join(app, "consumer.ts"));
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify({
      compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2023", "dom"], strict: true, noEmit: true, types: [] },
      files: ["consumer.ts"],
    }));
    run("node", [TSC, "-p", "tsconfig.json"], app); // throws with tsc's output on a type error
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
