/**
 * The tracking store suite: every case runs against every backend in `backends.ts` (SQLite,
 * PostgreSQL when KEEL_TEST_POSTGRES is set, and a `keel server` over HTTP).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LIMITS, SEARCH_LIMITS, openStore, type Metric, type Run, type SearchRunsQuery, type TrackingStore } from "../../../src/track/index.js";
import { code, targets, warnIfNoPostgres, type OpenedBackend } from "./backends.js";

warnIfNoPostgres();

async function allRuns(store: TrackingStore, q: SearchRunsQuery, pageSize: number): Promise<Run[]> {
  const out: Run[] = [];
  let token: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await store.searchRuns({ ...q, maxResults: pageSize, pageToken: token });
    out.push(...page.items);
    token = page.nextPageToken;
    if (!token) return out;
    expect(page.items.length).toBe(pageSize);
  }
  throw new Error("paging did not end");
}

const m = (key: string, value: number, step = 0, timestamp = 1000): Metric => ({ key, value, step, timestamp });

describe.each(targets)("tracking store: $name", (target) => {
  let o: OpenedBackend;
  let s: TrackingStore;
  beforeEach(async () => {
    if (!target.available) return;
    o = await target.open();
    s = await openStore(o.backend);
  });
  afterEach(async () => {
    if (o) await o.cleanup();
  });

  describe.skipIf(!target.available)("experiments", () => {
    it("has the Default experiment with id 0", async () => {
      const e = await s.getExperiment("0");
      expect(e).toMatchObject({ experimentId: "0", name: "Default", lifecycleStage: "active" });
      expect(e.artifactLocation.endsWith("/0")).toBe(true);
      expect((await s.getExperimentByName("Default")).experimentId).toBe("0");
    });

    it("creates, gets by id and name, with tags; names are unique even when deleted", async () => {
      const id = await s.createExperiment({ name: "churn", tags: [{ key: "team", value: "growth" }] });
      expect(id).toMatch(/^[1-9]\d*$/);
      const e = await s.getExperiment(id);
      expect(e).toMatchObject({ name: "churn", lifecycleStage: "active", tags: [{ key: "team", value: "growth" }] });
      expect(e.artifactLocation.endsWith(`/${id}`)).toBe(true);
      expect(e.creationTime).toBeGreaterThan(0);
      expect((await s.getExperimentByName("churn")).experimentId).toBe(id);
      expect(await code(s.createExperiment({ name: "churn" }))).toBe("ALREADY_EXISTS");
      await s.deleteExperiment(id);
      expect(await code(s.createExperiment({ name: "churn" }))).toBe("ALREADY_EXISTS");
      expect(await code(s.createExperiment({ name: "  " }))).toBe("INVALID_INPUT");
      expect(await code(s.getExperiment("987654"))).toBe("NOT_FOUND");
      expect(await code(s.getExperiment("abc"))).toBe("INVALID_INPUT");
      expect(await code(s.getExperimentByName("nope"))).toBe("NOT_FOUND");
      const custom = await s.createExperiment({ name: "custom", artifactLocation: "file:///somewhere/else" });
      expect((await s.getExperiment(custom)).artifactLocation).toBe("file:///somewhere/else");
    });

    it("renames active experiments only, never onto a taken name", async () => {
      const a = await s.createExperiment({ name: "a" });
      await s.createExperiment({ name: "b" });
      const before = (await s.getExperiment(a)).lastUpdateTime;
      await new Promise((r) => setTimeout(r, 5));
      await s.renameExperiment(a, "a2");
      const e = await s.getExperiment(a);
      expect(e.name).toBe("a2");
      expect(e.lastUpdateTime).toBeGreaterThan(before);
      expect(await code(s.renameExperiment(a, "b"))).toBe("ALREADY_EXISTS");
      await s.deleteExperiment(a);
      expect(await code(s.renameExperiment(a, "a3"))).toBe("INVALID_INPUT");
    });

    it("deletes and restores with the runs deleted together; the Default cannot be deleted", async () => {
      const id = await s.createExperiment({ name: "exp" });
      const r1 = await s.createRun({ experimentId: id });
      const r2 = await s.createRun({ experimentId: id });
      await s.deleteRun(r2.info.runId); // deleted on its own, before the experiment
      await new Promise((r) => setTimeout(r, 5));
      await s.deleteExperiment(id);
      expect((await s.getExperiment(id)).lifecycleStage).toBe("deleted");
      expect((await s.getRun(r1.info.runId)).info.lifecycleStage).toBe("deleted");
      expect(await code(s.createRun({ experimentId: id }))).toBe("INVALID_INPUT");
      expect(await code(s.restoreRun(r1.info.runId))).toBe("INVALID_INPUT");
      await s.restoreExperiment(id);
      expect((await s.getExperiment(id)).lifecycleStage).toBe("active");
      expect((await s.getRun(r1.info.runId)).info.lifecycleStage).toBe("active");
      expect((await s.getRun(r2.info.runId)).info.lifecycleStage).toBe("deleted");
      expect(await code(s.deleteExperiment("0"))).toBe("INVALID_INPUT");
    });

    it("sets and deletes experiment tags", async () => {
      const id = await s.createExperiment({ name: "t" });
      await s.setExperimentTag(id, "k", "v1");
      await s.setExperimentTag(id, "k", "v2");
      await s.setExperimentTag(id, "j", "x");
      expect((await s.getExperiment(id)).tags).toEqual([
        { key: "j", value: "x" },
        { key: "k", value: "v2" },
      ]);
      await s.deleteExperimentTag(id, "k");
      expect((await s.getExperiment(id)).tags).toEqual([{ key: "j", value: "x" }]);
      expect(await code(s.deleteExperimentTag(id, "k"))).toBe("NOT_FOUND");
      expect(await code(s.setExperimentTag(id, "", "x"))).toBe("INVALID_INPUT");
    });

    it("searches with filter, order, view type and pages", async () => {
      for (const name of ["alpha-1", "alpha-2", "Alpha-3", "beta-1", "beta-2"]) {
        const id = await s.createExperiment({ name, tags: [{ key: "group", value: name.slice(0, 4).toLowerCase() }] });
        if (name === "beta-2") await s.deleteExperiment(id);
        await new Promise((r) => setTimeout(r, 2));
      }
      const names = async (q: Parameters<TrackingStore["searchExperiments"]>[0]) => (await s.searchExperiments(q)).items.map((e) => e.name);
      expect(await names({ filter: "name LIKE 'alpha%'", orderBy: ["name ASC"] })).toEqual(["alpha-1", "alpha-2"]);
      expect(await names({ filter: "name ILIKE 'alpha%'", orderBy: ["name DESC"] })).toEqual(["alpha-2", "alpha-1", "Alpha-3"]);
      expect(await names({ filter: "tags.group = 'beta'" })).toEqual(["beta-1"]);
      expect(await names({ filter: "tags.group = 'beta'", viewType: "ALL", orderBy: ["name ASC"] })).toEqual(["beta-1", "beta-2"]);
      expect(await names({ viewType: "DELETED_ONLY" })).toEqual(["beta-2"]);
      // default order: newest first
      expect((await names({}))[0]).toBe("beta-1");
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await s.searchExperiments({ maxResults: 2, pageToken: token, orderBy: ["name ASC"] });
        seen.push(...page.items.map((e) => e.name));
        token = page.nextPageToken;
      } while (token);
      expect(seen).toEqual(["Alpha-3", "Default", "alpha-1", "alpha-2", "beta-1"]);
      expect(await code(s.searchExperiments({ pageToken: "garbage!" }))).toBe("INVALID_INPUT");
      expect(await code(s.searchExperiments({ filter: "metrics.x > 1" }))).toBe("INVALID_INPUT");
      expect(await code(s.searchExperiments({ orderBy: ["colour"] }))).toBe("INVALID_INPUT");
      expect(await code(s.searchExperiments({ maxResults: 0 }))).toBe("INVALID_INPUT");
    });
  });

  describe.skipIf(!target.available)("runs", () => {
    it("creates runs with defaults, hypothesis and parent mirrored as tags", async () => {
      const parent = await s.createRun({ runName: "parent" });
      expect(parent.info.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(parent.info).toMatchObject({ runUuid: parent.info.runId, runName: "parent", experimentId: "0", status: "RUNNING", endTime: null, lifecycleStage: "active", hypothesis: null, parentRunId: null });
      expect(parent.info.artifactUri.endsWith(`/0/${parent.info.runId}/artifacts`)).toBe(true);
      const child = await s.createRun({ parentRunId: parent.info.runId, hypothesis: "deeper trees help", tags: [{ key: "a", value: "1" }], startTime: 12345, userId: "ann" });
      expect(child.info).toMatchObject({ parentRunId: parent.info.runId, hypothesis: "deeper trees help", startTime: 12345, userId: "ann" });
      expect(child.info.runName).toMatch(/^[a-z]+-[a-z]+-\d+$/);
      const tags = Object.fromEntries(child.data.tags.map((t) => [t.key, t.value]));
      expect(tags).toMatchObject({ a: "1", "mlflow.parentRunId": parent.info.runId, "keel.hypothesis": "deeper trees help", "mlflow.runName": child.info.runName });
      expect(await code(s.createRun({ parentRunId: "f".repeat(32) }))).toBe("NOT_FOUND");
      expect(await code(s.createRun({ experimentId: "4242" }))).toBe("NOT_FOUND");
      expect(await code(s.createRun({ status: "DONE" as never }))).toBe("INVALID_INPUT");
      expect(await code(s.getRun("0".repeat(32)))).toBe("NOT_FOUND");
      // a run name given as the mlflow.runName tag becomes the name
      const named = await s.createRun({ tags: [{ key: "mlflow.runName", value: "from-tag" }] });
      expect(named.info.runName).toBe("from-tag");
    });

    it("updates status, end time, name and hypothesis; tags stay in step", async () => {
      const r = await s.createRun({ runName: "one" });
      const info = await s.updateRun(r.info.runId, { status: "FINISHED", endTime: 99_999, runName: "two", hypothesis: "h1" });
      expect(info).toMatchObject({ status: "FINISHED", endTime: 99_999, runName: "two", hypothesis: "h1" });
      await s.setTag(r.info.runId, { key: "mlflow.runName", value: "three" });
      await s.setTag(r.info.runId, { key: "keel.hypothesis", value: "h2" });
      const got = await s.getRun(r.info.runId);
      expect(got.info).toMatchObject({ runName: "three", hypothesis: "h2" });
      expect(got.data.tags).toEqual(expect.arrayContaining([{ key: "mlflow.runName", value: "three" }, { key: "keel.hypothesis", value: "h2" }]));
      expect(await code(s.updateRun(r.info.runId, { status: "BAD" as never }))).toBe("INVALID_INPUT");
      expect(await code(s.updateRun(r.info.runId, { endTime: -5 }))).toBe("INVALID_INPUT");
      expect(await code(s.updateRun("0".repeat(32), { status: "FAILED" }))).toBe("NOT_FOUND");
    });

    it("soft-deletes and restores; deleted runs refuse writes; purge needs the deleted state", async () => {
      const r = await s.createRun({});
      await s.logBatch(r.info.runId, { metrics: [m("loss", 1)], params: [{ key: "p", value: "1" }] });
      await s.deleteRun(r.info.runId);
      const d = await s.getRun(r.info.runId);
      expect(d.info.lifecycleStage).toBe("deleted");
      expect(d.info.deletedTime).toBeGreaterThan(0);
      expect(await code(s.logMetric(r.info.runId, m("loss", 2)))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(r.info.runId, { metrics: [m("loss", 3, 1), m("acc", 1, 1)] }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch("0".repeat(32), { metrics: [m("loss", 3, 1)] }))).toBe("NOT_FOUND");
      expect((await s.getMetricHistory(r.info.runId, "loss")).items.map((p) => p.value)).toEqual([1]); // nothing written
      expect((await s.getRun(r.info.runId)).data.metrics.map((p) => p.key)).toEqual(["loss"]);
      expect(await code(s.setTag(r.info.runId, { key: "x", value: "y" }))).toBe("INVALID_INPUT");
      expect(await code(s.updateRun(r.info.runId, { status: "FAILED" }))).toBe("INVALID_INPUT");
      expect((await s.listDeletedRuns()).map((x) => x.runId)).toEqual([r.info.runId]);
      expect(await s.listDeletedRuns({ olderThanMs: 3_600_000 })).toEqual([]);
      await s.restoreRun(r.info.runId);
      expect((await s.getRun(r.info.runId)).info).toMatchObject({ lifecycleStage: "active", deletedTime: null });
      expect(await code(s.purgeRun(r.info.runId))).toBe("CONFLICT");
      await s.deleteRun(r.info.runId);
      await s.purgeRun(r.info.runId);
      expect(await code(s.getRun(r.info.runId))).toBe("NOT_FOUND");
      expect(await code(s.getMetricHistory(r.info.runId, "loss"))).toBe("NOT_FOUND");
      expect(await s.listDeletedRuns()).toEqual([]);
    });
  });

  describe.skipIf(!target.available)("heartbeats", () => {
    it("marks FAILED the RUNNING runs whose heartbeat deadline passed, and only those", async () => {
      const dead = await s.createRun({ runName: "dead" });
      const alive = await s.createRun({ runName: "alive" });
      const silent = await s.createRun({ runName: "never-beat" }); // an MLflow client's run
      const done = await s.createRun({ runName: "done" });
      await s.heartbeat(dead.info.runId, 30);
      await s.heartbeat(alive.info.runId, 60_000);
      await s.heartbeat(done.info.runId, 30);
      await s.updateRun(done.info.runId, { status: "FINISHED", endTime: Date.now() });
      const beatAt = Date.now();
      await new Promise((r) => setTimeout(r, 120));
      const marked = await s.failStaleRuns();
      expect(marked.map((r) => r.runId)).toEqual([dead.info.runId]);
      expect(marked[0].status).toBe("FAILED");
      const got = await s.getRun(dead.info.runId);
      expect(got.info.status).toBe("FAILED");
      // ended at its last sign of life, with the reason as a tag
      expect(Math.abs(got.info.endTime! - beatAt)).toBeLessThan(1000);
      expect(got.data.tags.find((t) => t.key === "keel.failure")?.value).toMatch(/no heartbeat since/);
      for (const r of [alive, silent]) expect((await s.getRun(r.info.runId)).info.status).toBe("RUNNING");
      expect((await s.getRun(done.info.runId)).info.status).toBe("FINISHED");
      // nothing left to mark; a marked run takes no more beats; bad beats are refused
      expect(await s.failStaleRuns()).toEqual([]);
      expect(await code(s.heartbeat(dead.info.runId, 1000))).toBe("CONFLICT");
      expect(await code(s.heartbeat(alive.info.runId, 0))).toBe("INVALID_INPUT");
      expect(await code(s.heartbeat(alive.info.runId, 1.5))).toBe("INVALID_INPUT");
      expect(await code(s.heartbeat("0123456789abcdef0123456789abcdef", 1000))).toBe("NOT_FOUND");
      // a beat moves the deadline: the run stays RUNNING
      await s.heartbeat(alive.info.runId, 60_000);
      expect(await s.failStaleRuns()).toEqual([]);
    });
  });

  describe.skipIf(!target.available)("logging", () => {
    it("keeps params immutable: the same value again is fine, another value is refused", async () => {
      const r = await s.createRun({});
      await s.logParam(r.info.runId, { key: "lr", value: "0.1" });
      await s.logParam(r.info.runId, { key: "lr", value: "0.1" });
      await s.logBatch(r.info.runId, { params: [{ key: "lr", value: "0.1" }] });
      let err: Error | undefined;
      try {
        await s.logParam(r.info.runId, { key: "lr", value: "0.2" });
      } catch (e) {
        err = e as Error;
      }
      expect((err as { code?: string }).code).toBe("INVALID_INPUT");
      expect(err!.message).toContain('"lr"');
      expect(err!.message).toContain('"0.1"');
      // a batch with a conflicting param leaves nothing behind
      expect(await code(s.logBatch(r.info.runId, { metrics: [m("acc", 0.5)], params: [{ key: "new", value: "1" }, { key: "lr", value: "9" }], tags: [{ key: "t", value: "v" }] }))).toBe("INVALID_INPUT");
      const got = await s.getRun(r.info.runId);
      expect(got.data.params).toEqual([{ key: "lr", value: "0.1" }]);
      expect(got.data.metrics).toEqual([]);
      expect(got.data.tags.find((t) => t.key === "t")).toBeUndefined();
      expect(await code(s.logBatch(r.info.runId, { params: [{ key: "x", value: "1" }, { key: "x", value: "2" }] }))).toBe("INVALID_INPUT");
    });

    it("enforces MLflow's log-batch limits exactly", async () => {
      const r = await s.createRun({});
      const id = r.info.runId;
      const metrics = (n: number) => Array.from({ length: n }, (_, i) => m("k", i, i));
      const params = (n: number, p = "p") => Array.from({ length: n }, (_, i) => ({ key: `${p}${i}`, value: "v" }));
      const tags = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `t${i}`, value: "v" }));
      expect(await code(s.logBatch(id, { metrics: metrics(1001) }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(id, { params: params(101) }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(id, { tags: tags(101) }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(id, { metrics: metrics(900), params: params(100), tags: tags(1) }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(id, { metrics: [m("x".repeat(251), 1)] }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(id, { params: [{ key: "long", value: "v".repeat(6001) }] }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(id, { tags: [{ key: "long", value: "v".repeat(5001) }] }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(id, { metrics: [{ key: "k", value: "1" as never, step: 0, timestamp: 1 }] }))).toBe("INVALID_INPUT");
      expect(await code(s.logBatch(id, { metrics: [{ key: "k", value: 1, step: 0.5, timestamp: 1 }] }))).toBe("INVALID_INPUT");
      expect(await s.getRun(id).then((x) => x.data.metrics.length + x.data.params.length)).toBe(0);
      // exactly at the limits
      await s.logBatch(id, { metrics: metrics(1000) });
      await s.logBatch(id, { metrics: metrics(800).map((x) => ({ ...x, key: "j" })), params: params(100), tags: tags(100) });
      await s.logBatch(id, { metrics: [m("y".repeat(LIMITS.keyLength), 1)], params: [{ key: "big", value: "v".repeat(6000) }], tags: [{ key: "big", value: "v".repeat(5000) }] });
      const got = await s.getRun(id);
      expect(got.data.params.length).toBe(101);
      expect((await s.getMetricHistory(id, "k")).items.length).toBe(1000);
      expect(got.data.params.find((p) => p.key === "big")!.value.length).toBe(6000);
    });

    it("keeps the latest metric by step, then timestamp, then value, whatever the logging order", async () => {
      const r = await s.createRun({});
      const id = r.info.runId;
      await s.logBatch(id, { metrics: [m("a", 5, 10, 100), m("a", 1, 2, 900)] });
      await s.logMetric(id, m("a", 3, 7, 1000));
      await s.logBatch(id, { metrics: [m("b", 1, 1, 50), m("b", 2, 1, 40)] });
      await s.logMetric(id, m("c", 1, 3, 10));
      await s.logMetric(id, m("c", 4, 3, 10));
      await s.logMetric(id, m("c", 2, 3, 10));
      const latest = Object.fromEntries((await s.getRun(id)).data.metrics.map((x) => [x.key, x]));
      expect(latest.a).toEqual(m("a", 5, 10, 100));
      expect(latest.b).toEqual(m("b", 1, 1, 50));
      expect(latest.c).toEqual(m("c", 4, 3, 10));
    });

    it("round-trips NaN and infinities", async () => {
      const r = await s.createRun({});
      await s.logBatch(r.info.runId, { metrics: [m("x", NaN, 0), m("x", Infinity, 1), m("x", -Infinity, 2), m("x", 1.5, 3), m("y", NaN, 5)] });
      const h = (await s.getMetricHistory(r.info.runId, "x")).items.map((p) => p.value);
      expect(h[0]).toBeNaN();
      expect(h.slice(1)).toEqual([Infinity, -Infinity, 1.5]);
      const y = (await s.getRun(r.info.runId)).data.metrics.find((p) => p.key === "y")!;
      expect(y.value).toBeNaN();
      expect(y.step).toBe(5);
    });

    it("deletes tags", async () => {
      const r = await s.createRun({});
      await s.setTag(r.info.runId, { key: "k", value: "v" });
      await s.deleteTag(r.info.runId, "k");
      expect((await s.getRun(r.info.runId)).data.tags.find((t) => t.key === "k")).toBeUndefined();
      expect(await code(s.deleteTag(r.info.runId, "k"))).toBe("NOT_FOUND");
    });

    it("ingests bulk metrics all or nothing", async () => {
      const r = await s.createRun({});
      const points = Array.from({ length: 5000 }, (_, i) => m("bulk", i / 10, i, 1000 + i));
      await s.logMetrics(r.info.runId, points);
      const bad = Array.from({ length: 3000 }, (_, i) => m("bulk2", i, i));
      bad[2500] = { key: "bulk2", value: 1, step: 1.5, timestamp: 1 };
      expect(await code(s.logMetrics(r.info.runId, bad))).toBe("INVALID_INPUT");
      expect((await s.getMetricHistory(r.info.runId, "bulk2")).items).toEqual([]);
      const h = await s.getMetricHistory(r.info.runId, "bulk");
      expect(h.items.length).toBe(5000);
      expect(h.items[4999]).toEqual(m("bulk", 499.9, 4999, 5999));
    });

    it("pages the full metric history in step order", async () => {
      const r = await s.createRun({});
      const pts = Array.from({ length: 250 }, (_, i) => m("h", Math.sin(i), 249 - i, 5000 + i));
      await s.logMetrics(r.info.runId, pts);
      const got: Metric[] = [];
      let token: string | undefined;
      do {
        const page = await s.getMetricHistory(r.info.runId, "h", { maxResults: 100, pageToken: token });
        got.push(...page.items);
        token = page.nextPageToken;
      } while (token);
      expect(got.map((p) => p.step)).toEqual(Array.from({ length: 250 }, (_, i) => i));
      expect(got[0]).toEqual(pts[249]);
    });

    it("downsamples a long history to representative points", async () => {
      const r = await s.createRun({});
      const n = 20_000;
      const pts = Array.from({ length: n }, (_, i) => m("loss", Math.exp(-i / 4000) + (i === 12_345 ? 5 : 0), i, 1_000_000 + i));
      pts.push(m("loss", NaN, n, 1)); // NaN is left out of charts
      await s.logMetrics(r.info.runId, pts);
      const sampled = await s.getMetricHistorySampled(r.info.runId, "loss", { maxPoints: 500 });
      expect(sampled.length).toBe(500);
      expect(sampled[0]).toEqual(pts[0]);
      expect(sampled[499]).toEqual(pts[n - 1]);
      for (let i = 1; i < sampled.length; i++) expect(sampled[i].step).toBeGreaterThan(sampled[i - 1].step);
      expect(sampled.find((p) => p.step === 12_345)?.value).toBeCloseTo(5 + Math.exp(-12_345 / 4000), 12);
      for (const p of sampled) expect(p).toEqual(pts[p.step]);
      const window = await s.getMetricHistorySampled(r.info.runId, "loss", { maxPoints: 1000, startStep: 100, endStep: 299 });
      expect(window.map((p) => p.step)).toEqual(Array.from({ length: 200 }, (_, i) => 100 + i));
      expect(await s.getMetricHistorySampled(r.info.runId, "absent")).toEqual([]);
      expect(await code(s.getMetricHistorySampled(r.info.runId, "loss", { maxPoints: 2 }))).toBe("INVALID_INPUT");
    });

    it("logs dataset inputs, deduplicated, with context tags", async () => {
      const exp = await s.createExperiment({ name: "data" });
      const r1 = await s.createRun({ experimentId: exp });
      const r2 = await s.createRun({ experimentId: exp });
      const train = { name: "train", digest: "a".repeat(64), sourceType: "local", source: '{"uri":"/data/train.csv"}', schema: '{"mlflow_colspec":[]}', profile: '{"num_rows":100}', rows: 100 };
      await s.logInputs(r1.info.runId, [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: train }]);
      await s.logInputs(r1.info.runId, [{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: train }]);
      await s.logInputs(r2.info.runId, [{ tags: [], dataset: train }, { tags: [{ key: "mlflow.data.context", value: "test" }], dataset: { name: "test", digest: "b".repeat(64), sourceType: "code", source: "{}" } }]);
      const got1 = await s.getRun(r1.info.runId);
      expect(got1.inputs.datasetInputs).toEqual([{ tags: [{ key: "mlflow.data.context", value: "training" }], dataset: train }]);
      const got2 = await s.getRun(r2.info.runId);
      expect(got2.inputs.datasetInputs.map((d) => d.dataset.name)).toEqual(["train", "test"]);
      expect(got2.inputs.datasetInputs[1].dataset).toMatchObject({ schema: null, profile: null, rows: null });
      const ids = async (filter: string) => (await s.searchRuns({ experimentIds: [exp], filter })).items.map((r) => r.info.runId).sort();
      expect(await ids(`datasets.digest = '${"a".repeat(64)}'`)).toEqual([r1.info.runId, r2.info.runId].sort());
      expect(await ids("datasets.context = 'test'")).toEqual([r2.info.runId]);
      expect(await ids("datasets.name IN ('test', 'other')")).toEqual([r2.info.runId]);
      expect(await code(s.logInputs(r1.info.runId, [{ tags: [], dataset: { ...train, digest: "" } }]))).toBe("INVALID_INPUT");
      expect(await code(s.logInputs(r1.info.runId, [{ tags: [], dataset: { ...train, rows: -1 } }]))).toBe("INVALID_INPUT");
    });
  });

  describe.skipIf(!target.available)("search", () => {
    it("matches a reference implementation over random runs, across pages", async () => {
      // deterministic pseudo-random data (a linear congruential generator)
      let seed = 12345;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const e1 = await s.createExperiment({ name: "e1" });
      const e2 = await s.createExperiment({ name: "e2" });
      const runs: { id: string; exp: string; start: number; status: string; name: string; metrics: Record<string, number>; params: Record<string, string>; tags: Record<string, string>; deleted: boolean }[] = [];
      for (let i = 0; i < 90; i++) {
        const exp = i % 3 === 0 ? e2 : e1;
        const start = 1_000_000 + Math.floor(rnd() * 1000) * 7 + i; // distinct
        const name = `run${String(Math.floor(rnd() * 50)).padStart(2, "0")}`;
        const r = await s.createRun({ experimentId: exp, runName: name, startTime: start });
        const metrics: Record<string, number> = {};
        const params: Record<string, string> = {};
        const tags: Record<string, string> = {};
        if (rnd() < 0.85) metrics.acc = Math.round(rnd() * 100) / 100;
        if (rnd() < 0.7) metrics.loss = rnd() < 0.1 ? NaN : Math.round(rnd() * 1000) / 100;
        if (rnd() < 0.9) params.model = ["gbdt", "logit", "knn"][Math.floor(rnd() * 3)];
        if (rnd() < 0.6) params.depth = String(Math.floor(rnd() * 12));
        if (rnd() < 0.5) tags.team = ["red", "blue"][Math.floor(rnd() * 2)];
        await s.logBatch(r.info.runId, {
          metrics: Object.entries(metrics).map(([k, v]) => m(k, v, 1)),
          params: Object.entries(params).map(([key, value]) => ({ key, value })),
          tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
        });
        const status = (["FINISHED", "FAILED", "RUNNING"] as const)[Math.floor(rnd() * 3)];
        if (status !== "RUNNING") await s.updateRun(r.info.runId, { status });
        const deleted = rnd() < 0.1;
        if (deleted) await s.deleteRun(r.info.runId);
        runs.push({ id: r.info.runId, exp, start, status, name, metrics, params, tags, deleted });
      }
      type R = (typeof runs)[number];
      const num = (x: number | undefined) => x !== undefined && !Number.isNaN(x);
      const cases: { q: SearchRunsQuery; keep: (r: R) => boolean; order: ((a: R, b: R) => number)[] }[] = [];
      const cmp = <T>(get: (r: R) => T | undefined, asc: boolean) => (a: R, b: R) => {
        const x = get(a);
        const y = get(b);
        const mx = x === undefined || (typeof x === "number" && Number.isNaN(x));
        const my = y === undefined || (typeof y === "number" && Number.isNaN(y));
        if (mx || my) return mx === my ? 0 : mx ? 1 : -1;
        if (x === y) return 0;
        return (x! < y! ? -1 : 1) * (asc ? 1 : -1);
      };
      cases.push({ q: { experimentIds: [e1, e2], filter: "metrics.acc > 0.5", orderBy: ["metrics.loss ASC"] }, keep: (r) => num(r.metrics.acc) && r.metrics.acc > 0.5, order: [cmp((r) => r.metrics.loss, true)] });
      cases.push({ q: { experimentIds: [e1], filter: "metrics.acc <= 0.7 and params.model = 'gbdt'", orderBy: ["metrics.acc DESC"] }, keep: (r) => r.exp === e1 && num(r.metrics.acc) && r.metrics.acc <= 0.7 && r.params.model === "gbdt", order: [cmp((r) => r.metrics.acc, false)] });
      cases.push({ q: { experimentIds: [e1, e2], orderBy: ["params.depth DESC", "metrics.acc ASC"] }, keep: () => true, order: [cmp((r) => r.params.depth, false), cmp((r) => r.metrics.acc, true)] });
      // several order keys with ties on the first: the first key's value at the page's end bounds the search
      cases.push({ q: { experimentIds: [e1, e2], filter: "params.model != 'x'", orderBy: ["params.model ASC", "tags.team DESC", "metrics.acc ASC"] }, keep: (r) => r.params.model !== undefined, order: [cmp((r) => r.params.model, true), cmp((r) => r.tags.team, false), cmp((r) => r.metrics.acc, true)] });
      cases.push({ q: { experimentIds: [e1, e2], orderBy: ["metrics.loss DESC", "attributes.run_name DESC"] }, keep: () => true, order: [cmp((r) => r.metrics.loss, false), cmp((r) => r.name, false)] });
      cases.push({ q: { experimentIds: [e1, e2], filter: "params.model != 'knn' and tags.team = 'red'" }, keep: (r) => r.params.model !== undefined && r.params.model !== "knn" && r.tags.team === "red", order: [] });
      cases.push({ q: { experimentIds: [e2], filter: "attributes.status IN ('FINISHED', 'FAILED')", orderBy: ["attributes.run_name ASC"] }, keep: (r) => r.exp === e2 && r.status !== "RUNNING", order: [cmp((r) => r.name, true)] });
      cases.push({ q: { experimentIds: [e1, e2], filter: "params.depth IS NULL and metrics.loss >= 2", orderBy: ["tags.team ASC"] }, keep: (r) => r.params.depth === undefined && num(r.metrics.loss) && r.metrics.loss >= 2, order: [cmp((r) => r.tags.team, true)] });
      cases.push({ q: { experimentIds: [e1, e2], filter: "attributes.run_name LIKE 'run1%' and metrics.acc != 0.5", orderBy: ["metrics.acc DESC"] }, keep: (r) => r.name.startsWith("run1") && num(r.metrics.acc) && r.metrics.acc !== 0.5, order: [cmp((r) => r.metrics.acc, false)] });
      cases.push({ q: { experimentIds: [e1, e2], orderBy: ["attributes.start_time ASC"] }, keep: () => true, order: [cmp((r) => r.start, true)] });
      cases.push({ q: { experimentIds: [e1, e2], filter: `attributes.start_time > 1003000 and params.model NOT IN ('gbdt')`, viewType: "ALL" }, keep: (r) => r.start > 1_003_000 && r.params.model !== undefined && r.params.model !== "gbdt", order: [] });
      cases.push({ q: { experimentIds: [e1, e2], viewType: "DELETED_ONLY", orderBy: ["metrics.loss DESC"] }, keep: () => true, order: [cmp((r) => r.metrics.loss, false)] });
      for (const c of cases) {
        const view = c.q.viewType ?? "ACTIVE_ONLY";
        const expected = runs
          .filter((r) => (view === "ALL" ? true : view === "DELETED_ONLY" ? r.deleted : !r.deleted))
          .filter((r) => (c.q.experimentIds ?? []).includes(r.exp))
          .filter(c.keep)
          .sort((a, b) => {
            for (const f of c.order) {
              const d = f(a, b);
              if (d !== 0) return d;
            }
            return b.start - a.start || (a.id < b.id ? -1 : 1);
          })
          .map((r) => r.id);
        const whole = (await s.searchRuns({ ...c.q, maxResults: 1000 })).items.map((r) => r.info.runId);
        expect(whole, JSON.stringify(c.q)).toEqual(expected);
        const paged = (await allRuns(s, c.q, 7)).map((r) => r.info.runId);
        expect(paged, `paged ${JSON.stringify(c.q)}`).toEqual(expected);
      }
      // searching every experiment (no ids) sees the Default experiment's runs too
      const d = await s.createRun({});
      expect((await s.searchRuns({ filter: `attributes.run_id = '${d.info.runId}'` })).items.map((r) => r.info.runId)).toEqual([d.info.runId]);
    });

    it("returns runs with their data: params, tags, latest metrics", async () => {
      const r = await s.createRun({ runName: "full" });
      await s.logBatch(r.info.runId, { metrics: [m("acc", 0.1, 0), m("acc", 0.9, 1)], params: [{ key: "p", value: "1" }], tags: [{ key: "t", value: "x" }] });
      const [got] = (await s.searchRuns({ filter: "tags.t = 'x'" })).items;
      expect(got.info.runId).toBe(r.info.runId);
      expect(got.data.metrics).toEqual([m("acc", 0.9, 1)]);
      expect(got.data.params).toEqual([{ key: "p", value: "1" }]);
    });

    it("speaks the filter grammar: quoting, LIKE vs ILIKE, IN, IS NULL, tags with dots", async () => {
      const a = await s.createRun({ runName: "Alpha" });
      const b = await s.createRun({ runName: "alpha-two" });
      await s.logBatch(a.info.runId, { metrics: [m("f1 score", 0.8)], params: [{ key: "model-type", value: "Tree" }], tags: [{ key: "owner", value: "Ann" }] });
      await s.logBatch(b.info.runId, { metrics: [m("f1 score", 0.6)], params: [{ key: "model-type", value: "tree" }] });
      const ids = async (filter: string) => (await s.searchRuns({ filter, orderBy: ["attributes.run_name ASC"] })).items.map((r) => r.info.runName);
      expect(await ids("metrics.`f1 score` > 0.7")).toEqual(["Alpha"]);
      expect(await ids('metrics."f1 score" >= 0.6')).toEqual(["Alpha", "alpha-two"]);
      expect(await ids("params.`model-type` LIKE 'T%'")).toEqual(["Alpha"]);
      expect(await ids("params.`model-type` ILIKE 't%'")).toEqual(["Alpha", "alpha-two"]);
      expect(await ids("params.'model-type' = 'tree'")).toEqual(["alpha-two"]);
      expect(await ids("tags.mlflow.runName = 'Alpha'")).toEqual(["Alpha"]);
      expect(await ids("tags.\"mlflow.runName\" IN ('Alpha', 'alpha-two')")).toEqual(["Alpha", "alpha-two"]);
      expect(await ids("tags.owner IS NULL and attributes.run_name ILIKE 'ALPHA%'")).toEqual(["alpha-two"]);
      expect(await ids("tags.owner IS NOT NULL")).toEqual(["Alpha"]);
      expect(await ids("run_name = 'Alpha'")).toEqual(["Alpha"]);
      expect(await ids("attributes.run_name LIKE 'alpha\\_%'")).toEqual([]);
      expect(await ids("attributes.run_name LIKE 'alpha_two'")).toEqual(["alpha-two"]);
      for (const bad of ["metrics.x LIKE 'a'", "params.p = 1", "attributes.colour = 'red'", "metrics.x > 'a'", "params.a = 'x' OR params.b = 'y'", "metrics.x >", "foo.bar = 'x'", "datasets.size = 'x'", "attributes.start_time LIKE '1%'"]) {
        expect(await code(s.searchRuns({ filter: bad })), bad).toBe("INVALID_INPUT");
      }
      expect(await code(s.searchRuns({ orderBy: ["datasets.name"] }))).toBe("INVALID_INPUT");
      expect(await code(s.searchRuns({ maxResults: 50_001 }))).toBe("INVALID_INPUT");
    });

    it("compares long values in full (beyond any index prefix), characters not code units", async () => {
      const long = "🙂".repeat(150) + "x".repeat(100); // 250 characters, 400 UTF-16 units
      const a = await s.createRun({});
      const b = await s.createRun({});
      await s.logParam(a.info.runId, { key: "blob", value: long });
      await s.logParam(b.info.runId, { key: "blob", value: long.slice(0, -1) + "y" });
      const hits = async (v: string) => (await s.searchRuns({ filter: `params.blob = '${v}'` })).items.map((r) => r.info.runId);
      expect(await hits(long)).toEqual([a.info.runId]);
      expect(await hits(long.slice(0, -1) + "y")).toEqual([b.info.runId]);
      expect(await hits(long.slice(0, -1))).toEqual([]);
      expect(await hits("🙂".repeat(150))).toEqual([]);
    });

    it("plans filters of up to 50 clauses without a join each, as a reference implementation filters", async () => {
      let seed = 777;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
      type Kind = "metric" | "param" | "tag";
      const runs: { id: string; data: Record<Kind, Record<string, number | string>> }[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await s.createRun({ runName: `r${i}` });
        const data: Record<Kind, Record<string, number | string>> = { metric: {}, param: {}, tag: {} };
        for (let k = 0; k < 7; k++) {
          if (rnd() < 0.8) data.metric[`m${k}`] = Math.floor(rnd() * 5);
          if (rnd() < 0.8) data.param[`p${k}`] = pick(["a1", "a2", "b1"]);
          if (rnd() < 0.8) data.tag[`t${k}`] = pick(["x", "y"]);
        }
        await s.logBatch(r.info.runId, {
          metrics: Object.entries(data.metric).map(([k, v]) => m(k, v as number)),
          params: Object.entries(data.param).map(([key, value]) => ({ key, value: String(value) })),
          tags: Object.entries(data.tag).map(([key, value]) => ({ key, value: String(value) })),
        });
        runs.push({ id: r.info.runId, data });
      }
      const prefix = { metric: "metrics", param: "params", tag: "tags" } as const;
      type Test = (v: number | string | undefined) => boolean;
      /** A clause, mostly one the target run satisfies (so that results are seldom empty). */
      const clause = (target: (typeof runs)[number]): { text: string; test: Test; kind: Kind } => {
        const kind = pick(["metric", "param", "tag"] as const);
        const key = `${kind[0]}${Math.floor(rnd() * 7)}`;
        const own = target.data[kind][key];
        const name = `${prefix[kind]}.${key}`;
        if (own === undefined) return { kind, text: `${name} IS NULL`, test: (v) => v === undefined };
        if (rnd() < 0.05) {
          return rnd() < 0.5 ? { kind, text: `${name} IS NULL`, test: (v) => v === undefined } : { kind, text: `${name} IS NOT NULL`, test: (v) => v !== undefined };
        }
        if (kind === "metric") {
          const op = pick(["=", "!=", "<", "<=", ">", ">="] as const);
          const a = own as number;
          const truthful = { "=": a, "!=": a + 1, "<": a + 1, "<=": a, ">": a - 1, ">=": a }[op];
          const x = rnd() < 0.95 ? truthful : Math.floor(rnd() * 5);
          const f = { "=": (a: number) => a === x, "!=": (a: number) => a !== x, "<": (a: number) => a < x, "<=": (a: number) => a <= x, ">": (a: number) => a > x, ">=": (a: number) => a >= x }[op];
          return { kind, text: `${name} ${op} ${x}`, test: (v) => v !== undefined && f(v as number) };
        }
        const op = pick(["=", "!=", "LIKE", "IN", "NOT IN"] as const);
        const x = String(own);
        if (op === "=") return { kind, text: `${name} = '${x}'`, test: (v) => v === x };
        if (op === "!=") return { kind, text: `${name} != '${x === "y" ? "x" : "q"}'`, test: (v) => v !== undefined && v !== (x === "y" ? "x" : "q") };
        if (op === "LIKE") return { kind, text: `${name} LIKE '${x[0]}%'`, test: (v) => v !== undefined && String(v).startsWith(x[0]) };
        if (op === "IN") return { kind, text: `${name} IN ('${x}', 'zz')`, test: (v) => v === x || v === "zz" };
        return { kind, text: `${name} NOT IN ('zz')`, test: (v) => v !== undefined && v !== "zz" };
      };
      let nonEmpty = 0;
      for (let q = 0; q < 12; q++) {
        const target = pick(runs);
        const count = q === 0 ? SEARCH_LIMITS.maxClauses : 1 + Math.floor(rnd() * SEARCH_LIMITS.maxClauses);
        const cs = Array.from({ length: count }, () => clause(target));
        const filter = cs.map((c) => c.text).join(" AND ");
        const keyOf = (text: string) => text.split(" ")[0].split(".")[1];
        const expected = runs
          .filter((r) => cs.every((c) => c.test(r.data[c.kind][keyOf(c.text)])))
          .map((r) => r.id)
          .sort();
        const got = (await s.searchRuns({ filter, maxResults: 1000 })).items.map((r) => r.info.runId).sort();
        expect(got, filter).toEqual(expected);
        if (expected.length > 0) nonEmpty++;
        // ordered by a metric: the same runs
        const ordered = (await s.searchRuns({ filter, orderBy: ["metrics.m0 DESC", "params.p1 ASC", "tags.t2 DESC"], maxResults: 1000 })).items.map((r) => r.info.runId).sort();
        expect(ordered, filter).toEqual(expected);
      }
      expect(nonEmpty).toBeGreaterThan(3);
    });

    it("refuses searches beyond the grammar's bounds with a message naming the bound", async () => {
      const many = (n: number) => Array.from({ length: n }, (_, i) => `metrics.m${i} > 0`).join(" AND ");
      await expect(s.searchRuns({ filter: many(SEARCH_LIMITS.maxClauses) })).resolves.toMatchObject({ items: [] });
      for (const n of [SEARCH_LIMITS.maxClauses + 1, 64, 300]) {
        const e = await s.searchRuns({ filter: many(n) }).catch((x: Error & { code?: string }) => x);
        expect((e as { code?: string }).code).toBe("INVALID_INPUT");
        expect((e as Error).message).toContain(`filter has ${n} clauses: at most ${SEARCH_LIMITS.maxClauses}`);
      }
      const long = `params.p IN (${Array.from({ length: 30_000 }, (_, i) => `'v${i}'`).join(", ")})`;
      expect(long.length).toBeGreaterThan(SEARCH_LIMITS.maxFilterChars);
      await expect(s.searchRuns({ filter: long })).rejects.toThrow(/at most 100,000 are allowed/);
      const keys = (n: number) => Array.from({ length: n }, (_, i) => `metrics.m${i} DESC`);
      await expect(s.searchRuns({ orderBy: keys(SEARCH_LIMITS.maxOrderBy) })).resolves.toMatchObject({ items: [] });
      for (const n of [SEARCH_LIMITS.maxOrderBy + 1, 70]) {
        const e = await s.searchRuns({ orderBy: keys(n) }).catch((x: Error) => x);
        expect((e as { code?: string }).code).toBe("INVALID_INPUT");
        expect((e as Error).message).toContain(`order_by has ${n} terms: at most ${SEARCH_LIMITS.maxOrderBy}`);
      }
      expect(await code(s.searchRuns({ orderBy: [`metrics.${"k".repeat(2000)} ASC`] }))).toBe("INVALID_INPUT");
    });

    it("treats filter values as data, never as SQL", async () => {
      const r = await s.createRun({ runName: "x'); DROP TABLE runs; --" });
      await s.logParam(r.info.runId, { key: "p'--", value: "v' OR '1'='1" });
      expect((await s.searchRuns({ filter: "params.`p'--` = 'v'' OR ''1''=''1'" })).items.map((x) => x.info.runId)).toEqual([r.info.runId]);
      expect((await s.searchRuns({ filter: "params.`p'--` = 'v'" })).items).toEqual([]);
      expect((await s.searchRuns({ filter: "attributes.run_name = 'x''); DROP TABLE runs; --'" })).items.length).toBe(1);
      expect((await s.getRun(r.info.runId)).info.runName).toBe("x'); DROP TABLE runs; --");
    });
  });
});
