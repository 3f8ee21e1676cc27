/**
 * Monitoring from the serving prediction log: the reference profile `keel run` stored with the
 * version, real traffic through `keel serve` (JSON lines, and the same records in SQLite and
 * PostgreSQL tables), windows, drift and prediction drift, rejections, data quality, and live
 * performance from delayed labels joined by request id.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBackend, type SqlBackend } from "../../src/backend/index.js";
import { Rng } from "../../src/core/rng.js";
import { bootstrapIntervals } from "../../src/evaluate/bootstrap.js";
import { JsonlLogReader, loadModelProfile, logWindows, monitorRecords, monitorWindows, type LoggedPrediction, type ReferenceProfile, SqlLogReader, livePerformance } from "../../src/monitor/index.js";
import { openRegistry } from "../../src/registry/index.js";
import { JsonlWriter, SqlPredictionWriter, type StoredPrediction } from "../../src/serve/index.js";
import { closeTrackingStores, openStore } from "../../src/track/index.js";
import { dropPgSchema, PG_URL, pgSchemaName, pgUri, warnIfNoPostgres } from "../conformance/store/backends.js";
import { championProject, creditRows, type Project, sendTraffic } from "./live.js";

let project: Project;
let profile: ReferenceProfile;
let logDir: string;
const rows = creditRows();
const same = rows.slice(0, 120);
const shifted = rows.slice(120, 240).map((r) => ({ ...r, Income: (r.Income as number) * 3 + 150 }));
const renamed = rows.slice(240, 260).map(({ Income, ...r }) => ({ ...r, Incomes: Income }));
const newCategory = rows.slice(260, 300).map((r, i) => ({ ...r, Home: i % 2 ? "castle" : r.Home }));

beforeAll(async () => {
  project = await championProject();
  const tracking = await openStore(project.store);
  try {
    profile = (await loadModelProfile("models:/credit@champion", { registry: await openRegistry(tracking), tracking })).profile;
  } finally {
    await tracking.backend.close();
  }
  logDir = mkdtempSync(path.join(os.tmpdir(), "keel-monitor-log-"));
  await sendTraffic(project, same, { logDir, prefix: "same" });
  await sendTraffic(project, shifted, { logDir, prefix: "shifted" });
  await sendTraffic(project, renamed, { logDir, prefix: "renamed" });
  await sendTraffic(project, newCategory, { logDir, prefix: "newcat" });
}, 180_000);

afterAll(() => closeTrackingStores());

const byPrefix = (records: LoggedPrediction[], prefix: string) => records.filter((r) => r.id.startsWith(`${prefix}-`));

describe("the reference profile stored with the version", () => {
  it("holds the model's input columns (not the target) over the training rows, and its predictions", () => {
    expect(Object.keys(profile.columns).sort()).toEqual(["Age", "Amount", "Assets", "Debt", "Expenses", "Home", "Income", "Job", "Marital", "Price", "Records", "Seniority", "Time"]);
    expect(profile.rows).toBe(225); // the training rows: 300 less the 25 % test set
    expect(profile.prediction?.kind).toBe("categorical");
    const p = profile.prediction as { categories: Record<string, number> };
    expect(Object.keys(p.categories).sort()).toEqual(["bad", "good"]);
    expect(p.categories.bad + p.categories.good).toBe(225);
  });

  it("a version without one is a NOT_FOUND naming the version; a path is refused", async () => {
    const tracking = await openStore(project.store);
    try {
      const registry = await openRegistry(tracking);
      await expect(loadModelProfile("models:/credit/7", { registry, tracking })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(loadModelProfile("./credit-model", { registry, tracking })).rejects.toThrow(/--model must name a registered version/);
    } finally {
      await tracking.backend.close();
    }
  });
});

describe("monitoring the prediction log", () => {
  it("reads what keel serve wrote: every request with id, version, status, inputs and outputs", async () => {
    const records = await new JsonlLogReader(logDir).predictions({ model: "credit" });
    expect(records).toHaveLength(300);
    expect(byPrefix(records, "same").every((r) => r.status === 200 && r.version === "1" && r.rows === 1)).toBe(true);
    expect(byPrefix(records, "same")[0].inputs!.Income).toEqual([same[0].Income]);
    expect(byPrefix(records, "renamed").every((r) => r.status === 400 && r.columns.includes("Income"))).toBe(true);
    expect(await new JsonlLogReader(logDir).predictions({ model: "other" })).toEqual([]);
    const later = await new JsonlLogReader(logDir).predictions({ model: "credit", since: Date.now() + 1000 });
    expect(later).toEqual([]);
  });

  it("the training data's own rows do not drift; a shifted numeric column does, and so do the predictions", async () => {
    const records = await new JsonlLogReader(logDir).predictions({ model: "credit" });
    const a = monitorRecords(profile, byPrefix(records, "same"), 0, 1);
    expect(a.drift!.current_rows).toBe(120);
    expect(a.drift!.columns.find((c) => c.column === "Income")!.drifted).toBe(false);
    expect(a.drift!.dataset_drift).toBe(false);
    expect(a.serving).toMatchObject({ requests: 120, rows: 120, errors: 0, error_rate: 0 });
    const b = monitorRecords(profile, byPrefix(records, "shifted"), 0, 1);
    const income = b.drift!.columns.find((c) => c.column === "Income")!;
    expect(income.test).toBe("ks");
    expect(income.drifted).toBe(true);
    expect(income.ks!.p_value).toBeLessThan(1e-6);
    expect(b.drift!.columns.filter((c) => c.drifted).map((c) => c.column)).toEqual(["Income"]);
    // prediction drift: chi² of the logged labels against the profile's
    expect(a.prediction_drift!.test).toBe("chi2");
    expect(a.prediction_drift!.current_rows).toBe(120);
  });

  it("rejected requests are grouped by reason and columns; a new category is a data-quality finding", async () => {
    const records = await new JsonlLogReader(logDir).predictions({ model: "credit" });
    const r = monitorRecords(profile, byPrefix(records, "renamed"), 0, 1);
    expect(r.serving).toMatchObject({ requests: 20, errors: 20, rejected: 20, server_errors: 0, error_rate: 1 });
    expect(r.serving.rejections).toHaveLength(1);
    expect(r.serving.rejections[0]).toMatchObject({ status: 400, count: 20 });
    expect(r.serving.rejections[0].columns).toContain("Income");
    expect(r.drift).toBeNull();
    const c = monitorRecords(profile, byPrefix(records, "newcat"), 0, 1);
    const f = c.quality!.findings.find((x) => x.code === "NEW_CATEGORY")!;
    expect(f).toMatchObject({ column: "Home", count: 20 });
    expect(f.examples[0].value).toBe("castle");
  });

  it("windows: records fall into UTC hours or days, oldest first, each window monitored alone", async () => {
    const records = await new JsonlLogReader(logDir).predictions({ model: "credit" });
    const base = Date.UTC(2026, 0, 5, 10, 0, 0);
    const timed = byPrefix(records, "same").map((r, i) => ({ ...r, time: base + (i < 60 ? 0 : 3_600_000) + i * 1000 }));
    const hours = logWindows(timed, "hour");
    expect(hours.map((w) => [new Date(w.start).toISOString(), w.records.length])).toEqual([
      ["2026-01-05T10:00:00.000Z", 60],
      ["2026-01-05T11:00:00.000Z", 60],
    ]);
    expect(logWindows(timed, "day").map((w) => w.records.length)).toEqual([120]);
    const per = monitorWindows(profile, timed, "hour");
    expect(per.map((w) => [w.start, w.end, w.serving.requests])).toEqual([
      ["2026-01-05T10:00:00.000Z", "2026-01-05T11:00:00.000Z", 60],
      ["2026-01-05T11:00:00.000Z", "2026-01-05T12:00:00.000Z", 60],
    ]);
    expect(per[0].drift!.current_rows).toBe(60);
  });

  it("delayed labels join by request id: accuracy, ROC AUC and log loss with bootstrap intervals", async () => {
    const fbDir = mkdtempSync(path.join(os.tmpdir(), "keel-monitor-fb-"));
    const writer = new JsonlWriter(fbDir);
    // labels for the first 100 requests only (one of them twice: the later label wins)
    await writer.writeFeedback(same.slice(0, 100).map((r, i) => ({ id: `same-${i}`, model: "credit", label: i === 0 ? "wrong" : (r.Status as string), time: new Date(Date.now() - 1000).toISOString() })));
    await writer.writeFeedback([{ id: "same-0", model: "credit", label: same[0].Status as string, time: new Date().toISOString() }]);
    const records = byPrefix(await new JsonlLogReader(logDir).predictions({ model: "credit" }), "same");
    const labels = await new JsonlLogReader(fbDir).feedback({ model: "credit" });
    expect(labels.size).toBe(100);
    expect(labels.get("same-0")!.label).toBe(same[0].Status);
    const perf = livePerformance(records, labels, { rounds: 200, seed: 3 });
    expect(perf).toMatchObject({ labelled: 100, unlabelled: 20, multi_row: 0, unusable: 0, task: "classification" });
    // the same numbers, computed here from the logged outputs
    const correct: number[] = records.slice(0, 100).map((r, i) => (r.outputs!.prediction[0] === same[i].Status ? 1 : 0));
    const acc = correct.reduce((s, v) => s + v, 0) / 100;
    expect(perf.metrics.accuracy.estimate).toBeCloseTo(acc, 12);
    const expected = bootstrapIntervals(100, (rs) => ({ accuracy: Array.from(rs).reduce((s, k) => s + correct[k], 0) / rs.length }), { rounds: 200, rng: new Rng(3) });
    expect(perf.metrics.accuracy.low).toBeCloseTo(expected.accuracy.low, 12);
    expect(perf.metrics.accuracy.high).toBeCloseTo(expected.accuracy.high, 12);
    const ll = -records.slice(0, 100).reduce((s, r, i) => s + Math.log(Number(r.outputs![`proba_${same[i].Status}`][0])), 0) / 100;
    expect(perf.metrics.log_loss.estimate).toBeCloseTo(ll, 12);
    expect(perf.metrics.roc_auc.estimate).toBeGreaterThan(0.5);
    expect(perf.metrics.roc_auc.low).toBeLessThanOrEqual(perf.metrics.roc_auc.estimate);
  });
});

describe("the prediction log in SQL tables", () => {
  warnIfNoPostgres();
  const targets = [
    { name: "sqlite", schema: "", uri: () => path.join(mkdtempSync(path.join(os.tmpdir(), "keel-monitor-sql-")), "log.db") },
    ...(PG_URL ? [{ name: "postgres", schema: pgSchemaName(), uri(this: { schema: string }) { return pgUri(this.schema); } }] : []),
  ];
  for (const t of targets) {
    it(`${t.name}: reads the same records and labels as the JSON lines hold`, async () => {
      const backend = (await openBackend(t.uri())) as SqlBackend;
      try {
        const reader = new SqlLogReader(backend);
        expect(await reader.predictions({ model: "credit" })).toEqual([]); // no table yet
        const fromJson = await new JsonlLogReader(logDir).predictions({ model: "credit" });
        const writer = await SqlPredictionWriter.open(backend);
        const stored: StoredPrediction[] = fromJson.map((r) => ({ id: r.id, time: new Date(r.time).toISOString(), model: r.model, version: r.version, role: r.role, protocol: "mlflow", status: r.status, latency_ms: r.latencyMs, rows: r.rows, inputs: r.inputs, outputs: r.outputs, error: r.error, columns: r.columns }));
        await writer.writePredictions(stored);
        await writer.writeFeedback([{ id: "same-1", model: "credit", label: "good", time: new Date().toISOString() }, { id: "same-2", model: "credit", label: 1, time: new Date().toISOString() }]);
        expect(await reader.predictions({ model: "credit" })).toEqual(fromJson);
        const mid = fromJson[150].time;
        expect(await reader.predictions({ model: "credit", since: mid })).toEqual(fromJson.filter((r) => r.time >= mid));
        const labels = await reader.feedback({ model: "credit" });
        expect([...labels.values()].map((f) => [f.id, f.label])).toEqual([["same-1", "good"], ["same-2", 1]]);
      } finally {
        await backend.close();
        if (t.schema) await dropPgSchema(t.schema);
      }
    });
  }
});
