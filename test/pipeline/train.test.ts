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

describe("keel train --positive and --group", () => {
  it("--positive makes binary metrics score that class: F1 equals the F1 of the class, counted from the predictions", async () => {
    const rows = await readTable(fixture);
    const f1Of = (labels: string[], predicted: string[], cls: string) => {
      let tp = 0, fp = 0, fn = 0;
      labels.forEach((y, i) => {
        if (predicted[i] === cls && y === cls) tp++;
        else if (predicted[i] === cls) fp++;
        else if (y === cls) fn++;
      });
      return (2 * tp) / (2 * tp + fp + fn);
    };
    const status = rows.column("Status") as unknown as { codes: Int32Array; categories: string[] };
    const labels = Array.from(status.codes, (c) => status.categories[c]);
    for (const positive of ["bad", "good"]) {
      const out = path.join(tmp, `positive-${positive}`);
      const r = await trainModel({ file: fixture, target: "Status", model: "logistic", positive, test: fixture, out, threads: 1 });
      const pred = predictFrame(loadModel(out), rows).frame.column("prediction") as unknown as { codes: Int32Array; categories: string[] };
      const predicted = Array.from(pred.codes, (c) => pred.categories[c]);
      expect(r.test!.metrics.f1).toBeCloseTo(f1Of(labels, predicted, positive), 12);
    }
    await expect(trainModel({ file: fixture, target: "Status", model: "logistic", positive: "Bad" })).rejects.toThrow(/--positive "Bad" is not a class of "Status"; the classes are \["bad","good"\]/);
    await expect(trainModel({ file: fixture, target: "Price", model: "ridge", positive: "1" })).rejects.toThrow(/--positive "1" applies to a binary target; "Price" is continuous/);
  });

  it("--group cuts group folds and keeps the column out of the model", async () => {
    const out = path.join(tmp, "grouped");
    const r = await trainModel({ file: fixture, target: "Status", model: "logistic", group: "Age", cv: 3, out, threads: 1 });
    expect(r.cv!.description).toBe("group k=3 by Age");
    expect(r.cv!.folds).toHaveLength(3);
    const names = loadModel(out).signature.inputs.map((c: { name: string }) => c.name);
    expect(names).not.toContain("Age");
    expect(names).toContain("Seniority");
    await expect(trainModel({ file: fixture, target: "Status", model: "logistic", group: "Nope" })).rejects.toThrow(/--group "Nope" is not a feature column/);
  });
});
