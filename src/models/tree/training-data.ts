/**
 * Everything a tree or a forest trains on, read once from the frame: the feature matrix and its
 * presort, the target (class indices or numbers), and per-row weights (sample weights times class
 * weights). With `shared`, the large arrays live on SharedArrayBuffers for worker threads.
 */
import { classWeights, InvalidInputError, show, type Json } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { classTarget, numericTarget, type FitOptions } from "../../estimator/index.js";
import type { GrowData } from "./grow.js";
import { allocF64, allocI32, trainingMatrix } from "./matrix.js";
import { resolveMaxFeatures } from "./params.js";
import { presort } from "./presort.js";
import { sortsByRank } from "./splitter.js";

export interface TrainingData extends GrowData {
  featureNames: string[];
  /** Class labels (classification) or null (regression). */
  classes: string[] | null;
  /** Per-row weight: sample weight × class weight ("balanced_subsample" is applied per tree). */
  weight: Float64Array;
  target: string;
}

/**
 * The training data of a tree or forest fit. `growth` (the `maxFeatures` parameter, extra-trees'
 * random splits) tells whether its trees will sort nodes by rank; without it the row-major ranks
 * are built in any case.
 */
export function prepareTraining(data: Frame, options: FitOptions, task: "classification" | "regression", classWeight: Json, shared = false, growth?: { maxFeatures: Json; random: boolean }): TrainingData {
  const target = options.target!;
  const featureNames = data.names.filter((n) => n !== target);
  if (featureNames.length === 0) {
    throw new InvalidInputError(`the data has no feature columns besides the target ${show(target)}`, { path: "data", expected: "at least one feature column", received: data.names });
  }
  const m = trainingMatrix(data, featureNames, shared);
  const rowRanks = growth === undefined || sortsByRank(resolveMaxFeatures(growth.maxFeatures, m.p), m.p, growth.random);
  const ps = presort(m.X, m.n, m.p, shared, rowRanks);
  const n = m.n;
  let yClass: Int32Array | null = null;
  let classes: string[] | null = null;
  const yValue = allocF64(n, shared);
  if (task === "classification") {
    const t = classTarget(data, target);
    classes = t.classes;
    yClass = allocI32(n, shared);
    yClass.set(t.y);
    for (let i = 0; i < n; i++) yValue[i] = t.y[i];
  } else yValue.set(numericTarget(data, target));
  const weight = allocF64(n, shared);
  if (options.weights) weight.set(options.weights);
  else weight.fill(1);
  if (yClass && classes && classWeight !== null && classWeight !== "balanced_subsample") {
    const cw = classWeights(classWeight as string | Record<string, number>, yClass, classes);
    for (let i = 0; i < n; i++) weight[i] *= cw[yClass[i]];
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += weight[i];
  if (!(total > 0)) {
    throw new InvalidInputError(`every training row has weight 0; at least one row needs a positive weight`, { path: "weights", expected: "a positive total weight", received: total });
  }
  return {
    n,
    p: m.p,
    X: m.X,
    rank: ps.rank,
    byRank: ps.byRank,
    nonMissing: ps.nonMissing,
    lowCount: ps.lowCount,
    nCats: m.nCats,
    yClass,
    nClasses: classes ? classes.length : 0,
    yValue,
    featureNames,
    classes,
    weight,
    target,
  };
}
