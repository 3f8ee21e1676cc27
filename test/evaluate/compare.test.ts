import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compareModels, delongTest, mcnemarTest, pairedBootstrap } from "../../src/evaluate/compare/index.js";
import { scorePredictions } from "../../src/evaluate/score.js";
import { Rng } from "../../src/core/rng.js";

// fixtures: make_compare.py (Debian's python3-scipy, python3-sklearn); asah.json holds pROC's published values
const fixture = JSON.parse(readFileSync(new URL("../fixtures/evaluate/compare/compare.json", import.meta.url), "utf8"));
const asah = JSON.parse(readFileSync(new URL("../fixtures/evaluate/compare/asah.json", import.meta.url), "utf8"));

const close = (a: number, b: number, rel: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1e-300, Math.abs(b)));

/** DeLong's variance and covariance straight from the definition: ψ over every positive–negative pair, O(m·n). */
function delongByDefinition(y: number[], a: number[], b: number[]) {
  const pos = y.flatMap((v, i) => (v === 1 ? [i] : []));
  const neg = y.flatMap((v, i) => (v === 0 ? [i] : []));
  const psi = (x: number, z: number) => (x > z ? 1 : x === z ? 0.5 : 0);
  const comps = [a, b].map((s) => ({ v10: pos.map((i) => neg.reduce((t, j) => t + psi(s[i], s[j]), 0) / neg.length), v01: neg.map((j) => pos.reduce((t, i) => t + psi(s[i], s[j]), 0) / pos.length) }));
  const cov = (u: number[], v: number[]) => {
    const mu = u.reduce((t, x) => t + x, 0) / u.length;
    const mv = v.reduce((t, x) => t + x, 0) / v.length;
    return u.reduce((t, x, k) => t + (x - mu) * (v[k] - mv), 0) / (u.length - 1);
  };
  const S = (p: number, q: number) => cov(comps[p].v10, comps[q].v10) / pos.length + cov(comps[p].v01, comps[q].v01) / neg.length;
  const aucs = comps.map((c) => c.v10.reduce((t, x) => t + x, 0) / pos.length);
  return { aucA: aucs[0], aucB: aucs[1], varianceA: S(0, 0), varianceB: S(1, 1), covariance: S(0, 1), z: (aucs[0] - aucs[1]) / Math.sqrt(S(0, 0) + S(1, 1) - 2 * S(0, 1)) };
}

describe("DeLong's test", () => {
  it("gives pROC's published z, p-value, interval and variances on the aSAH example", () => {
    for (const t of asah.tests) {
      const r = delongTest(asah.outcome, asah[t.a], asah[t.b]);
      close(r.z, t.z, 1e-10);
      close(r.pValue, t.p_value, 1e-9);
      close(r.low, t.low, 1e-9);
      close(r.high, t.high, 1e-9);
      close(r.varianceA, asah.variance[t.a], 1e-10);
      close(r.varianceB, asah.variance[t.b], 1e-10);
    }
    close(delongTest(asah.outcome, asah.wfns, asah.ndka).aucB, asah.auc.ndka, 1e-12);
  });

  it("equals the O(n²) computation from the definition, on the aSAH rows and on tied random scores (SciPy/NumPy fixture)", () => {
    for (const [a, b] of [["wfns", "s100b"], ["ndka", "s100b"], ["wfns", "ndka"]]) {
      const fast = delongTest(asah.outcome, asah[a], asah[b]);
      const slow = delongByDefinition(asah.outcome, asah[a], asah[b]);
      for (const k of ["aucA", "aucB", "varianceA", "varianceB", "covariance", "z"] as const) close(fast[k], slow[k], 1e-12);
    }
    for (const c of fixture.delong) {
      const r = delongTest(c.y, c.a, c.b);
      close(r.aucA, c.auc_a, 1e-12);
      close(r.aucB, c.auc_b, 1e-12);
      close(r.varianceA, c.var_a, 1e-10);
      close(r.varianceB, c.var_b, 1e-10);
      close(r.covariance, c.covariance, 1e-10);
      close(r.z, c.z, 1e-10);
      close(r.pValue, c.p_value, 1e-9);
      const slow = delongByDefinition(c.y, c.a, c.b);
      close(r.z, slow.z, 1e-12);
    }
  });

  it("says z = 0 and p = 1 for the same scores, and refuses one-class labels", () => {
    const r = delongTest(asah.outcome, asah.wfns, asah.wfns);
    expect(r.z).toBe(0);
    expect(r.pValue).toBe(1);
    expect(() => delongTest([1, 1, 1], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1])).toThrow(/at least 2 positive and 2 negative/);
    expect(() => delongTest([1, 0, 2, 0], [1, 2, 3, 4], [1, 2, 3, 4])).toThrow(/row 2 is 2/);
  });
});

