/**
 * `keel serve --workers 2`: two processes behind one port, each writing its own prediction log
 * files, one `/metrics` summing both, and SIGTERM draining the cluster to exit 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { autoPipeline, gbdtClassifier, readTable, saveModel } from "../../src/index.js";
import { fixture } from "../cli/run-cli.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let dir: string;
let model: string;
const row = { Seniority: 9, Home: "rent", Time: 60, Age: 30, Marital: "married", Records: "no", Job: "freelance", Expenses: 73, Income: 129, Assets: 0, Debt: 0, Amount: 800, Price: 846 };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-serve-workers-"));
  model = path.join(dir, "credit");
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 10 })).fit(await readTable(fixture("credit-300.csv")), { target: "Status", threads: 1 }), model);
}, 120_000);

/** One request on its own connection, so the cluster's round robin spreads them. */
function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function listening(child: ChildProcess): Promise<{ url: string; out: () => string }> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+) with 2 workers/.exec(out);
      if (m) resolve({ url: m[1], out: () => out });
    });
    child.stderr!.on("data", (c) => (err += c));
    child.on("exit", (code) => reject(new Error(`keel serve exited ${code}: ${out} ${err}`)));
  });
}

describe("keel serve --workers", () => {
  it("two processes on one port: both answer, /metrics sums them, SIGTERM stops all with 0", async () => {
    const logDir = path.join(dir, "predictions");
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/entry.ts"), "serve", model, "--workers", "2", "--port", "0", "--log-dir", logDir], { cwd: root, env: { ...process.env, KEEL_PROGRESS: "0" } });
    try {
      const { url, out } = await listening(child);
      expect(out()).toMatch(/pids \d+, \d+/);
      const n = 40;
      const body = JSON.stringify({ dataframe_records: [row] });
      const answers = await Promise.all(Array.from({ length: n }, () => post(`${url}/invocations`, body)));
      expect(answers.map((a) => a.status)).toEqual(Array(n).fill(200));
      const metrics = await new Promise<string>((resolve, reject) => http.get(`${url}/metrics`, { agent: false }, (res) => {
        let t = "";
        res.on("data", (c) => (t += c));
        res.on("end", () => resolve(t));
      }).on("error", reject));
      const counted = [...metrics.matchAll(/^keel_serve_requests_total\{[^}]*protocol="mlflow"[^}]*status="200"[^}]*\} (\d+)/gm)].reduce((s, m) => s + Number(m[1]), 0);
      expect(counted).toBe(n);
      // each worker logged what it answered in its own files: both answered
      await new Promise((r) => setTimeout(r, 800));
      const files = readdirSync(logDir).filter((f) => f.startsWith("predictions-"));
      expect(files.map((f) => /-w(\d+)\.jsonl$/.exec(f)?.[1]).sort()).toEqual(["1", "2"]);
      const logged = files.reduce((s, f) => s + readFileSync(path.join(logDir, f), "utf8").trim().split("\n").length, 0);
      expect(logged).toBe(n);
      for (const f of files) expect(readFileSync(path.join(logDir, f), "utf8").trim().split("\n").length).toBeGreaterThan(0);
      const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  }, 120_000);
});
