/**
 * NumPy's legacy RandomState (MT19937): raw 32-bit draws, `choice(n, size, replace=False)` and the
 * 200,000 rows scikit-learn 1.2's HistGradientBoosting bins on, equal to NumPy 1.24's
 * (test/fixtures/core/make_numpy_random.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NumpyRandomState, sklearnBinningSample } from "../../src/core/numpy-random.js";

interface Choice {
  seed: number;
  n: number;
  size: number;
  idx?: number[];
  head?: number[];
  tail?: number[];
  checksum?: number;
}
const ref = JSON.parse(readFileSync(new URL("../fixtures/core/numpy_random.json", import.meta.url), "utf8")) as {
  uint32: Record<string, number[]>;
  choice: Choice[];
  sklearn: { randomState: number; n: number; head: number[]; checksum: number }[];
};

/** Σ (k + 1)·idx[k] mod 1,000,000,007, as the fixture script. */
function checksum(idx: Int32Array): number {
  let s = 0;
  for (let k = 0; k < idx.length; k++) s = (s + (((k + 1) * idx[k]) % 1_000_000_007)) % 1_000_000_007;
  return s;
}

describe("NumpyRandomState", () => {
  for (const [seed, draws] of Object.entries(ref.uint32)) {
    it(`gives NumPy's 32-bit stream for seed ${seed}`, () => {
      const rs = new NumpyRandomState(Number(seed));
      expect(Array.from(draws, () => rs.nextUint32())).toEqual(draws);
    });
  }

  for (const c of ref.choice) {
    it(`choice(${c.n}, ${c.size}, replace=False) with seed ${c.seed} equals NumPy's`, () => {
      const idx = new NumpyRandomState(c.seed).choiceWithoutReplacement(c.n, c.size);
      if (c.idx) expect([...idx]).toEqual(c.idx);
      else {
        expect([...idx.subarray(0, 20)]).toEqual(c.head);
        expect([...idx.subarray(c.size - 20)]).toEqual(c.tail);
        expect(checksum(idx)).toBe(c.checksum);
      }
    });
  }

  it("refuses a sample larger than the population, naming both", () => {
    expect(() => new NumpyRandomState(0).choiceWithoutReplacement(5, 6)).toThrow(/size: 6 outside \[0, n = 5\]/);
  });
});

describe("sklearnBinningSample", () => {
  for (const c of ref.sklearn) {
    it(`picks scikit-learn's binning rows for random_state ${c.randomState}, ${c.n} rows`, () => {
      const idx = sklearnBinningSample(c.n, 200_000, c.randomState);
      expect([...idx.subarray(0, 20)]).toEqual(c.head);
      expect(checksum(idx)).toBe(c.checksum);
    });
  }
});
