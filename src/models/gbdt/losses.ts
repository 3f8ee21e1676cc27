/**
 * Losses of gradient boosting (Friedman, "Greedy function approximation", Ann. Stat. 2001), with
 * scikit-learn's conventions: each gives per-row gradient and hessian of the loss in the raw score
 * (Newton boosting, Chen & Guestrin 2016), its optimal constant (the starting score), the inverse
 * link from raw score to prediction, and the loss value reported in the training history:
 * - log_loss (binary): raw = log-odds, loss = −y log p − (1−y) log(1−p)
 * - log_loss (multiclass, softmax; one tree per class per iteration): loss = −log p_y
 * - squared_error: ½(y − raw)²
 * - absolute_error: |y − raw|; leaf values refitted to the median residual (as scikit-learn)
 * - huber: ½r² for |r| ≤ δ, δ(|r| − δ/2) beyond (r = y − raw); hessian 1
 * - quantile q: pinball loss q·max(r,0) + (1−q)·max(−r,0); leaf values refitted to the q-quantile
 * - poisson: log link, half Poisson deviance exp(raw) − y·raw + y·log y − y
 * Sample weights multiply gradient, hessian and loss; reported losses are weighted means. Huber
 * has no counterpart in scikit-learn's HistGradientBoosting; the others equal its `sklearn/_loss`
 * gradients, hessians and starting scores bit for bit.
 */
import { numpyAverage, pairwiseSum, median, percentile, weightedPercentile } from "../../core/index.js";
import type { LossName } from "./params.js";

export const LOSS_LOGISTIC = 0;
export const LOSS_SOFTMAX = 1;
export const LOSS_SQUARED = 2;
export const LOSS_ABSOLUTE = 3;
export const LOSS_HUBER = 4;
export const LOSS_QUANTILE = 5;
export const LOSS_POISSON = 6;

export interface LossSpec {
  code: number;
  name: LossName;
  /** Raw scores per row (classes for softmax, else 1). */
  K: number;
  /** δ for huber, q for quantile, unused otherwise. */
  param: number;
  /** Leaf values are replaced by a quantile of the leaf's residuals after each tree. */
  refitQuantile: number | null;
}

export function lossSpec(name: LossName, nClasses: number, quantile: number, huberDelta: number): LossSpec {
  switch (name) {
    case "log_loss":
      return nClasses > 2 ? { code: LOSS_SOFTMAX, name, K: nClasses, param: 0, refitQuantile: null } : { code: LOSS_LOGISTIC, name, K: 1, param: 0, refitQuantile: null };
    case "squared_error":
      return { code: LOSS_SQUARED, name, K: 1, param: 0, refitQuantile: null };
    case "absolute_error":
      return { code: LOSS_ABSOLUTE, name, K: 1, param: 0, refitQuantile: 0.5 };
    case "huber":
      return { code: LOSS_HUBER, name, K: 1, param: huberDelta, refitQuantile: null };
    case "quantile":
      return { code: LOSS_QUANTILE, name, K: 1, param: quantile, refitQuantile: quantile };
    case "poisson":
      return { code: LOSS_POISSON, name, K: 1, param: 0, refitQuantile: null };
  }
}

/** Flush a running product of factors ≥ 1 into its logarithm this often (keeps it finite). */
const PRODUCT_LIMIT = 1e200;

/**
 * Gradients and hessians of rows a..b−1 into g/h (class k of row r at `k·n + r`), from raw scores
 * (row-major, K per row), with scikit-learn 1.2's formulas (`sklearn/_loss`), computed in doubles
 * and stored as float32 as scikit-learn stores them — so they equal scikit-learn's bit for bit.
 * Returns the weighted loss summed over those rows. `w` is empty when unweighted. Logarithms of
 * many rows are taken at once from running products.
 */
export function gradientBlock(
  code: number,
  param: number,
  K: number,
  y: Float64Array,
  w: Float64Array,
  raw: Float64Array,
  g: Float32Array,
  h: Float32Array,
  n: number,
  a: number,
  b: number,
): number {
  // one small function per loss: V8 optimises each loop on its own, several times faster than
  // one big switch
  switch (code) {
    case LOSS_LOGISTIC:
      return logistic(y, w, raw, g, h, a, b);
    case LOSS_SOFTMAX:
      return softmax(K, y, w, raw, g, h, n, a, b);
    case LOSS_SQUARED:
      return squared(y, w, raw, g, h, a, b);
    case LOSS_ABSOLUTE:
      return absolute(y, w, raw, g, h, a, b);
    case LOSS_HUBER:
      return huber(param, y, w, raw, g, h, a, b);
    case LOSS_QUANTILE:
      return pinball(param, y, w, raw, g, h, a, b);
    case LOSS_POISSON:
      return poisson(y, w, raw, g, h, a, b);
  }
  throw new RangeError(`unknown loss code ${code}`);
}

/**
 * Binary log loss: with e = exp(−z), gradient ((1 − y) − y·e)/(1 + e), hessian e/(1 + e)²
 * (scikit-learn's half binomial loss); weights multiply both. Below z = −700, where e overflows,
 * the same quantities from exp(z). Loss (1 − y)·z + log(1 + e).
 */
