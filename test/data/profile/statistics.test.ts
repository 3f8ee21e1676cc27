import { describe, expect, it } from "vitest";
import { profile, weightedF1 } from "../../../src/data/profile/index.js";
import { creditFrame, reference } from "./fixture.js";

const REL = 1e-9;
function close(actual: number | null, expected: number | null, label: string) {
  if (expected === null) {
    expect(actual, label).toBeNull();
    return;
  }
  expect(actual, label).not.toBeNull();
  const tol = REL * Math.max(1, Math.abs(expected));
  expect(Math.abs(actual! - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

describe("profile statistics equal pandas / SciPy on the credit slice", () => {
  const frame = creditFrame();
  const ref = reference();
  const p = profile(frame);
  const col = (name: string) => p.columns.find((c) => c.name === name)!;

  it("has the fixture's shape", () => {
    expect(p.rows).toBe(ref.rows);
    expect(p.columns.map((c) => c.name)).toEqual(frame.names);
  });

  for (const [name, r] of Object.entries(reference().numeric)) {
    it(`numeric column ${name}: count, missing, distinct, mean, std (ddof=1), quartiles (linear), skew, zeros`, () => {
      const c = col(name);
      expect(c.kind).toBe("numeric");
      expect(c.count).toBe(r.count);
      expect(c.missing).toBe(r.missing);
      expect(c.distinct).toBe(r.distinct);
      expect(c.zeros).toBe(r.zeros);
      close(c.mean, r.mean, `${name}.mean`);
      close(c.std, r.std, `${name}.std`);
      close(c.min, r.min, `${name}.min`);
      close(c.q1, r.q25, `${name}.q1`);
      close(c.median, r.q50, `${name}.median`);
      close(c.q3, r.q75, `${name}.q3`);
      close(c.max, r.max, `${name}.max`);
      close(c.skew, r.skew, `${name}.skew`);
      // histogram covers every present value
      expect(c.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(r.count);
      expect(c.histogram!.edges.length).toBe(c.histogram!.counts.length + 1);
    });
  }

  for (const [name, r] of Object.entries(reference().categorical)) {
    it(`categorical column ${name}: missing, distinct, top values`, () => {
      const c = col(name);
      expect(c.missing).toBe(r.missing);
      expect(c.distinct).toBe(r.distinct);
      const counts = Object.fromEntries(c.top.map((t) => [String(t.value), t.count]));
      for (const [v, n] of r.top.slice(0, 10)) expect(counts[v], v).toBe(n);
      // most frequent first
      for (let i = 1; i < c.top.length; i++) expect(c.top[i - 1].count).toBeGreaterThanOrEqual(c.top[i].count);
      expect(c.bars!.counts.reduce((a, b) => a + b, 0) + c.bars!.other).toBe(c.count);
    });
  }

  for (const method of ["pearson", "spearman", "cramersV"] as const) {
    it(`${method} matrix, pairwise complete`, () => {
      const m = p.correlations[method];
      const r = ref[method];
      expect(m.columns).toEqual(r.columns);
      for (let i = 0; i < r.columns.length; i++) {
        for (let j = 0; j < r.columns.length; j++) close(m.values[i][j], r.matrix[i][j], `${method}[${r.columns[i]}, ${r.columns[j]}]`);
      }
      expect(m.sampled).toBeNull();
    });
  }

  it("exact duplicate rows", () => {
    expect(p.duplicates.count).toBe(ref.duplicates.count);
    const later = p.duplicates.examples.flatMap((g) => g.slice(1)).sort((a, b) => a - b);
    expect(later).toEqual(ref.duplicates.rows);
    expect(p.duplicates.examples).toEqual([[10, 400], [20, 401, 402]]);
    expect(p.warnings.some((w) => w.code === "DUPLICATE_ROWS")).toBe(true);
  });

  it("is plain JSON", () => {
    const back = JSON.parse(JSON.stringify(p));
    expect(back).toEqual(p);
  });

  it("weighted F1 (behind predictive power) equals scikit-learn's, including labels only predicted", () => {
    for (const r of ref.f1Weighted) {
      const labels = [...new Set([...r.true, ...r.pred])];
      const code = (v: string) => labels.indexOf(v);
      const value = weightedF1(Int32Array.from(r.true, code), Int32Array.from(r.pred, code), labels.length);
      close(value, r.value, "f1_weighted");
    }
  });
});
