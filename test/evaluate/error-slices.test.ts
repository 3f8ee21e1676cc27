import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { benjaminiHochberg, errorSlices } from "../../src/evaluate/error-slices.js";
import { Rng } from "../../src/core/rng.js";

// made by test/fixtures/evaluate/make_fairness_bias_slices.py (scipy's Welch t-test, BH from the definition)
const ref = JSON.parse(readFileSync(new URL("../fixtures/evaluate/fairness_bias_slices.json", import.meta.url), "utf8")).slices;
const features = Frame.fromColumns({ color: ref.columns.color, size: ref.columns.size, level: Float64Array.from(ref.columns.level) });
const loss = Float64Array.from(ref.loss);
const FIELDS = ["loss", "rest_loss", "effect_size", "t", "df", "p_value", "q_value"] as const;

function same(got: any[], expected: any[]) {
  expect(got.map((s) => s.slice)).toEqual(expected.map((s) => s.slice));
  got.forEach((s, k) => {
    expect(s.size).toBe(expected[k].size);
    for (const f of FIELDS) expect(Math.abs(s[f] - expected[k][f]) / Math.max(1e-300, Math.abs(expected[k][f])), `${s.slice} ${f}: ${s[f]} vs ${expected[k][f]}`).toBeLessThanOrEqual(1e-9);
  });
}

describe("error slices (Slice Finder: Welch's t, effect size, Benjamini–Hochberg)", () => {
  it("tests every one-column slice as scipy's Welch test", () => {
    const r = errorSlices(features, loss, "error", { pairs: false, alpha: 1, minEffect: -Infinity, limit: 1000, minSize: ref.min_size });
    const order = (xs: any[]) => [...xs].sort((a, b) => (a.slice < b.slice ? -1 : 1));
    expect(r.tested).toBe(ref.singles.length);
    same(order(r.slices), order(ref.singles));
  });

  it("reports the significant slices, pairs only beyond their parents, largest effect first", () => {
    const r = errorSlices(features, loss, "error", { minSize: ref.min_size });
    same(r.slices, ref.reported);
    expect(r.slices[0].slice).toBe("color=blue & size=L");
    expect(r.correction).toBe("benjamini-hochberg");
  });

  it("finds a planted slice in a numeric bin crossed with a category, and nothing in noise", () => {
    const rng = new Rng(3);
    const n = 4000;
    const age = Float64Array.from({ length: n }, () => 18 + 60 * rng.float());
    const home = Array.from({ length: n }, () => ["own", "rent", "mortgage"][rng.int(3)]);
    const bad = Float64Array.from({ length: n }, (_, i) => (rng.float() < (age[i] < 33 && home[i] === "rent" ? 0.45 : 0.15) ? 1 : 0));
    const noise = Float64Array.from({ length: n }, () => (rng.float() < 0.2 ? 1 : 0));
    const f = Frame.fromColumns({ age, home });
    const r = errorSlices(f, bad, "error");
    expect(r.slices[0].columns).toEqual(["age", "home"]);
    expect(r.slices[0].groups[1]).toBe("rent");
    expect(r.slices[0].groups[0]).toMatch(/^\[18/);
    expect(errorSlices(f, noise, "error").slices).toEqual([]);
  });

  it("Benjamini–Hochberg q-values", () => {
    // m = 4: sorted p 0.01, 0.02, 0.03, 0.5 → 0.04, 0.04, 0.04, 0.5
    expect([...benjaminiHochberg([0.03, 0.5, 0.01, 0.02])].map((v) => Number(v.toFixed(12)))).toEqual([0.04, 0.5, 0.04, 0.04]);
  });
});
