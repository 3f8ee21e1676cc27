/**
 * one-hot and ordinal behaviour beyond the scikit-learn reference cases: unknown and missing
 * values at transform time, errors that name the column and row, non-categorical inputs, name
 * clashes. (Reference agreement: reference.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError, KeelError } from "../../src/core/errors.js";
import { categoricalFromValues } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";
import { oneHot, ordinalEncoder } from "../../src/features/index.js";

const train = () => Frame.fromColumns({ color: ["red", "blue", "red", "green", "red", "blue", null], n: [1, 2, 3, 4, 5, 6, 7] });

describe("one-hot", () => {
  it("encodes sorted categories, missing last as <col>_nan, others pass through in place", async () => {
    const f = await oneHot().fit(train());
    expect(f.featureNames).toEqual(["color_blue", "color_green", "color_red", "color_nan", "n"]);
    expect(f.transform(train()).row(6)).toEqual({ color_blue: 0, color_green: 0, color_red: 0, color_nan: 1, n: 7 });
  });

  it("refuses unknown categories by default, naming column, row and value", async () => {
    const f = await oneHot().fit(train());
    const x = Frame.fromColumns({ color: ["red", "purple"], n: [1, 2] });
    let err: unknown;
    try {
      f.transform(x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toBe('one-hot: column "color" row 1: category "purple" was not seen in training; set handleUnknown to "ignore" or "infrequent_if_exist" to accept it');
  });

  it("a missing value never seen at fit is unknown", async () => {
    const f = await oneHot().fit(Frame.fromColumns({ c: ["a", "b"] }));
    expect(() => f.transform(Frame.fromColumns({ c: ["a", null] }))).toThrow(/row 1: a missing value was not seen/);
    const g = await oneHot({ handleUnknown: "ignore" }).fit(Frame.fromColumns({ c: ["a", "b"] }));
    expect(g.transform(Frame.fromColumns({ c: ["a", null] })).row(1)).toEqual({ c_a: 0, c_b: 0 });
  });

  it("infrequent_if_exist sends unknown categories to the infrequent column; ignore gives zeros", async () => {
    const data = Frame.fromColumns({ c: ["a", "a", "a", "b", "b", "b", "c", "d"] });
    const x = Frame.fromColumns({ c: categoricalFromValues(["d", "zz", "a"]) });
    const inf = await oneHot({ handleUnknown: "infrequent_if_exist", minFrequency: 2 }).fit(data);
    expect(inf.featureNames).toEqual(["c_a", "c_b", "c_infrequent"]);
    expect(inf.transform(x).toRows()).toEqual([
      { c_a: 0, c_b: 0, c_infrequent: 1 },
      { c_a: 0, c_b: 0, c_infrequent: 1 },
      { c_a: 1, c_b: 0, c_infrequent: 0 },
    ]);
    const ign = await oneHot({ handleUnknown: "ignore", minFrequency: 2 }).fit(data);
    expect(ign.transform(x).row(1)).toEqual({ c_a: 0, c_b: 0, c_infrequent: 0 });
    // a fraction of rows: 0.3 × 8 = 2.4 → "a" (3) and "b" (3) stay
    const frac = await oneHot({ minFrequency: 0.3 }).fit(data);
    expect(frac.featureNames).toEqual(["c_a", "c_b", "c_infrequent"]);
  });

  it("maxCategories keeps the most frequent, ties to the earlier category", async () => {
    const data = Frame.fromColumns({ c: ["b", "b", "c", "c", "a", "d", "d", "d"] });
    const f = await oneHot({ maxCategories: 3 }).fit(data);
    expect(f.featureNames).toEqual(["c_c", "c_d", "c_infrequent"]);
  });

  it("encodes explicitly named boolean, numeric and text columns", async () => {
    const data = Frame.fromColumns({ b: [true, false, null], k: [10, 9, 10], t: { kind: "text", values: ["x", "y", "x"] } });
    const f = await oneHot({ columns: ["b", "k", "t"] }).fit(data);
    expect(f.featureNames).toEqual(["b_false", "b_true", "b_nan", "k_9", "k_10", "t_x", "t_y"]);
    expect(f.transform(data).row(0)).toEqual({ b_false: 0, b_true: 1, b_nan: 0, k_9: 0, k_10: 1, t_x: 1, t_y: 0 });
    await expect(oneHot({ columns: ["when"] }).fit(Frame.fromColumns({ when: [new Date(0)] }))).rejects.toThrow(/"when" is datetime/);
  });

  it("refuses output names that clash with another column", async () => {
    const data = Frame.fromColumns({ c: ["x", "y"], c_x: [1, 2] });
    await expect(oneHot({ columns: ["c"] }).fit(data)).rejects.toThrow(/two output columns would be named "c_x"/);
  });

  it("names unknown columns in parameters", async () => {
    await expect(oneHot({ columns: ["colour"] }).fit(train())).rejects.toThrow(/column "colour" \(in parameter "columns"\) is not in the data/);
    await expect(oneHot({ kinds: ["datetime"] }).fit(train())).rejects.toThrow(/parameter "kinds" includes "datetime"/);
  });
});

describe("ordinal-encoder", () => {
  it("codes sorted categories; missing → NaN by default; unknown refused by default", async () => {
    const f = await ordinalEncoder().fit(train());
    const out = f.transform(train());
    expect(Array.from((out.column("color") as { values: Float64Array }).values)).toEqual([2, 0, 2, 1, 2, 0, NaN]);
    expect(() => f.transform(Frame.fromColumns({ color: ["red", "pink"], n: [1, 2] }))).toThrow(/column "color" row 1: category "pink" was not seen in training/);
  });

  it("use_encoded_value: unknownValue, and it may not be a category code", async () => {
    const f = await ordinalEncoder({ handleUnknown: "use_encoded_value", unknownValue: -1 }).fit(train());
    expect(f.transform(Frame.fromColumns({ color: ["pink"], n: [0] })).get(0, "color")).toBe(-1);
    const g = await ordinalEncoder({ handleUnknown: "use_encoded_value" }).fit(train());
    expect(g.transform(Frame.fromColumns({ color: ["pink"], n: [0] })).get(0, "color")).toBe(null); // NaN
    await expect(ordinalEncoder({ handleUnknown: "use_encoded_value", unknownValue: 1 }).fit(train())).rejects.toThrow(KeelError);
  });
});
