/**
 * Random forests (Breiman, "Random forests", Machine Learning 45, 2001) and extra-trees (Geurts,
 * Ernst & Wehenkel, "Extremely randomized trees", Machine Learning 63, 2006), classifier and
 * regressor — scikit-learn's `RandomForest*` / `ExtraTrees*` in Keel's estimator shape.
 *
 * Each tree gets its own generator forked, in order, from the fit's `Rng` (or `seed`), draws its
 * bootstrap sample from it (rows drawn k times weigh k, as scikit-learn), and grows a CART tree
 * (`models/tree`) trying `maxFeatures` features per split — the best threshold for random
 * forests, one uniform random threshold per feature for extra-trees. Trees are built on worker
 * threads over shared memory; the model is identical whatever the thread count. Predictions
 * average the trees' class proportions or values. Inputs, missing values and unseen categories
 * are handled as by `models/tree`. With `oobScore`, the score is also emitted as the metric
 * "oob_score" to the active observer (autologging).
 */
import { InvalidInputError, availableThreads, emit, type Json, Rng } from "../../core/index.js";
import type { CategoricalColumn, Frame } from "../../data/index.js";
import { type TreeEnsembleView, defineEstimator, type EstimatorDefinition, ArtifactReader, modelSignature, type Classifier, type FitOptions, type ModelArtifact, type Regressor, type Signature, type Spec } from "../../estimator/index.js";
import {
  concatTrees,
  forestImportances,
  labelsFromProba,
  prepareTraining,
  treeBuffers,
  warmPredictPool,
  TreeEnsemble,
  treesFromArtifact,
  type TreeArrays,
} from "../tree/index.js";
import { growForest } from "./grow-forest.js";
import { outOfBag } from "./oob.js";
import { bootstrapDraws, checkForestParams, forestSchema, type ForestRole } from "./params.js";
import { bootstrapCounts, type ForestJob } from "./tree-job.js";

/** Rows × trees below which a forest is built on the calling thread unless `threads` is set. */
const SMALL_WORK = 200_000;

/** State shared by fitted forest classifiers and regressors. */
abstract class FittedForest {
  readonly spec: Spec;
  readonly ensemble: TreeEnsemble;
  /** Mean decrease in impurity per feature (`featureNames` order), summing to 1. */
  readonly featureImportances: Float64Array;
  /** Out-of-bag accuracy (classifiers) or R² (regressors), when `oobScore` was set. */
  readonly oobScore: number | undefined;
  /** Out-of-bag class proportions (rows × classes) or predictions per training row; NaN for rows every tree saw. */
  readonly oobPrediction: Float64Array | undefined;

  constructor(spec: Spec, ensemble: TreeEnsemble, importances: Float64Array, oob?: { score: number; prediction: Float64Array }) {
    this.spec = spec;
    this.ensemble = ensemble;
    this.featureImportances = importances;
    this.oobScore = oob?.score;
    this.oobPrediction = oob?.prediction;
  }

  get signature(): Signature {
    return this.ensemble.signature;
  }

  get featureNames(): readonly string[] {
    return this.ensemble.featureNames;
  }

  get nEstimators(): number {
    return this.ensemble.roots.length;
  }

  /** The trees for TreeSHAP (`explain/`), for the rows of `data`. */
  treeView(data: Frame): TreeEnsembleView {
    return this.ensemble.treeView(data);
  }

  /** All trees' nodes, end to end (tree t starts at `roots[t]`). Read them, do not write. */
  get trees(): TreeArrays {
    return this.ensemble.arrays;
  }

  get roots(): Int32Array {
    return this.ensemble.roots;
  }

  /** The leaf (node id within its tree) each row reaches in each tree: rows × trees. */
  apply(data: Frame): Int32Array {
    return this.ensemble.apply(data);
  }

