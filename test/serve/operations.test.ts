/**
 * Running `keel serve`: registered versions by `models:/` reference, bearer tokens when bound off
 * loopback (health probes and /metrics stay open), refusing to go off loopback without tokens, and
 * SIGTERM draining the requests in flight before exiting 0.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runProject } from "../../src/pipeline/index.js";
import { startServe } from "../../src/serve/index.js";
import { openTokenStore, startServer } from "../../src/server/index.js";
import { closeTrackingStores } from "../../src/track/index.js";
import { fixture, keel } from "../cli/run-cli.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyJson = (x: unknown): any => x;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
let dir: string;
let db: string;
let modelDir: string;
let records: Record<string, unknown>[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-serve-ops-"));
  copyFileSync(fixture("credit-300.csv"), path.join(dir, "credit.csv"));
  writeFileSync(
    path.join(dir, "keel.yaml"),
    `name: credit
problem: { task: binary, target: Status, positive: bad, metric: roc_auc, guards: [], good_enough: null }
data: { source: credit.csv }
split: { test: 0.25, stratify: true, seed: 3 }
cv: { folds: 3 }
models: [baseline]
`,
  );
  const summary = await runProject({ project: dir, threads: 1 });
  db = path.join(dir, ".keel", "keel.db");
  modelDir = summary.registered!.dir!;
  const [head, ...lines] = readFileSync(fixture("credit-300.csv"), "utf8").trim().split("\n");
  const cols = head.split(",").map((c) => JSON.parse(c) as string);
  records = lines.slice(0, 5).map((l) => {
    const cells = l.split(",");
    const rec: Record<string, unknown> = {};
    cols.forEach((c, j) => {
      if (c === "Status") return;
      const v = cells[j];
      rec[c] = v === "" || v === "NA" ? null : v.startsWith('"') ? JSON.parse(v) : Number(v);
    });
    return rec;
  });
}, 180_000);
afterAll(() => closeTrackingStores());

const json = (url: string, body: unknown, headers: Record<string, string> = {}) => fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

describe("keel serve in operation", () => {
  it("serves a registered version by models:/ reference under its registered name and version", async () => {
    const s = await startServe({ models: [{ ref: "models:/credit@challenger" }], store: db, port: 0, predictionLog: false });
    try {
      const res = await json(`${s.url}/v2/models/credit/infer`, { inputs: Object.keys(records[0]).map((c) => ({ name: c, shape: [1], datatype: typeof records[0][c] === "number" ? "FP64" : "BYTES", data: [records[0][c]] })) });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-keel-model-version")).toBe("1");
      expect((await res.json().then(anyJson)).model_version).toBe("1");
      const byFolder = await startServe({ models: [{ ref: modelDir, name: "credit" }], port: 0, predictionLog: false });
      try {
        const a = await (await json(`${s.url}/invocations`, { dataframe_records: records })).json().then(anyJson);
        const b = await (await json(`${byFolder.url}/invocations`, { dataframe_records: records })).json().then(anyJson);
        expect(a).toEqual(b);
      } finally {
        await byFolder.close();
      }
    } finally {
      await s.close();
    }
    await expect(startServe({ models: [{ ref: "models:/credit@champion" }], store: db, port: 0, predictionLog: false })).rejects.toThrow(/champion/);
  });

  it("with tokens required: prediction and metadata need a valid bearer token; health and /metrics stay open", async () => {
    const tokens = await openTokenStore(path.join(dir, "tokens.db"));
    const { token } = await tokens.create({ role: "read", name: "client" });
    const s = await startServe({ models: [{ ref: modelDir, name: "credit" }], port: 0, requireTokens: true, tokens, predictionLog: false });
    try {
      const body = { dataframe_records: records };
      const none = await json(`${s.url}/invocations`, body);
      expect(none.status).toBe(401);
      expect(await none.json().then(anyJson)).toMatchObject({ error_code: "UNAUTHENTICATED", message: expect.stringMatching(/Bearer/) });
      const bad = await json(`${s.url}/v2/models/credit/infer`, { inputs: [] }, { authorization: "Bearer keel_nope" });
      expect(bad.status).toBe(401);
      expect(Object.keys(await bad.json().then(anyJson))).toEqual(["error"]);
      expect((await fetch(`${s.url}/v2/models/credit`)).status).toBe(401);
      expect((await json(`${s.url}/invocations`, body, { authorization: `Bearer ${token}` })).status).toBe(200);
      for (const p of ["/v2/health/live", "/v2/health/ready", "/ping", "/health", "/metrics"]) expect((await fetch(s.url + p)).status, p).toBe(200);
      // revoked: refused once the short verification cache expires (a new token string is never cached)
      await tokens.revoke("client");
      const other = await tokens.create({ role: "read", name: "other" });
      await tokens.revoke("other");
      expect((await json(`${s.url}/invocations`, body, { authorization: `Bearer ${other.token}` })).status).toBe(401);
    } finally {
      await s.close();
      await tokens.close();
    }
    const m = await startServe({ models: [{ ref: modelDir, name: "credit" }], port: 0, metricsToken: "scrape-me", predictionLog: false });
    try {
      expect((await fetch(`${m.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${m.url}/metrics`, { headers: { authorization: "Bearer scrape-me" } })).status).toBe(200);
    } finally {
      await m.close();
    }
  });

  it("keel server --serve: the data plane's routes beside the control plane's, in one process", async () => {
    const s = await startServer({ store: db, port: 0, serve: [{ ref: "models:/credit@challenger" }] });
    try {
      const res = await json(`${s.url}/invocations`, { dataframe_records: records });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-keel-model-version")).toBe("1");
      expect((await res.json().then(anyJson)).predictions).toHaveLength(records.length);
      expect((await fetch(`${s.url}/v2/health/ready`)).status).toBe(200);
      expect((await fetch(`${s.url}/health`)).status).toBe(200);
      expect((await fetch(`${s.url}/api/2.0/mlflow/registered-models/get?name=credit`)).status).toBe(200);
      expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/keel_serve_requests_total\{model="credit",version="1",protocol="mlflow",status="200"\} 1/);
    } finally {
      await s.close();
    }
  });

  it("refuses to listen beyond loopback when no token exists", () => {
    const r = keel(["serve", modelDir, "--host", "0.0.0.0", "--port", "0", "--store", path.join(dir, "empty-tokens.db")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/without API tokens/);
  });

  it("SIGTERM: finishes the request in flight (its body, prediction and 4 MB answer), ends keep-alive connections, then exits 0", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "src/cli/entry.ts"), "serve", "models:/credit/1", "--store", db, "--port", "0", "--log-dir", path.join(dir, "predictions")], { cwd: root, env: { ...process.env, KEEL_PROGRESS: "0" } });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const url = await listening(child);
      const exit = new Promise<{ code: number | null; at: number }>((resolve) => child.on("exit", (code) => resolve({ code, at: Date.now() })));
      // a keep-alive connection left idle must not hold the drain
      expect(await get(`${url}/ping`, agent)).toBe(200);
      // a large request: 50,000 rows of CSV
      const header = Object.keys(records[0]).join(",");
      const line = Object.values(records[0]).map((v) => (v === null ? "" : String(v))).join(",");
      const body = header + "\n" + `${line}\n`.repeat(50_000);
      const done = new Promise<{ status: number; text: string; at: number }>((resolve, reject) => {
        // "Expect: 100-continue": the server has taken the request (so it is in flight, not refused as
        // arriving after SIGTERM) when it says continue; SIGTERM goes 20 ms after the body is sent,
        // while the server reads it, predicts or writes the answer out
        const req = http.request(`${url}/invocations`, { method: "POST", headers: { "content-type": "text/csv", expect: "100-continue" }, agent }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text, at: Date.now() }));
          res.on("error", reject);
        });
        req.on("error", reject);
        req.on("continue", () => req.end(body, () => setTimeout(() => child.kill("SIGTERM"), 20)));
      });
      const r = await done;
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).predictions).toHaveLength(50_000);
      const e = await exit;
      expect(e.code).toBe(0);
      // not held until the 30 s drain deadline or the keep-alive timeout
      expect(e.at - r.at).toBeLessThan(20_000);
    } finally {
      agent.destroy();
      child.kill("SIGKILL");
    }
  }, 120_000);

  it("close: a connection still writing out an answer is ended once written, never cut short", async () => {
    const s = await startServe({ models: [{ ref: modelDir, name: "credit" }], port: 0, predictionLog: false });
    const sockets: import("node:net").Socket[] = [];
    s.app.server.on("connection", (socket) => sockets.push(socket));
    const header = Object.keys(records[0]).join(",");
    const line = Object.values(records[0]).map((v) => (v === null ? "" : String(v))).join(",");
    const rows = 100_000;
    const closed = { at: 0 };
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.request(`${s.url}/invocations`, { method: "POST", headers: { "content-type": "text/csv" }, agent: false }, (res) => {
        // read nothing until the server is closing, so the answer's tail is still queued on its socket
        res.pause();
        setTimeout(() => {
          expect(sockets.length).toBe(1);
          expect(sockets[0].writableLength).toBeGreaterThan(0);
          void s.close().then(() => (closed.at = Date.now()));
          setTimeout(() => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve(body));
            res.on("error", reject);
            res.resume();
          }, 100);
        }, 200);
      });
      req.on("error", reject);
      req.end(header + "\n" + `${line}\n`.repeat(rows));
    });
    expect(JSON.parse(text).predictions).toHaveLength(rows);
    await s.close();
    expect(closed.at).toBeGreaterThan(0);
  }, 60_000);
});

/** GET a URL with an agent; the status. */
function get(url: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

/** The URL a `keel serve` child prints once it listens. */
function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on("data", (c) => (err += c));
    child.on("exit", (code) => reject(new Error(`keel serve exited ${code}: ${err}`)));
  });
}
