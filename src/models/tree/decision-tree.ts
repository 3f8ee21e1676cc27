/**
 * CART decision trees (Breiman, Friedman, Olshen & Stone, "Classification and Regression Trees",
 * 1984), scikit-learn's `DecisionTreeClassifier` / `DecisionTreeRegressor` in Keel's estimator
 * shape: `treeClassifier({ maxDepth: 5 })`, `treeRegressor({ criterion: "absolute_error" })`.
 *
 * Inputs: numeric, boolean (0/1) and datetime (epoch ms) columns are split on as numbers.
 * Categorical columns are split by partitions of their categories for binary classification and
 * regression (categories ordered by mean target, Breiman's optimal partition); for three or more
 * classes their codes are cut as ordered numbers (codes follow the column's dictionary order).
 * Missing values are routed by each split to the side that lowered impurity most during training
 * (the larger child when the split saw none); categories unseen in training follow missing values.
 */
import { z } from "zod";
import { CancelledError, type Json, Rng } from "../../core/index.js";
import type { Frame, CategoricalColumn } from "../../data/index.js";
import { type TreeEnsembleView, type EstimatorRole, defineEstimator, ArtifactReader, modelSignature, type ParamDef, type Classifier, type FitOptions, type ModelArtifact, type Regressor, type Signature, type Spec } from "../../estimator/index.js";
import { growTree } from "./grow.js";
import { treeImportances } from "./importance.js";
import { checkGrowParams, classWeightParam, growParamSchema, resolveGrowSettings } from "./params.js";
import { type PruningPath, pruneTree, pruningPath } from "./prune.js";
import { countLeaves, type TreeArrays, treeDepth } from "./tree-arrays.js";
import { treeBuffers, treesFromArtifact } from "./tree-artifact.js";
import { labelsFromProba, TreeEnsemble } from "./tree-ensemble.js";
import { prepareTraining, type TrainingData } from "./training-data.js";

function schema(role: "classifier" | "regressor"): Record<string, ParamDef> {
  return {
    ...growParamSchema(role),
    ...(role === "classifier" ? { classWeight: classWeightParam(false) } : {}),
    seed: z.int().default(0).describe("random seed for the order features are tried in (ties between equally good splits)"),
  };
}

/** Grow (and prune) one tree on prepared data. */
function fitArrays(params: Readonly<Record<string, Json>>, td: TrainingData, options: FitOptions, ccpAlpha: number): TreeArrays {
  if (options.signal?.aborted) throw new CancelledError("tree fit cancelled");
  const rng = options.rng ?? new Rng(params.seed as number);
  let total = 0;
  for (let i = 0; i < td.n; i++) total += td.weight[i];
  const settings = resolveGrowSettings(params, td.n, td.p, total, false);
  const tree = growTree(td, td.weight, settings, rng);
  return ccpAlpha > 0 ? pruneTree(tree, ccpAlpha, td.nCats) : tree;
}

/** State shared by the fitted tree classifier and regressor. */
abstract class FittedTree {
  readonly spec: Spec;
  readonly ensemble: TreeEnsemble;
  /** Impurity-based importance of each feature (in `featureNames` order), summing to 1. */
  readonly featureImportances: Float64Array;

  constructor(spec: Spec, ensemble: TreeEnsemble, importances: Float64Array) {
    this.spec = spec;
    this.ensemble = ensemble;
    this.featureImportances = importances;
  }

  get signature(): Signature {
    return this.ensemble.signature;
  }

  get featureNames(): readonly string[] {
    return this.ensemble.featureNames;
  }

  /** The trees for TreeSHAP (`explain/`), for the rows of `data`. */
  treeView(data: Frame): TreeEnsembleView {
    return this.ensemble.treeView(data);
  }

  /** The tree's flat node arrays (read them, do not write). */
  get tree(): TreeArrays {
    return this.ensemble.arrays;
  }

  get nodeCount(): number {
    return this.ensemble.arrays.nodeCount;
  }

  get nLeaves(): number {
    return countLeaves(this.ensemble.arrays);
  }

  /** Depth of the tree (0 for a single leaf). */
  get depth(): number {
    return this.ensemble.arrays.nodeCount === 0 ? 0 : treeDepth(this.ensemble.arrays);
  }

  /** The leaf (node id) each row ends in. */
  apply(data: Frame): Int32Array {
    return this.ensemble.apply(data);
  }

  protected artifact(extra: Record<string, Json>): ModelArtifact {
    const t = this.ensemble.arrays;
    return {
      kind: this.spec.kind,
      params: JSON.parse(JSON.stringify(this.spec.params)) as Record<string, Json>,
      signature: this.signature,
      state: { featureNames: [...this.featureNames], nCats: [...this.ensemble.nCats], nodeCount: t.nodeCount, ...extra },
      buffers: { ...treeBuffers(t), featureImportances: this.featureImportances },
    };
  }
}

