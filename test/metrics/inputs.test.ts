import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.js";
import { Rng } from "../../src/core/rng.js";
import * as M from "../../src/metrics/index.js";

describe("metric inputs", () => {
  const y = Int32Array.from([0, 1, 1, 0, 1]);
  const s = Float64Array.from([0.1, 0.8, 0.6, 0.3, 0.9]);

  it("rejects mismatched lengths, naming both arguments", () => {
    expect(() => M.accuracy(y, Int32Array.from([0, 1]))).toThrow(/y_true has 5 values and y_pred has 2/);
    expect(() => M.rocAuc(y, Float64Array.from([0.1, 0.2, 0.3]))).toThrow(/y_score has 3 values for 5 rows/);
    expect(() => M.meanSquaredError([1, 2], [1])).toThrow(InvalidInputError);
    expect(() => M.accuracy(y, y, { sampleWeight: [1, 2] })).toThrow(/sampleWeight has 2/);
  });

  it("rejects non-finite scores, bad class codes and bad weights, naming the row", () => {
    expect(() => M.rocAuc(y, Float64Array.from([0.1, NaN, 0.6, 0.3, 0.9]))).toThrow(/y_score\[1\] is NaN/);
    expect(() => M.accuracy([0, 1.5], [0, 1])).toThrow(/y_true\[1\] is 1.5; expected a class index/);
    expect(() => M.accuracy(Int32Array.from([0, -1]), Int32Array.from([0, 1]))).toThrow(/y_true\[1\] is -1/);
    expect(() => M.accuracy(y, y, { sampleWeight: [1, 1, -1, 1, 1] })).toThrow(/sampleWeight\[2\] is -1/);
    expect(() => M.accuracy(y, y, { sampleWeight: [0, 0, 0, 0, 0] })).toThrow(/weights sum to zero/);
    expect(() => M.meanAbsoluteError([1, Infinity], [1, 2])).toThrow(/y_true\[1\] is Infinity/);
  });

  it("reports ROC AUC on a single class as an INVALID_INPUT, as scikit-learn raises", () => {
    const err = (() => {
      try {
        M.rocAuc(Int32Array.from([1, 1, 1]), Float64Array.from([0.2, 0.5, 0.9]));
      } catch (e) {
        return e as InvalidInputError;
      }
    })();
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err!.code).toBe("INVALID_INPUT");
    expect(err!.message).toMatch(/only one class \(1\) is present in y_true; ROC AUC is not defined/);
  });

  it("asks for posLabel or a multiclass metric when binary metrics see more classes", () => {
    expect(() => M.rocCurve(Int32Array.from([0, 1, 2]), Float64Array.from([0.1, 0.5, 0.9]))).toThrow(/needs classes 0 and 1; pass posLabel/);
    const c = M.rocCurve(Int32Array.from([0, 1, 2]), Float64Array.from([0.1, 0.5, 0.9]), { posLabel: 2 });
    expect(Array.from(c.tpr)).toEqual([0, 1, 1]);
    expect(() => M.f1(Int32Array.from([0, 1, 2]), Int32Array.from([0, 1, 1]))).toThrow(/hold 3 classes but average is "binary"/);
    expect(() => M.rocAuc(Int32Array.from([0, 1, 2]), s.subarray(0, 3))).toThrow(/multiclass ROC AUC needs rows × classes/);
    expect(() => M.rocAuc(Int32Array.from([0, 1, 1, 0]), Float64Array.from([0.2, 0.3, 0.5, 0.1, 0.3, 0.6, 0.2, 0.2, 0.6, 0.5, 0.3, 0.2]))).toThrow(/class 2 never occurs in y_true/);
    expect(() => M.brierScore(Int32Array.from([0, 1, 2]), Float64Array.from([0.1, 0.5, 0.9]))).toThrow(/binary targets only/);
    expect(() => M.brierScore(y, Float64Array.from([0.1, 0.8, 1.6, 0.3, 0.9]))).toThrow(/y_prob\[2\] is 1.6/);
  });

  it("reads a rows × 2 probability matrix as its positive column", () => {
    const p2 = new Float64Array(10);
    s.forEach((v, i) => {
      p2[2 * i] = 1 - v;
      p2[2 * i + 1] = v;
    });
    expect(M.rocAuc(y, p2)).toBe(M.rocAuc(y, s));
    expect(M.averagePrecision(y, p2)).toBe(M.averagePrecision(y, s));
    expect(M.brierScore(y, p2)).toBe(M.brierScore(y, s));
  });

  it("rejects unknown options naming them", () => {
    expect(() => M.f1(y, y, { average: "samples" as never })).toThrow(/average must be "binary", "macro", "micro" or "weighted", got "samples"/);
    expect(() => M.cohenKappa(y, y, { weights: "cubic" as never })).toThrow(/weights must be "linear" or "quadratic"/);
    expect(() => M.bestThreshold(y, s, "auc" as never)).toThrow(/unknown threshold metric "auc"; choose one of f1, balanced_accuracy/);
    expect(() => M.ndcg([1, 0, 2], [0.1, 0.2, 0.3], { items: 1 })).toThrow(/items must be an integer ≥ 2/);
    expect(() => M.ndcg([1, 0, 2], [0.1, 0.2, 0.3], { items: 2 })).toThrow(/not a whole number of queries of 2 items/);
  });

  it("bestThreshold reaches the metric it reports, and no other threshold does better", () => {
    const rng = new Rng(3);
    const n = 500;
    const yt = new Int32Array(n);
    const sc = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      yt[i] = rng.float() < 0.3 ? 1 : 0;
      sc[i] = Math.round((yt[i] * 0.4 + rng.float()) * 20) / 20;
    }
    for (const metric of M.THRESHOLD_METRICS) {
      const b = M.bestThreshold(yt, sc, metric);
      const pred = Int32Array.from(sc, (v) => (v >= b.threshold ? 1 : 0));
      const f = metric === "f1" ? M.f1(yt, pred) : metric === "accuracy" ? M.accuracy(yt, pred) : metric === "matthews_corrcoef" ? M.matthewsCorrcoef(yt, pred) : metric === "balanced_accuracy" ? M.balancedAccuracy(yt, pred) : 2 * M.balancedAccuracy(yt, pred) - 1;
      expect(b.value).toBeCloseTo(f, 12);
      for (const t of new Set(sc)) {
        const p = Int32Array.from(sc, (v) => (v >= t ? 1 : 0));
        let tp = 0, fp = 0, tn = 0, fn = 0;
        for (let i = 0; i < n; i++) {
          if (p[i] && yt[i]) tp++;
          else if (p[i]) fp++;
          else if (yt[i]) fn++;
          else tn++;
        }
        expect(M.metricFromCounts(metric, tp, fp, tn, fn)).toBeLessThanOrEqual(b.value + 1e-12);
      }
    }
    // youden and balanced accuracy agree on the threshold
    expect(M.bestThreshold(yt, sc, "youden").threshold).toBe(M.bestThreshold(yt, sc, "balanced_accuracy").threshold);
  });
});

