/**
 * defaultPreprocessing() and autoPipeline(): a model fits on a raw frame of every column kind.
 * (Agreement with an equivalent scikit-learn ColumnTransformer: reference.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { categoricalFromValues } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";
import type { Classifier } from "../../src/estimator/types.js";
import { autoPipeline, defaultPreprocessing, wantsScaling } from "../../src/features/index.js";
import { gbdtClassifier } from "../../src/models/gbdt/index.js";
import { logistic, ridge } from "../../src/models/linear/index.js";
import { fixtureData } from "./fixture.js";

describe("defaultPreprocessing", () => {
  const { train, test } = fixtureData();
  const cols = ["Seniority", "Income", "Home", "state", "flag", "when", "note", "Status"];

  it("turns every kind into numbers with no missing values", async () => {
    const f = await defaultPreprocessing().fit(train.select(cols), { target: "Status" });
    const out = f.transform(test.select(cols.slice(0, -1)));
    for (const name of out.names) {
      const c = out.column(name);
      expect(c.kind).toBe("numeric");
      expect((c as { values: Float64Array }).values.every((v) => Number.isFinite(v))).toBe(true);
    }
    const prefixes = new Set(f.featureNames.map((n) => n.split("__")[0]));
    expect([...prefixes]).toEqual(["num", "bool", "cat", "date", "text"]);
    expect(f.featureNames).toContain("cat__state_infrequent");
    expect(f.featureNames).toContain("date__when_dayofweek");
    expect(f.featureNames.filter((n) => n.startsWith("text__"))).toHaveLength(64);
  });

  it("only runs the branches whose kinds are present", async () => {
    const f = await defaultPreprocessing().fit(Frame.fromColumns({ a: [1, null, 3] }));
    expect(f.featureNames).toEqual(["num__a"]);
    expect(f.transform(Frame.fromColumns({ a: [null] })).get(0, "num__a")).toBe(2);
  });

  it("sends unseen categories to the infrequent column", async () => {
    const f = await defaultPreprocessing({ minFrequency: 2 }).fit(Frame.fromColumns({ c: ["a", "a", "b", "b", "c"] }));
    expect(f.featureNames).toEqual(["cat__c_a", "cat__c_b", "cat__c_infrequent"]);
    expect(f.transform(Frame.fromColumns({ c: categoricalFromValues(["zz"]) })).row(0)).toEqual({ cat__c_a: 0, cat__c_b: 0, cat__c_infrequent: 1 });
  });
});

describe("autoPipeline", () => {
  const { train, test } = fixtureData();
  const cols = ["Seniority", "Income", "Home", "Marital", "state", "flag", "when", "note", "Status"];

  it("scales for scale-sensitive models only", () => {
    expect(wantsScaling("logistic")).toBe(true);
    expect(wantsScaling("ridge")).toBe(true);
    expect(wantsScaling("gbdt-classifier")).toBe(false);
    expect(wantsScaling("knn-classifier")).toBe(true);
    expect(wantsScaling("elastic-net")).toBe(true);
    for (const k of ["tree-regressor", "gaussian-nb", "dummy-classifier"]) expect(wantsScaling(k)).toBe(false);
    const steps = (k: { params: Record<string, unknown> }) => JSON.stringify(k.params);
    expect(steps(autoPipeline(logistic()))).toContain("standard-scaler");
    expect(steps(autoPipeline(gbdtClassifier()))).not.toContain("standard-scaler");
    expect(steps(autoPipeline(gbdtClassifier(), { scale: true }))).toContain("standard-scaler");
  });

  it("fits logistic and gbdt on a raw frame and predicts unseen rows", async () => {
    const x = test.select(cols.slice(0, -1));
    for (const model of [logistic(), gbdtClassifier({ maxIter: 10 })]) {
      const f = (await autoPipeline(model).fit(train.select(cols), { target: "Status" })) as Classifier;
      expect([...f.classes]).toEqual(["bad", "good"]);
      const p = f.predictProba(x);
      expect(p.length).toBe(2 * x.nRows);
      expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    const r = await autoPipeline(ridge()).fit(train.select([...cols.slice(0, -1), "score"]), { target: "score" });
    expect(r.spec.kind).toBe("pipeline-regressor");
  });
});
