/**
 * `decision-threshold`: a binary classifier that predicts the positive class (`positive`, by
 * default the second of its classes) when that class's probability is at least `threshold`, and
 * the other class otherwise, instead of taking the more
 * probable class (threshold 0.5 up to ties) — scikit-learn 1.5's `FixedThresholdClassifier` on
 * `predict_proba`. Its probabilities are the base classifier's, unchanged. The threshold is part
 * of the saved model, so everything that predicts with it (`keel predict`, serving, evaluation)
 * labels rows the same way.
 *
 * Parameters: `base` (the classifier as a `{ kind, params }` spec), `threshold` (in [0, 1]) and
 * `positive` (a class label, or null for the second class).
 * `withDecisionThreshold` wraps a classifier already fitted (what `keel run` does after choosing
 * the threshold on out-of-fold predictions); `decisionThreshold(...).fit` fits the base first.
 * Saved with the base as the child artifact `base`.
 */
import { z } from "zod";
import { InvalidInputError, show, type Json } from "../../core/index.js";
import type { CategoricalColumn, Frame } from "../../data/index.js";
import { ArtifactReader, labelColumn, defineEstimator, fittedFromArtifact, specFromJson, jsonParam, type Classifier, type Fitted, type ModelArtifact, type Spec, type SpecJson, isClassifier } from "../../estimator/index.js";
import { checkClassifierSpec } from "./classifier-spec.js";

const KIND = "decision-threshold";


/** A fitted binary classifier with its decision threshold. */
export class ThresholdClassifier implements Classifier {
  readonly task = "classification" as const;
  readonly classes: readonly string[];
  /** Index of the positive class in `classes`. */
  readonly positiveIndex: 0 | 1;

  constructor(
    readonly spec: Spec,
    /** The classifier whose positive-class probability is compared with the threshold. */
    readonly base: Classifier,
    /** Predict the positive class when its probability is ≥ this. */
    readonly threshold: number,
    positive: string | null = null,
  ) {
    if (base.classes.length !== 2) {
      throw new InvalidInputError(`${KIND}: a decision threshold needs a binary classifier; ${base.spec.kind} has ${base.classes.length} classes ${show(base.classes)}`, { path: "base", expected: "a classifier of 2 classes", received: base.classes });
    }
    this.classes = base.classes;
    const index = positive === null ? 1 : base.classes.indexOf(positive);
    if (index < 0) throw new InvalidInputError(`${KIND}: positive class ${show(positive)} is not one of the classes ${show(base.classes)}`, { path: "positive", expected: `one of ${base.classes.join(", ")}`, received: positive });
    this.positiveIndex = index as 0 | 1;
  }

  /** The positive class's label. */
  get positive(): string {
    return this.classes[this.positiveIndex];
  }

  get signature() {
    return this.base.signature;
  }

  predictProba(data: Frame): Float64Array {
    return this.base.predictProba(data);
  }

  predict(data: Frame): CategoricalColumn {
    return this.labels(this.predictProba(data), data.nRows);
  }

  /** Labels for probabilities `proba` (rows × 2) at the threshold. */
  labels(proba: Float64Array, rows: number): CategoricalColumn {
    const codes = new Int32Array(rows);
    const p = this.positiveIndex;
    for (let i = 0; i < rows; i++) codes[i] = proba[i * 2 + p] >= this.threshold ? p : 1 - p;
    return labelColumn(this.classes, codes);
  }

  save(): ModelArtifact {
    return {
      kind: KIND,
      params: JSON.parse(JSON.stringify(this.spec.params)) as Record<string, Json>,
      signature: this.base.signature,
      state: { classes: [...this.classes] },
      buffers: {},
      children: { base: this.base.save() },
    };
  }
}

/**
 * Spec factory for "decision-threshold" (see the module comment).
 *
 * @example
 * const model = await decisionThreshold({ base: logistic().toJSON(), threshold: 0.3 }).fit(train, { target: "default" });
 */
export const decisionThreshold = defineEstimator<ThresholdClassifier>({
  kind: KIND,
  role: "classifier",
  needsTarget: true,
  doc: "A binary classifier that predicts the positive class at a chosen probability threshold (FixedThresholdClassifier)",
  schema: {
    base: jsonParam(checkClassifierSpec).describe("the binary classifier, as a { kind, params } spec"),
    threshold: z.number().min(0).max(1).default(0.5).describe("predict the positive class when its probability is at least this"),
    positive: z.string().nullable().default(null).describe("the positive class's label (null: the second class)"),
  },
  async fit(params, data, options, spec) {
    const base = await specFromJson(params.base as unknown as SpecJson).fit(data, options);
    if (!isClassifier(base)) throw new InvalidInputError(`${KIND}: base ${show(base.spec.kind)} is not a classifier`, { path: "base", expected: "a classifier" });
    return new ThresholdClassifier(spec, base, params.threshold as number, params.positive as string | null);
  },
  load(artifact, spec) {
    const r = new ArtifactReader(artifact);
    const classes = r.classes(true, 2);
    const child = artifact.children?.base;
    const baseKind = (spec.params.base as unknown as SpecJson).kind;
    if (!child) throw r.corrupt("children.base", undefined, "the base classifier's artifact");
    if (child.kind !== baseKind) throw r.corrupt("children.base.kind", child.kind, show(baseKind));
    const extra = Object.keys(artifact.children ?? {}).find((k) => k !== "base");
    if (extra) throw r.corrupt(`children.${extra}`, extra, "base only");
    const base = fittedFromArtifact(child);
    if (!isClassifier(base) || base.classes.length !== 2 || base.classes.some((c, i) => c !== classes[i])) {
      throw r.corrupt("children.base.signature.output.classes", isClassifier(base) ? base.classes : base.spec.kind, `a binary classifier of the classes ${show(classes)}`);
    }
    const positive = spec.params.positive as string | null;
    if (positive !== null && !classes.includes(positive)) throw r.corrupt("params.positive", positive, `one of the classes ${show(classes)}`);
    return new ThresholdClassifier(spec, base, spec.params.threshold as number, positive);
  },
});

/**
 * Wrap a fitted binary classifier with a decision threshold, without fitting anything.
 *
 * @example
 * const model = withDecisionThreshold(await logistic().fit(train, { target: "default" }), 0.3);
 * model.predict(rows); // the second class where its probability is ≥ 0.3
 */
export function withDecisionThreshold(base: Classifier, threshold: number, positive: string | null = null): ThresholdClassifier {
  return new ThresholdClassifier(decisionThreshold({ base: base.spec.toJSON() as unknown as Json, threshold, positive }), base, threshold, positive);
}

/**
 * The saved decision threshold of a model (a `decision-threshold` wrapper), or null when it takes the most probable class.
 * @example
 * ```ts
 * const model = loadModel("credit-model");
 * decisionThresholdOf(model); // e.g. 0.35, or null for argmax
 * ```
 */
export function decisionThresholdOf(model: Fitted): number | null {
  return model instanceof ThresholdClassifier ? model.threshold : null;
}