  protected artifact(extra: Record<string, Json>): ModelArtifact {
    const t = this.ensemble.arrays;
    const buffers = { ...treeBuffers(t), roots: this.ensemble.roots, featureImportances: this.featureImportances };
    return {
      kind: this.spec.kind,
      params: JSON.parse(JSON.stringify(this.spec.params)) as Record<string, Json>,
      signature: this.signature,
      state: {
        featureNames: [...this.featureNames],
        nCats: [...this.ensemble.nCats],
        nodeCount: t.nodeCount,
        oobScore: this.oobScore === undefined || Number.isNaN(this.oobScore) ? null : this.oobScore,
        ...extra,
      },
      buffers: this.oobPrediction ? { ...buffers, oobPrediction: this.oobPrediction } : buffers,
    };
  }
}

export class ForestClassifierModel extends FittedForest implements Classifier {
  readonly task = "classification" as const;
  readonly classes: readonly string[];

  constructor(spec: Spec, ensemble: TreeEnsemble, importances: Float64Array, classes: readonly string[], oob?: { score: number; prediction: Float64Array }) {
    super(spec, ensemble, importances, oob);
    this.classes = classes;
  }

  /** Class probabilities (rows × classes): the trees' leaf class proportions, averaged. */
  predictProba(data: Frame): Float64Array {
    return this.ensemble.values(data);
  }

  predict(data: Frame): CategoricalColumn {
    const p = this.predictProba(data);
    return labelsFromProba(p, p.length / this.classes.length, this.classes);
  }

  save(): ModelArtifact {
    return this.artifact({ classes: [...this.classes] });
  }
}

export class ForestRegressorModel extends FittedForest implements Regressor {
  readonly task = "regression" as const;

  /** The trees' predictions, averaged. */
  predict(data: Frame): Float64Array {
    return this.ensemble.values(data);
  }

  save(): ModelArtifact {
    return this.artifact({});
  }
}

async function fitForest(role: ForestRole, extraTrees: boolean, params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec): Promise<ForestClassifierModel | ForestRegressorModel> {
  const task = role === "classifier" ? "classification" : "regression";
  const nTrees = params.nEstimators as number;
  // an explicit `threads` parameter is honoured; otherwise small fits stay on this thread, where
  // they finish before workers would have started (the model is the same either way)
  const small = data.nRows * nTrees < SMALL_WORK;
  const threads = Math.max(1, (params.threads as number | null) ?? (small ? 1 : (options.threads ?? availableThreads())));
  const shared = threads > 1 && nTrees > 1;
  const bootstrap = params.bootstrap as boolean;
  let classWeight = (params.classWeight ?? null) as Json;
  if (classWeight === "balanced_subsample" && !bootstrap) classWeight = "balanced";
  const td = prepareTraining(data, options, task, classWeight, shared, { maxFeatures: params.maxFeatures, random: extraTrees });
  const master = options.rng ?? new Rng(params.seed as number);
  const states = Array.from({ length: nTrees }, () => master.fork().getState());
  const draws = bootstrap ? bootstrapDraws(params.maxSamples, td.n) : td.n;
  const job: ForestJob = {
    data: {
      n: td.n,
      p: td.p,
      X: td.X,
      rank: td.rank,
      byRank: td.byRank,
      nonMissing: td.nonMissing,
      lowCount: td.lowCount,
      nCats: td.nCats,
      yClass: td.yClass,
      nClasses: td.nClasses,
      yValue: td.yValue,
      weight: td.weight,
      classes: td.classes,
    },
    params: JSON.parse(JSON.stringify(params)) as Record<string, Json>,
    random: extraTrees,
    bootstrap,
    draws,
    subsampleClassWeight: classWeight === "balanced_subsample",
  };
  // a forest big enough to be grown on several threads will likely predict large batches too:
  // its prediction workers load now, alongside the growing, so the first batch can use them
  if (threads > 1 && nTrees > 1) warmPredictPool(threads);
  const trees = await growForest(job, states, threads, options.signal);
  const nOutputs = td.classes ? td.classes.length : 1;
  const { arrays, roots } = concatTrees(trees, nOutputs);
  const signature = modelSignature(data, td.target, task, td.classes ?? undefined);
  const ensemble = new TreeEnsemble(arrays, roots, td.featureNames, td.nCats, signature);
  // and its predict-time layout is built now, a small cost next to growing the trees
  if (threads > 1 && nTrees > 1) ensemble.prepare();
  const importances = forestImportances(arrays, roots, td.p);
  const oob = params.oobScore === true ? outOfBag(arrays, roots, td.X, td.n, (t) => bootstrapCounts(Rng.fromState(states[t]), td.n, draws), td) : undefined;
  if (oob && !Number.isNaN(oob.score)) emit({ type: "metric", key: "oob_score", value: oob.score });
  return role === "classifier" ? new ForestClassifierModel(spec, ensemble, importances, td.classes!, oob) : new ForestRegressorModel(spec, ensemble, importances, oob);
}

