/**
 * `calibrated-classifier`: a classifier whose probabilities are calibrated by cross-fitting, as
 * scikit-learn 1.2's `CalibratedClassifierCV(estimator, method, cv=k)` with its default
 * `ensemble=True`: for each of k folds of the training rows, a copy of the base classifier is
 * fitted on the other folds and a calibrator — Platt's sigmoid (`fitSigmoid`) or isotonic
 * regression (`fitIsotonic`) — on its scores for the held-out fold; a prediction is the mean over
 * the k (classifier, calibrator) pairs. So every calibrator sees only scores of rows its
 * classifier never trained on.
 *
 * Scores are what scikit-learn calibrates: the classifier's decision function when it has one
 * (logistic regression, gradient boosting: log-odds or logits), else its probabilities; for two
 * classes the positive class's (the second) alone. One calibrator per class, one-vs-rest; for two
 * classes one calibrator gives P(positive) and P(negative) = 1 − P(positive); for more, the
 * per-class values are divided by their sum (uniform where all are 0), and values within 1e-5
 * above 1 are set to 1.
 *
 * Parameters: `base` (the classifier as a `{ kind, params }` spec, e.g. a whole pipeline),
 * `method` ("sigmoid" | "isotonic"), `folds` (k; the folds are scikit-learn's unshuffled
 * `StratifiedKFold(k)` unless the caller passes its own to `fitCalibratedClassifier`). Saved with
 * one child artifact per fold (`fold0`, `fold1`, ...) and the calibrators as buffers.
 */
import { z } from "zod";
import { InvalidInputError, show, type Json } from "../../core/index.js";
import type { CategoricalColumn, Frame } from "../../data/index.js";
import { stratifiedKFold, type Split } from "../../data/split/index.js";
import { ArtifactReader, argmaxRows, labelColumn, classTarget, defineEstimator, fittedFromArtifact, specFromJson, modelSignature, jsonParam, type Classifier, type FitOptions, type Fitted, type ModelArtifact, type Signature, type Spec, type SpecJson, isClassifier } from "../../estimator/index.js";
import { checkClassifierSpec } from "./classifier-spec.js";
import { type IsotonicCalibrator, fitIsotonic, isotonicPredict } from "./isotonic.js";
import { type SigmoidCalibrator, fitSigmoid, sigmoidPredict } from "./sigmoid.js";

const KIND = "calibrated-classifier";

/** How `calibratedClassifier` maps scores to probabilities: Platt's sigmoid (Platt 1999) or isotonic regression (Zadrozny & Elkan 2002). */
export type CalibrationMethod = "sigmoid" | "isotonic";
/** Every `CalibrationMethod`. */
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ["sigmoid", "isotonic"];

/** Where the calibrated scores come from, in scikit-learn's words. */
export type ScoreSource = "decision_function" | "predict_proba";

type Calibrator = SigmoidCalibrator | IsotonicCalibrator;


/**
 * The scores scikit-learn's calibration reads from a fitted classifier: `decisionFunction` when it
 * (or, for a pipeline, its last step) has one, else `predictProba`. Returns a function of the data
 * giving rows × `width` scores (width 1 for two classes: the positive class's) and the source.
 */
export function calibrationScores(clf: Classifier): { source: ScoreSource; scores(data: Frame): { values: Float64Array; width: number } } {
  const k = clf.classes.length;
  const decision = decisionFunctionOf(clf);
  if (decision) {
    return {
      source: "decision_function",
      scores(data) {
        const values = decision(data);
        return { values, width: data.nRows === 0 ? (k === 2 ? 1 : k) : values.length / data.nRows };
      },
    };
  }
  return {
    source: "predict_proba",
    scores(data) {
      const p = clf.predictProba(data);
      if (k !== 2) return { values: p, width: k };
      const values = new Float64Array(data.nRows);
      for (let i = 0; i < values.length; i++) values[i] = p[i * 2 + 1];
      return { values, width: 1 };
    },
  };
}

type Decision = (data: Frame) => Float64Array;

function decisionFunctionOf(clf: Fitted): Decision | null {
  const own = (clf as { decisionFunction?: Decision }).decisionFunction;
  if (typeof own === "function") return (data) => own.call(clf, data);
  // a pipeline: its preprocessing, then its model's decision function
  const pipeline = clf as { steps?: readonly Fitted[]; features?(data: Frame): Frame };
  const last = pipeline.steps?.at(-1) as { decisionFunction?: Decision } | undefined;
  if (last && typeof last.decisionFunction === "function" && typeof pipeline.features === "function") {
    const fn = last.decisionFunction;
    return (data) => fn.call(last, pipeline.features!(data));
  }
  return null;
}

