/**
 * The prediction log: answered and rejected requests with their request ids, inputs and outputs,
 * written in batches to JSON lines or a SQL backend's tables (SQLite, and PostgreSQL when
 * KEEL_TEST_POSTGRES is set); feedback joined by request id; what the log could not take counted.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoPipeline, gbdtClassifier, openBackend, readTable, saveModel, type SqlBackend } from "../../src/index.js";
import { Frame } from "../../src/data/frame.js";
import { JsonlWriter, PredictionLog, type PredictionRecord, type PredictionWriter, SqlPredictionWriter, predictionLine, startServe, storedPrediction } from "../../src/serve/index.js";
import { fixture } from "../cli/run-cli.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyJson = (x: unknown): any => x;

let dir: string;
let model: string;
const row = { Seniority: 9, Home: "rent", Time: 60, Age: 30, Marital: "married", Records: "no", Job: "freelance", Expenses: 73, Income: 129, Assets: 0, Debt: 0, Amount: 800, Price: 846 };
const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-serve-log-"));
  const data = await readTable(fixture("credit-300.csv"));
  saveModel(await autoPipeline(gbdtClassifier({ maxIter: 10 })).fit(data, { target: "Status", threads: 1 }), path.join(dir, "credit"));
  model = path.join(dir, "credit");
}, 120_000);

const lines = (folder: string, prefix: string) =>
  readdirSync(folder)
    .filter((f) => f.startsWith(prefix))
    .sort()
    .flatMap((f) => readFileSync(path.join(folder, f), "utf8").trim().split("\n"))
    .map((l) => JSON.parse(l));

/** Records of every kind: each column kind with missing and odd values, quotes, escapes, non-ASCII, a lone surrogate; classifier, regressor, rejection. */
function richRecords(): PredictionRecord[] {
  const inputs = Frame.fromColumns(
    new Map<string, never>([
      ["x", { kind: "numeric", values: Float64Array.of(1.5, NaN, -0, 1e300, Infinity) } as never],
      ["c", { kind: "categorical", codes: Int32Array.of(0, -1, 2, 1, 0), categories: ["a", 'q"uote', "unseen\u2028 \ud800 é"] } as never],
      ["b", { kind: "boolean", values: Uint8Array.of(1, 0, 255, 1, 0) } as never],
      ["t", { kind: "datetime", values: Float64Array.of(0, NaN, 1.7e12, -86400000, 5) } as never],
      ["s", { kind: "text", values: ["x", null, "", "é\n", "z"] } as never],
    ]),
    5,
  );
  const base = { id: "r-1", time: 1765000000123, model: "credit", version: "3", protocol: "mlflow" as const, latencyMs: 0.12345678, error: null, columns: [] };
  const records: PredictionRecord[] = [
    { ...base, role: "live", status: 200, inputs, prediction: { nRows: 5, labels: ["bad", "good"], codes: Int32Array.of(0, 1, 1, -1, 0), values: null, proba: [Float64Array.of(0.7, 0.2, 0.1, NaN, 1), Float64Array.of(0.3, 0.8, 0.9, NaN, 0)], unseen: [] } },
    { ...base, role: "shadow", status: 200, time: 1765000000124, inputs, prediction: { nRows: 5, labels: null, codes: null, values: Float64Array.of(1, -2.5, NaN, Infinity, 3e-310), proba: null, unseen: [] } },
    { ...base, role: "canary", status: 400, protocol: "v2", inputs: null, prediction: null, error: 'column "Age" row 3: "thirty" is a string', columns: ["Age"] },
  ];
  const other = Frame.fromColumns(new Map<string, never>([["y", { kind: "numeric", values: Float64Array.of(2) } as never]]), 1);
  records.push({ ...base, role: "live", status: 200, model: "other", inputs: other, prediction: { nRows: 1, labels: ["x", "y", "z"], codes: Int32Array.of(2), values: null, proba: [Float64Array.of(0.1), Float64Array.of(0.2), Float64Array.of(0.7)], unseen: [] } });
  return records;
}

