/**
 * Paired bootstrap of the difference of a metric between two models on the same rows (Efron &
 * Tibshirani 1993, ch. 16; Koehn, "Statistical significance tests for machine translation
 * evaluation", EMNLP 2004): each resample draws rows with replacement once and scores both
 * models on those rows, so the difference keeps the pairing. The interval is the percentile one
 * (NumPy's linear quantiles) of the differences; the two-sided p-value for "no difference" is
 * min(1, 2·min(share ≤ 0, share ≥ 0)) of the differences. A resample on which either metric is
 * undefined (ROC AUC on one class) is redrawn.
 */
import { InvalidInputError, show, Rng } from "../../core/index.js";
import { percentileInterval } from "../bootstrap.js";

export interface PairedBootstrapResult {
  /** metric(A) − metric(B) on all rows. */
  estimate: number;
  metricA: number;
  metricB: number;
  low: number;
  high: number;
  level: number;
  pValue: number;
  rounds: number;
  /** Resamples drawn again because a metric was undefined on them. */
  redrawn: number;
}

export interface PairedBootstrapOptions {
  /** Resamples (default 1000). */
  rounds?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Generator (default seed 0). */
  rng?: Rng;
  /** Use these resamples (rows with repeats) instead of drawing them; for reproducing another tool. */
  resamples?: readonly ArrayLike<number>[];
  /** Keep the replicates (differences) in the result. */
  keepReplicates?: boolean;
}

/**
 * Paired bootstrap of `metricA(rows) − metricB(rows)` over resamples of rows 0..n−1.
 *
 * @example
 * const d = pairedBootstrap(y.length, (r) => auc(y, a, r), (r) => auc(y, b, r), { rng: new Rng(42) });
 * // { estimate: 0.021, low: -0.004, high: 0.047, pValue: 0.1, ... }
 */
export function pairedBootstrap(n: number, metricA: (rows: Int32Array) => number, metricB: (rows: Int32Array) => number, options: PairedBootstrapOptions = {}): PairedBootstrapResult & { replicates?: Float64Array } {
  const level = options.level ?? 0.95;
  const rounds = options.resamples?.length ?? options.rounds ?? 1000;
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(`paired bootstrap needs at least one row, got n=${show(n)}`, { path: "n", expected: "an integer ≥ 1", received: n });
  if (!(level > 0 && level < 1)) throw new InvalidInputError(`level must be in (0, 1), got ${show(level)}`, { path: "level", expected: "a number in (0, 1)", received: level });
  if (!Number.isInteger(rounds) || rounds < 10) throw new InvalidInputError(`paired bootstrap rounds must be an integer ≥ 10, got ${show(rounds)}`, { path: "rounds", expected: "an integer ≥ 10", received: rounds });
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const metricAll = { a: metricA(all), b: metricB(all) };
  const estimate = metricAll.a - metricAll.b;
  const base = { estimate, metricA: metricAll.a, metricB: metricAll.b, level, rounds, redrawn: 0 };
  if (!Number.isFinite(estimate)) return { ...base, low: NaN, high: NaN, pValue: NaN };
  const rng = options.rng ?? new Rng(0);
  const replicates = new Float64Array(rounds);
  const rows = new Int32Array(n);
  let redrawn = 0;
  for (let r = 0; r < rounds; r++) {
    for (;;) {
      const given = options.resamples?.[r];
      for (let i = 0; i < n; i++) rows[i] = given ? given[i] : rng.int(n);
      const d = metricA(rows) - metricB(rows);
      if (Number.isFinite(d)) {
        replicates[r] = d;
        break;
      }
      if (given) throw new InvalidInputError(`a metric is undefined on given resample ${r}`, { path: `resamples[${r}]`, expected: "a resample on which both metrics are defined", received: "undefined metric" });
      if (++redrawn > 9 * rounds) return { ...base, redrawn, low: NaN, high: NaN, pValue: NaN };
    }
  }
  let atMost = 0;
  let atLeast = 0;
  for (const d of replicates) {
    if (d <= 0) atMost++;
    if (d >= 0) atLeast++;
  }
  const pValue = Math.min(1, (2 * Math.min(atMost, atLeast)) / rounds);
  const kept = options.keepReplicates ? Float64Array.from(replicates) : undefined;
  const { low, high } = percentileInterval(replicates, level);
  return { ...base, redrawn, low, high, pValue, ...(kept ? { replicates: kept } : {}) };
}
