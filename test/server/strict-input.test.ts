/**
 * Strict request types (issue 12): a field of the wrong JSON type, or a string that cannot be
 * stored as UTF-8, is 400 INVALID_PARAMETER_VALUE naming the field, and nothing is written; what
 * the HTTP layer itself refuses (a bad URL escape, headers over 16 KB, a malformed request line)
 * also answers in MLflow's shape; a KeelError's list of problems reaches the client.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API, type Harness, startHarness } from "./harness.js";

let h: Harness;
let runId: string;
beforeAll(async () => {
  h = await startHarness();
  const exp = await h.call("POST", `${API}/experiments/create`, { name: "strict" });
  const run = await h.call("POST", `${API}/runs/create`, { experiment_id: exp.body.experiment_id });
  runId = run.body.run.info.run_id;
});
afterAll(async () => h.close());

/** Send bytes as they are and read the whole answer (status line, headers, body). */
function rawHttp(text: string): Promise<{ status: number; body: any }> {
  const u = new URL(h.url);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(u.port), u.hostname, () => s.end(text));
    let out = "";
    s.on("data", (d) => (out += d.toString("utf8")));
    s.on("close", () => {
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(out)?.[1] ?? 0);
      const body = out.slice(out.indexOf("\r\n\r\n") + 4);
      try {
        resolve({ status, body: JSON.parse(body) });
      } catch {
        reject(new Error(`not JSON: ${out.slice(0, 300)}`));
      }
    });
    s.on("error", reject);
  });
}

function expectInvalid(r: { status: number; body: any }, field: RegExp): void {
  expect(r.status).toBe(400);
  expect(r.body.error_code).toBe("INVALID_PARAMETER_VALUE");
  expect(r.body.message).toMatch(field);
}

