import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTable } from "../../src/data/io/index.js";
import { loadModel, predictFrame, savedModelHash } from "../../src/estimator/index.js";
import "../../src/features/index.js";
import "../../src/models/index.js";
import { trainModel } from "../../src/pipeline/index.js";

const fixture = path.resolve(import.meta.dirname, "../fixtures/cli/credit-300.csv");
const tmp = mkdtempSync(path.join(os.tmpdir(), "keel-train-seed-"));

/** Train with a seed; the saved model's hash and its class probabilities on the training rows. */
async function trained(model: string, set: string, seed: number, cv?: number) {
  const out = path.join(tmp, `${model}-${seed}-${Math.random().toString(36).slice(2)}`);
  const r = await trainModel({ file: fixture, target: "Status", model, set, seed, cv, test: cv ? undefined : fixture, out, threads: 1 });
  const proba = predictFrame(loadModel(out), await readTable(fixture)).frame.column("proba_bad");
  return { hash: savedModelHash(out), proba: Array.from((proba as { values: Float64Array }).values), result: r };
}

describe("keel train --seed", () => {
  for (const [model, set] of [
    ["forest", "nEstimators=15"],
    ["gbdt", "maxIter=15,subsample=0.6"],
  ]) {
    it(`reaches the final fit of ${model}: other seeds, other models; the same seed, the same bytes`, async () => {
      const [a, b, c, again] = [await trained(model, set, 0), await trained(model, set, 1), await trained(model, set, 7), await trained(model, set, 7)];
      expect(new Set([a.hash, b.hash, c.hash]).size).toBe(3);
      expect(a.proba).not.toEqual(b.proba);
      expect(b.proba).not.toEqual(c.proba);
      expect(again.hash).toBe(c.hash);
      expect(again.proba).toEqual(c.proba);
    });
  }

  it("reaches the folds too, and refuses a seed that is not an integer ≥ 0", async () => {
    const a = await trained("forest", "nEstimators=10", 0, 3);
    const b = await trained("forest", "nEstimators=10", 1, 3);
    expect(a.result.cv!.folds).not.toEqual(b.result.cv!.folds);
    await expect(trainModel({ file: fixture, target: "Status", model: "logistic", seed: 1.5 })).rejects.toThrow(/seed 1\.5 is not valid: expected an integer ≥ 0/);
  });
});