function logistic(y: Float64Array, w: Float64Array, raw: Float64Array, g: Float32Array, h: Float32Array, a: number, b: number): number {
  const hasW = w.length > 0;
  let loss = 0;
  let prod = 1;
  let logs = 0;
  for (let r = a; r < b; r++) {
    const z = raw[r];
    const yv = y[r];
    const wv = hasW ? w[r] : 1;
    let gv: number;
    let hv: number;
    let lv: number;
    if (z > -700) {
      const e = Math.exp(-z);
      const q = 1 + e;
      gv = (1 - yv - yv * e) / q;
      hv = e / (q * q);
      lv = (1 - yv) * z;
      if (hasW) lv += Math.log(q);
      else if (q < 1e100) {
        prod *= q;
        if (prod > PRODUCT_LIMIT) {
          logs += Math.log(prod);
          prod = 1;
        }
      } else logs += Math.log(q);
    } else {
      const e = Math.exp(z);
      const q = 1 + e;
      gv = ((1 - yv) * e - yv) / q;
      hv = e / (q * q);
      lv = Math.log1p(e) - yv * z;
    }
    if (hasW) {
      g[r] = wv * gv;
      h[r] = wv * hv;
      loss += wv * lv;
    } else {
      g[r] = gv;
      h[r] = hv;
      loss += lv;
    }
  }
  return loss + logs + Math.log(prod);
}

/** Per-class exponentials of one row (softmax scratch; one per thread). */
let expScratch = new Float64Array(8);

/**
 * Multinomial log loss (softmax): p_k = exp(z_k − max)/Σ, gradient p_k − [y = k], hessian
 * p_k(1 − p_k), weights multiplying the results (scikit-learn's half multinomial loss).
 */
function softmax(K: number, y: Float64Array, w: Float64Array, raw: Float64Array, g: Float32Array, h: Float32Array, n: number, a: number, b: number): number {
  const hasW = w.length > 0;
  if (expScratch.length < K) expScratch = new Float64Array(K);
  const p = expScratch;
  let loss = 0;
  let prod = 1;
  let logs = 0;
  for (let r = a; r < b; r++) {
    const ro = r * K;
    let m = raw[ro];
    for (let k = 1; k < K; k++) if (m < raw[ro + k]) m = raw[ro + k];
    let s = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(raw[ro + k] - m);
      p[k] = e;
      s += e;
    }
    const c = y[r];
    const wv = hasW ? w[r] : 1;
    for (let k = 0; k < K; k++) {
      const pk = p[k] / s;
      const gk = pk - (k === c ? 1 : 0);
      const hk = pk * (1 - pk);
      g[k * n + r] = hasW ? gk * wv : gk;
      h[k * n + r] = hasW ? hk * wv : hk;
    }
    const lin = m - raw[ro + c];
    if (hasW) loss += wv * (lin + Math.log(s));
    else {
      loss += lin;
      prod *= s;
      if (prod > PRODUCT_LIMIT) {
        logs += Math.log(prod);
        prod = 1;
      }
    }
  }
  return loss + logs + Math.log(prod);
}

function squared(y: Float64Array, w: Float64Array, raw: Float64Array, g: Float32Array, h: Float32Array, a: number, b: number): number {
  const hasW = w.length > 0;
  let loss = 0;
  for (let r = a; r < b; r++) {
    const d = raw[r] - y[r];
    const wv = hasW ? w[r] : 1;
    g[r] = wv * d;
    h[r] = wv;
    loss += 0.5 * wv * d * d;
  }
  return loss;
}

/** Absolute error: gradient 1 when raw > y, else −1 (scikit-learn's sign convention at ties). */
function absolute(y: Float64Array, w: Float64Array, raw: Float64Array, g: Float32Array, h: Float32Array, a: number, b: number): number {
  const hasW = w.length > 0;
  let loss = 0;
  for (let r = a; r < b; r++) {
    const d = raw[r] - y[r];
    const wv = hasW ? w[r] : 1;
    g[r] = d > 0 ? wv : -wv;
    h[r] = wv;
    loss += wv * (d < 0 ? -d : d);
  }
  return loss;
}

function huber(delta: number, y: Float64Array, w: Float64Array, raw: Float64Array, g: Float32Array, h: Float32Array, a: number, b: number): number {
  const hasW = w.length > 0;
  let loss = 0;
  for (let r = a; r < b; r++) {
    const d = raw[r] - y[r];
    const ad = d < 0 ? -d : d;
    const wv = hasW ? w[r] : 1;
    if (ad <= delta) {
      g[r] = wv * d;
      loss += 0.5 * wv * d * d;
    } else {
      g[r] = d > 0 ? wv * delta : -wv * delta;
      loss += wv * delta * (ad - 0.5 * delta);
    }
    h[r] = wv;
  }
  return loss;
}

