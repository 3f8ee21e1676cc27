import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emit, withoutObserver } from "../../src/core/observe.js";
import { Frame } from "../../src/data/frame.js";
import { readArtifact } from "../../src/estimator/artifact.js";
import type { ModelArtifact } from "../../src/estimator/types.js";
import type { LocalArtifactStore } from "../../src/backend/index.js";
import { activeRun, environmentTags, openStore, startRun, TAG, withRun, type TrackingStore } from "../../src/track/index.js";

let dir: string;
let store: TrackingStore;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-run-"));
  store = await openStore(path.join(dir, "keel.db"));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function history(runId: string, key: string) {
  return (await store.getMetricHistory(runId, key)).items;
}

describe("startRun / ActiveRun", () => {
  it("logs params, buffered metrics, tags and the hypothesis, then ends FINISHED", async () => {
    const run = await startRun({ store, experiment: "lib", name: "first", hypothesis: "more trees help", tags: { team: "ml" }, flushEvery: 100, flushIntervalMs: 0 });
    expect(run.info).toMatchObject({ runName: "first", hypothesis: "more trees help", status: "RUNNING" });
    await run.logParams({ lr: 0.1, model: "gbdt", layers: [64, 32], none: null });
    await run.logParam("lr", 0.1);
    await expect(run.logParam("lr", 0.2)).rejects.toMatchObject({ code: "INVALID_INPUT" });
    for (let i = 0; i < 250; i++) run.logMetric("loss", 1 / (i + 1), i);
    run.logMetrics({ auc: 0.8, acc: 0.9 }, 3);
    // 200 points are written (in the background) on reaching the flush size; 50 wait in the buffer
    for (let i = 0; i < 100 && (await history(run.runId, "loss")).length < 200; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 30));
    expect((await history(run.runId, "loss")).length).toBe(200);
    await run.setTag("stage", "dev");
    await run.setTags({ a: "1", b: "2" });
    await run.setHypothesis("more trees help, up to 300");
    expect(() => run.logMetric("", 1)).toThrow(/metric key/);
    expect(() => run.logMetric("x", 1, 0.5)).toThrow(/step/);
    const info = await run.end();
    expect(info.status).toBe("FINISHED");
    expect(info.endTime).toBeGreaterThan(0);
    expect(await run.end("FAILED")).toBe(info); // later calls change nothing
    expect(() => run.logMetric("late", 1)).toThrow(/has ended/);
    const got = await store.getRun(run.runId);
    const params = Object.fromEntries(got.data.params.map((p) => [p.key, p.value]));
    expect(params).toEqual({ lr: "0.1", model: "gbdt", layers: "[64,32]", none: "null" });
    expect((await history(run.runId, "loss")).length).toBe(250);
    expect(got.data.metrics.find((m) => m.key === "loss")).toMatchObject({ step: 249, value: 1 / 250 });
    const tags = Object.fromEntries(got.data.tags.map((t) => [t.key, t.value]));
    expect(tags).toMatchObject({ team: "ml", stage: "dev", a: "1", b: "2", [TAG.hypothesis]: "more trees help, up to 300" });
    expect(got.info.hypothesis).toBe("more trees help, up to 300");
    expect((await store.getExperimentByName("lib")).experimentId).toBe(got.info.experimentId);
  });

  it("records the environment: git commit and dirty flag, Node, Keel and package versions", async () => {
    const run = await startRun({ store });
    await run.end();
    const tags = Object.fromEntries((await store.getRun(run.runId)).data.tags.map((t) => [t.key, t.value]));
    expect(tags[TAG.nodeVersion]).toBe(process.version);
    expect(tags[TAG.keelVersion]).toMatch(/^\d+\.\d+\.\d+/);
    expect(tags[TAG.sourceType]).toBe("LOCAL");
    // this test runs inside Keel's own git checkout
    expect(tags[TAG.gitCommit]).toMatch(/^[0-9a-f]{40}$/);
    expect(["true", "false"]).toContain(tags[TAG.gitDirty]);
    // Keel's own checkout is no user project: its dependencies are not the run's
    expect(tags[TAG.packages]).toBeUndefined();
  });

  it("records the user project's runtime dependencies, not dev ones", async () => {
    const project = path.join(dir, "user-project");
    const nm = (name: string, version: string) => {
      mkdirSync(path.join(project, "node_modules", name), { recursive: true });
      writeFileSync(path.join(project, "node_modules", name, "package.json"), JSON.stringify({ name, version }));
    };
    mkdirSync(path.join(project, "models"), { recursive: true });
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "churn", dependencies: { keel: "^0.1.0", pg: "^8.0.0", absent: "1" }, devDependencies: { vitest: "^4" } }));
    nm("keel", "0.1.0");
    nm("pg", "8.16.3");
    nm("vitest", "4.1.12");
    const tags = Object.fromEntries((await environmentTags(path.join(project, "models"))).map((t) => [t.key, t.value]));
    expect(JSON.parse(tags[TAG.packages])).toEqual({ keel: "0.1.0", pg: "8.16.3" });
    expect(tags[TAG.keelVersion]).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("stores artifacts, models and dataset inputs", async () => {
    const run = await startRun({ store, environment: false });
    const local = path.join(dir, "notes.md");
    writeFileSync(local, "# notes");
    await run.logArtifact(local);
    await run.logArtifact(new TextEncoder().encode("a,b\n1,2\n"), "data/sample.csv");
    await run.logText("summary.txt", "ok");
    await expect(run.logArtifact(new Uint8Array(1))).rejects.toMatchObject({ code: "INVALID_INPUT" });
    await expect(run.logArtifact(path.join(dir, "missing"))).rejects.toMatchObject({ code: "NOT_FOUND" });
    const artifact: ModelArtifact = { kind: "test-model", params: { a: 1 }, signature: { inputs: [{ name: "x", kind: "numeric" }], output: { type: "regression", target: "y" } }, state: {}, buffers: { w: new Float64Array([1, 2, 3]) } };
    const files = await run.logModel(artifact);
    expect(files.map((f) => f.path).sort()).toEqual(["model/buffers.bin", "model/manifest.json"]);
    const frame = Frame.fromColumns({ x: [1, 2, 3], c: ["a", "b", "a"] });
    const input = await run.logInput({ frame, name: "train", context: "training", source: "/data/train.csv" });
    await run.end();
    const artifacts = run.artifacts as LocalArtifactStore;
    expect((await artifacts.list(run.artifactUri)).map((e) => e.path)).toEqual(["data", "model", "notes.md", "summary.txt"]);
    const saved = readArtifact(path.join(artifacts.runDir(run.artifactUri), "model"));
    expect(Array.from(saved.artifact.buffers.w as Float64Array)).toEqual([1, 2, 3]);
    expect(saved.manifest.meta.runId).toBe(run.runId);
    const got = await store.getRun(run.runId);
    expect(got.inputs.datasetInputs).toEqual([input]);
    expect(input.dataset).toMatchObject({ name: "train", rows: 3, sourceType: "local", source: '{"uri":"/data/train.csv"}' });
    expect(JSON.parse(input.dataset.schema!)).toEqual({ mlflow_colspec: [{ type: "double", name: "x", keel_kind: "numeric" }, { type: "string", name: "c", keel_kind: "categorical" }] });
  });

  it("flushes on a timer", async () => {
    const run = await startRun({ store, environment: false, flushEvery: 1_000_000, flushIntervalMs: 20 });
    run.logMetric("t", 1);
    for (let i = 0; i < 100 && (await history(run.runId, "t")).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await history(run.runId, "t")).length).toBe(1);
    await run.end();
  });

  it("surfaces a failed background write on the next call and ends FAILED", async () => {
    const run = await startRun({ store, environment: false, flushEvery: 2, flushIntervalMs: 0 });
    await store.deleteRun(run.runId); // every write now fails
    run.logMetric("x", 1);
    run.logMetric("x", 2); // triggers a write, which fails
    await expect(run.flush()).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect(() => run.logMetric("x", 3)).toThrow(/deleted/);
    await store.restoreRun(run.runId);
    await expect(run.end()).rejects.toMatchObject({ code: "INVALID_INPUT" });
    expect((await store.getRun(run.runId)).info.status).toBe("FAILED");
  });
});

