/**
 * The truncated normal distribution's pieces TPE needs, computed in log space so far tails keep
 * their precision: log Φ, the log of a standard normal's mass on [a, b], the log density and
 * the quantile function (for inverse-transform sampling).
 */
import { normalCdf, normalQuantile } from "../../core/index.js";

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log Φ(a). Above 6, log(1 − Φ(−a)) ≈ −Φ(−a) by log1p; down to −20 the log of Φ (whose tail is
 * relatively exact, core/normal); below, the asymptotic series
 * Φ(a) ≈ φ(a)/(−a) · (1 − 1/a² + 3/a⁴ − 15/a⁶ + …) summed until it stops changing.
 */
export function logNormalCdf(a: number): number {
  if (a > 6) return Math.log1p(-normalCdf(-a));
  if (a > -20) return Math.log(normalCdf(a));
  const inv2 = 1 / (a * a);
  let sum = 1;
  let term = 1;
  for (let i = 1; i < 100; i++) {
    term *= -(2 * i - 1) * inv2;
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return -0.5 * a * a - Math.log(-a) - HALF_LOG_2PI + Math.log(sum);
}

/** log(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(e^p + e^q). */
function logSum(p: number, q: number): number {
  const m = Math.max(p, q);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

/**
 * log P(a ≤ Z ≤ b) for a standard normal Z: from the left tail when b ≤ 0, by symmetry from
 * the right when a > 0, and log1p(−Φ(a) − Φ(−b)) when the interval holds 0.
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNormalCdf(b), logNormalCdf(a));
  if (a > 0) return logDiff(logNormalCdf(-a), logNormalCdf(-b));
  return Math.log1p(-normalCdf(a) - normalCdf(-b));
}

/**
 * The p-quantile of the standard normal truncated to [a, b] (inverse-transform sampling): found
 * from the side of the interval nearer the tail, in log space, so narrow far-out intervals
 * work. NaN for an empty interval.
 */
export function truncnormQuantile(p: number, a: number, b: number): number {
  return truncnormQuantileFrom(p, a, b, logGaussMass(a, b), a < 0 ? logNormalCdf(a) : logNormalCdf(-b));
}

/**
 * `truncnormQuantile` with the interval's log mass and its tail's log Φ (log Φ(a) when a < 0,
 * else log Φ(−b)) given, so a mixture component computes them once for all its draws.
 */
export function truncnormQuantileFrom(p: number, a: number, b: number, logMass: number, logTail: number): number {
  if (a === b) return NaN;
  if (p === 0) return a;
  if (p === 1) return b;
  if (a < 0) return quantileFromLog(logSum(logTail, Math.log(p) + logMass));
  return -quantileFromLog(logSum(logTail, Math.log1p(-p) + logMass));
}

/** Φ⁻¹(e^y) for y ≤ 0, kept finite where e^y underflows (asymptotic inversion). */
function quantileFromLog(y: number): number {
  if (y > -700) return normalQuantile(Math.exp(y));
  // Φ(x) ≈ φ(x)/(−x) for x ≪ 0: solve −x²/2 − log(−x) − ½ log 2π = y by a few Newton steps.
  let x = -Math.sqrt(-2 * y);
  for (let i = 0; i < 20; i++) {
    const f = logNormalCdf(x) - y;
    const slope = -x; // d/dx log Φ(x) → −x for x ≪ 0
    x -= f / slope;
  }
  return x;
}
