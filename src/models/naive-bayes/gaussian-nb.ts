/**
 * `gaussian-nb`: Gaussian naive Bayes, as scikit-learn's `GaussianNB`. Each class c has a prior
 * π_c and per-feature normal densities N(θ_cj, σ²_cj) (sample-weighted means and variances); the
 * joint log-likelihood log π_c − ½Σⱼ log(2πσ²_cj) − ½Σⱼ (x_j − θ_cj)²/σ²_cj is normalised into
 * probabilities with log-sum-exp. `varSmoothing` adds varSmoothing · max_j Var(x_j) to every
 * variance for stability; `priors` fixes π instead of the (weighted) class frequencies.
 */
import { z } from "zod";
import { InvalidInputError, show, type Json } from "../../core/index.js";
import type { CategoricalColumn, Frame } from "../../data/index.js";
import { defineEstimator, ArtifactReader, classTarget, modelSignature, type Classifier, type ModelArtifact, type Signature, type Spec, argmaxRows, featureNames, labelColumn, numericFeatures, predictFeatures } from "../../estimator/index.js";
import { normaliseLogRows } from "./log-proba.js";

const KIND = "gaussian-nb";

export interface FittedGaussianNb extends Classifier {
  /** Per-class feature means, row-major classes × features. */
  readonly theta: Float64Array;
  /** Per-class feature variances (smoothed), row-major classes × features. */
  readonly variance: Float64Array;
  readonly classPrior: Float64Array;
  /** Per-class total sample weight. */
  readonly classCount: Float64Array;
}

/**
 * Spec factory for "gaussian-nb": naive Bayes with a normal distribution per class and feature, as scikit-learn's `GaussianNB`.
 * @example
 * ```ts
 * const model = await gaussianNb().fit(frame, { target: "species" });
 * ```
 */
export const gaussianNb = defineEstimator<FittedGaussianNb>({
  kind: KIND,
  role: "classifier",
  doc: "Gaussian naive Bayes",
  needsTarget: true,
  schema: {
    varSmoothing: z.number().min(0).default(1e-9).describe("share of the largest feature variance added to all variances"),
    priors: z.array(z.number()).nullable().default(null).describe("class priors in class order (default: class frequencies)"),
  },
  async fit(params, data, options, spec) {
    const target = options.target!;
    const names = featureNames(data, target);
    const X = numericFeatures(data, names, KIND);
    const { classes, y } = classTarget(data, target);
    const K = classes.length;
    if (K < 2) {
      throw new InvalidInputError(`${KIND}: target column ${show(target)} has one class only (${show(classes[0])}); there is nothing to learn`, { path: target, expected: "at least two classes", received: classes });
    }
    const n = data.nRows;
    const p = names.length;
    const sw = options.weights ?? null;
    // epsilon from the unweighted variance of each feature
    let maxVar = 0;
    for (const c of X.columns) {
      let m = 0;
      for (let i = 0; i < n; i++) m += c[i];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (c[i] - m) * (c[i] - m);
      maxVar = Math.max(maxVar, v / n);
    }
    const epsilon = (params.varSmoothing as number) * maxVar;
    const count = new Float64Array(K);
    for (let i = 0; i < n; i++) count[y[i]] += sw ? sw[i] : 1;
    const theta = new Float64Array(K * p);
    const variance = new Float64Array(K * p);
    for (let j = 0; j < p; j++) {
      const c = X.columns[j];
      for (let i = 0; i < n; i++) theta[y[i] * p + j] += (sw ? sw[i] : 1) * c[i];
      for (let k = 0; k < K; k++) theta[k * p + j] /= count[k];
      for (let i = 0; i < n; i++) {
        const d = c[i] - theta[y[i] * p + j];
        variance[y[i] * p + j] += (sw ? sw[i] : 1) * d * d;
      }
      for (let k = 0; k < K; k++) variance[k * p + j] = variance[k * p + j] / count[k] + epsilon;
    }
    let prior: Float64Array;
    if (params.priors !== null) {
      const given = params.priors as number[];
      if (given.length !== K) {
        throw new InvalidInputError(`${KIND}: priors has ${given.length} values for ${K} classes ${show(classes)}`, { path: `${KIND}.priors`, expected: `${K} numbers`, received: given });
      }
      const sum = given.reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-8 || given.some((v) => v < 0)) {
        throw new InvalidInputError(`${KIND}: priors must be ≥ 0 and sum to 1, got ${show(given)}`, { path: `${KIND}.priors`, expected: "non-negative numbers summing to 1", received: given });
      }
      prior = Float64Array.from(given);
    } else {
      let total = 0;
      for (let k = 0; k < K; k++) total += count[k];
      prior = Float64Array.from(count, (c) => c / total);
    }
    return new GaussianNbModel(spec, modelSignature(data, target, "classification", classes), classes, theta, variance, prior, count);
  },
  load(artifact, spec) {
    const r = new ArtifactReader(artifact);
    const classes = r.classes(true, 1);
    const K = classes.length;
    const Kp = K * r.inputs().length;
    const variance = r.finite("variance", r.f64("variance", Kp));
    for (let i = 0; i < Kp; i++) if (!(variance[i] > 0)) throw r.corrupt(`buffers.variance[${i}]`, variance[i], "a variance > 0");
    return new GaussianNbModel(spec, artifact.signature, classes, r.finite("theta", r.f64("theta", Kp)), variance, r.f64("classPrior", K), r.f64("classCount", K));
  },
});

class GaussianNbModel implements FittedGaussianNb {
  readonly task = "classification" as const;
  constructor(
    readonly spec: Spec<FittedGaussianNb>,
    readonly signature: Signature,
    readonly classes: readonly string[],
    readonly theta: Float64Array,
    readonly variance: Float64Array,
    readonly classPrior: Float64Array,
    readonly classCount: Float64Array,
  ) {}

  /** Joint log-likelihood, row-major rows × classes. */
  jointLogLikelihood(data: Frame): Float64Array {
    const X = predictFeatures(this.signature.inputs, data, (this.signature.output as { target: string }).target, KIND);
    const n = data.nRows;
    const K = this.classes.length;
    const p = X.columns.length;
    const out = new Float64Array(n * K);
    for (let k = 0; k < K; k++) {
      let base = Math.log(this.classPrior[k]);
      for (let j = 0; j < p; j++) base -= 0.5 * Math.log(2 * Math.PI * this.variance[k * p + j]);
      for (let i = 0; i < n; i++) out[i * K + k] = base;
      for (let j = 0; j < p; j++) {
        const c = X.columns[j];
        const m = this.theta[k * p + j];
        const inv = 0.5 / this.variance[k * p + j];
        for (let i = 0; i < n; i++) {
          const d = c[i] - m;
          out[i * K + k] -= d * d * inv;
        }
      }
    }
    return out;
  }

  predictProba(data: Frame): Float64Array {
    return normaliseLogRows(this.jointLogLikelihood(data), data.nRows, this.classes.length);
  }

  predict(data: Frame): CategoricalColumn {
    return labelColumn(this.classes, argmaxRows(this.jointLogLikelihood(data), data.nRows, this.classes.length));
  }

  save(): ModelArtifact {
    return {
      kind: KIND,
      params: { ...this.spec.params } as Record<string, Json>,
      signature: this.signature,
      state: { classes: [...this.classes] },
      buffers: { theta: this.theta, variance: this.variance, classPrior: this.classPrior, classCount: this.classCount },
    };
  }
}
