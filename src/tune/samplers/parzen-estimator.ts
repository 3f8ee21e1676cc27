/**
 * The Parzen estimator of TPE (Bergstra et al., "Algorithms for Hyper-Parameter Optimization",
 * NeurIPS 2011), as Optuna 3.1 builds it: a weighted mixture with one component per observation
 * plus a prior component. Numeric parameters get truncated normals on the sampling scale (log for
 * log parameters; half a step wider for steps and integers, whose densities become the mass of
 * the step around the value); categorical ones get a smoothed one-hot row per observation.
 *
 * Bandwidths: univariate — the larger distance to a sorted neighbour (the interval's ends count
 * as neighbours only with `considerEndpoints`), clipped to [(high − low)/min(100, 1 + n),
 * high − low] by the "magic clip"; multivariate (Falkner et al., "BOHB", ICML 2018) — Scott's
 * rule, 0.2 · n^(−1/(d + 4)) · (high − low), the same clip. The prior is N((low + high)/2,
 * high − low) with weight `priorWeight`.
 */
import type { Rng } from "../../core/index.js";
import { type CategoricalDistribution, type Distribution, type FloatDistribution, type IntDistribution, fromSamplingScale, samplingBounds, toSamplingScale } from "../distributions.js";
import { numpyArgsort } from "./numpy-argsort.js";
import { logGaussMass, logNormalCdf, truncnormQuantileFrom } from "./truncnorm.js";

export interface ParzenOptions {
  considerPrior: boolean;
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  multivariate: boolean;
  /** Observation weights from the number of observations, oldest first (`defaultWeights`). */
  weights: (n: number) => Float64Array;
  /**
   * Include the −log σ term of each component's density. Optuna 3.1 leaves it out (its
   * truncated-normal log density omits the scale), so `false` reproduces Optuna 3.1 exactly.
   */
  densityScale: boolean;
  /** Multivariate bandwidth factor c in c · n^(−1/(d + 4)) (Optuna: 0.2). */
  bandwidthFactor?: number;
}

/**
 * Optuna's default observation weights (Bergstra et al. 2013): 1 each below 25 observations;
 * above, the oldest n − 25 ramp linearly from 1/n to 1 and the latest 25 weigh 1.
 */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  const m = n - 25;
  const start = 1 / n;
  const step = m > 1 ? (1 - start) / (m - 1) : 0;
  for (let i = 0; i < m; i++) w[i] = start + i * step;
  if (m > 1) w[m - 1] = 1;
  return w;
}

interface NumericComponents {
  readonly low: number;
  readonly high: number;
  readonly step: number | null;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  /** Per component: log of its normal's mass inside [low, high]. */
  readonly logAccept: Float64Array;
  /** Per component: log Φ of the interval's tail side (see `truncnormQuantileFrom`). */
  readonly logTail: Float64Array;
}

export class ParzenEstimator {
  /** Mixture weights, summing to 1; the prior's is last when it is considered. */
  readonly weights: Float64Array;
  readonly numeric = new Map<string, NumericComponents>();
  /** Per categorical parameter: components × choices probabilities, row-major. */
  readonly categorical = new Map<string, Float64Array>();
  private readonly names: string[];

