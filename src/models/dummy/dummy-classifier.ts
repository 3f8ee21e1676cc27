/**
 * `dummy-classifier`: the baseline every classifier must beat, as scikit-learn's
 * `DummyClassifier`. It ignores the features. Strategies:
 * - `prior` (default): predicts the most frequent class; probabilities are the class priors;
 * - `most_frequent`: predicts the most frequent class with probability 1;
 * - `stratified`: draws each row's class from the priors (probability 1 on the draw);
 * - `uniform`: draws each row's class uniformly; probabilities are 1/K;
 * - `constant`: always the class `constant`.
 * Priors are sample-weighted. Random strategies draw from a seed fixed at fit, so predicting the
 * same frame twice (or after save/load) gives the same answers.
 */
import { z } from "zod";
import { InvalidInputError, show, Rng, type Json } from "../../core/index.js";
import type { CategoricalColumn, Frame } from "../../data/index.js";
import { ArtifactReader, defineEstimator, alignInput, classTarget, modelSignature, type Classifier, type ModelArtifact, type Signature, type Spec, labelColumn } from "../../estimator/index.js";

const KIND = "dummy-classifier";
type Strategy = "prior" | "most_frequent" | "stratified" | "uniform" | "constant";

export interface FittedDummyClassifier extends Classifier {
  /** Sample-weighted class frequencies. */
  readonly classPrior: Float64Array;
}

/**
 * Spec factory for "dummy-classifier": a baseline that ignores the features (scikit-learn's `DummyClassifier`); any real model should beat it.
 * @example
 * ```ts
 * const baseline = await dummyClassifier({ strategy: "most_frequent" }).fit(frame, { target: "Status" });
 * ```
 */
export const dummyClassifier = defineEstimator<FittedDummyClassifier>({
  kind: KIND,
  role: "classifier",
  doc: "Baseline classifier that ignores the features (prior, most frequent, stratified, uniform, constant)",
  needsTarget: true,
  schema: {
    strategy: z.enum(["prior", "most_frequent", "stratified", "uniform", "constant"]).default("prior").describe("what to predict"),
    constant: z.string().nullable().default(null).describe("the class predicted by the constant strategy"),
  },
  checkParams: (p) => (p.strategy === "constant" && p.constant === null ? `strategy "constant" needs the parameter constant (a class label)` : null),
  async fit(params, data, options, spec) {
    const target = options.target!;
    const { classes, y } = classTarget(data, target);
    const K = classes.length;
    if (K < 2) {
      throw new InvalidInputError(`${KIND}: target column ${show(target)} has one class only (${show(classes[0])}); there is nothing to learn`, { path: target, expected: "at least two classes", received: classes });
    }
    const prior = new Float64Array(K);
    for (let i = 0; i < y.length; i++) prior[y[i]] += options.weights ? options.weights[i] : 1;
    let total = 0;
    for (let k = 0; k < K; k++) total += prior[k];
    for (let k = 0; k < K; k++) prior[k] /= total;
    if (params.strategy === "constant" && !classes.includes(params.constant as string)) {
      throw new InvalidInputError(`${KIND}: constant ${show(params.constant)} is not one of the classes ${show(classes)}`, { path: `${KIND}.constant`, expected: `one of ${classes.join(", ")}`, received: params.constant });
    }
    // the seed of the random strategies: drawn from the fit's generator, stored with the model
    const seed = (options.rng ?? new Rng(0)).nextUint32();
    return new DummyClassifierModel(spec, modelSignature(data, target, "classification", classes), classes, prior, seed);
  },
  load(artifact, spec) {
    const r = new ArtifactReader(artifact);
    const classes = r.classes(true, 1);
    const prior = r.f64("classPrior", classes.length);
    for (let k = 0; k < prior.length; k++) if (!(prior[k] >= 0 && prior[k] <= 1)) throw r.corrupt(`buffers.classPrior[${k}]`, prior[k], "a probability in [0, 1]");
    if (spec.params.strategy === "constant" && !classes.includes(spec.params.constant as string)) throw r.corrupt("params.constant", spec.params.constant, `one of the classes ${show(classes)}`);
    return new DummyClassifierModel(spec, artifact.signature, classes, prior, r.integer("seed", 0, 2 ** 32 - 1));
  },
});

class DummyClassifierModel implements FittedDummyClassifier {
  readonly task = "classification" as const;
  constructor(
    readonly spec: Spec<FittedDummyClassifier>,
    readonly signature: Signature,
    readonly classes: readonly string[],
    readonly classPrior: Float64Array,
    private readonly seed: number,
  ) {}

  private get strategy(): Strategy {
    return this.spec.params.strategy as Strategy;
  }

  /** The class of each row and the probability rows. */
  private run(data: Frame): { codes: Int32Array; proba: Float64Array } {
    const target = (this.signature.output as { target: string }).target;
    alignInput(this.signature.inputs, data, { ignore: [target] });
    const n = data.nRows;
    const K = this.classes.length;
    const codes = new Int32Array(n);
    const proba = new Float64Array(n * K);
    const mostFrequent = argmax(this.classPrior);
    const rng = new Rng(this.seed);
    switch (this.strategy) {
      case "prior":
        for (let i = 0; i < n; i++) {
          codes[i] = mostFrequent;
          proba.set(this.classPrior, i * K);
        }
        break;
      case "most_frequent":
        for (let i = 0; i < n; i++) {
          codes[i] = mostFrequent;
          proba[i * K + mostFrequent] = 1;
        }
        break;
      case "constant": {
        const k = this.classes.indexOf(this.spec.params.constant as string);
        for (let i = 0; i < n; i++) {
          codes[i] = k;
          proba[i * K + k] = 1;
        }
        break;
      }
      case "stratified": {
        const cdf = new Float64Array(K);
        let s = 0;
        for (let k = 0; k < K; k++) cdf[k] = s += this.classPrior[k];
        for (let i = 0; i < n; i++) {
          const u = rng.float() * s;
          let k = 0;
          while (k < K - 1 && u >= cdf[k]) k++;
          codes[i] = k;
          proba[i * K + k] = 1;
        }
        break;
      }
      case "uniform":
        for (let i = 0; i < n; i++) {
          codes[i] = rng.int(K);
          for (let k = 0; k < K; k++) proba[i * K + k] = 1 / K;
        }
        break;
    }
    return { codes, proba };
  }

  predict(data: Frame): CategoricalColumn {
    return labelColumn(this.classes, this.run(data).codes);
  }

  predictProba(data: Frame): Float64Array {
    return this.run(data).proba;
  }

  save(): ModelArtifact {
    return {
      kind: KIND,
      params: { ...this.spec.params } as Record<string, Json>,
      signature: this.signature,
      state: { classes: [...this.classes], seed: this.seed },
      buffers: { classPrior: this.classPrior },
    };
  }
}

function argmax(a: Float64Array): number {
  let best = 0;
  for (let k = 1; k < a.length; k++) if (a[k] > a[best]) best = k;
  return best;
}