/** Options of `fitCalibratedClassifier`: a fit's options, and the folds to cross-fit on. */
export interface CalibrateOptions extends FitOptions {
  /**
   * The folds (train rows → fitted classifier, test rows → its calibrator). Default: scikit-learn's
   * `StratifiedKFold(params.folds)` without shuffling. Every class must be in every fold's training rows.
   */
  splits?: readonly Split[];
}

/**
 * Fit a calibrated classifier on folds of `data` (see the module comment), e.g. with the folds a
 * project cross-validates on. `spec` is a `calibratedClassifier(...)` spec.
 *
 * @example
 * const spec = calibratedClassifier({ base: gbdtClassifier().toJSON(), method: "isotonic", folds: 5 });
 * const model = await fitCalibratedClassifier(spec, train, { target: "churn", splits: myFolds });
 * model.predictProba(test); // calibrated probabilities, rows × classes
 */
export async function fitCalibratedClassifier(spec: Spec<CalibratedClassifier>, data: Frame, options: CalibrateOptions): Promise<CalibratedClassifier> {
  if (spec.kind !== KIND) throw new InvalidInputError(`fitCalibratedClassifier takes a ${KIND} spec, not ${show(spec.kind)}`, { path: "spec.kind", expected: KIND, received: spec.kind });
  return fitCalibrated(spec.params, data, options, spec);
}

async function fitCalibrated(params: Readonly<Record<string, Json>>, data: Frame, options: CalibrateOptions, spec: Spec<CalibratedClassifier>): Promise<CalibratedClassifier> {
  const target = options.target!;
  const base = specFromJson(params.base as unknown as SpecJson);
  const method = params.method as CalibrationMethod;
  const { classes, y } = classTarget(data, target);
  if (classes.length < 2) {
    throw new InvalidInputError(`${KIND}: the target ${show(target)} has one class (${show(classes[0])}); calibration needs at least two`, { path: target, expected: "at least 2 classes", received: classes });
  }
  const splits = options.splits ?? stratifiedKFold(y, { k: params.folds as number });
  if (splits.length < 1) throw new InvalidInputError(`${KIND}: no folds to cross-fit on`, { path: "splits", expected: "at least one split" });
  const w = options.weights ?? null;
  const nCal = classes.length === 2 ? 1 : classes.length;
  const folds: Classifier[] = [];
  const calibrators: Calibrator[] = [];
  let source: ScoreSource | null = null;
  for (let f = 0; f < splits.length; f++) {
    const { train, test } = splits[f];
    if (options.signal?.aborted) throw new InvalidInputError(`${KIND}: fit cancelled`, { path: "signal" });
    if (test.length === 0) throw new InvalidInputError(`${KIND}: fold ${f} holds out no rows`, { path: `splits[${f}].test`, expected: "at least one row" });
    const fitted = await base.fit(data.take(train), { ...options, weights: w ? pick(w, train) : undefined, rng: options.rng?.fork(), validation: undefined });
    if (!isClassifier(fitted)) throw new InvalidInputError(`${KIND}: base ${show(base.kind)} is not a classifier`, { path: "base", expected: "a classifier" });
    if (fitted.classes.length !== classes.length || fitted.classes.some((c, i) => c !== classes[i])) {
      throw new InvalidInputError(`${KIND}: the training rows of fold ${f} hold the classes ${show(fitted.classes)}, not every class ${show(classes)}; use fewer folds or more rows of the rare classes`, {
        path: `splits[${f}].train`,
        expected: `rows of every class ${classes.join(", ")}`,
        received: fitted.classes,
      });
    }
    const scorer = calibrationScores(fitted);
    if (source !== null && scorer.source !== source) throw new InvalidInputError(`${KIND}: fold ${f} scores with ${scorer.source}, fold 0 with ${source}`, { path: "base" });
    source = scorer.source;
    const { values, width } = scorer.scores(data.take(test));
    if (width !== nCal) throw new InvalidInputError(`${KIND}: ${base.kind} gives ${width} scores per row, expected ${nCal}`, { path: "base", expected: `${nCal} scores per row`, received: width });
    const wTest = w ? pick(w, test) : null;
    for (let c = 0; c < nCal; c++) {
      const positive = nCal === 1 ? 1 : c;
      const s = new Float64Array(test.length);
      const label = new Float64Array(test.length);
      for (let i = 0; i < test.length; i++) {
        s[i] = values[i * width + c];
        label[i] = y[test[i]] === positive ? 1 : 0;
      }
      calibrators.push(method === "sigmoid" ? fitSigmoid(s, label, wTest) : fitIsotonic(s, label, wTest));
    }
    folds.push(fitted);
  }
  return new CalibratedClassifier(spec, modelSignature(data, target, "classification", classes), classes, method, source!, folds, calibrators);
}

