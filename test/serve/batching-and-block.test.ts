/**
 * Micro-batching (concurrent requests predicted in one call, each answered with its own rows, the
 * same numbers as alone) and keel.yaml's `serve:` block (what `keel serve` in a project folder
 * serves; flags override it; a bad block is an error naming the key).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withServeBlock, type ServeFlags } from "../../src/cli/commands/serve.js";
import { autoPipeline, cellValue, gbdtClassifier, logistic, readTable, saveModel } from "../../src/index.js";
import { parseProjectText } from "../../src/project/config.js";
import { type RunningServe, startServe } from "../../src/serve/index.js";
import { fileURLToPath, pathToFileURL } from "node:url";
import { fixture } from "../cli/run-cli.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** tsx by path: the project folder the CLI runs in is outside the repository. */
const TSX = pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyJson = (x: unknown): any => x;

let dir: string;
let columns: string[];
let rows: unknown[][];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-serve-batch-"));
  const data = await readTable(fixture("credit-300.csv"));
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 20 })).fit(data, { target: "Status", threads: 1 }), path.join(dir, "credit"));
  saveModel(await autoPipeline(logistic({})).fit(data, { target: "Status" }), path.join(dir, "linear"));
  columns = data.names.filter((c) => c !== "Status");
  rows = [];
  for (let i = 0; i < 40; i++) rows.push(columns.map((c) => cellValue(data.column(c), i)));
}, 120_000);

const post = (url: string, data: unknown[][]) => fetch(url + "/invocations", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ dataframe_split: { columns, data } }) });

describe("micro-batching", () => {
  let plain: RunningServe | undefined;
  let batched: RunningServe | undefined;
  afterAll(async () => {
    await plain?.close();
    await batched?.close();
  });

  for (const model of ["credit", "linear"]) {
    it(`${model}: concurrent requests are predicted together and answered with their own rows, as predicted alone`, async () => {
      await plain?.close();
      await batched?.close();
      plain = await startServe({ models: [{ ref: path.join(dir, model), name: model }], port: 0, predictionLog: false, watch: false });
      batched = await startServe({ models: [{ ref: path.join(dir, model), name: model }], port: 0, predictionLog: false, watch: false, batching: { maxRows: 8, maxWaitMs: 50 } });
      // one-row and three-row requests, all at once
      const requests = rows.map((r, i) => (i % 5 === 4 ? rows.slice(i - 2, i + 1) : [r]));
      const alone = await Promise.all(requests.map((d) => post(plain!.url, d).then((r) => r.json()).then(anyJson)));
      const together = await Promise.all(requests.map((d) => post(batched!.url, d).then((r) => r.json()).then(anyJson)));
      expect(together).toEqual(alone);
      const metrics = await (await fetch(batched.url + "/metrics")).text();
      const batches = Number(new RegExp(`keel_serve_batches_total\\{model="${model}"\\} (\\d+)`).exec(metrics)?.[1]);
      expect(batches).toBeGreaterThan(0);
      expect(batches).toBeLessThan(requests.length);
      // a bad request in a batch fails alone
      const bad = rows.slice(0, 6).map((r, i) => (i === 2 ? r.map((v, j) => (columns[j] === "Age" ? "old" : v)) : r));
      const answers = await Promise.all(bad.map((r) => post(batched!.url, [r])));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 400, 200, 200, 200]);
    });
  }
});