  /**
   * @param observations internal values per parameter, all of the same length (NaN-free)
   * @param space the distributions of the parameters, in a fixed order
   */
  constructor(
    observations: Record<string, Float64Array>,
    readonly space: Record<string, Distribution>,
    readonly options: ParzenOptions,
  ) {
    this.names = Object.keys(space);
    const n = observations[this.names[0]]?.length ?? 0;
    const prior = options.considerPrior || n === 0;
    const w = options.weights(n);
    const weights = new Float64Array(prior ? n + 1 : n);
    weights.set(w.subarray(0, n));
    if (prior) weights[n] = options.priorWeight;
    let sum = 0;
    for (const x of weights) sum += x;
    for (let i = 0; i < weights.length; i++) weights[i] /= sum;
    this.weights = weights;

    const sigma0 = options.multivariate ? (options.bandwidthFactor ?? 0.2) * Math.max(n, 1) ** (-1 / (this.names.length + 4)) : 0;
    for (const name of this.names) {
      const d = space[name];
      const obs = observations[name];
      if (d.type === "categorical") {
        const k = d.choices.length;
        const rows = prior ? n + 1 : n;
        const fill = options.priorWeight / rows;
        const table = new Float64Array(rows * k).fill(fill);
        for (let i = 0; i < n; i++) table[i * k + obs[i]] += 1;
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let c = 0; c < k; c++) s += table[r * k + c];
          for (let c = 0; c < k; c++) table[r * k + c] /= s;
        }
        this.categorical.set(name, table);
      } else {
        this.numeric.set(name, numericComponents(d, obs, prior, sigma0, options));
      }
    }
  }

  /** `size` draws from the mixture, as internal values per parameter. */
  sample(rng: Rng, size: number): Record<string, Float64Array> {
    const cumulative = new Float64Array(this.weights.length);
    let acc = 0;
    for (let i = 0; i < this.weights.length; i++) cumulative[i] = acc += this.weights[i];
    const active = new Int32Array(size);
    for (let j = 0; j < size; j++) active[j] = pick(cumulative, rng.float() * acc);
    const out: Record<string, Float64Array> = {};
    for (const name of this.names) {
      const values = new Float64Array(size);
      const table = this.categorical.get(name);
      if (table) {
        const k = (this.space[name] as CategoricalDistribution).choices.length;
        for (let j = 0; j < size; j++) {
          const u = rng.float();
          let c = 0;
          let cum = table[active[j] * k];
          while (c < k - 1 && cum < u) cum += table[active[j] * k + ++c];
          values[j] = c;
        }
      } else {
        const p = this.numeric.get(name)!;
        const d = this.space[name] as FloatDistribution | IntDistribution;
        for (let j = 0; j < size; j++) {
          const i = active[j];
          const mu = p.mus[i];
          const sigma = p.sigmas[i];
          const x = truncnormQuantileFrom(rng.float(), (p.low - mu) / sigma, (p.high - mu) / sigma, p.logAccept[i], p.logTail[i]) * sigma + mu;
          values[j] = fromSamplingScale(d, x);
        }
      }
      out[name] = values;
    }
    return out;
  }

  /** The mixture's log density (log mass for steps and integers) at each sample (internal values). */
  logPdf(samples: Record<string, Float64Array>): Float64Array {
    const m = samples[this.names[0]].length;
    const c = this.weights.length;
    const comp = new Float64Array(m * c);
    for (const name of this.names) {
      const xs = samples[name];
      const table = this.categorical.get(name);
      if (table) {
        const k = (this.space[name] as CategoricalDistribution).choices.length;
        for (let j = 0; j < m; j++) for (let i = 0; i < c; i++) comp[j * c + i] += Math.log(table[i * k + xs[j]]);
        continue;
      }
      const p = this.numeric.get(name)!;
      const d = this.space[name] as FloatDistribution | IntDistribution;
      const scaled = d.log ? xs.map(Math.log) : xs;
      for (let i = 0; i < c; i++) {
        const mu = p.mus[i];
        const sigma = p.sigmas[i];
        const logAccept = p.logAccept[i];
        const scaleTerm = this.options.densityScale && p.step === null ? Math.log(sigma) : 0;
        for (let j = 0; j < m; j++) {
          const x = scaled[j];
          let lp: number;
          if (p.step === null) {
            const z = (x - mu) / sigma;
            lp = x < p.low || x > p.high ? -Infinity : -0.5 * z * z - HALF_LOG_2PI - logAccept - scaleTerm;
          } else {
            const upper = Math.min(x + p.step / 2, p.high);
            const lower = Math.max(x - p.step / 2, p.low);
            lp = logGaussMass((lower - mu) / sigma, (upper - mu) / sigma) - logAccept;
          }
          comp[j * c + i] += lp;
        }
      }
    }
    const out = new Float64Array(m);
    const logW = this.weights.map(Math.log);
    for (let j = 0; j < m; j++) {
      let max = -Infinity;
      for (let i = 0; i < c; i++) {
        const v = (comp[j * c + i] += logW[i]);
        if (v > max) max = v;
      }
      let s = 0;
      for (let i = 0; i < c; i++) s += Math.exp(comp[j * c + i] - max);
      out[j] = Math.log(s) + max;
    }
    return out;
  }
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** The first index whose cumulative weight exceeds u. */
function pick(cumulative: Float64Array, u: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function numericComponents(d: FloatDistribution | IntDistribution, obs: Float64Array, prior: boolean, sigma0: number, o: ParzenOptions): NumericComponents {
  const { low, high, step } = samplingBounds(d);
  const n = obs.length;
  const len = prior ? n + 1 : n;
  const mus = new Float64Array(len);
  for (let i = 0; i < n; i++) mus[i] = toSamplingScale(d, obs[i]);
  if (prior) mus[n] = 0.5 * (low + high);
  const sigmas = new Float64Array(len);
  if (o.multivariate) {
    sigmas.fill(sigma0 * (high - low));
  } else {
    const order = numpyArgsort(mus); // NumPy's order among ties, as Optuna

    const s = [low, ...Array.from(order, (i) => mus[i]), high];
    const sorted = new Float64Array(len);
    for (let r = 0; r < len; r++) sorted[r] = Math.max(s[r + 1] - s[r], s[r + 2] - s[r + 1]);
    if (!o.considerEndpoints && s.length >= 4) {
      sorted[0] = s[2] - s[1];
      sorted[len - 1] = s[s.length - 2] - s[s.length - 3];
    }
    for (let r = 0; r < len; r++) sigmas[order[r]] = sorted[r];
  }
  const maxSigma = high - low;
  const minSigma = o.considerMagicClip ? (high - low) / Math.min(100, 1 + len) : 1e-12;
  for (let i = 0; i < len; i++) sigmas[i] = Math.min(Math.max(sigmas[i], minSigma), maxSigma);
  if (prior) sigmas[n] = high - low;
  const logAccept = new Float64Array(len);
  const logTail = new Float64Array(len);
  for (let i = 0; i < len; i++) {
    const a = (low - mus[i]) / sigmas[i];
    const b = (high - mus[i]) / sigmas[i];
    logAccept[i] = logGaussMass(a, b);
    logTail[i] = a < 0 ? logNormalCdf(a) : logNormalCdf(-b);
  }
  return { low, high, step, mus, sigmas, logAccept, logTail };
}