describe("strict request types", () => {
  it("refuses a name that is not a JSON string, and creates nothing", async () => {
    expectInvalid(await h.call("POST", `${API}/experiments/create`, { name: ["a"] }), /parameter "name": \["a"\] is not a string/);
    expectInvalid(await h.call("POST", `${API}/experiments/create`, { name: 123 }), /parameter "name": 123 is not a string/);
    expectInvalid(await h.call("POST", `${API}/experiments/create`, { name: { x: 1 } }), /"name"/);
    expectInvalid(await h.call("POST", `${API}/registered-models/create`, { name: true }), /"name"/);
    const all = await h.call("POST", `${API}/experiments/search`, { max_results: 100 });
    expect(all.body.experiments.map((e: any) => e.name).sort()).toEqual(["Default", "strict"]);
  });

  it("refuses run_id as an array or an object", async () => {
    expectInvalid(await h.call("POST", `${API}/runs/log-parameter`, { run_id: [runId], key: "k", value: "v" }), /"run_id"/);
    expectInvalid(await h.call("POST", `${API}/runs/update`, { run_id: { id: runId }, status: "FINISHED" }), /"run_id"/);
  });

  it("refuses a param or tag value that is a list or an object, in every route that takes one", async () => {
    expectInvalid(await h.call("POST", `${API}/runs/log-parameter`, { run_id: runId, key: "k", value: [1] }), /parameter "value": \[1\] is not a string/);
    expectInvalid(await h.call("POST", `${API}/runs/set-tag`, { run_id: runId, key: "k", value: { a: 1 } }), /"value"/);
    expectInvalid(await h.call("POST", `${API}/runs/log-batch`, { run_id: runId, params: [{ key: "k", value: [1] }] }), /"params\[0\]\.value"/);
    expectInvalid(await h.call("POST", `${API}/runs/log-batch`, { run_id: runId, tags: [{ key: ["k"], value: "v" }] }), /"tags\[0\]\.key"/);
    expectInvalid(await h.call("POST", `${API}/runs/log-batch`, { run_id: runId, metrics: [{ key: "m", value: [1], timestamp: 1 }] }), /"metrics\[0\]\.value"/);
    expectInvalid(await h.call("POST", `${API}/runs/log-batch`, { run_id: runId, metrics: { key: "m" } }), /"metrics"/);
    const run = await h.call("GET", `${API}/runs/get`, { run_id: runId });
    expect(run.body.run.data.params ?? []).toEqual([]);
    expect(run.body.run.data.metrics ?? []).toEqual([]);
  });

  it("keeps MLflow's leniencies: int64 as a decimal string, ids as integers, values as numbers, doubles as NaN", async () => {
    const ok = await h.call("POST", `${API}/runs/log-batch`, {
      run_id: runId,
      metrics: [{ key: "m", value: "NaN", timestamp: "1700000000000", step: "3" }],
      params: [{ key: "p", value: 0.5 }],
      tags: [{ key: "t", value: true }],
    });
    expect(ok.status).toBe(200);
    const exp = await h.call("GET", `${API}/experiments/get`, { experiment_id: 0 });
    expect(exp.status).toBe(200);
    const run = await h.call("GET", `${API}/runs/get`, { run_id: runId });
    expect(run.body.run.data.params).toEqual([{ key: "p", value: "0.5" }]);
    expect(run.body.run.data.metrics).toEqual([{ key: "m", value: "NaN", timestamp: 1_700_000_000_000, step: 3 }]);
  });

  it("refuses a lone UTF-16 surrogate in keys, values and names", async () => {
    const lone = "\ud800";
    expectInvalid(await h.call("POST", `${API}/runs/log-parameter`, { run_id: runId, key: `a${lone}`, value: "v" }), /"key".*surrogate/);
    expectInvalid(await h.call("POST", `${API}/runs/set-tag`, { run_id: runId, key: "k", value: `${lone}x` }), /"value".*surrogate/);
    expectInvalid(await h.call("POST", `${API}/runs/log-batch`, { run_id: runId, metrics: [{ key: `m${lone}`, value: 1, timestamp: 1 }] }), /"metrics\[0\]\.key"/);
    expectInvalid(await h.call("POST", `${API}/runs/log-batch`, { run_id: runId, tags: [{ key: "\udfff", value: "v" }] }), /"tags\[0\]\.key"/);
    expectInvalid(await h.call("POST", `${API}/experiments/create`, { name: `e${lone}` }), /"name"/);
    // a well-formed pair is fine
    expect((await h.call("POST", `${API}/runs/log-parameter`, { run_id: runId, key: "emoji😀", value: "v" })).status).toBe(200);
  });

  it("lists every problem in the error body", async () => {
    const r = await h.call("POST", `${API}/runs/log-batch`, { run_id: runId, metrics: [{ key: 1, value: "x" }], params: [{ key: "", value: "v" }] });
    expect(r.status).toBe(400);
    expect(r.body.keel.problems.map((p: any) => p.path)).toEqual(["metrics[0].key", "metrics[0].value", "params[0].key"]);
    expect(r.body.message).toMatch(/^3 invalid parameters: /);
  });

  it("reads a repeated query parameter as a list for list fields, the first value otherwise", async () => {
    const r = await fetch(`${h.url}${API}/runs/get?run_id=${runId}&run_id=other`);
    expect(r.status).toBe(200);
    const bad = await fetch(`${h.url}${API}/experiments/search?max_results=many`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).message).toMatch(/"max_results" \(query string\): "many" is not an integer/);
  });
});

describe("errors raised by the HTTP layer itself come back in MLflow's shape", () => {
  it("a bad % escape in the path", async () => {
    const r = await rawHttp(`GET ${API}/experiments/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("BAD_REQUEST");
    expect(typeof r.body.message).toBe("string");
  });

  it("headers over 16 KB", async () => {
    const r = await rawHttp(`GET ${API}/experiments/get?experiment_id=0 HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    expect(r.status).toBe(431);
    expect(r.body).toEqual({ error_code: "BAD_REQUEST", message: "request headers are larger than the server's limit of 16 KB" });
  });

  it("a malformed request line", async () => {
    const r = await rawHttp("GARBAGE\r\n\r\n");
    expect(r.status).toBe(400);
    expect(r.body.error_code).toBe("BAD_REQUEST");
  });
});
