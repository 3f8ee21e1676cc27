/**
 * Permutation importance and partial dependence against scikit-learn 1.2 (`sklearn.inspection`,
 * fixture made by test/fixtures/explain/make_inspection.py with Debian's python3-sklearn) on k-NN
 * models, whose predictions equal scikit-learn's:
 *
 * - permutation importance with scikit-learn's own permutations (the fixture records, per repeat,
 *   the composed row index its in-place shuffles produce; they are fed through `permutation`):
 *   every importance, mean and std to 1e-12;
 * - partial dependence and ICE ("brute"): the grid (unique values, or mquantiles + linspace),
 *   every average and every individual value to 1e-12, for a regressor and a binary classifier.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { partialDependence, permutationImportance } from "../../src/explain/index.js";
import { knnClassifier, knnRegressor } from "../../src/models/index.js";

interface Fixture {
  columns: string[];
  train: { X: number[][]; y: number[]; label: string[] };
  test: { X: number[][]; y: number[]; label: string[] };
  n_repeats: number;
  row_index: number[][];
  permutation_importance: Record<string, Record<string, { importances: number[][]; importances_mean: number[]; importances_std: number[] }>>;
  partial_dependence: Record<string, { feature: number; grid_resolution: number; percentiles: [number, number]; values: number[]; average: number[][]; individual: number[][][] }[]>;
}

const fx: Fixture = JSON.parse(readFileSync(new URL("../fixtures/explain/inspection.json", import.meta.url), "utf8"));

function frame(part: Fixture["train"], target: "y" | "label"): Frame {
  const cols: Record<string, Float64Array | string[]> = {};
  fx.columns.forEach((c, j) => (cols[c] = Float64Array.from(part.X, (r) => r[j])));
  cols.target = target === "y" ? Float64Array.from(part.y) : part.label;
  return Frame.fromColumns(cols);
}

const models = {
  regressor: () => knnRegressor({ nNeighbors: 5 }).fit(frame(fx.train, "y"), { target: "target" }),
  classifier: () => knnClassifier({ nNeighbors: 7 }).fit(frame(fx.train, "label"), { target: "target" }),
};
const testOf = { regressor: frame(fx.test, "y"), classifier: frame(fx.test, "label") };

describe("permutationImportance equals scikit-learn's with its permutations", () => {
  for (const kind of ["regressor", "classifier"] as const) {
    it(`${kind}: ${Object.keys(fx.permutation_importance[kind]).join(", ")}`, async () => {
      const model = await models[kind]();
      const want = fx.permutation_importance[kind];
      const pi = permutationImportance(model, testOf[kind], { target: "target", scoring: Object.keys(want), nRepeats: fx.n_repeats, permutation: (_c, t) => fx.row_index[t] });
      expect(pi.columns).toEqual(fx.columns);
      for (const [name, ref] of Object.entries(want)) {
        const got = pi.scores[name];
        for (let c = 0; c < 4; c++) {
          for (let t = 0; t < fx.n_repeats; t++) expect(Math.abs(got.importances[c * fx.n_repeats + t] - ref.importances[c][t])).toBeLessThan(1e-12);
          expect(Math.abs(got.mean[c] - ref.importances_mean[c])).toBeLessThan(1e-12);
          expect(Math.abs(got.std[c] - ref.importances_std[c])).toBeLessThan(1e-12);
        }
      }
    });
  }

  it("seeded by default: the same seed gives the same importances, another seed other permutations", async () => {
    const model = await models.regressor();
    const a = permutationImportance(model, testOf.regressor, { target: "target", nRepeats: 3, seed: 1 });
    const b = permutationImportance(model, testOf.regressor, { target: "target", nRepeats: 3, seed: 1 });
    const c = permutationImportance(model, testOf.regressor, { target: "target", nRepeats: 3, seed: 2 });
    expect(Array.from(b.scores.r2.importances)).toEqual(Array.from(a.scores.r2.importances));
    expect(Array.from(c.scores.r2.importances)).not.toEqual(Array.from(a.scores.r2.importances));
    expect(a.scores.r2.baseline).toBe(c.scores.r2.baseline);
  });

  it("refuses a scorer of another task, a bad permutation and a missing target, by name", async () => {
    const model = await models.regressor();
    const data = testOf.regressor;
    expect(() => permutationImportance(model, data, { target: "target", scoring: "accuracy" })).toThrow(/scorer "accuracy" applies to binary and multiclass tasks, not regression/);
    expect(() => permutationImportance(model, data, { target: "target", permutation: () => [0, 0, 1] })).toThrow(/not a permutation of 0 … 89/);
    expect(() => permutationImportance(model, data, { target: "nope" })).toThrow(/target column "nope" is not in the data/);
    expect(() => permutationImportance(model, data, { target: "target", nRepeats: 0 })).toThrow(/nRepeats must be a whole number ≥ 1, got 0/);
  });
});

describe("partialDependence equals scikit-learn's brute method", () => {
  for (const kind of ["regressor", "classifier"] as const) {
    it(`${kind}: grid, average and every ICE value`, async () => {
      const model = await models[kind]();
      for (const ref of fx.partial_dependence[kind]) {
        const pd = partialDependence(model, testOf[kind], fx.columns[ref.feature], { gridResolution: ref.grid_resolution, percentiles: ref.percentiles });
        expect(pd.grid).toHaveLength(ref.values.length);
        ref.values.forEach((v, g) => expect(Math.abs((pd.grid[g] as number) - v)).toBeLessThan(1e-12));
        const G = ref.values.length;
        ref.average[0].forEach((v, g) => expect(Math.abs(pd.average[g] - v)).toBeLessThan(1e-12));
        ref.individual[0].forEach((row, i) => row.forEach((v, g) => expect(Math.abs(pd.individual[i * G + g] - v)).toBeLessThan(1e-12)));
      }
    });
  }

  it("refuses a column that is not an input, and percentiles out of order", async () => {
    const model = await models.regressor();
    expect(() => partialDependence(model, testOf.regressor, "nope")).toThrow(/column "nope" is not an input of the model/);
    expect(() => partialDependence(model, testOf.regressor, "x0", { percentiles: [0.9, 0.1] })).toThrow(/percentiles must be two numbers in \[0, 1\], the first smaller/);
  });
});
