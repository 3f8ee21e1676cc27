import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalCdf, normalQuantile } from "../../src/core/normal.js";

const ref = JSON.parse(readFileSync(new URL("../fixtures/core/normal.json", import.meta.url), "utf8")) as { x: number[]; cdf: number[]; p: number[]; quantile: number[] };

/** Relative difference, absolute near zero. */
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), 1e-300));

describe("normal distribution", () => {
  it("Φ equals SciPy's ndtr to 1e-13 relative, tails included", () => {
    ref.x.forEach((x, i) => expect(rel(normalCdf(x), ref.cdf[i]), `x = ${x}`).toBeLessThan(1e-13));
  });

  it("Φ⁻¹ equals SciPy's ndtri to 1e-15 relative, and inverts Φ", () => {
    ref.p.forEach((p, i) => expect(rel(normalQuantile(p), ref.quantile[i]), `p = ${p}`).toBeLessThan(1e-15));
    for (const p of [0.01, 0.2, 0.5, 0.8, 0.99]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 15);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalCdf(NaN)).toBeNaN();
  });
});