function pick(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]];
  return out;
}

/** A fitted calibrated classifier: k (classifier, calibrators) pairs whose probabilities are averaged. */
export class CalibratedClassifier implements Classifier {
  readonly task = "classification" as const;
  private readonly scorers: ReturnType<typeof calibrationScores>[];

  constructor(
    readonly spec: Spec,
    readonly signature: Signature,
    readonly classes: readonly string[],
    readonly method: CalibrationMethod,
    /** Where the calibrated scores come from. */
    readonly source: ScoreSource,
    /** The classifier fitted on each fold's training rows. */
    readonly folds: readonly Classifier[],
    /** Per fold, one calibrator per class (one for two classes), fold-major. */
    readonly calibrators: readonly Calibrator[],
  ) {
    this.scorers = folds.map(calibrationScores);
  }

  /** Calibrated probabilities, rows × classes, the mean over the folds' pairs. */
  predictProba(data: Frame): Float64Array {
    const n = data.nRows;
    const K = this.classes.length;
    const nCal = K === 2 ? 1 : K;
    const mean = new Float64Array(n * K);
    const proba = new Float64Array(n * K);
    for (let f = 0; f < this.folds.length; f++) {
      const { values, width } = this.scorers[f].scores(data);
      proba.fill(0);
      for (let c = 0; c < nCal; c++) {
        const cal = this.calibrators[f * nCal + c];
        const col = nCal === 1 ? 1 : c;
        for (let i = 0; i < n; i++) {
          const s = values[i * width + c];
          proba[i * K + col] = this.method === "sigmoid" ? sigmoidPredict(cal as SigmoidCalibrator, s) : isotonicPredict(cal as IsotonicCalibrator, s);
        }
      }
      for (let i = 0; i < n; i++) {
        const o = i * K;
        if (K === 2) proba[o] = 1 - proba[o + 1];
        else {
          let sum = 0;
          for (let c = 0; c < K; c++) sum += proba[o + c];
          for (let c = 0; c < K; c++) proba[o + c] = sum !== 0 ? proba[o + c] / sum : 1 / K;
        }
        for (let c = 0; c < K; c++) {
          const p = proba[o + c];
          mean[o + c] += p > 1 && p <= 1 + 1e-5 ? 1 : p;
        }
      }
    }
    for (let i = 0; i < mean.length; i++) mean[i] /= this.folds.length;
    return mean;
  }

  /** The most probable class (the first of equals), as scikit-learn's `predict`. */
  predict(data: Frame): CategoricalColumn {
    return labelColumn(this.classes, argmaxRows(this.predictProba(data), data.nRows, this.classes.length));
  }

  save(): ModelArtifact {
    const children: Record<string, ModelArtifact> = {};
    this.folds.forEach((f, i) => (children[`fold${i}`] = f.save()));
    const buffers: ModelArtifact["buffers"] = {};
    if (this.method === "sigmoid") {
      const ab = new Float64Array(this.calibrators.length * 2);
      this.calibrators.forEach((c, i) => {
        ab[2 * i] = (c as SigmoidCalibrator).a;
        ab[2 * i + 1] = (c as SigmoidCalibrator).b;
      });
      buffers.sigmoid = ab;
    } else {
      const cals = this.calibrators as IsotonicCalibrator[];
      const offsets = new Int32Array(cals.length + 1);
      cals.forEach((c, i) => (offsets[i + 1] = offsets[i] + c.x.length));
      const x = new Float64Array(offsets[cals.length]);
      const y = new Float64Array(offsets[cals.length]);
      cals.forEach((c, i) => {
        x.set(c.x, offsets[i]);
        y.set(c.y, offsets[i]);
      });
      Object.assign(buffers, { isotonicOffsets: offsets, isotonicX: x, isotonicY: y });
    }
    return {
      kind: KIND,
      params: JSON.parse(JSON.stringify(this.spec.params)) as Record<string, Json>,
      signature: this.signature,
      state: { classes: [...this.classes], folds: this.folds.length, scores: this.source },
      buffers,
      children,
    };
  }
}

