import { describe, expect, it } from "vitest";
import { SIMPLICITY_ORDER, modelFamily, oneStandardErrorChoice, type CvCandidate } from "../../src/evaluate/one-standard-error.js";

const c = (name: string, kind: string, mean: number, std: number, folds = 5): CvCandidate => ({ name, kind, mean, std, folds });

describe("one-standard-error rule", () => {
  it("prefers the simpler model when the best is ahead by noise (0.9866 vs 0.9865, CV std 0.017)", () => {
    const cands = [c("dummy", "dummy-classifier", 0.5, 0), c("logistic", "logistic", 0.9865, 0.017), c("forest", "forest-classifier", 0.9811, 0.02), c("gbdt", "gbdt-classifier", 0.9866, 0.017)];
    const r = oneStandardErrorChoice(cands, { greaterIsBetter: true });
    expect(r.best).toBe(3);
    expect(r.chosen).toBe(1);
    expect(r.standardError).toBeCloseTo(0.017 / Math.sqrt(5), 15);
    expect(r.threshold).toBeCloseTo(0.9866 - 0.017 / Math.sqrt(5), 15);
    expect(r.within).toEqual([1, 2, 3]);
    expect(r.reason).toBe("logistic: its CV mean 0.9865 is within one standard error (0.0076) of the best, gbdt's 0.9866, and linear is simpler than GBDT");
  });

  it("keeps the best when no simpler candidate is within one standard error", () => {
    const r = oneStandardErrorChoice([c("ridge", "ridge", 0.80, 0.01), c("gbdt", "gbdt-regressor", 0.90, 0.02)], { greaterIsBetter: true });
    expect(r.chosen).toBe(1);
    expect(r.reason).toBe("gbdt: the best CV mean, 0.9000; no simpler candidate is within one standard error (0.0089) of it");
  });

  it("lower is better for errors (rmse); NaN means never win; the simplest family in reach, then the better mean", () => {
    const cands = [c("dummy", "dummy-regressor", 9.1, 0.4), c("knn", "knn-regressor", 3.05, 0.2), c("tree", "tree-regressor", NaN, NaN), c("ridge", "ridge", 3.3, 0.3), c("lasso", "lasso", 3.09, 0.3), c("forest", "forest-regressor", 3.0, 0.3)];
    const r = oneStandardErrorChoice(cands, { greaterIsBetter: false });
    // SE = 0.3 / √5 = 0.134: within are knn 3.05, lasso 3.09 and forest 3.0; linear (lasso) is simplest
    expect(r.best).toBe(5);
    expect(r.within).toEqual([1, 4, 5]);
    expect(r.chosen).toBe(4);
    expect(r.reason).toMatch(/^lasso: its CV mean 3.0900 is within one standard error \(0.1342\) of the best, forest's 3.0000, and linear is simpler than forest$/);
  });

  it("knows the families in order; an unknown kind counts as the most complex", () => {
    expect(SIMPLICITY_ORDER).toEqual(["baseline", "linear", "naive Bayes", "k-NN", "tree", "forest", "GBDT"]);
    expect(["dummy-regressor", "elastic-net", "gaussian-nb", "knn-classifier", "tree-regressor", "extra-trees-classifier", "gbdt-classifier"].map(modelFamily)).toEqual([...SIMPLICITY_ORDER]);
    expect(modelFamily("my-svm")).toBeNull();
    const r = oneStandardErrorChoice([c("svm", "my-svm", 0.91, 0.05), c("gbdt", "gbdt-classifier", 0.9, 0.05)], { greaterIsBetter: true });
    expect(r.chosen).toBe(1);
    expect(r.reason).toMatch(/GBDT is simpler than my-svm \(outside the simplicity order\)$/);
    expect(() => oneStandardErrorChoice([c("x", "ridge", NaN, 0)], { greaterIsBetter: true })).toThrow(/no candidate has a finite cross-validated score/);
    expect(() => oneStandardErrorChoice([c("x", "ridge", 1, 0, 0)], { greaterIsBetter: true })).toThrow(/candidate "x": folds must be an integer ≥ 1, got 0/);
  });
});
