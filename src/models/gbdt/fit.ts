/**
 * From a frame and parameters to a fitted model: read the target, weights and class weights,
 * decide the features, hold out rows for early stopping (or align the given validation frame),
 * run the boosting loop and wrap the result.
 */
import { classWeights, rowWeights, InvalidInputError, show, type Json, availableThreads, Rng } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { alignInput, classTarget, modelSignature, numericTarget, type FitOptions, type Spec } from "../../estimator/index.js";
import { holdoutSplit } from "./early-stopping.js";
import { type FeatureLayout, featureColumns, resolveFeatures } from "./features.js";
import { lossSpec } from "./losses.js";
import { GbdtClassifierModel, type GbdtParts, GbdtRegressorModel } from "./model.js";
import { type GbdtSettings, readSettings } from "./params.js";
import { type TrainData, trainGbdt } from "./train.js";

/** Rows above which `earlyStopping: "auto"` turns early stopping on (as scikit-learn). */
export const AUTO_EARLY_STOPPING_ROWS = 10_000;

export async function fitClassifier(params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec<GbdtClassifierModel>): Promise<GbdtClassifierModel> {
  const s = readSettings(params);
  const target = options.target!;
  const { classes, y: yi } = classTarget(data, target);
  if (classes.length < 2) {
    throw new InvalidInputError(`${spec.kind}: target ${show(target)} has one class only (${show(classes[0])}); a classifier needs at least two`, { path: target, expected: "at least two classes", received: classes });
  }
  const y = Float64Array.from(yi);
  let w: Float64Array | null = options.weights ? Float64Array.from(options.weights) : null;
  if (s.classWeight !== null) w = rowWeights(classWeights(s.classWeight, yi, classes, undefined, spec.kind), yi, w);
  const signature = modelSignature(data, target, "classification", classes);
  const loss = lossSpec("log_loss", classes.length, 0, 0);
  const validation = options.validation
    ? (() => {
        const ct = classTarget(options.validation, target, classes);
        return { frame: options.validation, y: Float64Array.from(ct.y) };
      })()
    : null;
  const parts = await fitParts(s, data, target, y, w, validation, { strata: yi, nClasses: classes.length }, options, spec.kind, signature.inputs, loss);
  return new GbdtClassifierModel(spec, signature, parts, classes);
}

export async function fitRegressor(params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec<GbdtRegressorModel>): Promise<GbdtRegressorModel> {
  const s = readSettings(params);
  const target = options.target!;
  const y = numericTarget(data, target);
  if (s.loss === "poisson") checkPoissonTarget(y, target, spec.kind);
  const w = options.weights ? Float64Array.from(options.weights) : null;
  const signature = modelSignature(data, target, "regression");
  const loss = lossSpec(s.loss, 1, s.quantile, s.huberDelta);
  const validation = options.validation ? { frame: options.validation, y: numericTarget(options.validation, target) } : null;
  const parts = await fitParts(s, data, target, y, w, validation, null, options, spec.kind, signature.inputs, loss);
  return new GbdtRegressorModel(spec, signature, parts);
}

async function fitParts(
  s: GbdtSettings,
  data: Frame,
  target: string,
  y: Float64Array,
  w: Float64Array | null,
  validation: { frame: Frame; y: Float64Array } | null,
  strata: { strata: Int32Array; nClasses: number } | null,
  options: FitOptions,
  kind: string,
  inputs: Parameters<typeof alignInput>[0],
  loss: ReturnType<typeof lossSpec>,
): Promise<GbdtParts> {
  const layout: FeatureLayout = resolveFeatures(data, target, s, kind);
  const rng = options.rng ?? new Rng(s.seed);
  const n = data.nRows;
  const earlyStop = s.earlyStopping === "auto" ? n > AUTO_EARLY_STOPPING_ROWS : s.earlyStopping;
  const empty = new Float64Array(0);
  let train: TrainData;
  let valid: TrainData | null = null;
  if (validation) {
    const vf = alignInput(inputs, validation.frame, { ignore: [target] });
    train = { cols: featureColumns(data, layout), y, w: w ?? empty };
    valid = { cols: featureColumns(vf, layout), y: validation.y, w: empty };
  } else if (earlyStop) {
    if (n < 2) throw new InvalidInputError(`${kind}: early stopping needs at least 2 rows to hold some out, got ${n}`, { path: `${kind}.earlyStopping`, expected: "at least 2 rows or earlyStopping: false", received: n });
    const split = holdoutSplit(n, s.validationFraction, rng, strata?.strata, strata?.nClasses ?? 0);
    train = { cols: featureColumns(data.take(split.train), layout), y: pick(y, split.train), w: w ? pick(w, split.train) : empty };
    valid = { cols: featureColumns(data.take(split.valid), layout), y: pick(y, split.valid), w: w ? pick(w, split.valid) : empty };
  } else train = { cols: featureColumns(data, layout), y, w: w ?? empty };
  // the parameter and the caller's limit both bound the threads; neither given: all cores
  const limits = [s.threads, options.threads].filter((x): x is number => typeof x === "number");
  const threads = limits.length > 0 ? Math.max(1, Math.min(...limits)) : availableThreads();
  const result = await trainGbdt({ layout, settings: s, loss, rng, threads, train, valid, earlyStop: earlyStop && valid !== null, signal: options.signal });
  return {
    layout,
    binning: result.binning,
    forest: result.forest,
    baseline: result.baseline,
    loss,
    history: { train: result.historyTrain, valid: result.historyValid },
    iterationsRun: result.iterationsRun,
  };
}

function pick(a: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = a[idx[i]];
  return out;
}

function checkPoissonTarget(y: Float64Array, target: string, kind: string): void {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] < 0) throw new InvalidInputError(`${kind}: loss poisson needs a target ≥ 0; ${show(target)} is ${y[i]} at row ${i}`, { path: `${target}[${i}]`, expected: "a number ≥ 0", received: y[i] });
    sum += y[i];
  }
  if (!(sum > 0)) throw new InvalidInputError(`${kind}: loss poisson needs some target above 0; ${show(target)} sums to ${sum}`, { path: target, expected: "a positive sum", received: sum });
}
