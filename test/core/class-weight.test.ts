/**
 * Class weights against scikit-learn's `compute_class_weight` (test/fixtures/core/make_reference.py):
 * "balanced" divides by the classes present in y; records name classes; bad records are refused.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkClassWeight, classWeights, rowWeights } from "../../src/core/class-weight.js";
import { InvalidInputError } from "../../src/core/errors.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(path.join(here, "../fixtures/core/reference.json"), "utf8"));

describe("class weights equal scikit-learn's compute_class_weight", () => {
  for (const c of ref.classWeight) {
    it(c.name, () => {
      const labels = (c.classes as number[]).map(String);
      const y = Int32Array.from(c.y as number[], (v) => labels.indexOf(String(v)));
      const got = classWeights(c.param, y, labels);
      if (c.present) {
        // scikit-learn computes over the classes present; an absent class keeps weight 1
        (c.present as number[]).forEach((cls, i) => expect(got[labels.indexOf(String(cls))]).toBe(c.weights[i]));
        expect(got[labels.indexOf("1")]).toBe(1);
      } else expect([...got]).toEqual(c.weights);
    });
  }

  it('"balanced" over bootstrap counts weighs each row by its draws', () => {
    const y = Int32Array.of(0, 0, 1, 1);
    // draws: row 0 twice, row 2 twice → as if y = [0, 0, 1, 1] from rows 0, 0, 2, 2
    expect([...classWeights("balanced_subsample", y, ["a", "b"], [2, 0, 2, 0])]).toEqual([1, 1]);
    expect([...classWeights("balanced", y, ["a", "b"], [3, 0, 1, 0])]).toEqual([4 / 6, 2]);
  });

  it("null gives ones; rowWeights multiplies sample weights", () => {
    expect([...classWeights(null, Int32Array.of(0, 1), ["a", "b"])]).toEqual([1, 1]);
    expect([...rowWeights(Float64Array.of(2, 0.5), Int32Array.of(0, 1, 1), [1, 2, 4])]).toEqual([2, 1, 2]);
    expect([...rowWeights(Float64Array.of(2, 0.5), Int32Array.of(0, 1), null)]).toEqual([2, 0.5]);
  });

  it("a record naming an unknown class is refused, naming it", () => {
    expect(() => classWeights({ zebra: 2 }, Int32Array.of(0, 1), ["a", "b"], undefined, "logistic")).toThrow(InvalidInputError);
    expect(() => classWeights({ zebra: 2 }, Int32Array.of(0, 1), ["a", "b"], undefined, "logistic")).toThrow(/logistic: classWeight names class "zebra"/);
  });

  it("checkClassWeight accepts null, the modes and records of weights ≥ 0", () => {
    expect(checkClassWeight(null)).toBeNull();
    expect(checkClassWeight("balanced")).toBeNull();
    expect(checkClassWeight({ a: 0, b: 2.5 })).toBeNull();
    expect(checkClassWeight("balanced_subsample")).toMatch(/"balanced"/);
    expect(checkClassWeight("balanced_subsample", ["balanced", "balanced_subsample"])).toBeNull();
    expect(checkClassWeight({ a: -1 })).toMatch(/weight ≥ 0 for class "a"/);
    expect(checkClassWeight([1, 2])).not.toBeNull();
  });
});
