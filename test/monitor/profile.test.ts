import { describe, expect, it } from "vitest";
import { categoricalFromValues, numeric } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";
import { dataDrift, dataQuality, driftAgainstProfile, ksTwoSample, parseReferenceProfile, qualityAgainstProfile, qualityReference, referenceProfile, wassersteinNormalized } from "../../src/monitor/index.js";
import { labelSample, sample, sorted } from "./reference.js";

function frames(nRef: number, nCur: number) {
  const reference = Frame.fromColumns({
    x: sample({ kind: "bell", seed: 101, n: nRef, nan_every: 13 }),
    k: sample({ kind: "ints", seed: 102, n: nRef, levels: 4 }),
    c: categoricalFromValues(labelSample({ seed: 103, n: nRef, weights: [5, 3, 2], labels: ["a", "b", "c"], missing_every: 17 })),
    t: { kind: "text", values: Array.from({ length: nRef }, (_, i) => `r${i}`) },
  });
  const current = Frame.fromColumns({
    x: sample({ kind: "bell", seed: 104, n: nCur, shift: 0.1 }),
    k: sample({ kind: "ints", seed: 105, n: nCur, levels: 5 }),
    c: categoricalFromValues(labelSample({ seed: 106, n: nCur, weights: [4, 3, 2, 1], labels: ["a", "b", "c", "new"] })),
    t: { kind: "text", values: Array.from({ length: nCur }, (_, i) => `c${i}`) },
  });
  return { reference, current };
}

describe("reference profile", () => {
  it("with all rows in the sample, drift and quality against the profile equal those against the table, after a JSON round trip", () => {
    const { reference, current } = frames(3000, 2000);
    const profile = parseReferenceProfile(JSON.parse(JSON.stringify(referenceProfile(reference))));
    expect(profile.sample_rows).toBe(3000);
    const direct = dataDrift(reference, current);
    expect(driftAgainstProfile(profile, current)).toEqual(direct);
    const refs = Object.fromEntries(reference.names.map((c) => [c, qualityReference(reference.column(c))]));
    expect(qualityAgainstProfile(profile, current)).toEqual(dataQuality(refs, current));
    expect(direct.columns.map((c) => c.column)).toEqual(["x", "k", "c"]);
    expect(direct.skipped.map((s) => s.column)).toEqual(["t"]);
  });

  it("samples at most sampleRows rows with its seed; KS and Wasserstein use the sample, PSI / JS / χ² all rows", () => {
    const { reference, current } = frames(6000, 2500);
    const p1 = referenceProfile(reference, { seed: 7, sampleRows: 1000 });
    const p2 = referenceProfile(reference, { seed: 7, sampleRows: 1000 });
    const p3 = referenceProfile(reference, { seed: 8, sampleRows: 1000 });
    expect(p1).toEqual(p2);
    const x1 = p1.columns.x;
    const x3 = p3.columns.x;
    if (x1.kind !== "numeric" || x3.kind !== "numeric") throw new Error("x is numeric");
    expect(x1.sample).not.toEqual(x3.sample);
    expect(p1.sample_rows).toBe(1000);
    // 1,000 sampled rows, every 13th value NaN in the reference: about 923 finite
    expect(x1.sample.length).toBeGreaterThan(880);
    expect(x1.sample.length).toBeLessThan(960);
    expect(x1.count).toBe(6000 - Math.ceil(6000 / 13));
    const viaProfile = driftAgainstProfile(p1, current);
    const direct = dataDrift(reference, current);
    const px = viaProfile.columns.find((c) => c.column === "x")!;
    const dx = direct.columns.find((c) => c.column === "x")!;
    const cur = sorted(current.column("x").kind === "numeric" ? (current.column("x") as { values: Float64Array }).values : new Float64Array());
    const ks = ksTwoSample(Float64Array.from(x1.sample), cur);
    expect(px.ks).toEqual({ statistic: ks.statistic, p_value: ks.pValue });
    expect(px.wasserstein_norm).toBe(wassersteinNormalized(Float64Array.from(x1.sample), cur, x1.std!));
    expect([px.psi, px.js, px.reference_rows]).toEqual([dx.psi, dx.js, dx.reference_rows]);
    const pc = viaProfile.columns.find((c) => c.column === "c")!;
    const dc = direct.columns.find((c) => c.column === "c")!;
    expect([pc.chi2, pc.psi, pc.js, pc.unseen]).toEqual([dc.chi2, dc.psi, dc.js, ["new"]]);
  });

  it("keeps the prediction distribution when given predictions", () => {
    const { reference } = frames(500, 10);
    const scores = numeric(Float64Array.from({ length: 500 }, (_, i) => (i % 100) / 100));
    const p = referenceProfile(reference, { predictions: scores });
    expect(p.prediction).toMatchObject({ kind: "numeric", count: 500, min: 0, max: 0.99 });
    expect(() => referenceProfile(reference, { predictions: numeric([1, 2]) })).toThrow(/predictions has 2 rows, the frame 500/);
  });

  it("refuses a damaged profile, naming the field", () => {
    const { reference } = frames(200, 10);
    const good = JSON.parse(JSON.stringify(referenceProfile(reference)));
    expect(() => parseReferenceProfile({ ...good, version: 2 })).toThrow(/version must be 1, got 2/);
    expect(() => parseReferenceProfile({ ...good, columns: { ...good.columns, x: { ...good.columns.x, kind: "float" } } })).toThrow(/columns\.x\.kind must be one of/);
    expect(() => parseReferenceProfile({ ...good, columns: { ...good.columns, x: { ...good.columns.x, sample: [3, 1] } } })).toThrow(/columns\.x\.sample must be ascending numbers, got "3 before 1"/);
    expect(() => parseReferenceProfile({ ...good, columns: { ...good.columns, c: { ...good.columns.c, categories: { a: -1 } } } })).toThrow(/columns\.c\.categories\.a must be an integer ≥ 0/);
    expect(() => referenceProfile(reference, { sampleRows: 0 })).toThrow(/sampleRows must be an integer ≥ 1/);
  });
});
