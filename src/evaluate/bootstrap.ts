/**
 * Bootstrap confidence intervals for any statistic of a sample (Efron & Tibshirani, "An
 * Introduction to the Bootstrap", 1993): resample the rows with replacement `rounds` times,
 * recompute the statistic on each resample, and read the interval off the resampled values —
 * the percentile interval (ch. 13), or the bias-corrected and accelerated (BCa) one (ch. 14.3,
 * acceleration from the jackknife, eq. 14.15), as SciPy's `stats.bootstrap` computes them.
 *
 * Rows are resampled plainly, never within classes: holding the class mix fixed removes the
 * variance of the classes a model gets all right or all wrong, and the interval comes out far
 * too narrow. A resample on which a statistic is undefined (ROC AUC on a resample holding one
 * class) is redrawn for that statistic, and the count of redrawn resamples is reported with the
 * interval.
 */
import { InvalidInputError, show, normalCdf, normalQuantile, Rng, quantileSorted } from "../core/index.js";

/** How a bootstrap interval is formed from the replicates: percentile, or BCa (Efron 1987). */
export type IntervalMethod = "percentile" | "bca";

/** Options of `bootstrapInterval` and `bootstrapIntervals`. */
export interface BootstrapOptions {
  /** Resamples (default 1000). */
  rounds?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** "percentile" (default) or "bca" (costs one evaluation of the statistic per row, for the jackknife). */
  method?: IntervalMethod;
  /** Generator (default seed 0). */
  rng?: Rng;
  /**
   * Redraws allowed for a statistic undefined on a resample, as a multiple of `rounds` (default
   * 9: at most 10 · rounds draws in all); past it the interval is not available.
   */
  maxRedraws?: number;
  /**
   * @deprecated Ignored: resampling within classes removes variance (intervals far too narrow).
   * Rows are always resampled plainly; kept only so existing callers compile.
   */
  strata?: Int32Array;
}

/** A bootstrap confidence interval around a statistic. */
export interface Interval {
  /** The statistic on the full sample. */
  estimate: number;
  /** Lower and upper bounds; NaN when `unavailable`. */
  low: number;
  high: number;
  level: number;
  /** Resamples the interval is made of. */
  rounds: number;
  method: IntervalMethod;
  /** Resamples on which the statistic was undefined, each replaced by a new draw. */
  redrawn: number;
  /** Why there is no interval (the statistic undefined on the sample, or on too many resamples). */
  unavailable?: string;
}

/**
 * Interval of `statistic` over bootstrap resamples of rows 0..n−1. `statistic` receives the row
 * indices of a resample (with repeats) and returns NaN where it is undefined.
 *
 * @example
 * const ci = bootstrapInterval(y.length, (rows) => accuracyOf(rows), { rounds: 2000, rng: new Rng(42) });
 * // { estimate: 0.873, low: 0.836, high: 0.908, level: 0.95, rounds: 2000, method: "percentile", redrawn: 0 }
 */
export function bootstrapInterval(n: number, statistic: (rows: Int32Array) => number, options: BootstrapOptions = {}): Interval {
  return bootstrapIntervals(n, (rows) => ({ value: statistic(rows) }), options).value;
}

/**
 * Intervals for several statistics from the same resamples (one draw of rows per round, every
 * statistic computed on it), e.g. all the metrics of a test set. A statistic undefined on a
 * resample gets a fresh draw for itself alone; the others keep the shared resamples.
 * @example
 * ```ts
 * const y = Float64Array.of(3, 5, 2, 8), p = Float64Array.of(2.5, 5, 3, 7);
 * const ci = bootstrapIntervals(y.length, (rows) => ({ mae: meanAbsoluteError(rows.map((i) => y[i]!), rows.map((i) => p[i]!)) }), { rounds: 500 });
 * console.log(ci.mae!.low, ci.mae!.high);
 * ```
 */
