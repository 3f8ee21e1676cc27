/**
 * Why leak-proofing matters (issue 4): on pure-noise features with a high-cardinality categorical
 * and a random binary target, a target encoder fitted on ALL rows before cross-validation makes
 * the cross-validated ROC AUC look far better than chance, while `crossValidate` with the encoder
 * inside the pipeline (fitted on each training fold only, cross-fitted on it) gives the honest,
 * chance-level score.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { Frame } from "../../src/data/frame.js";
import { crossValidate } from "../../src/evaluate/cv/index.js";
import { columns, pipeline, standardScaler, targetEncoder } from "../../src/features/index.js";
import { logistic } from "../../src/models/linear/index.js";

function noise(seed: number): Frame {
  const rng = new Rng(seed);
  const n = 600;
  const cols: Record<string, unknown[]> = {};
  for (let j = 0; j < 5; j++) cols[`noise${j}`] = Array.from({ length: n }, () => rng.normal());
  cols.id = Array.from({ length: n }, () => `id${rng.int(300)}`); // ~2 rows per level
  cols.y = Array.from({ length: n }, () => (rng.float() < 0.5 ? "no" : "yes"));
  return Frame.fromColumns(cols as Record<string, number[] | string[]>);
}

describe("leakage", () => {
  for (const seed of [1, 2]) {
    it(`target encoding fitted before CV inflates ROC AUC; inside the pipeline it is chance (seed ${seed})`, async () => {
      const data = noise(seed);
      const options = { target: "y", cv: 5, metrics: ["roc_auc"], threads: 1, rng: seed };

      // the mistake: encode with statistics of every row, then cross-validate the model
      const leakyEncoder = await targetEncoder({ columns: ["id"] }).fit(data, { target: "y" });
      const encoded = leakyEncoder.transform(data).withColumn("y", data.column("y"));
      const leaky = await crossValidate(pipeline(standardScaler(), logistic()), encoded, options);

      // leak-proof: the encoder is part of what each fold fits
      const spec = pipeline(columns({ te: [["id"], targetEncoder()], num: [{ kind: "numeric" }, standardScaler()] }), logistic());
      const honest = await crossValidate(spec, data, options);

      expect(leaky.mean.roc_auc).toBeGreaterThan(0.7);
      expect(Math.abs(honest.mean.roc_auc - 0.5)).toBeLessThan(0.08);
      expect(leaky.mean.roc_auc - honest.mean.roc_auc).toBeGreaterThan(0.15);
    });
  }
});
