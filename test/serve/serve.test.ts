/**
 * `keel serve`'s routes over real HTTP on loopback: the Open Inference Protocol v2 (the spec's
 * request/response examples as a fixture), MLflow's four JSON input shapes and CSV, every error path
 * a 4xx in its protocol's shape, and predictions equal to `keel predict` on the same rows, bit for bit.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoPipeline, cellValue, gbdtClassifier, gbdtRegressor, logistic, readTable, saveModel } from "../../src/index.js";
import { type RunningServe, startServe } from "../../src/serve/index.js";
import { fixture, keel } from "../cli/run-cli.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyJson = (x: unknown): any => x;

const here = path.dirname(new URL(import.meta.url).pathname);
const oip = JSON.parse(readFileSync(path.join(here, "../fixtures/serve/oip-v2-examples.json"), "utf8"));

let dir: string;
let server: RunningServe;
let rowsCsv: string;
let columns: string[];
let rows: unknown[][];
let records: Record<string, unknown>[];
let cli: { prediction: string; proba_bad: number; proba_good: number }[];

const expected = () => cli.map((c) => ({ prediction: c.prediction, proba_bad: c.proba_bad, proba_good: c.proba_good }));
const post = (p: string, body: unknown, type = "application/json", headers: Record<string, string> = {}) =>
  fetch(server.url + p, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": type, ...headers } });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-serve-"));
  const data = await readTable(fixture("credit-300.csv"));
  const clf = await autoPipeline(gbdtClassifier({ maxIter: 30 })).fit(data, { target: "Status", threads: 1 });
  saveModel(clf, path.join(dir, "credit"));
  const reg = await autoPipeline(gbdtRegressor({ maxIter: 10 })).fit(data.drop(["Status"]), { target: "Amount", threads: 1 });
  saveModel(reg, path.join(dir, "amount"));
  // numbers only, no preprocessing: this model takes no missing values
  const numeric = data.select(["Seniority", "Age", "Amount", "Status"]);
  const strict = await logistic({}).fit(numeric, { target: "Status" });
  saveModel(strict, path.join(dir, "strict"));

  const n = 20;
  columns = data.names.filter((c) => c !== "Status");
  rows = [];
  for (let i = 0; i < n; i++) rows.push(columns.map((c) => cellValue(data.column(c), i)));
  records = rows.map((r) => Object.fromEntries(columns.map((c, j) => [c, r[j]])));
  const lines = readFileSync(fixture("credit-300.csv"), "utf8").trim().split("\n");
  rowsCsv = [lines[0], ...lines.slice(1, n + 1)].join("\n") + "\n";
  writeFileSync(path.join(dir, "rows.csv"), rowsCsv);
  const r = keel(["predict", path.join(dir, "credit"), path.join(dir, "rows.csv")]);
  expect(r.code, r.stderr).toBe(0);
  const out = r.stdout.trim().split("\n");
  expect(out[0]).toBe("prediction,proba_bad,proba_good");
  cli = out.slice(1).map((l) => {
    const [p, a, b] = l.split(",");
    return { prediction: p, proba_bad: Number(a), proba_good: Number(b) };
  });
  server = await startServe({ models: [{ ref: path.join(dir, "credit") }, { ref: path.join(dir, "amount") }, { ref: path.join(dir, "strict") }], port: 0, predictionLog: false });
}, 120_000);
afterAll(async () => server?.close());

describe("Open Inference Protocol v2", () => {
  it("health, server and model metadata, model ready", async () => {
    const live = await fetch(`${server.url}/v2/health/live`);
    expect(live.status).toBe(200);
    expect((await fetch(`${server.url}/v2/health/ready`)).status).toBe(200);
    const meta = await (await fetch(`${server.url}/v2`)).json().then(anyJson);
    expect(Object.keys(meta).sort()).toEqual([...oip.server_metadata_keys].sort());
    expect(meta.name).toBe("keel");
    const m = await (await fetch(`${server.url}/v2/models/credit`)).json().then(anyJson);
    expect(Object.keys(m).sort()).toEqual([...oip.model_metadata_keys].sort());
    expect(m.inputs.map((i: { name: string }) => i.name)).toEqual(columns);
    for (const t of [...m.inputs, ...m.outputs]) for (const k of oip.tensor_metadata_keys) expect(t).toHaveProperty(k);
    expect(m.inputs.find((i: { name: string }) => i.name === "Home").datatype).toBe("BYTES");
    expect(m.inputs.find((i: { name: string }) => i.name === "Age").datatype).toBe("FP64");
    expect(m.outputs).toEqual([
      { name: "prediction", datatype: "BYTES", shape: [-1] },
      { name: "proba_bad", datatype: "FP64", shape: [-1] },
      { name: "proba_good", datatype: "FP64", shape: [-1] },
    ]);
    const v = m.versions[0];
    expect((await fetch(`${server.url}/v2/models/credit/versions/${v}`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/v2/models/credit/ready`)).json().then(anyJson)).toEqual({ name: "credit", ready: true });
    expect((await fetch(`${server.url}/v2/models/credit/versions/${v}/ready`)).status).toBe(200);
    const reg = await (await fetch(`${server.url}/v2/models/amount`)).json().then(anyJson);
    expect(reg.outputs).toEqual([{ name: "prediction", datatype: "FP64", shape: [-1] }]);
  });

  it("infer: the spec's example shape, the id echoed, the requested outputs only, the same numbers as keel predict", async () => {
    const res = await post("/v2/models/credit/infer", oip.infer_request);
    expect(res.status).toBe(200);
    const body = await res.json().then(anyJson);
    expect(res.headers.get("x-keel-model-version")).toBe(body.model_version);
    expect(body.model_name).toBe(oip.infer_response.model_name);
    expect(body.id).toBe(oip.infer_response.id);
    expect(body.outputs.map((o: { name: string; shape: number[]; datatype: string }) => ({ name: o.name, shape: o.shape, datatype: o.datatype }))).toEqual(oip.infer_response.outputs);
    expect(body.outputs[0].data).toEqual(cli.slice(0, 2).map((c) => c.prediction));
    expect(body.outputs[1].data).toEqual(cli.slice(0, 2).map((c) => c.proba_bad));
    // every row, one tensor per column, all outputs
    const inputs = columns.map((c, j) => ({ name: c, shape: [rows.length], datatype: typeof rows[0][j] === "number" ? "FP64" : "BYTES", data: rows.map((r) => r[j]) }));
    const all = await (await post("/v2/models/credit/infer", { inputs })).json().then(anyJson);
    expect(all.id).toBeUndefined();
    expect(all.outputs.map((o: { name: string }) => o.name)).toEqual(["prediction", "proba_bad", "proba_good"]);
    expect(all.outputs[0].data).toEqual(cli.map((c) => c.prediction));
    expect(all.outputs[1].data).toEqual(cli.map((c) => c.proba_bad));
    expect(all.outputs[2].data).toEqual(cli.map((c) => c.proba_good));
  });

  it("errors are {error} with 400 / 404, naming what is wrong", async () => {
    const inputs = (override: Record<string, unknown>) => oip.infer_request.inputs.map((t: { name: string }) => ({ ...t, ...(override[t.name] as object) }));
    const cases: [string, unknown, number, RegExp][] = [
      ["/v2/models/nope/infer", oip.infer_request, 404, /no model named "nope"/],
      ["/v2/models/credit/versions/999/infer", oip.infer_request, 404, /no version "999"/],
      ["/v2/models/credit/infer", { inputs: oip.infer_request.inputs.filter((t: { name: string }) => t.name !== "Age") }, 400, /missing column "Age"/],
      ["/v2/models/credit/infer", { inputs: inputs({ Age: { data: [30, "old"], shape: [2] } }) }, 400, /column "Age" row 1: "old" is a string/],
      ["/v2/models/credit/infer", { inputs: inputs({ Age: { datatype: "BYTES" } }) }, 400, /input "Age": datatype BYTES does not fit/],
      ["/v2/models/credit/infer", { inputs: inputs({ Age: { datatype: "FP128" } }) }, 400, /datatype "FP128" is not one of/],
      ["/v2/models/credit/infer", { inputs: inputs({ Debt: { shape: [3] } }) }, 400, /shape \[3\] says 3 values, data holds 2/],
      ["/v2/models/credit/infer", { inputs: inputs({ Debt: { shape: [2, 2] } }) }, 400, /is not a column/],
      ["/v2/models/credit/infer", { inputs: inputs({ Debt: { shape: [1], data: [0] } }) }, 400, /has 1 rows, other inputs 2/],
      ["/v2/models/credit/infer", { ...oip.infer_request, outputs: [{ name: "proba_maybe" }] }, 400, /output "proba_maybe" is not one of/],
      ["/v2/models/credit/infer", { ...oip.infer_request, id: 42 }, 400, /"id" must be a string/],
      ["/v2/models/credit/infer", { instances: [] }, 400, /"inputs" must be an array/],
      ["/v2/models/credit/infer", "{not json", 400, /not valid JSON/],
      ["/v2/models/credit/infer", [1, 2], 400, /must be a JSON object/],
    ];
    for (const [url, body, status, message] of cases) {
      const res = await post(url, body);
      const text = await res.text();
      expect(res.status, `${url} ${text}`).toBe(status);
      const json = JSON.parse(text);
      expect(Object.keys(json), text).toEqual(oip.error_response_keys);
      expect(json.error, text).toMatch(message);
    }
    const unknown = await fetch(`${server.url}/v2/models/nope`);
    expect(unknown.status).toBe(404);
    expect(Object.keys(await unknown.json().then(anyJson))).toEqual(["error"]);
    expect((await fetch(`${server.url}/v2/models/nope/ready`)).status).toBe(404);
  });

  it("extra inputs are ignored; unseen categories are predicted as at training", async () => {
    const extra = { ...oip.infer_request, inputs: [...oip.infer_request.inputs, { name: "Comment", shape: [2], datatype: "BYTES", data: ["a", "b"] }] };
    const a = await (await post("/v2/models/credit/infer", extra)).json().then(anyJson);
    const b = await (await post("/v2/models/credit/infer", oip.infer_request)).json().then(anyJson);
    expect(a.outputs).toEqual(b.outputs);
    const unseen = { inputs: oip.infer_request.inputs.map((t: { name: string; data: unknown[] }) => (t.name === "Home" ? { ...t, data: ["castle", "rent"] } : t)) };
    const res = await post("/v2/models/credit/infer", unseen);
    expect(res.status).toBe(200);
  });
});

describe("MLflow scoring API", () => {
  it("the four JSON shapes and CSV answer the same as keel predict, bit for bit", async () => {
    const bodies: [string, unknown, string][] = [
      ["dataframe_split", { dataframe_split: { columns, data: rows } }, "application/json"],
      ["dataframe_split with index", { dataframe_split: { index: rows.map((_, i) => i), columns, data: rows } }, "application/json; charset=utf-8"],
      ["dataframe_records", { dataframe_records: records }, "application/json"],
      ["instances (records)", { instances: records }, "application/json"],
      ["inputs (columns)", { inputs: Object.fromEntries(columns.map((c, j) => [c, rows.map((r) => r[j])])) }, "application/json"],
      ["inputs (rows in signature order)", { inputs: rows }, "application/json"],
      ["csv", rowsCsv, "text/csv"],
    ];
    for (const [what, body, type] of bodies) {
      const res = await post("/invocations", body, type);
      const text = await res.text();
      expect(res.status, `${what}: ${text}`).toBe(200);
      expect(JSON.parse(text).predictions, what).toEqual(expected());
      expect(res.headers.get("x-keel-model-version")).toMatch(/^[0-9a-f]{12}$/);
    }
  });

  it("regressors answer plain numbers", async () => {
    const res = await post("/v2/models/amount/infer", { inputs: columns.filter((c) => c !== "Amount").map((c) => ({ name: c, shape: [2], datatype: typeof rows[0][columns.indexOf(c)] === "number" ? "FP64" : "BYTES", data: rows.slice(0, 2).map((r) => r[columns.indexOf(c)]) })) });
    const body = await res.json().then(anyJson);
    expect(body.outputs).toHaveLength(1);
    expect(body.outputs[0].datatype).toBe("FP64");
    expect(body.outputs[0].data.every((x: unknown) => typeof x === "number")).toBe(true);
  });

  it("errors: 415 for another content type, 400 with MLflow's shape naming column and row", async () => {
    const bad = (i: number, patch: Record<string, unknown>) => records.map((r, k) => (k === i ? { ...r, ...patch } : r));
    const missing = records.map(({ Income: _, ...r }) => r);
    const cases: [unknown, string, number, RegExp][] = [
      [{ dataframe_records: records }, "text/plain", 415, /content type "text\/plain" is not supported/],
      [{ dataframe_records: missing }, "application/json", 400, /missing column "Income"/],
      [{ dataframe_records: bad(3, { Age: "thirty" }) }, "application/json", 400, /column "Age" row 3: "thirty" is a string; the model expects a number/],
      [{ dataframe_records: bad(2, { Home: { a: 1 } }) }, "application/json", 400, /column "Home" row 2: .* is an object/],
      [{ dataframe_records: records, instances: records }, "application/json", 400, /exactly one of the fields/],
      [{ data: rows }, "application/json", 400, /exactly one of the fields .* none/],
      [{ dataframe_split: { columns, data: [rows[0].slice(1)] } }, "application/json", 400, /dataframe_split.data\[0\] must be an array of 13 values/],
      [{ dataframe_split: { columns: [1, 2], data: [] } }, "application/json", 400, /columns must be an array of column names/],
      [{ dataframe_records: [1] }, "application/json", 400, /dataframe_records\[0\] must be a record/],
      ["", "application/json", 400, /body is empty/],
      ["Seniority,Home\n1,rent\n", "text/csv", 400, /missing columns "Time", "Age"/],
      [rowsCsv.replace(/\n("\w+"),(\d+),/, "\n$1,abc,"), "text/csv", 400, /column "Seniority" row 0: "abc" is a string/],
      ['Seniority,"Home\n1,2\n', "text/csv", 400, /never closed/],
    ];
    for (const [body, type, status, message] of cases) {
      const res = await post("/invocations", body, type);
      const text = await res.text();
      expect(res.status, text).toBe(status);
      const json = JSON.parse(text);
      expect(Object.keys(json).sort(), text).toEqual(["error_code", "message"]);
      expect(json.error_code).toBe("BAD_REQUEST");
      expect(json.message, text).toMatch(message);
    }
  });

  it("a model that takes no missing values: missing and non-finite values are 400s naming column and row", async () => {
    const ok = await post("/v2/models/strict/infer", { inputs: [{ name: "Seniority", shape: [2], datatype: "FP64", data: [1, 2] }, { name: "Age", shape: [2], datatype: "FP64", data: [30, 40] }, { name: "Amount", shape: [2], datatype: "FP64", data: [100, 200] }] });
    expect(ok.status).toBe(200);
    const nulls = await post("/v2/models/strict/infer", { inputs: [{ name: "Seniority", shape: [2], datatype: "FP64", data: [1, 2] }, { name: "Age", shape: [2], datatype: "FP64", data: [30, null] }, { name: "Amount", shape: [2], datatype: "FP64", data: [100, 200] }] });
    expect(nulls.status).toBe(400);
    expect((await nulls.json().then(anyJson)).error).toMatch(/column "Age" row 1: the value is missing, and the model takes no missing values/);
    // 1e400 is valid JSON and parses to Infinity (JSON.stringify would write null: send the text)
    const inf = await post("/v2/models/strict/infer", '{"inputs": [{"name": "Seniority", "shape": [1], "datatype": "FP64", "data": [1]}, {"name": "Age", "shape": [1], "datatype": "FP64", "data": [30]}, {"name": "Amount", "shape": [1], "datatype": "FP64", "data": [1e400]}]}');
    expect(inf.status).toBe(400);
    expect((await inf.json().then(anyJson)).error).toMatch(/column "Amount" row 0: Infinity is not a finite number/);
    // the credit pipeline imputes: a missing value is fine there
    const imputed = await post("/invocations", { dataframe_records: [{ ...records[0], Income: null }] });
    expect(imputed.status).toBe(200);
  });

  it("ping, health, version", async () => {
    for (const p of ["/ping", "/health"]) expect((await fetch(server.url + p)).status).toBe(200);
    const v = await fetch(`${server.url}/version`);
    expect(await v.text()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("requests", () => {
  it("X-Request-Id is echoed when sent, generated when not", async () => {
    const a = await post("/invocations", { dataframe_records: records.slice(0, 1) }, "application/json", { "x-request-id": "req-abc-1" });
    expect(a.headers.get("x-request-id")).toBe("req-abc-1");
    const b = await post("/invocations", { dataframe_records: records.slice(0, 1) });
    const c = await post("/invocations", { dataframe_records: records.slice(0, 1) });
    expect(b.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers.get("x-request-id")).not.toBe(c.headers.get("x-request-id"));
    const rejected = await post("/invocations", { dataframe_records: [{}] });
    expect(rejected.status).toBe(400);
    expect(rejected.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("/metrics: requests by model, version, protocol and status; latency; rows; predicted classes", async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    const version = (await (await fetch(`${server.url}/v2/models/credit`)).json().then(anyJson)).versions[0];
    const count = (re: RegExp) => text.split("\n").filter((l) => re.test(l)).reduce((s, l) => s + Number(l.split(" ").pop()), 0);
    expect(count(new RegExp(`^keel_serve_requests_total\\{model="credit",version="${version}",protocol="mlflow",status="200"\\}`))).toBeGreaterThanOrEqual(7);
    expect(count(/^keel_serve_requests_total\{model="credit",.*status="400"\}/)).toBeGreaterThan(5);
    expect(count(/^keel_serve_requests_total\{model="credit",.*status="415"\}/)).toBeGreaterThanOrEqual(1);
    expect(count(/^keel_serve_requests_total\{model="unknown",.*status="404"\}/)).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/keel_serve_request_duration_seconds_bucket\{le="0.005",model="credit"/);
    expect(text).toMatch(/keel_serve_requests_in_flight 0/);
    expect(count(/^keel_serve_rows_per_request_count\{model="credit"\}/)).toBeGreaterThan(5);
    expect(count(/^keel_serve_predictions_total\{model="credit",.*class="(good|bad)"\}/)).toBeGreaterThan(100);
    expect(count(/^keel_serve_prediction_value_count\{model="amount"/)).toBeGreaterThanOrEqual(2);
    // no per-request label values
    expect(text).not.toMatch(/req-abc-1/);
  });

  it("several models by name; /invocations answers for --default", async () => {
    const s = await startServe({ models: [{ ref: path.join(dir, "strict") }, { ref: path.join(dir, "credit"), name: "scoring" }], defaultModel: "scoring", port: 0, predictionLog: false });
    try {
      const a = await fetch(`${s.url}/invocations`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ dataframe_records: records.slice(0, 2) }) });
      expect((await a.json().then(anyJson)).predictions).toEqual(expected().slice(0, 2));
      expect((await fetch(`${s.url}/v2/models/scoring`)).status).toBe(200);
      expect((await fetch(`${s.url}/v2/models/credit`)).status).toBe(404);
      await expect(startServe({ models: [{ ref: path.join(dir, "credit") }, { ref: path.join(dir, "credit") }], port: 0, predictionLog: false })).rejects.toThrow(/two models are named "credit"/);
      await expect(startServe({ models: [{ ref: path.join(dir, "credit") }], defaultModel: "other", port: 0, predictionLog: false })).rejects.toThrow(/no model named "other"/);
    } finally {
      await s.close();
    }
  });
});