export function bootstrapIntervals(n: number, statistics: (rows: Int32Array) => Record<string, number>, options: BootstrapOptions = {}): Record<string, Interval> {
  const rounds = options.rounds ?? 1000;
  const level = options.level ?? 0.95;
  const method = options.method ?? "percentile";
  const maxRedraws = options.maxRedraws ?? 9;
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError(`bootstrap needs at least one row, got n=${show(n)}`, { path: "n", expected: "an integer ≥ 1", received: n });
  if (!(level > 0 && level < 1)) throw new InvalidInputError(`bootstrap level must be in (0, 1), got ${show(level)}`, { path: "level", expected: "a number in (0, 1)", received: level });
  if (!Number.isInteger(rounds) || rounds < 10) throw new InvalidInputError(`bootstrap rounds must be an integer ≥ 10, got ${show(rounds)}`, { path: "rounds", expected: "an integer ≥ 10", received: rounds });
  if (method !== "percentile" && method !== "bca") throw new InvalidInputError(`bootstrap method must be "percentile" or "bca", got ${show(method)}`, { path: "method", expected: '"percentile" or "bca"', received: method });
  if (!(maxRedraws >= 0)) throw new InvalidInputError(`maxRedraws must be ≥ 0, got ${show(maxRedraws)}`, { path: "maxRedraws", expected: "a number ≥ 0", received: maxRedraws });
  const rng = options.rng ?? new Rng(0);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimates = statistics(all);
  const names = Object.keys(estimates);
  const values: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  const redrawn: Record<string, number> = Object.fromEntries(names.map((k) => [k, 0]));
  const sample = new Int32Array(n);
  const draw = () => {
    for (let i = 0; i < n; i++) sample[i] = rng.int(n);
    return statistics(sample);
  };
  const defined = names.filter((k) => Number.isFinite(estimates[k]));
  for (let r = 0; r < rounds && defined.length > 0; r++) {
    const v = draw();
    for (const k of defined) {
      if (Number.isFinite(v[k])) values[k].push(v[k]);
      else redrawn[k]++;
    }
  }
  // redraw for the statistics still short of `rounds` values, within the budget
  let short = defined.filter((k) => values[k].length < rounds);
  for (let extra = 0; short.length > 0 && extra < maxRedraws * rounds; extra++) {
    const v = draw();
    for (const k of short) {
      if (Number.isFinite(v[k])) values[k].push(v[k]);
      else redrawn[k]++;
    }
    short = short.filter((k) => values[k].length < rounds);
  }

  const out: Record<string, Interval> = {};
  for (const k of names) {
    const base = { estimate: estimates[k], level, rounds, method, redrawn: redrawn[k] };
    const none = (why: string): Interval => ({ ...base, low: NaN, high: NaN, unavailable: why });
    if (!Number.isFinite(estimates[k])) {
      out[k] = none(`${k} is not defined on the sample itself`);
      continue;
    }
    if (values[k].length < rounds) {
      out[k] = none(`${k} was undefined on ${redrawn[k]} of ${redrawn[k] + values[k].length} resamples; too few defined ones (${values[k].length} of ${rounds}) for an interval`);
      continue;
    }
    const replicates = Float64Array.from(values[k]);
    if (method === "percentile") {
      out[k] = { ...base, ...percentileInterval(replicates, level) };
      continue;
    }
    const jack = new Float64Array(n);
    const rows = new Int32Array(n - 1);
    for (let i = 0; i < n; i++) {
      for (let j = 0, t = 0; j < n; j++) if (j !== i) rows[t++] = j;
      jack[i] = n > 1 ? statistics(rows)[k] : NaN;
    }
    const bca = bcaInterval(replicates, estimates[k], jack, level);
    out[k] = Number.isFinite(bca.low) && Number.isFinite(bca.high) ? { ...base, ...bca } : none(`the BCa interval of ${k} is undefined (${bca.why})`);
  }
  return out;
}

/**
 * Percentile interval of bootstrap replicates: their α/2 and 1 − α/2 quantiles (linear, NumPy's default). Sorts `replicates` in place.
 * @example
 * ```ts
 * const { low, high } = percentileInterval(replicates, 0.95);
 * ```
 */
export function percentileInterval(replicates: Float64Array, level: number): { low: number; high: number } {
  const alpha = (1 - level) / 2;
  replicates.sort();
  return { low: quantileSorted(replicates, alpha), high: quantileSorted(replicates, 1 - alpha) };
}

/**
 * BCa interval (Efron 1987) from bootstrap replicates, the full-sample `estimate` and the
 * jackknife (leave-one-out) values: bias correction z₀ = Φ⁻¹(share of replicates below the
 * estimate, ties counting half), acceleration a = Σd³ / (6 (Σd²)^{3/2}) with d = mean(jack) −
 * jack, and the replicates' quantiles at Φ(z₀ + (z₀ + z)/(1 − a(z₀ + z))) for z = ±Φ⁻¹(α/2).
 * Sorts `replicates` in place. `why` says what made a bound undefined (NaN).
 * @example
 * ```ts
 * const { low, high, why } = bcaInterval(replicates, estimate, jackknife, 0.95);
 * ```
 */
export function bcaInterval(replicates: Float64Array, estimate: number, jackknife: Float64Array, level: number): { low: number; high: number; why?: string } {
  const B = replicates.length;
  let below = 0;
  for (let b = 0; b < B; b++) below += (replicates[b] < estimate ? 1 : 0) + (replicates[b] <= estimate ? 1 : 0);
  const z0 = normalQuantile(below / (2 * B));
  if (!Number.isFinite(z0)) return { low: NaN, high: NaN, why: `every resample lies on one side of the estimate ${estimate}` };
  let mean = 0;
  for (const v of jackknife) {
    if (!Number.isFinite(v)) return { low: NaN, high: NaN, why: "the statistic is undefined on a leave-one-out sample (jackknife)" };
    mean += v;
  }
  mean /= jackknife.length;
  let s2 = 0;
  let s3 = 0;
  for (const v of jackknife) {
    const d = mean - v;
    s2 += d * d;
    s3 += d * d * d;
  }
  if (!(s2 > 0)) return { low: NaN, high: NaN, why: "the jackknife values do not vary, so the acceleration is undefined" };
  const a = s3 / (6 * s2 ** 1.5);
  const z = normalQuantile((1 - level) / 2);
  const adjusted = (zz: number) => normalCdf(z0 + (z0 + zz) / (1 - a * (z0 + zz)));
  replicates.sort();
  return { low: quantileSorted(replicates, adjusted(z)), high: quantileSorted(replicates, adjusted(-z)) };
}

/**
 * Bootstrap rounds by test size: intervals stay affordable on large test sets.
 * @example
 * ```ts
 * const rounds = bootstrapRoundsFor(test.nRows);
 * ```
 */
export function bootstrapRoundsFor(n: number): number {
  return n <= 20_000 ? 1000 : n <= 100_000 ? 300 : 100;
}
