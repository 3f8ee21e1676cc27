/**
 * Student's t distribution's upper tail and Welch's unequal-variance t-test.
 * The tail is P(T > t) = ½ · I_x(ν/2, ½) with x = ν / (ν + t²) for t ≥ 0, where I is the regularized
 * incomplete beta function, evaluated by its continued fraction with the modified Lentz method
 * (Numerical Recipes, 3rd ed., §6.4), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the
 * fraction converges slowly. Welch's test (Welch, Biometrika 34, 1947): t = (m₁ − m₂) / √(s₁²/n₁ + s₂²/n₂)
 * with the Welch–Satterthwaite degrees of freedom, as `scipy.stats.ttest_ind(equal_var=False)`.
 */
import { logGamma } from "./gamma.js";

/** I_x(a, b), the regularized incomplete beta function (`scipy.special.betainc`), a, b > 0, 0 ≤ x ≤ 1. */
export function incompleteBeta(a: number, b: number, x: number): number {
  return incompleteBetaOf(a, b, x, 1 - x);
}

/** I_x(a, b) given x and y = 1 − x separately, so a y near 0 (x near 1) keeps its digits. */
function incompleteBetaOf(a: number, b: number, x: number, y: number, logX = Math.log(x), logY = Math.log(y)): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) return NaN;
  if (x === 0 || y === 0) return x === 0 ? 0 : 1;
  const logFront = logBetaInverse(a, b) + a * logX + b * logY;
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaFraction(a, b, x)) / a;
  return 1 - (Math.exp(logFront) * betaFraction(b, a, y)) / b;
}

/** log Γ(a + b) − log Γ(a) − log Γ(b), without the cancellation of two large log Γ when one argument is large. */
function logBetaInverse(a: number, b: number): number {
  const [big, small] = a >= b ? [a, b] : [b, a];
  if (big < 100) return logGamma(a + b) - logGamma(a) - logGamma(b);
  return logGammaRatio(big, small) - logGamma(small);
}

/**
 * log Γ(z + h) − log Γ(z) for z ≥ 100 from Stirling's series, the large terms combined with log1p:
 * (z − ½) log(1 + h/z) + h log(z + h) − h + Σ B₂ₖ / (2k(2k − 1)) · ((z + h)^{1−2k} − z^{1−2k}).
 */
function logGammaRatio(z: number, h: number): number {
  const w = z + h;
  const series = (v: number) => {
    const v2 = v * v;
    return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * v2)) / v2) / v2) / v;
  };
  return (z - 0.5) * Math.log1p(h / z) + h * Math.log(w) - h + (series(w) - series(z));
}

function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** P(T > t) for Student's t with `df` > 0 degrees of freedom (`scipy.stats.t.sf`). */
export function studentTSf(t: number, df: number): number {
  if (t !== t || !(df > 0)) return NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  // x = ν / (ν + t²) and 1 − x = t² / (ν + t²), each computed directly, log x as −log1p(t²/ν)
  const t2 = t * t;
  const tail = t2 === 0 ? 0.5 : 0.5 * incompleteBetaOf(df / 2, 0.5, df / (df + t2), t2 / (df + t2), -Math.log1p(t2 / df), Math.log(t2) - Math.log(df + t2));
  return t >= 0 ? tail : 1 - tail;
}

export interface WelchTest {
  /** t = (mean₁ − mean₂) / √(var₁/n₁ + var₂/n₂), variances with n − 1. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** One-sided p-value for mean₁ > mean₂: P(T > t). */
  p_greater: number;
}

/**
 * Welch's t-test from two samples' sizes, means and (n − 1) variances; NaN where undefined
 * (a sample under 2 rows, or both variances 0).
 *
 * @example welchTest(40, 0.3, 0.21, 960, 0.1, 0.09) // { t: 2.66, df: 41.6, p_greater: 0.0055 }
 */
export function welchTest(n1: number, mean1: number, var1: number, n2: number, mean2: number, var2: number): WelchTest {
  const a = var1 / n1;
  const b = var2 / n2;
  const se = Math.sqrt(a + b);
  if (!(n1 >= 2 && n2 >= 2) || !(se > 0)) return { t: NaN, df: NaN, p_greater: NaN };
  const t = (mean1 - mean2) / se;
  const df = (a + b) ** 2 / (a ** 2 / (n1 - 1) + b ** 2 / (n2 - 1));
  return { t, df, p_greater: studentTSf(t, df) };
}