describe("keel.yaml serve: block", () => {
  const flags = (over: Partial<ServeFlags> = {}): ServeFlags => ({ port: "8080", host: "127.0.0.1", name: [], predictionLog: true, logMaxMb: 100, logRetentionDays: 30, canary: [], shadow: [], hotSwap: true, pollMs: 1000, workers: 1, batchWaitMs: 2, ...over });

  it("sets models, canary, shadow, workers, batching and log where no flag was given; flags override it", () => {
    const serve = {
      models: ["models:/credit@champion", { ref: "./models/other", name: "other" }],
      default: "credit",
      port: 9000,
      workers: 2,
      canary: { ref: "models:/credit@challenger", weight: 10 },
      shadow: [{ ref: "models:/credit@candidate", model: "credit" }],
      hot_swap: false,
      batching: { max_rows: 32, max_wait_ms: 1 },
      log: { dir: "logs", retention_days: 7 },
    };
    const project = { dir: "/p", name: "credit", serve };
    const a = withServeBlock([], flags(), () => false, project);
    expect(a.refs).toEqual(["models:/credit@champion", "/p/models/other"]);
    expect(a.flags).toMatchObject({ name: [undefined, "other"], default: "credit", port: "9000", workers: 2, canary: ["models:/credit@challenger=10"], shadow: ["models:/credit@candidate@@credit"], hotSwap: false, batchRows: 32, batchWaitMs: 1, logDir: "/p/logs", logRetentionDays: 7 });
    // flags given on the command line win; model references too
    const b = withServeBlock(["models:/credit/3"], flags({ port: "7000", workers: 1 }), (f) => f === "port" || f === "workers", project);
    expect(b.refs).toEqual(["models:/credit/3"]);
    expect(b.flags).toMatchObject({ port: "7000", workers: 1, batchRows: 32 });
    // no block: the project's registered model at @champion
    expect(withServeBlock([], flags(), () => false, { dir: "/p", name: "credit", serve: null }).refs).toEqual(["models:/credit@champion"]);
    // no project and no reference: a usage error
    expect(() => withServeBlock([], flags(), () => false, null)).toThrow(/give a model reference/);
  });

  it("a bad serve: block is an error naming the key, the value and what was expected", () => {
    const base = "name: credit\nproblem: { task: binary, target: Status }\ndata: { source: credit.csv }\n";
    const cases: [string, RegExp][] = [
      ["serve: { port: 99999 }", /serve\.port.*99999.*an integer ≥ 0 and ≤ 65535/],
      ["serve: { canary: { ref: models:/credit@challenger, weight: 150 } }", /serve\.canary/],
      ["serve: { batching: { max_rows: 0, max_wait_ms: 2 } }", /serve\.batching\.max_rows.*an integer ≥ 1/],
      ["serve: { workerz: 2 }", /workerz/],
    ];
    for (const [block, message] of cases) {
      const r = parseProjectText(base + block + "\n");
      expect(r.config, block).toBeUndefined();
      expect(r.problems.map((p) => p.message).join("\n"), block).toMatch(message);
    }
    const ok = parseProjectText(base + "serve: { models: [models:/credit@champion], batching: { max_rows: 16, max_wait_ms: 2 } }\n");
    expect(ok.problems).toEqual([]);
    expect(ok.config!.serve).toEqual({ models: ["models:/credit@champion"], batching: { max_rows: 16, max_wait_ms: 2 } });
  });

  it("keel serve in a project folder serves what its serve: block names", { timeout: 120_000 }, async () => {
    const project = mkdtempSync(path.join(os.tmpdir(), "keel-serve-project-"));
    writeFileSync(path.join(project, "keel.yaml"), `name: credit\nproblem: { task: binary, target: Status }\ndata: { source: credit.csv }\nserve:\n  models: [{ ref: ${JSON.stringify(path.join(dir, "credit"))}, name: scoring }]\n  port: 0\n  log: { enabled: false }\n`);
    // a flag overrides the block: a bad --port is refused as a usage error
    const r = spawnSync(process.execPath, ["--import", TSX, path.join(root, "src/cli/entry.ts"), "serve", "--json", "--port", "99999"], { cwd: project, env: { ...process.env, KEEL_PROGRESS: "0" }, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/--port "99999"/);
    // no reference given: the block's model, under the block's name, on the block's port (0: any)
    const child = spawn(process.execPath, ["--import", TSX, path.join(root, "src/cli/entry.ts"), "serve", "--json"], { cwd: project, env: { ...process.env, KEEL_PROGRESS: "0" } });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          out += d;
          if (out.includes("\n")) resolve(out.split("\n")[0]);
        });
        child.on("exit", (code) => reject(new Error(`keel serve exited ${code}`)));
      });
      const info = JSON.parse(line);
      expect(info.models).toMatchObject([{ name: "scoring", default: true }]);
      const res = await post(info.url, [rows[0]]);
      expect(res.status).toBe(200);
      const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
