/**
 * Bootstrap confidence intervals for any statistic of a sample (Efron & Tibshirani, "An
 * Introduction to the Bootstrap", 1993, ch. 13): resample rows with replacement `rounds` times,
 * recompute the statistic, and take the percentile interval. Stratified resampling (within each
 * class) keeps rare classes present in every replicate, so metrics like ROC AUC stay defined.
 */
import { InvalidInputError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { quantileSorted } from "../data/profile/index.js";

export interface BootstrapOptions {
  /** Resamples (default 1000). */
  rounds?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  rng?: Rng;
  /** Class of each row: resample within classes. */
  strata?: Int32Array;
}

export interface Interval {
  /** The statistic on the full sample. */
  estimate: number;
  low: number;
  high: number;
  level: number;
  rounds: number;
}

/**
 * Percentile interval of `statistic` over bootstrap resamples of rows 0..n-1. `statistic`
 * receives the row indices of a resample (with repeats). Replicates where it is not finite are
 * dropped; if more than half are, the interval is NaN.
 */
export function bootstrapInterval(n: number, statistic: (rows: Int32Array) => number, options: BootstrapOptions = {}): Interval {
  return bootstrapIntervals(n, (rows) => ({ value: statistic(rows) }), options).value;
}

/**
 * Intervals for several statistics from the same resamples (one draw of rows per round, every
 * statistic computed on it), e.g. all the metrics of a test set.
 */
export function bootstrapIntervals(n: number, statistics: (rows: Int32Array) => Record<string, number>, options: BootstrapOptions = {}): Record<string, Interval> {
  const rounds = options.rounds ?? 1000;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidInputError(`bootstrap level must be in (0, 1), got ${level}`, { path: "level", expected: "a number in (0, 1)", received: level });
  if (!Number.isInteger(rounds) || rounds < 10) throw new InvalidInputError(`bootstrap rounds must be an integer ≥ 10, got ${rounds}`, { path: "rounds", expected: "an integer ≥ 10", received: rounds });
  const rng = options.rng ?? new Rng(0);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimates = statistics(all);
  const names = Object.keys(estimates);
  const values: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  const groups = options.strata ? groupRows(options.strata) : [all];
  const sample = new Int32Array(n);
  for (let r = 0; r < rounds; r++) {
    let o = 0;
    for (const g of groups) for (let i = 0; i < g.length; i++) sample[o++] = g[rng.int(g.length)];
    const v = statistics(sample);
    for (const k of names) if (Number.isFinite(v[k])) values[k].push(v[k]);
  }
  const alpha = (1 - level) / 2;
  const out: Record<string, Interval> = {};
  for (const k of names) {
    const vs = values[k].sort((a, b) => a - b);
    const ok = vs.length >= rounds / 2;
    out[k] = { estimate: estimates[k], low: ok ? quantileSorted(vs, alpha) : NaN, high: ok ? quantileSorted(vs, 1 - alpha) : NaN, level, rounds };
  }
  return out;
}

function groupRows(strata: Int32Array): Int32Array[] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < strata.length; i++) {
    const k = strata[i];
    let list = byClass.get(k);
    if (!list) byClass.set(k, (list = []));
    list.push(i);
  }
  return [...byClass.keys()].sort((a, b) => a - b).map((k) => Int32Array.from(byClass.get(k)!));
}
