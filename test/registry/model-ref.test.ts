import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { loadModel, predictFrame } from "../../src/estimator/index.js";
import "../../src/features/index.js";
import "../../src/models/index.js";
import { modelSpec } from "../../src/project/catalog.js";
import { localModelDir, openModelRef, openRegistry, parseModelRef, registerModel, type RegistryStore } from "../../src/registry/index.js";
import { openStore, startRun, type TrackingStore } from "../../src/track/index.js";
import { type Harness, startHarness } from "../server/harness.js";

describe("parseModelRef", () => {
  it("reads MLflow's model URIs, and anything else as a path", () => {
    expect(parseModelRef("models:/credit@champion")).toEqual({ kind: "registry", name: "credit", alias: "champion" });
    expect(parseModelRef("models:/credit/12")).toEqual({ kind: "registry", name: "credit", version: "12" });
    expect(parseModelRef("models:/credit/latest")).toEqual({ kind: "registry", name: "credit", latest: true });
    expect(parseModelRef("models:/credit/production")).toEqual({ kind: "registry", name: "credit", latest: true, stage: "Production" });
    expect(parseModelRef("models:/team/credit@challenger")).toEqual({ kind: "registry", name: "team/credit", alias: "challenger" });
    expect(parseModelRef("./credit-model")).toEqual({ kind: "path", path: "./credit-model" });
    for (const bad of ["models:/credit", "models:/credit/v2", "models:/credit@", "models:/@x", "models:credit/1"]) {
      expect(() => parseModelRef(bad), bad).toThrow(/model reference ".*" is not valid: expected models:\/<name>@<alias>, models:\/<name>\/<version>/);
    }
  });
});

/** A real fitted model: the class prior of a tiny frame. */
async function fittedPrior(positiveShare: number) {
  const n = 20;
  const y = Array.from({ length: n }, (_, i) => (i < n * positiveShare ? "bad" : "good"));
  const frame = Frame.fromColumns({ x: Array.from({ length: n }, (_, i) => i), y });
  return modelSpec("dummy", "classification", { strategy: "prior" }).fit(frame, { target: "y" });
}

/** Two versions of model "m" in `store`, v1 @champion, v2 in Staging. */
async function registerTwo(store: TrackingStore, registry: RegistryStore): Promise<void> {
  for (const share of [0.25, 0.5]) {
    const run = await startRun({ store, experiment: "refs", environment: false });
    await run.logModel(await fittedPrior(share));
    await run.end();
    await registerModel({ registry, tracking: store, runId: run.runId, name: "m" });
  }
  await registry.setRegisteredModelAlias("m", "champion", "1");
  await registry.transitionModelVersionStage("m", "2", "Staging", false);
}

/** P(bad) the model at `dir` predicts. */
function pBad(dir: string): number {
  const { frame } = predictFrame(loadModel(dir), Frame.fromColumns({ x: [1] }));
  return (frame.column("proba_bad") as { values: Float64Array }).values[0];
}

describe("openModelRef", () => {
  let dir: string;
  let store: TrackingStore;
  let registry: RegistryStore;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "keel-model-ref-"));
    store = await openStore(path.join(dir, "keel.db"));
    registry = await openRegistry(store);
    await registerTwo(store, registry);
  });
  afterAll(async () => {
    await registry.close();
    await store.close();
  });

  it("finds a local store's versions in place, by alias, number, latest and stage", async () => {
    const stores = { registry, tracking: store };
    const cases: [string, string, number][] = [
      ["models:/m@champion", "1", 0.25],
      ["models:/m/1", "1", 0.25],
      ["models:/m/2", "2", 0.5],
      ["models:/m/latest", "2", 0.5],
      ["models:/m/staging", "2", 0.5],
    ];
    for (const [ref, version, p] of cases) {
      const m = await openModelRef(ref, stores);
      expect(m.version!.version, ref).toBe(version);
      expect(m.dir).toBe(localModelDir(m.version!.source));
      expect(m.dir.startsWith(dir)).toBe(true);
      expect(pBad(m.dir)).toBeCloseTo(p, 12);
      await m.release();
      expect(existsSync(m.dir)).toBe(true); // in place: nothing to remove
    }
  });

  it("says what is missing", async () => {
    const stores = { registry, tracking: store };
    await expect(openModelRef("models:/m@nobody", stores)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(openModelRef("models:/m/9", stores)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(openModelRef("models:/nope/latest", stores)).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/"nope" has no version/) });
    await expect(openModelRef("models:/m/production", stores)).rejects.toMatchObject({ code: "NOT_FOUND", message: expect.stringMatching(/in stage Production/) });
    await expect(openModelRef("models:/m@champion", null)).rejects.toThrow(/needs a registry/);
    expect((await openModelRef("some/folder", null)).dir).toBe("some/folder");
  });
});

describe("openModelRef through a keel server", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const registry = await openRegistry(h.store);
    await registerTwo(h.store, registry);
    await registry.close();
  });
  afterAll(async () => h.close());

  it("uses the files in place when they are on this machine, or downloads them into a folder asked for", async () => {
    const tracking = await openStore(h.url);
    const registry = await openRegistry(h.url);
    try {
      const m = await openModelRef("models:/m@champion", { registry, tracking });
      expect(m.version!.version).toBe("1");
      expect(m.dir).toBe(localModelDir(m.version!.source));
      expect(pBad(m.dir)).toBeCloseTo(0.25, 12);
      const into = path.join(mkdtempSync(path.join(os.tmpdir(), "keel-model-copy-")), "model");
      const copy = await openModelRef("models:/m/2", { registry, tracking }, { into });
      expect(copy.dir).toBe(into);
      await copy.release();
      expect(readdirSync(into).sort()).toEqual(readdirSync(localModelDir(copy.version!.source)!).sort());
      expect(pBad(into)).toBeCloseTo(0.5, 12);
    } finally {
      await registry.close();
      await tracking.close();
    }
  });
});
