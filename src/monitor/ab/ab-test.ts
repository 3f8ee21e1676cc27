/**
 * A/B verdicts on live outcomes that stay valid however often someone looks. The verdict comes
 * from a mixture sequential probability ratio test (mSPRT; Robbins 1970; Johari, Koomen, Pekelis &
 * Walsh, "Always valid inference: continuous monitoring of A/B tests", Operations Research 2022):
 * with the difference of means d = mean_B − mean_A, its variance s² = var_A/n_A + var_B/n_B and a
 * normal mixture N(0, τ²) over the true difference,
 *   Λ = √(s² / (s² + τ²)) · exp(τ² d² / (2 s² (s² + τ²))),
 * a nonnegative martingale under "no difference", so by Ville's inequality P(Λ ever ≥ 1/α) ≤ α: a
 * verdict of better or worse is reached only when Λ ≥ 1/α, at any number of looks. τ is the
 * smallest difference worth detecting (`mde`). The always-valid confidence interval is the set of
 * differences θ the same test would not reject: |d − θ| ≤ √(s²(s²+τ²)/τ² · (2 ln(1/α) + ln((s²+τ²)/s²))).
 *
 * Alongside, for the record, the fixed-horizon analysis a single look would use: a two-proportion
 * z-test (pooled) for rate-like outcomes (0/1), a bootstrap test of the difference of means for
 * others, the difference's 1 − α interval, and the per-arm sample size a fixed-horizon test needs
 * for the chosen power at the `mde`: n = (z₁₋α/₂ √(2 p̄(1 − p̄)) + z₁₋β √(p_A(1 − p_A) + p_B(1 − p_B)))² / mde²
 * for rates, (z₁₋α/₂ + z₁₋β)² (σ²_A + σ²_B) / mde² otherwise.
 */
import { InvalidInputError, show, normalCdf, normalQuantile, Rng } from "../../core/index.js";

/** Options of `abTest`: the minimum detectable effect `mde` and the test's error rates. */
export interface AbOptions {
  /** Error rate of the verdict (default 0.05). */
  alpha?: number;
  /** Power for the sample size (default 0.8). */
  power?: number;
  /** Smallest difference worth detecting, in the outcome's units (the mixture's τ). */
  mde: number;
  /** True when a larger outcome is better (default true: success rates, accuracy). */
  greaterIsBetter?: boolean;
  /** Fewest outcomes per arm before a verdict (the normal approximation needs some; default 100). */
  minPerArm?: number;
  /** Bootstrap resamples for outcomes that are not rates (default 2000). */
  rounds?: number;
  seed?: number;
}

/** An A/B test's conclusion. */
export type AbVerdict = "better" | "worse" | "not yet";

/** An arm's count, mean and variance. */
export interface ArmSummary {
  n: number;
  mean: number;
  variance: number;
}

/** An A/B comparison: a fixed-horizon test with the sample size still needed, and a sequential mSPRT (Johari et al. 2017) that may be read at any time. */
export interface AbResult {
  a: ArmSummary;
  b: ArmSummary;
  /** mean_B − mean_A. */
  difference: number;
  /** Rate-like outcomes (every value 0 or 1) use the two-proportion test. */
  kind: "proportion" | "mean";
  /** The fixed-horizon analysis (valid for one look only). */
  fixed_horizon: { test: "two-proportion z" | "bootstrap"; p_value: number; interval: { low: number; high: number; level: number }; per_arm_needed: number; more_per_arm: number };
  /** The sequential test the verdict comes from. */
  sequential: { method: string; likelihood_ratio: number; threshold: number; always_valid_p: number; interval: { low: number; high: number; level: number } };
  /** B against A. */
  verdict: AbVerdict;
  /** Why, in one sentence. */
  reason: string;
}