export class DecisionTreeClassifierModel extends FittedTree implements Classifier {
  readonly task = "classification" as const;
  readonly classes: readonly string[];

  constructor(spec: Spec, ensemble: TreeEnsemble, importances: Float64Array, classes: readonly string[]) {
    super(spec, ensemble, importances);
    this.classes = classes;
  }

  /** Class probabilities (rows × classes): the weighted class shares of each row's leaf. */
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

export class DecisionTreeRegressorModel extends FittedTree implements Regressor {
  readonly task = "regression" as const;

  /** The mean (squared error) or median (absolute error) of each row's leaf. */
  predict(data: Frame): Float64Array {
    return this.ensemble.values(data);
  }

  save(): ModelArtifact {
    return this.artifact({});
  }
}

function loadParts(a: ModelArtifact, nOutputs: number): { ensemble: TreeEnsemble; importances: Float64Array } {
  const { featureNames, nCats, arrays, roots } = treesFromArtifact(a, nOutputs, false);
  const importances = new ArtifactReader(a).optionalBuffer("featureImportances", Float64Array, featureNames.length) ?? treeImportances(arrays, featureNames.length);
  return { ensemble: new TreeEnsemble(arrays, roots, featureNames, nCats, a.signature), importances };
}

async function fitModel(role: EstimatorRole, params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec): Promise<DecisionTreeClassifierModel | DecisionTreeRegressorModel> {
  const task = role === "classifier" ? "classification" : "regression";
  const td = prepareTraining(data, options, task, (params.classWeight ?? null) as Json, false, { maxFeatures: params.maxFeatures, random: false });
  const arrays = fitArrays(params, td, options, params.ccpAlpha as number);
  const signature = modelSignature(data, td.target, task, td.classes ?? undefined);
  const ensemble = new TreeEnsemble(arrays, new Int32Array(1), td.featureNames, td.nCats, signature);
  const importances = treeImportances(arrays, td.p);
  return role === "classifier" ? new DecisionTreeClassifierModel(spec, ensemble, importances, td.classes!) : new DecisionTreeRegressorModel(spec, ensemble, importances);
}

/**
 * A CART classification tree (gini or entropy).
 * @example
 * ```ts
 * const model = await treeClassifier({ maxDepth: 5, criterion: "entropy" }).fit(frame, { target: "Status" });
 * ```
 */
export const treeClassifier = defineEstimator<DecisionTreeClassifierModel>({
  kind: "tree-classifier",
  role: "classifier",
  schema: schema("classifier"),
  doc: "CART decision tree classifier (gini / entropy), scikit-learn's DecisionTreeClassifier",
  needsTarget: true,
  checkParams: checkGrowParams,
  fit: (params, data, options, spec) => fitModel("classifier", params, data, options, spec) as Promise<DecisionTreeClassifierModel>,
  load(a, spec) {
    const classes = new ArtifactReader(a).classes(true, 1);
    const { ensemble, importances } = loadParts(a, classes.length);
    return new DecisionTreeClassifierModel(spec, ensemble, importances, classes);
  },
});

/**
 * A CART regression tree (squared or absolute error).
 * @example
 * ```ts
 * const model = await treeRegressor({ maxDepth: 6 }).fit(frame, { target: "price" });
 * ```
 */
export const treeRegressor = defineEstimator<DecisionTreeRegressorModel>({
  kind: "tree-regressor",
  role: "regressor",
  schema: schema("regressor"),
  doc: "CART decision tree regressor (squared / absolute error), scikit-learn's DecisionTreeRegressor",
  needsTarget: true,
  checkParams: checkGrowParams,
  fit: (params, data, options, spec) => fitModel("regressor", params, data, options, spec) as Promise<DecisionTreeRegressorModel>,
  load(a, spec) {
    const { ensemble, importances } = loadParts(a, 1);
    return new DecisionTreeRegressorModel(spec, ensemble, importances);
  },
});

/**
 * The minimal cost-complexity pruning path of a tree spec on `data` (scikit-learn's
 * `cost_complexity_pruning_path`): grow the full tree with the spec's parameters (`ccpAlpha`
 * ignored) and list the effective alphas at which subtrees collapse, with the total leaf impurity
 * after each. Fitting the spec with `ccpAlpha` set to one of these alphas gives that subtree.
 * @example
 * ```ts
 * const path = await costComplexityPruningPath(treeClassifier(), frame, { target: "Status" });
 * const pruned = await treeClassifier({ ccpAlpha: path.ccpAlphas[3] }).fit(frame, { target: "Status" });
 * ```
 */
export async function costComplexityPruningPath(spec: Spec<DecisionTreeClassifierModel> | Spec<DecisionTreeRegressorModel>, data: Frame, options: FitOptions): Promise<PruningPath> {
  const full = await (spec as Spec).with({ ccpAlpha: 0 }).fit(data, options);
  return pruningPath((full as DecisionTreeClassifierModel | DecisionTreeRegressorModel).tree);
}
