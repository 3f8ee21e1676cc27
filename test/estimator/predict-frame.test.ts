import { describe, expect, it } from "vitest";
import { categoricalFromValues } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";
import { predictFrame, unseenCategories } from "../../src/estimator/index.js";
import "../../src/features/index.js";
import "../../src/models/index.js";
import { trainingSpec } from "../../src/project/catalog.js";

const train = Frame.fromColumns({
  home: ["own", "rent", "own", "rent", "own", "rent", "own", "rent"],
  job: ["a", "b", "a", "b", "b", "a", "a", "b"],
  income: [10, 1, 9, 2, 8, 3, 7, 2],
  y: ["good", "bad", "good", "bad", "good", "bad", "good", "bad"],
});

describe("predictFrame", () => {
  it("gives one row per input row, prediction then proba_<class>, and ignores the target", async () => {
    const model = await trainingSpec("logistic", "classification").fit(train, { target: "y" });
    const { frame, unseen } = predictFrame(model, train);
    expect(frame.names).toEqual(["prediction", "proba_bad", "proba_good"]);
    expect(frame.nRows).toBe(8);
    expect(unseen).toEqual([]);
    const pb = (frame.column("proba_bad") as { values: Float64Array }).values;
    const pg = (frame.column("proba_good") as { values: Float64Array }).values;
    for (let i = 0; i < 8; i++) expect(pb[i] + pg[i]).toBeCloseTo(1, 12);
    const r = predictFrame(await trainingSpec("ridge", "regression").fit(train.drop(["y"]), { target: "income" }), train.drop(["y"]));
    expect(r.frame.names).toEqual(["prediction"]);
  });

  it("counts, per column, the rows holding categories never seen in training — and still predicts them", async () => {
    const model = await trainingSpec("gbdt", "classification", { maxIter: 3 }).fit(train, { target: "y" });
    const rows = Frame.fromColumns({
      home: ["own", "boat", "tent", "boat", null, "rent"],
      job: ["a", "b", "a", "c", "b", "a"],
      income: [5, 5, 5, 5, 5, 5],
    });
    const { frame, unseen } = predictFrame(model, rows);
    expect(frame.nRows).toBe(6);
    expect(unseen).toEqual([
      { column: "home", rows: 3, examples: ["boat", "tent"] },
      { column: "job", rows: 1, examples: ["c"] },
    ]);
  });

  it("reads unseen values the same from text, numbers and categorical columns", () => {
    const inputs = [{ name: "k", kind: "categorical" as const, categories: ["1", "2"] }];
    expect(unseenCategories(inputs, Frame.fromColumns({ k: [1, 2, 3, 3, null] }))).toEqual([{ column: "k", rows: 2, examples: ["3"] }]);
    expect(unseenCategories(inputs, Frame.fromColumns({ k: { kind: "text", values: ["2", "9", null] } }))).toEqual([{ column: "k", rows: 1, examples: ["9"] }]);
    expect(unseenCategories(inputs, Frame.fromColumns({ k: categoricalFromValues(["2", "1"], ["0", "1", "2"]) }))).toEqual([]);
    expect(unseenCategories(inputs, Frame.fromColumns({ other: [1] }))).toEqual([]);
  });
});