describe("McNemar's test", () => {
  it("equals statsmodels' definition (exact binomial below 25 discordant rows, χ² with continuity correction above; SciPy fixture)", () => {
    const methods = new Set<string>();
    for (const c of fixture.mcnemar) {
      const r = mcnemarTest(c.y, c.a, c.b);
      methods.add(r.method);
      expect(r.method).toBe(c.method);
      expect([r.aOnly, r.bOnly]).toEqual([c.a_only, c.b_only]);
      close(r.statistic, c.statistic, 1e-14);
      close(r.pValue, c.p_value, 1e-12);
    }
    expect([...methods].sort()).toEqual(["chi2", "exact"]);
  });
});

describe("paired bootstrap", () => {
  const pb = fixture.paired_bootstrap;
  const y = Int32Array.from(pb.y);
  const predictions = (scores: number[], labels: number[]) => ({ yTrue: y, scores: Float64Array.from(scores), labels: Int32Array.from(labels) });
  const A = predictions(pb.a, pb.labels_a);
  const B = predictions(pb.b, pb.labels_b);
  const metric = (p: ReturnType<typeof predictions>, m: string) => (rows: Int32Array) => scorePredictions(p, [m], rows).metrics[m];

  it("on the same resamples gives scikit-learn's differences per resample, NumPy's percentile interval and the p-value", () => {
    for (const m of ["roc_auc", "accuracy"]) {
      const r = pairedBootstrap(y.length, metric(A, m), metric(B, m), { resamples: pb.resamples, keepReplicates: true });
      close(r.estimate, pb[m].estimate, 1e-12);
      pb[m].replicates.forEach((d: number, k: number) => expect(Math.abs(r.replicates![k] - d)).toBeLessThanOrEqual(1e-12));
      close(r.low, pb[m].low, 1e-10);
      close(r.high, pb[m].high, 1e-10);
      expect(r.pValue).toBeCloseTo(pb[m].p_value, 12);
    }
  });

  it("is seeded: the same seed gives the same interval, another seed another", () => {
    const run = (seed: number) => pairedBootstrap(y.length, metric(A, "roc_auc"), metric(B, "roc_auc"), { rounds: 200, rng: new Rng(seed) });
    expect(run(3)).toEqual(run(3));
    expect(run(3).low).not.toBe(run(4).low);
  });

  it("compareModels picks DeLong for ROC AUC, McNemar for accuracy, the bootstrap otherwise, with the metric's direction", () => {
    const auc = compareModels(A, B, "roc_auc", { rounds: 200, seed: 1 });
    expect(auc.test).toBe("delong");
    close(auc.pValue, delongTest(y, A.scores, B.scores).pValue, 1e-15);
    expect(auc.improvement).toBeGreaterThan(0);
    const acc = compareModels(A, B, "accuracy", { rounds: 200, seed: 1 });
    expect(acc.test).toBe("mcnemar");
    close(acc.pValue, mcnemarTest(y, A.labels, B.labels).pValue, 1e-15);
    const loss = compareModels(A, B, "log_loss", { rounds: 200, seed: 1 });
    expect(loss.test).toBe("paired_bootstrap");
    expect(loss.greaterIsBetter).toBe(false);
    expect(loss.improvement).toBe(-loss.difference);
  });
});
