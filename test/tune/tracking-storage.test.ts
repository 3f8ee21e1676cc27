/**
 * Studies in the tracking store, on every backend of test/conformance/store/backends.ts (SQLite,
 * PostgreSQL when KEEL_TEST_POSTGRES is set, a `keel server` over HTTP): each trial a child run,
 * and a study resumed from a fresh store equals the one that wrote it.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type TrackingStore } from "../../src/track/index.js";
import { TrialPruned, createStudy, trackingStorage } from "../../src/tune/index.js";
import { type OpenedBackend, targets, warnIfNoPostgres } from "../conformance/store/backends.js";

warnIfNoPostgres();

describe.each(targets)("studies in the tracking store: $name", (target) => {
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

  it.skipIf(!target.available)("writes each trial as a child run and resumes the study from a fresh store", async () => {
    const study = await createStudy({ name: "curves", direction: "minimize", store: trackingStorage(s), sampler: { name: "tpe", seed: 1, nStartupTrials: 4 }, pruner: { name: "median", nStartupTrials: 2 } });
    await study.enqueueTrial({ level: 0.5, kind: "b" });
    await study.optimize(
      (t) => {
        const level = t.suggestFloat("level", 0, 1);
        const kind = t.suggestCategorical("kind", ["a", "b"]);
        const depth = kind === "a" ? t.suggestInt("depth", 1, 8) : 0;
        for (let step = 0; step < 4; step++) {
          t.report(level + 1 / (step + 1) + depth / 100, step);
          if (t.shouldPrune()) throw new TrialPruned();
        }
        return level + depth / 100;
      },
      { nTrials: 10 },
    );
    await study.optimize(() => { throw new Error("boom"); }, { nTrials: 1, catchErrors: true });
    const written = study.trials;
    expect(written).toHaveLength(11);
    expect(written[0].params).toMatchObject({ level: 0.5, kind: "b" });
    expect(written.some((t) => t.state === "pruned")).toBe(true);
    expect(written[10].state).toBe("failed");

    // the runs as any MLflow client sees them
    const parent = (await s.searchRuns({ filter: "tags.`keel.study` = 'curves'" })).items[0];
    expect(parent.info.runName).toBe("curves");
    const children = (await s.searchRuns({ filter: `tags.\`mlflow.parentRunId\` = '${parent.info.runId}'` })).items;
    expect(children).toHaveLength(11);
    const byNumber = new Map(children.map((r) => [Number(r.data.tags.find((t) => t.key === "keel.trial.number")!.value), r]));
    const statuses = { complete: "FINISHED", pruned: "KILLED", failed: "FAILED" } as Record<string, string>;
    for (const t of written) {
      const run = byNumber.get(t.number)!;
      expect(run.info.status).toBe(statuses[t.state]);
      expect(Object.fromEntries(run.data.params.map((p) => [p.key, p.value]))).toEqual(Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, String(v)])));
      if (t.state === "complete") expect(run.data.metrics.find((m) => m.key === "value")!.value).toBe(t.value);
    }

    // a fresh store, a fresh storage: the same study, and it goes on numbering
    const again = await openStore(o.backend);
    const resumed = await createStudy({ name: "curves", direction: "minimize", store: trackingStorage(again), loadIfExists: true, sampler: { name: "tpe", seed: 1 } });
    const strip = (ts: typeof written) => ts.map((t) => ({ number: t.number, state: t.state, value: t.value, params: t.params, distributions: t.distributions, intermediateValues: t.intermediateValues }));
    expect(strip(resumed.trials)).toEqual(strip(written));
    expect(resumed.bestValue).toBe(study.bestValue);
    await resumed.optimize((t) => t.suggestFloat("level", 0, 1), { nTrials: 1 });
    expect(resumed.trials.map((t) => t.number)).toEqual([...written.map((t) => t.number), 11]);
    await expect(createStudy({ name: "curves", store: trackingStorage(again) })).rejects.toThrow(/already exists/);
  });
});
