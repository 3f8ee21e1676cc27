import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/core/errors.js";
import { defaultMetrics, logLoss, rocAuc, rootMeanSquaredError, scorer, scorerNames, scorers, scorersFor } from "../../src/metrics/index.js";

const ref = JSON.parse(readFileSync(new URL("../fixtures/metrics/reference.json", import.meta.url), "utf8")) as {
  data: Record<string, Record<string, number[]>>;
  cases: { fn: string; data: string; w: string | null; options: Record<string, unknown>; expected?: number }[];
};
const expected = (fn: string, data: string, options: Record<string, unknown> = {}) =>
  ref.cases.find((c) => c.fn === fn && c.data === data && c.w === null && JSON.stringify(c.options) === JSON.stringify(options))!.expected as number;

const REQUIRED = [
  "accuracy", "balanced_accuracy", "precision", "recall", "f1", "f1_macro", "f1_micro", "f1_weighted", "roc_auc", "roc_auc_ovr",
  "average_precision", "neg_log_loss", "log_loss", "brier_score", "matthews_corrcoef", "cohen_kappa", "mae", "neg_mean_absolute_error",
  "mse", "rmse", "r2", "mape", "median_absolute_error", "explained_variance", "poisson_deviance",
];

describe("scorer registry", () => {
  it("has every scorer the issue names, each saying its input, direction and tasks", () => {
    for (const name of REQUIRED) {
      const s = scorer(name);
      expect(s.name).toBe(name);
      expect(["labels", "scores", "probabilities", "proba", "values"]).toContain(s.input);
      expect(typeof s.greaterIsBetter).toBe("boolean");
      expect(s.tasks.length).toBeGreaterThan(0);
    }
    expect(new Set(scorerNames()).size).toBe(scorers().length);
    expect(scorer("roc_auc")).toMatchObject({ input: "scores", greaterIsBetter: true, tasks: ["binary"] });
    expect(scorer("log_loss")).toMatchObject({ input: "proba", greaterIsBetter: false, tasks: ["binary", "multiclass"] });
    expect(scorer("neg_log_loss").greaterIsBetter).toBe(true);
    expect(scorer("f1_macro")).toMatchObject({ input: "labels", tasks: ["binary", "multiclass"] });
    expect(scorer("rmse")).toMatchObject({ input: "values", greaterIsBetter: false, tasks: ["regression"] });
    expect(scorer("r2").greaterIsBetter).toBe(true);
  });

  it("scores like the metric functions, and like scikit-learn on the fixtures", () => {
    const c = ref.data.cancer;
    const y = Int32Array.from(c.y);
    const p = Float64Array.from(c.p);
    const pred = Int32Array.from(c.pred);
    expect(scorer("roc_auc").score(y, p)).toBe(rocAuc(y, p));
    expect(scorer("roc_auc").score(y, p)).toBeCloseTo(expected("rocAuc", "cancer"), 12);
    expect(scorer("accuracy").score(y, pred)).toBeCloseTo(expected("accuracy", "cancer"), 12);
    expect(scorer("f1").score(y, pred)).toBeCloseTo(expected("f1", "cancer", { average: "binary" }), 12);
    expect(scorer("f1_weighted").score(y, pred)).toBeCloseTo(expected("f1", "cancer", { average: "weighted" }), 12);
    expect(scorer("log_loss").score(y, p)).toBe(logLoss(y, p));
    expect(scorer("neg_log_loss").score(y, p)).toBe(-logLoss(y, p));
    const iris = ref.data.iris;
    expect(scorer("roc_auc_ovr").score(Int32Array.from(iris.y), Float64Array.from(iris.P))).toBeCloseTo(expected("rocAuc", "iris", { average: "macro" }), 12);
    const d = ref.data.diabetes;
    expect(scorer("rmse").score(d.y, d.p)).toBe(rootMeanSquaredError(d.y, d.p));
    expect(scorer("neg_root_mean_squared_error").score(d.y, d.p)).toBe(-rootMeanSquaredError(d.y, d.p));
    expect(scorer("mae").score(d.y, d.p)).toBeCloseTo(expected("meanAbsoluteError", "diabetes"), 10);
    expect(scorer("neg_mean_absolute_error").score(d.y, d.p)).toBeCloseTo(-expected("meanAbsoluteError", "diabetes"), 10);
    const w = Float64Array.from(d.w);
    expect(scorer("r2").score(d.y, d.p, { sampleWeight: w })).toBeCloseTo(ref.cases.find((x) => x.fn === "r2" && x.data === "diabetes" && x.w === "w")!.expected as number, 12);
  });

  it("names the valid scorers when asked for an unknown one", () => {
    expect(() => scorer("auc")).toThrow(NotFoundError);
    expect(() => scorer("auc")).toThrow(/unknown metric "auc"; valid names: accuracy, balanced_accuracy, .*roc_auc/);
  });

  it("checks that metrics apply to the task", () => {
    expect(scorersFor(["accuracy", "log_loss"], "multiclass").map((s) => s.name)).toEqual(["accuracy", "log_loss"]);
    expect(() => scorersFor(["roc_auc"], "multiclass")).toThrow(/metric "roc_auc" applies to binary tasks, not multiclass/);
    expect(() => scorersFor(["r2"], "binary")).toThrow(/applies to regression tasks, not binary/);
  });

  it("gives default metrics that exist and apply to each task", () => {
    for (const task of ["binary", "multiclass", "regression"] as const) {
      const names = defaultMetrics(task);
      expect(names.length).toBeGreaterThan(1);
      expect(scorersFor(names, task)).toHaveLength(names.length);
    }
    expect(defaultMetrics("binary")).toContain("roc_auc");
    expect(defaultMetrics("regression")).toContain("rmse");
    expect(() => defaultMetrics("ranking" as never)).toThrow(/task must be "binary", "multiclass" or "regression"/);
  });
});