describe("withRun", () => {
  it("ends FINISHED on success and FAILED when the callback throws, rethrowing", async () => {
    let id = "";
    const value = await withRun({ store, environment: false }, async (run) => {
      id = run.runId;
      expect(activeRun()).toBe(run);
      run.logMetric("m", 1);
      return 42;
    });
    expect(value).toBe(42);
    expect((await store.getRun(id)).info.status).toBe("FINISHED");
    expect((await history(id, "m")).length).toBe(1);
    expect(activeRun()).toBeUndefined();
    await expect(
      withRun({ store, environment: false }, async (run) => {
        id = run.runId;
        run.logMetric("before", 1);
        throw new Error("diverged");
      }),
    ).rejects.toThrow("diverged");
    const failed = await store.getRun(id);
    expect(failed.info.status).toBe("FAILED");
    expect(failed.info.endTime).toBeGreaterThan(0);
    expect((await history(id, "before")).length).toBe(1);
  });

  it("nests runs: inner runs get the outer run as parent", async () => {
    const ids: string[] = [];
    await withRun({ store, environment: false, name: "study" }, async (outer) => {
      for (let t = 0; t < 2; t++) {
        await withRun({ store, environment: false, name: `trial-${t}` }, async (inner) => {
          expect(inner.info.parentRunId).toBe(outer.runId);
          expect(activeRun()).toBe(inner);
          ids.push(inner.runId);
        });
      }
      expect(activeRun()).toBe(outer);
      const top = await startRun({ store, environment: false, parentRunId: null });
      expect(top.info.parentRunId).toBeNull();
      await top.end();
    });
    const children = (await store.searchRuns({ filter: `attributes.parent_run_id = '${(await store.getRun(ids[0])).info.parentRunId}'`, orderBy: ["attributes.run_name ASC"] })).items;
    expect(children.map((r) => r.info.runName)).toEqual(["trial-0", "trial-1"]);
  });

  it("autologs what estimators emit: params, metrics, per-iteration losses, fold metrics, tags", async () => {
    let id = "";
    await withRun({ store, environment: false }, async (run) => {
      id = run.runId;
      // what a fit and a cross-validation emit (src/core/observe.ts), possibly from async work
      emit({ type: "params", params: { maxLeaves: 31, learningRate: 0.1 }, prefix: "gbdt" });
      emit({ type: "params", params: { maxLeaves: 31 }, prefix: "gbdt" }); // the same again: fine
      emit({ type: "params", params: { maxLeaves: 63 }, prefix: "gbdt" }); // another value: first one kept, training not broken
      await Promise.resolve();
      for (let it = 0; it < 5; it++) emit({ type: "iteration", iteration: it, losses: { train: 1 - it / 10, valid_loss: 1.1 - it / 20 } });
      for (let f = 0; f < 3; f++) emit({ type: "fold", fold: f, metrics: { auc: 0.7 + f / 100 }, fitSeconds: 0.5 });
      emit({ type: "metric", key: "test_auc", value: 0.75 });
      emit({ type: "metric", key: "bad", value: "x" as unknown as number });
      emit({ type: "tag", key: "estimator", value: "gbdt" });
      emit({ type: "note", message: "ignored" });
      withoutObserver(() => emit({ type: "metric", key: "inner", value: 1 }));
    });
    const run = await store.getRun(id);
    expect(Object.fromEntries(run.data.params.map((p) => [p.key, p.value]))).toEqual({ "gbdt.maxLeaves": "31", "gbdt.learningRate": "0.1" });
    expect((await history(id, "train_loss")).map((p) => [p.step, p.value])).toEqual([0, 1, 2, 3, 4].map((i) => [i, 1 - i / 10]));
    expect((await history(id, "valid_loss")).map((p) => p.step)).toEqual([0, 1, 2, 3, 4]);
    expect((await history(id, "fold_auc")).map((p) => [p.step, p.value])).toEqual([0, 1, 2].map((f) => [f, 0.7 + f / 100]));
    expect((await history(id, "fold_fit_seconds")).length).toBe(3);
    expect((await history(id, "test_auc"))[0]).toMatchObject({ value: 0.75, step: 0 });
    expect(await history(id, "bad")).toEqual([]);
    expect(await history(id, "inner")).toEqual([]);
    expect(run.data.tags.find((t) => t.key === "estimator")?.value).toBe("gbdt");
    // with autolog off, events go nowhere
    await withRun({ store, environment: false, autolog: false }, async (r) => {
      id = r.runId;
      emit({ type: "metric", key: "quiet", value: 1 });
    });
    expect(await history(id, "quiet")).toEqual([]);
  });
});