function summary(x: ArrayLike<number>): ArmSummary {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  const mean = x.length ? s / x.length : NaN;
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i] - mean) ** 2;
  return { n: x.length, mean, variance: x.length > 1 ? ss / (x.length - 1) : NaN };
}

function check(o: AbOptions): Required<Omit<AbOptions, "seed">> & { seed: number } {
  const alpha = o.alpha ?? 0.05;
  const power = o.power ?? 0.8;
  const fail = (path: string, v: unknown, expected: string): never => {
    throw new InvalidInputError(`${path} must be ${expected}, got ${show(v)}`, { path, expected, received: v });
  };
  if (!(alpha > 0 && alpha < 1)) fail("alpha", alpha, "in (0, 1)");
  if (!(power > 0 && power < 1)) fail("power", power, "in (0, 1)");
  if (!(o.mde > 0) || !Number.isFinite(o.mde)) fail("mde", o.mde, "a difference > 0");
  const minPerArm = o.minPerArm ?? 100;
  if (!(Number.isInteger(minPerArm) && minPerArm >= 2)) fail("minPerArm", minPerArm, "an integer ≥ 2");
  return { alpha, power, mde: o.mde, greaterIsBetter: o.greaterIsBetter ?? true, minPerArm, rounds: o.rounds ?? 2000, seed: o.seed ?? 0 };
}

/**
 * The mSPRT statistic and always-valid interval for an estimate `d` with variance `s2`.
 * @example
 * ```ts
 * const { lambda, halfWidth } = msprt(0.03, 0.0001, 0.05, 0.05);
 * ```
 */
export function msprt(d: number, s2: number, tau: number, alpha: number): { lambda: number; halfWidth: number } {
  const t2 = tau * tau;
  const lambda = Math.sqrt(s2 / (s2 + t2)) * Math.exp((t2 * d * d) / (2 * s2 * (s2 + t2)));
  const halfWidth = Math.sqrt(((s2 * (s2 + t2)) / t2) * (2 * Math.log(1 / alpha) + Math.log((s2 + t2) / s2)));
  return { lambda, halfWidth };
}

/**
 * Compare arm B with arm A on per-request outcomes (0/1 for rates; any numbers otherwise).
 * @example abTest(champion.correct, challenger.correct, { mde: 0.02 }).verdict // "better" | "worse" | "not yet"
 */
