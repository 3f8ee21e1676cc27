/**
 * The monitoring store suite, against every backend in `backends.ts`: per-window results saved and
 * listed by model, version, window size and time, a window computed again replacing the old one,
 * the chart scalars read back from the result, and the migration idempotent. Over HTTP the same
 * cases run through a real `keel server` (its routes and the remote store), plus the server's own
 * refusals: a malformed result is a 400 naming the field, and nothing of the batch is written.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type MonitoringStore, openMonitoringStore, type WindowMonitoring } from "../../../src/monitor/index.js";
import { code, targets, warnIfNoPostgres, type OpenedBackend } from "./backends.js";

warnIfNoPostgres();

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 8);

function window(start: number, opts: { requests?: number; errors?: number; driftShare?: number | null; accuracy?: number } = {}): WindowMonitoring {
  const requests = opts.requests ?? 10;
  const errors = opts.errors ?? 0;
  const drift = opts.driftShare === null ? null : { reference_rows: 100, current_rows: requests - errors, columns: [], skipped: [], number_of_columns: 4, number_of_drifted_columns: Math.round((opts.driftShare ?? 0) * 4), drift_share: opts.driftShare ?? 0, drift_share_threshold: 0.5, dataset_drift: (opts.driftShare ?? 0) >= 0.5 };
  return {
    start: new Date(start).toISOString(),
    end: new Date(start + H).toISOString(),
    serving: { requests, rows: requests - errors, errors, error_rate: errors / requests, rejected: errors, server_errors: 0, rejections: [], latency_ms: { p50: 2, p95: 5.5, p99: 9, max: 12 } },
    drift,
    prediction_drift: null,
    quality: drift ? { rows: requests - errors, columns: [], findings: [], schema: { ok: true, source: "reference", failed: [] } } : null,
    performance: opts.accuracy === undefined ? null : { labelled: 5, unlabelled: 0, multi_row: 0, unusable: 0, task: "classification", metrics: { accuracy: { estimate: opts.accuracy, low: 0.5, high: 0.9, level: 0.95, rounds: 100, method: "percentile", redrawn: 0 } } },
  };
}

describe.each(targets)("monitoring store: $name", (target) => {
  let o: OpenedBackend;
  let store: MonitoringStore;
  beforeEach(async () => {
    if (!target.available) return;
    o = await target.open();
    store = await openMonitoringStore(o.backend);
  });
  afterEach(async () => {
    if (!o) return;
    await store.close();
    await o.cleanup();
  });

  describe.skipIf(!target.available)("windows", () => {
    it("opens again over the same backend (the migration is idempotent)", async () => {
      await (await openMonitoringStore(o.backend)).close();
      expect(await store.listWindows({ model: "credit" })).toEqual([]);
    });

    it("saves windows and lists them oldest first, by model, version, window size and time", async () => {
      await store.saveWindows("credit", "2", "hour", [window(T0 + H, { driftShare: 0.75, errors: 3, accuracy: 0.8 }), window(T0)]);
      await store.saveWindows("credit", "3", "hour", [window(T0)]);
      await store.saveWindows("credit", "2", "day", [window(Date.UTC(2026, 2, 1))]);
      await store.saveWindows("other", "1", "hour", [window(T0)]);
      const all = await store.listWindows({ model: "credit", version: "2", window: "hour" });
      expect(all.map((w) => w.start)).toEqual([T0, T0 + H]);
      const w = all[1];
      expect(w).toMatchObject({ model: "credit", version: "2", window: "hour", start: T0 + H, end: T0 + 2 * H, requests: 10, error_rate: 0.3, drift_share: 0.75, dataset_drift: true, prediction_drifted: null, quality_findings: 0, latency_p95_ms: 5.5, metric: { name: "accuracy", value: 0.8 } });
      expect(w.result).toEqual(window(T0 + H, { driftShare: 0.75, errors: 3, accuracy: 0.8 }));
      expect(all[0]).toMatchObject({ dataset_drift: false, metric: null });
      expect(w.computed).toBeGreaterThan(Date.now() - 60_000);
      expect((await store.listWindows({ model: "credit" })).map((x) => [x.version, x.window])).toEqual([
        ["2", "day"],
        ["2", "hour"],
        ["3", "hour"],
        ["2", "hour"],
      ]);
      expect((await store.listWindows({ model: "credit", since: T0 + H })).map((x) => x.start)).toEqual([T0 + H]);
      expect((await store.listWindows({ model: "credit", until: T0 })).map((x) => x.window)).toEqual(["day"]);
    });

    it("a window computed again replaces the old result; a window without answered rows has no drift", async () => {
      await store.saveWindows("credit", "2", "hour", [window(T0, { driftShare: 0.25 })]);
      await store.saveWindows("credit", "2", "hour", [window(T0, { requests: 4, errors: 4, driftShare: null })]);
      const [w, ...rest] = await store.listWindows({ model: "credit" });
      expect(rest).toEqual([]);
      expect(w).toMatchObject({ requests: 4, error_rate: 1, drift_share: null, dataset_drift: null, quality_findings: null });
    });

    it("refuses a bad window and writes nothing of the batch", async () => {
      const bad = { ...window(T0 + H), end: "yesterday" };
      expect(await code(store.saveWindows("credit", "2", "hour", [window(T0), bad]))).toBe("INVALID_INPUT");
      expect(await code(store.saveWindows("credit", "2", "week" as "hour", [window(T0)]))).toBe("INVALID_INPUT");
      expect(await store.listWindows({ model: "credit" })).toEqual([]);
    });
  });

  describe.skipIf(!target.available || target.name !== "http")("over a keel server", () => {
    it("refuses a result without the fields the store reads, naming the field, and writes nothing", async () => {
      const noServing = { ...window(T0 + H), serving: undefined };
      const err = await store.saveWindows("credit", "2", "hour", [window(T0), noServing as unknown as WindowMonitoring]).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("results[1].serving") });
      const badDrift = { ...window(T0), drift: { drift_share: "most" } };
      expect(await code(store.saveWindows("credit", "2", "hour", [badDrift as unknown as WindowMonitoring]))).toBe("INVALID_INPUT");
      expect(await store.listWindows({ model: "credit" })).toEqual([]);
    });

    it("a window read needs a model; a bad window size is refused", async () => {
      expect(await code(store.listWindows({ model: "" }))).toBe("INVALID_INPUT");
      expect(await code(store.listWindows({ model: "credit", window: "week" as "hour" }))).toBe("INVALID_INPUT");
    });
  });
});