/** Pinball loss: gradient −q when y ≥ raw, else 1 − q (scikit-learn's convention at ties). */
function pinball(q: number, y: Float64Array, w: Float64Array, raw: Float64Array, g: Float32Array, h: Float32Array, a: number, b: number): number {
  const hasW = w.length > 0;
  let loss = 0;
  for (let r = a; r < b; r++) {
    const d = y[r] - raw[r];
    const wv = hasW ? w[r] : 1;
    if (d >= 0) {
      g[r] = -wv * q;
      loss += wv * q * d;
    } else {
      g[r] = wv * (1 - q);
      loss -= wv * (1 - q) * d;
    }
    h[r] = wv;
  }
  return loss;
}

/** Half Poisson deviance: with μ = exp(raw), gradient μ − y, hessian μ. */
function poisson(y: Float64Array, w: Float64Array, raw: Float64Array, g: Float32Array, h: Float32Array, a: number, b: number): number {
  const hasW = w.length > 0;
  let loss = 0;
  for (let r = a; r < b; r++) {
    const z = raw[r];
    const mu = Math.exp(z);
    const wv = hasW ? w[r] : 1;
    g[r] = wv * (mu - y[r]);
    h[r] = wv * mu;
    loss += wv * (mu - y[r] * z);
  }
  return loss;
}

/** The part of the reported loss that does not depend on the scores: Σ w·(y log y − y) for poisson. */
export function lossConstant(spec: LossSpec, y: Float64Array, w: Float64Array): number {
  if (spec.code !== LOSS_POISSON) return 0;
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    const c = v > 0 ? v * Math.log(v) - v : 0;
    s += w.length > 0 ? w[i] * c : c;
  }
  return s;
}

/**
 * The loss's optimal constant score, as scikit-learn's `fit_intercept_only` (means by NumPy's
 * summation, `pairwiseSum`): log-odds of the weighted mean clipped to [10ε, 1 − 10ε]; for softmax
 * the symmetric logits log(p_k / geometric mean of p) of the class shares clipped to [ε, 1 − ε];
 * the weighted mean;
 * the median or quantile (`residualConstant`); the log of the mean (at least 10ε). Returns K values.
 */
export function baselineScore(spec: LossSpec, y: Float64Array, w: Float64Array): Float64Array {
  const weights = w.length > 0 ? w : null;
  const out = new Float64Array(spec.K);
  const eps = 10 * Number.EPSILON;
  switch (spec.code) {
    case LOSS_LOGISTIC: {
      const p = Math.min(1 - eps, Math.max(eps, numpyAverage(y, weights)));
      out[0] = Math.log(p / (1 - p));
      break;
    }
    case LOSS_SOFTMAX: {
      const is = new Float64Array(y.length);
      const share = new Float64Array(spec.K);
      const logs = new Float64Array(spec.K);
      for (let k = 0; k < spec.K; k++) {
        for (let i = 0; i < y.length; i++) is[i] = y[i] === k ? 1 : 0;
        share[k] = Math.min(1 - Number.EPSILON, Math.max(Number.EPSILON, numpyAverage(is, weights)));
        logs[k] = Math.log(share[k]);
      }
      const geometricMean = Math.exp(pairwiseSum(logs) / spec.K);
      for (let k = 0; k < spec.K; k++) out[k] = Math.log(share[k] / geometricMean);
      break;
    }
    case LOSS_SQUARED:
      out[0] = numpyAverage(y, weights);
      break;
    case LOSS_ABSOLUTE:
    case LOSS_HUBER:
    case LOSS_QUANTILE:
      out[0] = residualConstant(spec, y, weights);
      break;
    case LOSS_POISSON:
      out[0] = Math.log(Math.max(eps, numpyAverage(y, weights)));
      break;
  }
  return out;
}

/**
 * The constant minimising a residual loss over `values` (scikit-learn's `fit_intercept_only`,
 * also used to refit leaves): absolute error and huber take `np.median` (weighted:
 * `_weighted_percentile` at 50), quantile q takes `np.percentile(values, 100·q)` (weighted:
 * `_weighted_percentile` at 100·q). Empty input gives 0.
 */
export function residualConstant(spec: LossSpec, values: Float64Array, weights: Float64Array | null): number {
  if (values.length === 0) return 0;
  const p = spec.code === LOSS_QUANTILE ? 100 * spec.param : 50;
  if (weights) return weightedPercentile(values, weights, p);
  return spec.code === LOSS_QUANTILE ? percentile(values, p) : median(values);
}

/** Raw scores → predictions in place: probabilities (sigmoid / softmax), exp for poisson. */
export function applyLink(spec: LossSpec, raw: Float64Array, n: number): Float64Array {
  if (spec.code === LOSS_LOGISTIC) {
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-raw[i]));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  if (spec.code === LOSS_SOFTMAX) {
    const K = spec.K;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) {
      const o = i * K;
      let m = raw[o];
      for (let k = 1; k < K; k++) if (raw[o + k] > m) m = raw[o + k];
      let s = 0;
      for (let k = 0; k < K; k++) {
        const e = Math.exp(raw[o + k] - m);
        out[o + k] = e;
        s += e;
      }
      for (let k = 0; k < K; k++) out[o + k] /= s;
    }
    return out;
  }
  if (spec.code === LOSS_POISSON) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.exp(raw[i]);
    return out;
  }
  return raw;
}
