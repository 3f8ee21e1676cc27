/**
 * Sums in NumPy's order equal `np.sum`, `np.mean` and `np.average` bit for bit, across the
 * pairwise block (8, 128) and reduction-buffer (8,192) boundaries (test/fixtures/core).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { numpyAverage, pairwiseSum } from "../../src/core/pairwise-sum.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ref = JSON.parse(readFileSync(path.join(here, "../fixtures/core/reference.json"), "utf8"));

describe("NumPy's summation", () => {
  for (const c of ref.sums as { values: number[]; weights: number[]; sum: number; mean: number; average: number }[]) {
    it(`n = ${c.values.length}`, () => {
      const v = Float64Array.from(c.values);
      const w = Float64Array.from(c.weights);
      expect(pairwiseSum(v)).toBe(c.sum);
      expect(numpyAverage(v)).toBe(c.mean);
      expect(numpyAverage(v, w)).toBe(c.average);
    });
  }

  it("empty sums are 0", () => expect(pairwiseSum([])).toBe(0));
});