describe("argsortDescending", () => {
  it("orders like a stable comparator sort, with ties, signs, zeros and extremes", () => {
    const rng = new Rng(1);
    const n = 20000;
    const x = new Float64Array(n);
    const specials = [0, -0, 1e-310, -1e-310, Number.MAX_VALUE, -Number.MAX_VALUE, Infinity, -Infinity, 1, -1];
    for (let i = 0; i < n; i++) x[i] = rng.float() < 0.1 ? specials[rng.int(specials.length)] : rng.float() < 0.5 ? Math.round(rng.normal() * 10) / 4 : rng.normal() * 1e6;
    const got = Array.from(M.argsortDescending(x));
    const want = Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[b] === x[a] ? a - b : x[b] - x[a]));
    expect(got).toEqual(want);
  });

  it("handles empty and constant arrays", () => {
    expect(Array.from(M.argsortDescending(new Float64Array(0)))).toEqual([]);
    expect(Array.from(M.argsortDescending(new Float64Array(5).fill(0.5)))).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("argsortDescending on values sharing their high 32 bits", () => {
  it("orders long runs of nearly equal values by the full value", () => {
    // 1 + k·2⁻⁴⁰ differ only in the low mantissa bits: one run of 200 equal high words
    const x = new Float64Array(400);
    const rng = new Rng(4);
    for (let i = 0; i < 400; i++) x[i] = i < 200 ? 1 + rng.int(50) * 2 ** -40 : -(1 + rng.int(5) * 2 ** -45);
    const got = Array.from(M.argsortDescending(x));
    const want = Array.from({ length: 400 }, (_, i) => i).sort((a, b) => (x[b] === x[a] ? a - b : x[b] - x[a]));
    expect(got).toEqual(want);
  });
});