function load(artifact: ModelArtifact, spec: Spec<CalibratedClassifier>): CalibratedClassifier {
  const r = new ArtifactReader(artifact);
  const classes = r.classes();
  const nFolds = r.integer("folds", 1, 1000);
  const source = r.string("scores");
  if (source !== "decision_function" && source !== "predict_proba") throw r.corrupt("state.scores", source, `"decision_function" | "predict_proba"`);
  const method = spec.params.method as CalibrationMethod;
  const baseKind = (spec.params.base as unknown as SpecJson).kind;
  const nCal = classes.length === 2 ? 1 : classes.length;
  const folds: Classifier[] = [];
  for (let f = 0; f < nFolds; f++) {
    const child = artifact.children?.[`fold${f}`];
    if (!child) throw r.corrupt(`children.fold${f}`, undefined, `the classifier of fold ${f} (${nFolds} folds)`);
    if (child.kind !== baseKind) throw r.corrupt(`children.fold${f}.kind`, child.kind, show(baseKind));
    const fitted = fittedFromArtifact(child);
    if (!isClassifier(fitted) || fitted.classes.length !== classes.length || fitted.classes.some((c, i) => c !== classes[i])) {
      throw r.corrupt(`children.fold${f}.signature.output.classes`, isClassifier(fitted) ? fitted.classes : fitted.spec.kind, `a classifier of the classes ${show(classes)}`);
    }
    if (calibrationScores(fitted).source !== source) throw r.corrupt("state.scores", source, `what fold ${f}'s ${fitted.spec.kind} gives (${calibrationScores(fitted).source})`);
    folds.push(fitted);
  }
  const extra = Object.keys(artifact.children ?? {}).filter((k) => !/^fold\d+$/.test(k) || Number(k.slice(4)) >= nFolds);
  if (extra.length > 0) throw r.corrupt(`children.${extra[0]}`, extra[0], `fold0 … fold${nFolds - 1} only`);
  const m = nFolds * nCal;
  const calibrators: Calibrator[] = [];
  if (method === "sigmoid") {
    const ab = r.finite("sigmoid", r.f64("sigmoid", 2 * m));
    for (let i = 0; i < m; i++) calibrators.push({ a: ab[2 * i], b: ab[2 * i + 1] });
  } else {
    const offsets = r.i32("isotonicOffsets", m + 1);
    const x = r.finite("isotonicX", r.f64("isotonicX"));
    const y = r.finite("isotonicY", r.f64("isotonicY", x.length));
    if (offsets[0] !== 0 || offsets[m] !== x.length) throw r.corrupt("buffers.isotonicOffsets", [offsets[0], offsets[m]], `to start at 0 and end at ${x.length}`);
    for (let i = 0; i < m; i++) {
      const a = offsets[i];
      const b = offsets[i + 1];
      if (!(b > a)) throw r.corrupt(`buffers.isotonicOffsets[${i + 1}]`, b, `more than ${a} (each calibrator has a point)`);
      for (let j = a + 1; j < b; j++) {
        if (!(x[j] > x[j - 1])) throw r.corrupt(`buffers.isotonicX[${j}]`, x[j], `more than ${x[j - 1]} (increasing scores)`);
        if (!(y[j] >= y[j - 1])) throw r.corrupt(`buffers.isotonicY[${j}]`, y[j], `at least ${y[j - 1]} (a non-decreasing calibrator)`);
      }
      calibrators.push({ x: x.subarray(a, b), y: y.subarray(a, b) });
    }
  }
  return new CalibratedClassifier(spec, artifact.signature, classes, method, source, folds, calibrators);
}

/**
 * Spec factory for "calibrated-classifier" (see the module comment).
 *
 * @example
 * const model = await calibratedClassifier({ base: gaussianNb().toJSON(), method: "sigmoid", folds: 5 }).fit(train, { target: "y" });
 */
export const calibratedClassifier = defineEstimator<CalibratedClassifier>({
  kind: KIND,
  role: "classifier",
  needsTarget: true,
  doc: "A classifier calibrated by cross-fitting (Platt's sigmoid or isotonic), scikit-learn's CalibratedClassifierCV",
  schema: {
    base: jsonParam(checkClassifierSpec).describe("the classifier to calibrate, as a { kind, params } spec"),
    method: z.enum(CALIBRATION_METHODS as [CalibrationMethod, ...CalibrationMethod[]]).default("sigmoid").describe("sigmoid (Platt) or isotonic"),
    folds: z.int().min(2).max(1000).default(5).describe("folds to cross-fit on (stratified, unshuffled, unless the caller gives its own)"),
  },
  fit: (params, data, options, spec) => fitCalibrated(params, data, options, spec),
  load,
});
