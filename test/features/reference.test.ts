/**
 * Every transformer against scikit-learn 1.2 (and, for the target encoder, the reference
 * implementation of scikit-learn 1.3's TargetEncoder in make_reference.py): fitted on the
 * fixture's training rows, outputs on the training rows and on unseen test rows must equal the
 * reference to 1e-12 (labels exactly), with the same output column names.
 */
import { describe, expect, it } from "vitest";
import { specFromJson } from "../../src/estimator/define.js";
import { defaultPreprocessing, fitTransform } from "../../src/features/index.js";
import type { Spec, Transformer } from "../../src/estimator/types.js";
import { columnValues, fixtureData, mismatches, referenceCases } from "./fixture.js";

function specOf(kind: string, params: Record<string, unknown>): Spec {
  if (kind === "default-preprocessing") return defaultPreprocessing(params);
  return specFromJson({ kind, params });
}

describe("features vs scikit-learn reference", () => {
  const { train, test } = fixtureData();
  for (const c of referenceCases()) {
    it(c.name, async () => {
      const spec = specOf(c.kind, c.params);
      const trainX = train.select(c.columns);
      const testX = test.select(c.columns.filter((n) => n !== c.target));
      // training output as a pipeline sees it (cross-fitted for the target encoder)
      const { fitted, output } = await fitTransform<Transformer>(spec, trainX, { target: c.target });
      const outTest = fitted.transform(testX);
      const names = c.names ? c.names.map((n) => n.replace(/_infrequent_sklearn$/, "_infrequent")) : null;
      if (names) expect([...fitted.featureNames]).toEqual(names);
      expect(output.names).toEqual([...fitted.featureNames]);
      expect(outTest.names).toEqual([...fitted.featureNames]);
      expect(fitted.featureNames.length).toBe(c.train.length);
      const problems: string[] = [];
      fitted.featureNames.forEach((name, j) => {
        for (const p of mismatches(columnValues(output, name), c.train[j])) problems.push(`train ${name}: ${p}`);
        for (const p of mismatches(columnValues(outTest, name), c.test[j])) problems.push(`test ${name}: ${p}`);
      });
      expect(problems.slice(0, 20)).toEqual([]);
    });
  }
});