describe("prediction log", () => {
  it("a JSON line written straight from the record is JSON.stringify of the stored record, byte for byte", () => {
    const records = richRecords();
    // twice over, in turn: what the serialiser keeps from one record to the next (column and class keys, model and version) never leaks into another
    for (const r of [...records, ...records, records[3], records[0]]) expect(predictionLine(r)).toBe(JSON.stringify(storedPrediction(r)));
  });

  it("JSON lines: predictions with id, inputs, outputs, version, latency; rejections with status, reason and columns; feedback by id", async () => {
    const folder = path.join(dir, "jsonl");
    const s = await startServe({ models: [{ ref: model }], port: 0, logDir: folder });
    let okId: string;
    let okBody: { predictions: unknown[] };
    try {
      const ok = await post(`${s.url}/invocations`, { dataframe_records: [row, { ...row, Age: 50, Home: "castle" }] });
      okId = ok.headers.get("x-request-id")!;
      okBody = await ok.json().then(anyJson);
      const { Income: _, ...noIncome } = row;
      expect((await post(`${s.url}/invocations`, { dataframe_records: [noIncome] })).status).toBe(400);
      expect((await post(`${s.url}/v2/models/credit/infer`, { inputs: [{ name: "Age", shape: [1], datatype: "BYTES", data: ["x"] }] })).status).toBe(400);
      const fb = await post(`${s.url}/v2/models/credit/feedback`, { id: okId, label: "bad" });
      expect(await fb.json().then(anyJson)).toEqual({ accepted: 1 });
      expect((await post(`${s.url}/v2/models/credit/feedback`, [{ id: okId }])).status).toBe(400);
      expect((await post(`${s.url}/v2/models/nope/feedback`, { id: okId, label: 1 })).status).toBe(404);
    } finally {
      await s.close();
    }
    const logged = lines(folder, "predictions-");
    expect(logged).toHaveLength(3);
    const [a, b, c] = logged;
    expect(a).toMatchObject({ id: okId!, model: "credit", role: "live", protocol: "mlflow", status: 200, rows: 2, error: null, columns: [] });
    expect(a.version).toMatch(/^[0-9a-f]{12}$/);
    expect(a.latency_ms).toBeGreaterThan(0);
    expect(Date.parse(a.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(a.inputs.Age).toEqual([30, 50]);
    expect(a.inputs.Home).toEqual(["rent", "castle"]);
    const answered = okBody!.predictions as { prediction: string; proba_bad: number; proba_good: number }[];
    expect(a.outputs.prediction).toEqual(answered.map((p) => p.prediction));
    expect(a.outputs.proba_bad).toEqual(answered.map((p) => p.proba_bad));
    expect(b).toMatchObject({ status: 400, inputs: null, outputs: null, columns: ["Income"] });
    expect(b.error).toMatch(/missing column "Income"/);
    expect(c).toMatchObject({ protocol: "v2", status: 400, columns: ["Age"] });
    expect(lines(folder, "feedback-")).toEqual([{ id: okId!, model: "credit", label: "bad", time: expect.any(String) }]);
  });

  it("when the log cannot keep up it drops and counts, and the responses do not wait for it", async () => {
    const folder = path.join(dir, "slow");
    const log = new PredictionLog(new JsonlWriter(folder), { maxQueue: 3, flushMs: 60_000, onDrop: (n) => s.state.metrics.logDropped.inc(n) });
    const s = await startServe({ models: [{ ref: model }], port: 0, predictionLog: log });
    try {
      for (let i = 0; i < 10; i++) expect((await post(`${s.url}/invocations`, { dataframe_records: [row] })).status).toBe(200);
      expect(log.dropped).toBe(7);
      expect(await (await fetch(`${s.url}/metrics`)).text()).toMatch(/^keel_serve_prediction_log_dropped_total 7$/m);
    } finally {
      await s.close();
    }
    expect(lines(folder, "predictions-")).toHaveLength(3);
  });

  it("batches reuse their written chunks: the same few buffers flush after flush, each batch's bytes intact", async () => {
    const seen = new Set<ArrayBufferLike>();
    const written: string[] = [];
    const writer: PredictionWriter = {
      async writeLines(chunks) {
        for (const c of chunks) seen.add(c.buffer);
        await new Promise((r) => setTimeout(r, 1)); // the bytes must stay put until the write settles
        written.push(...chunks.map((c) => c.toString("utf8")));
      },
      writePredictions: async () => {},
      writeFeedback: async () => {},
      close: async () => {},
    };
    const log = new PredictionLog(writer, { flushMs: 60_000 });
    const base = { time: 1765000000123, model: "credit", version: "3", role: "live" as const, protocol: "mlflow" as const, status: 400, latencyMs: 0.5, inputs: null, prediction: null, columns: [] };
    const expected: string[] = [];
    const rich = richRecords();
    for (let batch = 0; batch < 10; batch++) {
      // ~1 MB a batch: several 256 KiB chunks, one line longer than a chunk in the middle, and records of every kind
      for (let i = 0; i < 2000; i++) {
        const r = i % 100 === 7 ? rich[Math.floor(i / 100) % rich.length] : { ...base, id: `b${batch}-${i}`, error: (i === 1000 ? "long é " : "é ").repeat(i === 1000 ? 60_000 : 200) };
        log.push(r);
        expected.push(predictionLine(r));
      }
      await log.flush();
    }
    expect(written.join("").split("\n").slice(0, -1)).toEqual(expected);
    // 10 batches of ~4 chunks each would be ~40 buffers without reuse, plus the one-off long lines
    expect(seen.size).toBeLessThanOrEqual(16);
  });

  it("rotates by size", async () => {
    const folder = path.join(dir, "rotate");
    const log = new PredictionLog(new JsonlWriter(folder, { maxBytes: 2000 }), { flushMs: 1 });
    const s = await startServe({ models: [{ ref: model }], port: 0, predictionLog: log });
    try {
      for (let i = 0; i < 12; i++) {
        await post(`${s.url}/invocations`, { dataframe_records: [row, row] });
        await log.flush();
      }
    } finally {
      await s.close();
    }
    const files = readdirSync(folder).filter((f) => f.startsWith("predictions-"));
    expect(files.length).toBeGreaterThan(2);
    expect(files.some((f) => /\.\d+\.jsonl$/.test(f))).toBe(true);
    expect(lines(folder, "predictions-")).toHaveLength(12);
  });

  const backends: [string, () => string][] = [["SQLite", () => path.join(dir, "log.db")]];
  if (process.env.KEEL_TEST_POSTGRES) backends.push(["PostgreSQL", () => process.env.KEEL_TEST_POSTGRES!]);
  else it.skip("PostgreSQL table (set KEEL_TEST_POSTGRES to run)", () => {});
  for (const [name, uri] of backends) {
    it(`${name}: keel_predictions and keel_feedback tables`, async () => {
      const backend = (await openBackend(uri())) as SqlBackend;
      try {
        const started = Date.now();
        await backend.sql.run("DELETE FROM keel_predictions WHERE model = ?", ["credit-sql"]).catch(() => 0);
        const log = new PredictionLog(await SqlPredictionWriter.open(backend), { flushMs: 5 });
        const s = await startServe({ models: [{ ref: model, name: "credit-sql" }], port: 0, predictionLog: log });
        let id: string;
        try {
          const res = await post(`${s.url}/invocations`, { dataframe_records: [row] });
          id = res.headers.get("x-request-id")!;
          await post(`${s.url}/v2/models/credit-sql/feedback`, { feedback: [{ id, label: "good" }] });
          await post(`${s.url}/invocations`, { dataframe_records: [{ ...row, Age: "old" }] });
        } finally {
          await s.close();
        }
        const rows = await backend.sql.all<Record<string, unknown>>("SELECT request_id, model, status, n_rows, inputs, outputs, error, error_columns, time FROM keel_predictions WHERE model = ? AND time >= ? ORDER BY seq", ["credit-sql", started]);
        expect(rows).toHaveLength(2);
        expect(rows[0]).toMatchObject({ request_id: id!, status: 200, error: null });
        expect(Number(rows[0].n_rows)).toBe(1);
        expect(JSON.parse(rows[0].inputs as string).Age).toEqual([30]);
        expect(JSON.parse(rows[0].outputs as string).prediction).toHaveLength(1);
        expect(Number(rows[1].status)).toBe(400);
        expect(JSON.parse(rows[1].error_columns as string)).toEqual(["Age"]);
        const fb = await backend.sql.all<Record<string, unknown>>("SELECT request_id, label FROM keel_feedback WHERE request_id = ?", [id!]);
        expect(fb).toEqual([{ request_id: id!, label: '"good"' }]);
      } finally {
        await backend.close();
      }
    });
  }
});
