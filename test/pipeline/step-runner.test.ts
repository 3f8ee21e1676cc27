import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StepCache } from "../../src/pipeline/cache.js";
import { step } from "../../src/pipeline/step.js";
import { StepRunner } from "../../src/pipeline/step-runner.js";
import { openStore, type TrackingStore, withRun } from "../../src/track/index.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "keel-runner-"));
const stores: TrackingStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

/** A fold score that cannot be computed (a class absent from the fold): NaN, as cross-validation reports it. */
let computed = 0;
const foldScores = step<{ model: string }, { folds: number[]; std: number }>({
  name: "folds",
  key: (i) => i,
  run: () => {
    computed++;
    return { folds: [0.91, NaN, -0], std: Infinity };
  },
  childRun: (i) => ({ name: i.model, tags: { "keel.model": i.model } }),
  track(o, run) {
    o.folds.forEach((v, k) => run.logMetric("fold_roc_auc_ovr", v, k));
  },
});

describe("StepRunner", () => {
  it("computes once, then serves the cache; the output is the same either way, and a cached NaN is tracked as it was computed", async () => {
    const store = await openStore(path.join(dir, "keel.db"));
    stores.push(store);
    const cache = new StepCache(path.join(dir, "cache"), "v1");
    const walk = async () =>
      withRun({ store, experiment: "steps", name: "walk", environment: false }, async (parent) => {
        const runner = new StepRunner({ cache });
        runner.attach(parent, { "keel.project": "p" });
        const r = await runner.runWithInfo(foldScores, { model: "gbdt" });
        return { r, stats: { ...runner.stats } };
      });
    const first = await walk();
    const second = await walk();
    expect(computed).toBe(1);
    expect(first.stats).toEqual({ hits: 0, misses: 1 });
    expect(second.stats).toEqual({ hits: 1, misses: 0 });
    expect([first.r.cached, second.r.cached]).toEqual([false, true]);
    for (const { r } of [first, second]) {
      expect(r.output.folds[0]).toBe(0.91);
      expect(Number.isNaN(r.output.folds[1])).toBe(true);
      expect(Object.is(r.output.folds[2], -0)).toBe(true);
      expect(r.output.std).toBe(Infinity);
    }
    // each walk recorded the step on its own child run, tagged, and finished it
    for (const { r } of [first, second]) {
      const run = await store.getRun(r.runId!);
      expect(run.info.status).toBe("FINISHED");
      const tags = Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
      expect(tags).toMatchObject({ "keel.step": "folds", "keel.model": "gbdt", "keel.project": "p", "keel.cached": String(r.cached) });
      const history = (await store.getMetricHistory(r.runId!, "fold_roc_auc_ovr")).items;
      expect(history.map((m) => m.step)).toEqual([0, 1, 2]);
    }
  });

  it("recomputes with force, and runs steps without a key every time", async () => {
    const cache = new StepCache(path.join(dir, "cache-force"), "v1");
    let n = 0;
    const counted = step<number, number>({ name: "counted", key: (i) => i, run: (i) => (n++, i * 2) });
    const uncached = step<number, number>({ name: "uncached", run: (i) => (n++, i + 1) });
    const runner = new StepRunner({ cache });
    expect(await runner.run(counted, 2)).toBe(4);
    expect(await runner.run(counted, 2)).toBe(4);
    expect(await runner.run(uncached, 2)).toBe(3);
    expect(await runner.run(uncached, 2)).toBe(3);
    expect(n).toBe(3);
    expect(runner.stats).toEqual({ hits: 1, misses: 1 });
    await new StepRunner({ cache, force: true }).run(counted, 2);
    expect(n).toBe(4);
    // another code version is another key
    await new StepRunner({ cache: new StepCache(path.join(dir, "cache-force"), "v2") }).run(counted, 2);
    expect(n).toBe(5);
  });

  it("hands on what load() makes of the stored value, on a miss as on a hit", async () => {
    const cache = new StepCache(path.join(dir, "cache-load"), "v1");
    const wrapped = step<number, { value: number; fromCache: string }>({
      name: "wrapped",
      key: (i) => i,
      run: (i) => ({ value: i, fromCache: "no" }),
      save: (o) => o.value,
      load: (v, entry) => ({ value: v as number, fromCache: path.basename(path.dirname(entry)) }),
    });
    const runner = new StepRunner({ cache });
    expect(await runner.run(wrapped, 5)).toEqual({ value: 5, fromCache: "wrapped" });
    expect(await runner.run(wrapped, 5)).toEqual({ value: 5, fromCache: "wrapped" });
  });

  it("ends a child run FAILED when its step throws, and caches nothing", async () => {
    const store = await openStore(path.join(dir, "keel-fail.db"));
    stores.push(store);
    const cache = new StepCache(path.join(dir, "cache-fail"), "v1");
    const failing = step<string, number>({ name: "failing", key: (i) => i, run: () => Promise.reject(new Error("no data")), childRun: (i) => ({ name: i }) });
    const err = await withRun({ store, experiment: "steps", name: "walk", environment: false }, async (parent) => {
      const runner = new StepRunner({ cache });
      runner.attach(parent);
      return runner.run(failing, "x").catch((e: Error) => e);
    });
    expect((err as Error).message).toBe("no data");
    const runs = (await store.searchRuns({ experimentIds: [(await store.getExperimentByName("steps")).experimentId], maxResults: 10 })).items;
    expect(runs.find((r) => r.info.runName === "x")!.info.status).toBe("FAILED");
    expect(cache.has("failing", cache.key("failing", "x"))).toBe(false);
  });
});
