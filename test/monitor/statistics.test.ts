import { describe, expect, it } from "vitest";
import { chiSquareSf, chiSquareTest } from "../../src/monitor/stats/chi-square.js";
import { kolmogorovSf, smirnovSf } from "../../src/monitor/stats/kolmogorov.js";
import { ksTwoSample } from "../../src/monitor/stats/ks-two-sample.js";
import { closeRel, reference, sample, type SampleSpec, sorted } from "./reference.js";

const bad = (rows: { got: number; want: number | null; what: string }[]) => rows.filter((r) => !closeRel(r.got, r.want)).map((r) => `${r.what}: got ${r.got}, SciPy ${r.want}`);

describe("Kolmogorov distributions equal SciPy's to 1e-6 (relative)", () => {
  it("kstwo.sf over every branch (Ruben–Gambino, Durbin, Pomeranz, Pelz–Good, Smirnov)", () => {
    const rows = (reference.kstwo as { n: number; x: number; sf: number }[]).map((r) => ({ got: kolmogorovSf(r.n, r.x), want: r.sf, what: `kstwo.sf(${r.x}, ${r.n})` }));
    expect(rows.length).toBeGreaterThan(30);
    expect(bad(rows)).toEqual([]);
  });
  it("special.smirnov (exact sum, and the n > 1e6 approximation)", () => {
    const rows = (reference.smirnov as { n: number; x: number; sf: number }[]).map((r) => ({ got: smirnovSf(r.n, r.x), want: r.sf, what: `smirnov(${r.n}, ${r.x})` }));
    expect(bad(rows)).toEqual([]);
  });
  it("answers NaN for a bad n and the ends of the range exactly", () => {
    expect(kolmogorovSf(0, 0.1)).toBeNaN();
    expect(kolmogorovSf(2.5, 0.1)).toBeNaN();
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
  });
});

describe("ks_2samp", () => {
  it("statistic and p-value equal scipy.stats.ks_2samp (exact and asymptotic, ties, equal sizes)", () => {
    const rows: { got: number; want: number | null; what: string }[] = [];
    for (const c of reference.ks2samp as { name: string; a: SampleSpec; b: SampleSpec; statistic: number; p_value: number }[]) {
      const r = ksTwoSample(sorted(sample(c.a)), sorted(sample(c.b)));
      rows.push({ got: r.statistic, want: c.statistic, what: `${c.name} statistic` }, { got: r.pValue, want: c.p_value, what: `${c.name} p` });
    }
    expect(rows.length).toBe(32);
    expect(bad(rows)).toEqual([]);
  });
  it("refuses an empty sample, naming the side", () => {
    expect(() => ksTwoSample(new Float64Array(0), Float64Array.of(1))).toThrow(/needs values on both sides.*0 reference/);
  });
});

describe("chi-square", () => {
  it("chisquare and chi2.sf equal SciPy's", () => {
    const rows: { got: number; want: number | null; what: string }[] = [];
    for (const c of reference.chisquare as { obs: number[]; exp: number[]; statistic: number; p_value: number }[]) {
      const r = chiSquareTest(c.obs, c.exp);
      rows.push({ got: r.statistic, want: c.statistic, what: `χ² ${c.obs}` }, { got: r.pValue, want: c.p_value, what: `p ${c.obs}` });
    }
    for (const c of reference.chi2sf as { x: number; df: number; sf: number }[]) rows.push({ got: chiSquareSf(c.x, c.df), want: c.sf, what: `chi2.sf(${c.x}, ${c.df})` });
    expect(bad(rows)).toEqual([]);
  });
  it("refuses mismatched totals and non-positive expectations with the field named", () => {
    expect(() => chiSquareTest([1, 2], [1, 1])).toThrow(/totals differ/);
    expect(() => chiSquareTest([1, 2], [3, 0])).toThrow(/expected count 1 is 0/);
    expect(() => chiSquareTest([1], [1, 0])).toThrow(/differ in length/);
  });
});