function loadForest(a: ModelArtifact, spec: Spec, role: ForestRole): ForestClassifierModel | ForestRegressorModel {
  const r = new ArtifactReader(a);
  const classes = role === "classifier" ? r.classes(true, 1) : null;
  const nOut = classes ? classes.length : 1;
  const { featureNames, nCats, arrays, roots } = treesFromArtifact(a, nOut, true);
  const ensemble = new TreeEnsemble(arrays, roots, featureNames, nCats, a.signature);
  const importances = r.optionalBuffer("featureImportances", Float64Array, featureNames.length) ?? forestImportances(arrays, roots, featureNames.length);
  const oobScore = r.raw("oobScore") ?? null;
  if (oobScore !== null && typeof oobScore !== "number") throw r.corrupt("state.oobScore", oobScore, "a number or null");
  const pred = r.optionalBuffer("oobPrediction", Float64Array);
  if (pred && pred.length % nOut !== 0) throw r.corrupt("buffers.oobPrediction", `Float64Array(${pred.length})`, `rows × ${nOut} values`);
  const oob = typeof oobScore === "number" && pred ? { score: oobScore, prediction: pred } : undefined;
  return classes ? new ForestClassifierModel(spec, ensemble, importances, classes, oob) : new ForestRegressorModel(spec, ensemble, importances, oob);
}

function define<F extends ForestClassifierModel | ForestRegressorModel>(kind: string, role: ForestRole, extraTrees: boolean, doc: string) {
  const def: EstimatorDefinition<F> = {
    kind,
    role,
    schema: forestSchema(role, extraTrees),
    doc,
    needsTarget: true,
    checkParams: checkForestParams,
    fit: (params, data, options, spec) => fitForest(role, extraTrees, params, data, options, spec as Spec) as Promise<F>,
    load: (a, spec) => loadForest(a, spec as Spec, role) as F,
  };
  return defineEstimator<F>(def);
}

/**
 * Random forest classifier: bootstrap samples, best splits over `maxFeatures` ("sqrt") features.
 * @example
 * ```ts
 * const model = await forestClassifier({ nEstimators: 200, maxDepth: 12, seed: 0 }).fit(frame, { target: "Status" });
 * ```
 */
export const forestClassifier = define<ForestClassifierModel>("forest-classifier", "classifier", false, "random forest classifier (Breiman 2001), scikit-learn's RandomForestClassifier");
/**
 * Random forest regressor: bootstrap samples, best splits over all features by default.
 * @example
 * ```ts
 * const model = await forestRegressor({ nEstimators: 200 }).fit(frame, { target: "price" });
 * ```
 */
export const forestRegressor = define<ForestRegressorModel>("forest-regressor", "regressor", false, "random forest regressor (Breiman 2001), scikit-learn's RandomForestRegressor");
/**
 * Extra-trees classifier: all rows, one random threshold per tried feature.
 * @example
 * ```ts
 * const model = await extraTreesClassifier({ nEstimators: 300 }).fit(frame, { target: "Status" });
 * ```
 */
export const extraTreesClassifier = define<ForestClassifierModel>("extra-trees-classifier", "classifier", true, "extremely randomized trees classifier (Geurts et al. 2006), scikit-learn's ExtraTreesClassifier");
/**
 * Extra-trees regressor: all rows, one random threshold per tried feature.
 * @example
 * ```ts
 * const model = await extraTreesRegressor({ nEstimators: 300 }).fit(frame, { target: "price" });
 * ```
 */
export const extraTreesRegressor = define<ForestRegressorModel>("extra-trees-regressor", "regressor", true, "extremely randomized trees regressor (Geurts et al. 2006), scikit-learn's ExtraTreesRegressor");
