/**
 * Multiclass fits on worker threads grow an iteration's class trees at once (class-trees.ts):
 * the saved model must be byte-identical to growing them one at a time — on one thread, and on
 * two threads with the concurrent path switched off (today's path) — with feature and row
 * subsampling, sample weights and early stopping on a validation set.
 */
import { afterEach, describe, expect, it } from "vitest";
import { artifactToBytes } from "../../../src/estimator/artifact.js";
import type { Frame } from "../../../src/data/frame.js";
import { type GbdtClassifierModel, gbdtClassifier } from "../../../src/models/gbdt/index.js";
import { setConcurrentClassTrees } from "../../../src/models/gbdt/class-trees.js";
import { lastPhaseProfile, setPhaseProfiling } from "../../../src/models/gbdt/phases.js";
import { MIN_ROWS_FOR_THREADS } from "../../../src/models/gbdt/train.js";
import { synthetic } from "./helpers.js";

const bytes = (m: GbdtClassifierModel) => Buffer.from(artifactToBytes(m.save()));

/** synthetic() with a target of `K` classes (4 or 5) from `value`, and two more numeric features. */
function classes(n: number, seed: number, K: number): Frame {
  const d = synthetic(n, seed);
  const v = (d.column("value") as { values: Float64Array }).values;
  const x1 = (d.column("x1") as { values: Float64Array }).values;
  const x2 = (d.column("x2") as { values: Float64Array }).values;
  return d
    .drop(["label", "value", "count"])
    .withColumn("x3", Float64Array.from(x1, (a, i) => a * 0.5 - (x2[i] === x2[i] ? x2[i] : 0)))
    .withColumn("x4", Float64Array.from(v, (a, i) => Math.sin(a + i * 0.001)))
    .withColumn("g", Array.from(v, (z) => (z > 3 ? "p" : z > 0 ? "q" : z > -3 || K === 4 ? "r" : z > -5 ? "s" : "t")));
}

/** Fit on 1 thread, on 2 with the class trees at once, and on 2 one tree at a time. */
async function threeWays(spec: ReturnType<typeof gbdtClassifier>, data: Frame, opts: Record<string, unknown>): Promise<[Buffer, Buffer, Buffer, GbdtClassifierModel]> {
  const one = await spec.fit(data, { target: "g", threads: 1, ...opts });
  setPhaseProfiling(true);
  const two = await spec.fit(data, { target: "g", threads: 2, ...opts });
  // the two-thread fit did take the concurrent path
  expect(lastPhaseProfile()!.seconds["class trees"]).toBeGreaterThan(0);
  setConcurrentClassTrees(false);
  const seq = await spec.fit(data, { target: "g", threads: 2, ...opts });
  expect(lastPhaseProfile()!.seconds["class trees"]).toBe(0);
  setConcurrentClassTrees(true);
  setPhaseProfiling(false);
  return [bytes(one), bytes(two), bytes(seq), one];
}

afterEach(() => {
  setConcurrentClassTrees(true);
  setPhaseProfiling(false);
});

describe("class trees grown at once", () => {
  const n = MIN_ROWS_FOR_THREADS + 3000;

  it("give the same bytes as one at a time: all rows and features, 4 classes", async () => {
    const data = classes(n, 31, 4);
    const [one, two, seq] = await threeWays(gbdtClassifier({ maxIter: 6, maxLeaves: 15, earlyStopping: false }), data, {});
    expect(two.equals(seq)).toBe(true);
    expect(one.equals(two)).toBe(true);
  }, 120_000);

  it("give the same bytes as one at a time: 5 classes, column and row subsampling, weights, early stopping on a validation set", async () => {
    const data = classes(n, 32, 5);
    const validation = classes(4000, 33, 5);
    const weights = Float64Array.from({ length: n }, (_, i) => 0.5 + ((i * 7919) % 13) / 8);
    const spec = gbdtClassifier({ maxIter: 100, maxLeaves: 21, colsampleByTree: 0.6, subsample: 0.7, earlyStopping: true, nIterNoChange: 2, learningRate: 0.35, seed: 9 });
    const [one, two, seq, model] = await threeWays(spec, data, { weights, validation });
    // early stopping stopped the fit, and went back to an earlier iteration
    expect(model.iterationsRun).toBeLessThan(100);
    expect(model.nIterations).toBeGreaterThan(5);
    expect(model.nIterations).toBeLessThan(model.iterationsRun);
    expect(two.equals(seq)).toBe(true);
    expect(one.equals(two)).toBe(true);
  }, 180_000);
});
