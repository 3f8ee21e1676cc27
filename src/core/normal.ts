/**
 * The standard normal distribution's CDF Φ and quantile Φ⁻¹, to double precision.
 * - Φ: for |x| ≤ 2.5 Marsaglia's Taylor series ("Evaluating the normal distribution", J. Stat.
 *   Softw. 11(4), 2004), Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …); beyond, the tail φ(x)/R from
 *   Laplace's continued fraction R = z + 1/(z + 2/(z + 3/(z + …))) (150 terms), so the tail keeps
 *   its relative precision (about 1e-15); 0 or 1 beyond |x| = 38.
 * - Φ⁻¹: Wichura's algorithm AS 241, PPND16 (Appl. Statist. 37(3), 1988), relative error about 1e-16.
 */

/**
 * Φ(x), the probability that a standard normal variate is ≤ x. NaN for NaN.
 * @example
 * ```ts
 * normalCdf(1.96); // ≈ 0.975
 * ```
 */
export function normalCdf(x: number): number {
  if (x !== x) return NaN;
  if (x < -38) return 0;
  if (x > 38) return 1;
  if (Math.abs(x) > 2.5) {
    const z = Math.abs(x);
    let f = z;
    for (let k = 150; k >= 1; k--) f = z + k / f;
    const tail = Math.exp(-0.5 * z * z - 0.91893853320467274178) / f;
    return x < 0 ? tail : 1 - tail;
  }
  let s = x;
  let t = 0;
  let b = x;
  const q = x * x;
  for (let i = 1; s !== t; ) {
    t = s;
    i += 2;
    b *= q / i;
    s = t + b;
  }
  return 0.5 + s * Math.exp(-0.5 * q - 0.91893853320467274178);
}

/**
 * Φ⁻¹(p) for p in [0, 1]: −∞ at 0, +∞ at 1, NaN outside.
 * @example
 * ```ts
 * normalQuantile(0.975); // ≈ 1.96
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r + 4.5921953931549871457e4) * r + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r + 1.3314166789178437745e2) * r +
          3.387132872796366608)) /
      (((((((5.226495278852854561e3 * r + 2.8729085735721942674e4) * r + 3.9307895800092710610e4) * r + 2.1213794301586595867e4) * r + 5.3941960214247511077e3) * r + 6.871870074920579083e2) * r + 4.2313330701600911252e1) * r + 1)
    );
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v =
      (((((((7.7454501427834140764e-4 * r + 2.27238449892691845833e-2) * r + 2.4178072517745061177e-1) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 1.51986665636164571966e-2) * r + 1.4810397642748007459e-1) * r + 6.8976733498510000455e-1) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    v =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 1.2426609473880784386e-3) * r + 2.6532189526576123093e-2) * r + 2.9656057182850489123e-1) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 1.4875361290850614852e-2) * r + 1.3692988092273580531e-1) * r + 5.9983220655588793769e-1) * r + 1);
  }
  return q < 0 ? -v : v;
}
