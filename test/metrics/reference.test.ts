/**
 * Every metric against scikit-learn 1.2 on committed fixtures (test/fixtures/metrics, written by
 * make_reference.py): values to 1e-9 relative, curves point for point, and the inputs on which
 * scikit-learn raises must raise a KeelError here.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { KeelError } from "../../src/core/errors.js";
import * as M from "../../src/metrics/index.js";

type Json = number | string | null | Json[] | { [k: string]: Json };
interface Case {
  fn: string;
  data: string;
  y: string;
  pred: string | null;
  w: string | null;
  options: Record<string, Json>;
  note: string;
  expected?: number | string | Record<string, (number | string)[]>;
  error?: string;
}

const revive = (_k: string, v: unknown) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v);
const ref = JSON.parse(readFileSync(new URL("../fixtures/metrics/reference.json", import.meta.url), "utf8"), revive) as {
  sklearn: string;
  data: Record<string, Record<string, number[]>>;
  cases: Case[];
};

type Call = (y: Float64Array, p: Float64Array, o: Record<string, unknown>) => unknown;
const codes = (a: Float64Array) => Int32Array.from(a);
const FNS: Record<string, Call> = {
  accuracy: (y, p, o) => M.accuracy(codes(y), codes(p), o),
  balancedAccuracy: (y, p, o) => M.balancedAccuracy(codes(y), codes(p), o),
  matthewsCorrcoef: (y, p, o) => M.matthewsCorrcoef(codes(y), codes(p), o),
  cohenKappa: (y, p, o) => M.cohenKappa(codes(y), codes(p), o),
  precision: (y, p, o) => M.precision(codes(y), codes(p), o),
  recall: (y, p, o) => M.recall(codes(y), codes(p), o),
  f1: (y, p, o) => M.f1(codes(y), codes(p), o),
  fbeta: (y, p, o) => M.fbeta(codes(y), codes(p), o.beta as number, o),
  perLabelScores: (y, p, o) => M.perLabelScores(codes(y), codes(p), o),
  confusionMatrix: (y, p, o) => M.confusionMatrix(codes(y), codes(p), o),
  rocAuc: (y, p, o) => M.rocAuc(codes(y), p, o),
  averagePrecision: (y, p, o) => M.averagePrecision(codes(y), p, o),
  logLoss: (y, p, o) => M.logLoss(codes(y), p, o),
  brierScore: (y, p, o) => M.brierScore(codes(y), p, o),
  rocCurve: (y, p, o) => M.rocCurve(codes(y), p, o),
  precisionRecallCurve: (y, p, o) => M.precisionRecallCurve(codes(y), p, o),
  bestThreshold: (y, p, o) => M.bestThreshold(codes(y), p, o.metric as M.ThresholdMetric, o),
  meanAbsoluteError: (y, p, o) => M.meanAbsoluteError(y, p, o),
  meanSquaredError: (y, p, o) => M.meanSquaredError(y, p, o),
  rootMeanSquaredError: (y, p, o) => M.rootMeanSquaredError(y, p, o),
  r2: (y, p, o) => M.r2(y, p, o),
  meanAbsolutePercentageError: (y, p, o) => M.meanAbsolutePercentageError(y, p, o),
  medianAbsoluteError: (y, p, o) => M.medianAbsoluteError(y, p, o),
  explainedVariance: (y, p, o) => M.explainedVariance(y, p, o),
  meanPoissonDeviance: (y, p, o) => M.meanPoissonDeviance(y, p, o),
  ndcg: (y, p, o) => M.ndcg(y, p, o as unknown as M.NdcgOptions),
  mapAtK: (y, p, o) => M.mapAtK(y, p, o as unknown as M.RankingOptions),
};

/** |a − b| ≤ 1e-9·|b| (plus 1e-15 absolute for values at 0); NaN equals NaN. */
function close(a: number, b: number): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-15;
}

function run(c: Case): unknown {
  const d = ref.data[c.data];
  const y = Float64Array.from(d[c.y]);
  let p = Float64Array.from(d[c.pred!]);
  const { negateScore, negatePred, ...options } = c.options as Record<string, unknown>;
  if (negateScore || negatePred) p = p.map((v) => -v);
  const o: Record<string, unknown> = { ...options };
  if (c.w) o.sampleWeight = Float64Array.from(d[c.w]);
  const fn = FNS[c.fn];
  if (!fn) throw new Error(`no Keel function mapped for ${c.fn}`);
  return fn(y, p, o);
}

function label(c: Case, i: number): string {
  const opts = Object.entries(c.options).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
  return `#${i} ${c.fn} on ${c.data}${c.w ? ` weighted(${c.w})` : ""}${opts ? ` ${opts}` : ""}${c.note ? ` — ${c.note}` : ""}`;
}

describe(`metrics equal scikit-learn ${ref.sklearn}`, () => {
  it("has a mapped Keel function for every reference case", () => {
    expect(ref.cases.length).toBeGreaterThan(400);
    for (const c of ref.cases) expect(Object.keys(FNS)).toContain(c.fn);
  });

  ref.cases.forEach((c, i) => {
    it(label(c, i), () => {
      if (c.error !== undefined) {
        expect(() => run(c)).toThrow(KeelError);
        return;
      }
      const got = run(c);
      if (typeof c.expected === "number") {
        expect(typeof got).toBe("number");
        if (!close(got as number, c.expected)) expect(got).toBe(c.expected);
        return;
      }
      const exp = c.expected as Record<string, number[]>;
      for (const [key, want] of Object.entries(exp)) {
        const v = (got as Record<string, unknown>)[key];
        const arr = typeof v === "number" ? [v] : Array.from(v as ArrayLike<number>);
        expect(arr.length, `${key} length`).toBe(want.length);
        for (let j = 0; j < want.length; j++) {
          if (!close(arr[j], want[j])) expect(`${key}[${j}] = ${arr[j]}`).toBe(`${key}[${j}] = ${want[j]}`);
        }
      }
    });
  });
});