export function abTest(outcomesA: ArrayLike<number>, outcomesB: ArrayLike<number>, options: AbOptions): AbResult {
  const o = check(options);
  for (const [name, xs] of [["a", outcomesA], ["b", outcomesB]] as const) for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) throw new InvalidInputError(`outcome ${i} of arm ${name} is not a number: ${show(xs[i])}`, { path: `${name}[${i}]`, expected: "a finite number", received: xs[i] });
  const a = summary(outcomesA);
  const b = summary(outcomesB);
  const isRate = (xs: ArrayLike<number>) => Array.prototype.every.call(xs, (v: number) => v === 0 || v === 1);
  const kind: AbResult["kind"] = isRate(outcomesA) && isRate(outcomesB) ? "proportion" : "mean";
  const d = b.mean - a.mean;
  const zA = normalQuantile(1 - o.alpha / 2);
  const zB = normalQuantile(o.power);
  // variance of the difference; for rates from the observed proportions
  const va = kind === "proportion" ? a.mean * (1 - a.mean) : a.variance;
  const vb = kind === "proportion" ? b.mean * (1 - b.mean) : b.variance;
  const s2 = va / a.n + vb / b.n;
  const level = 1 - o.alpha;

  let p: number;
  let interval: { low: number; high: number; level: number };
  let needed: number;
  let test: AbResult["fixed_horizon"]["test"];
  if (kind === "proportion") {
    test = "two-proportion z";
    const pooled = (a.mean * a.n + b.mean * b.n) / (a.n + b.n);
    const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
    p = se0 > 0 ? 2 * (1 - normalCdf(Math.abs(d) / se0)) : d === 0 ? 1 : 0;
    const se = Math.sqrt(s2);
    interval = { low: d - zA * se, high: d + zA * se, level };
    const pa = a.mean;
    const pb = o.greaterIsBetter ? Math.min(pa + o.mde, 1) : Math.max(pa - o.mde, 0);
    const pbar = (pa + pb) / 2;
    needed = Math.ceil((zA * Math.sqrt(2 * pbar * (1 - pbar)) + zB * Math.sqrt(pa * (1 - pa) + pb * (1 - pb))) ** 2 / o.mde ** 2);
  } else {
    test = "bootstrap";
    const boot = bootstrapDifference(outcomesA, outcomesB, o.rounds, new Rng(o.seed));
    // percentile interval; p-value: twice the share of resampled differences (centred under H0) beyond |d|
    boot.shifted.sort();
    boot.raw.sort();
    const q = (arr: Float64Array, f: number) => arr[Math.min(arr.length - 1, Math.max(0, Math.floor(f * arr.length)))];
    interval = { low: q(boot.raw, o.alpha / 2), high: q(boot.raw, 1 - o.alpha / 2), level };
    let beyond = 0;
    for (const v of boot.shifted) if (Math.abs(v) >= Math.abs(d)) beyond++;
    p = (beyond + 1) / (boot.shifted.length + 1);
    needed = Math.ceil(((zA + zB) ** 2 * (a.variance + b.variance)) / o.mde ** 2);
  }
  const { lambda, halfWidth } = s2 > 0 ? msprt(d, s2, o.mde, o.alpha) : { lambda: d === 0 ? 1 : Infinity, halfWidth: 0 };
  const threshold = 1 / o.alpha;
  const enough = a.n >= o.minPerArm && b.n >= o.minPerArm;
  const decided = enough && lambda >= threshold;
  const bIsBetter = o.greaterIsBetter ? d > 0 : d < 0;
  const verdict: AbVerdict = decided ? (bIsBetter ? "better" : "worse") : "not yet";
  const reason = !enough
    ? `too few outcomes for a verdict: ${a.n} in A and ${b.n} in B, at least ${o.minPerArm} each needed`
    : decided
      ? `the mSPRT rejects "no difference" (likelihood ratio ${fmt(lambda)} ≥ 1/α = ${fmt(threshold)}): B is ${verdict} than A`
      : `no verdict yet: likelihood ratio ${fmt(lambda)} < 1/α = ${fmt(threshold)}; keep collecting`;
  return {
    a,
    b,
    difference: d,
    kind,
    fixed_horizon: { test, p_value: p, interval, per_arm_needed: needed, more_per_arm: Math.max(0, needed - Math.min(a.n, b.n)) },
    sequential: { method: `mixture SPRT (normal mixture, τ = mde = ${o.mde}), always valid at any number of looks; α = ${o.alpha}`, likelihood_ratio: lambda, threshold, always_valid_p: Math.min(1, 1 / lambda), interval: { low: d - halfWidth, high: d + halfWidth, level } },
    verdict,
    reason,
  };
}

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1000 ? x.toExponential(2) : x.toPrecision(3)) : String(x));

/** Resampled differences of means (B − A): as drawn, and with each arm centred on its own mean (under H0). */
function bootstrapDifference(a: ArrayLike<number>, b: ArrayLike<number>, rounds: number, rng: Rng): { raw: Float64Array; shifted: Float64Array } {
  const ma = summary(a).mean;
  const mb = summary(b).mean;
  const raw = new Float64Array(rounds);
  const shifted = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < a.length; i++) sa += a[Math.floor(rng.float() * a.length)];
    for (let i = 0; i < b.length; i++) sb += b[Math.floor(rng.float() * b.length)];
    raw[r] = sb / b.length - sa / a.length;
    shifted[r] = raw[r] - (mb - ma);
  }
  return { raw, shifted };
}
