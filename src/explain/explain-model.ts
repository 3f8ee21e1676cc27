/**
 * TreeSHAP for any fitted Keel model with trees: a decision tree, a forest or a GBDT, alone or as
 * the last step of a pipeline (then the values are over the features the preprocessing produced,
 * e.g. one per one-hot category, and the rows are transformed first).
 */
import { InvalidInputError } from "../core/index.js";
import type { Frame } from "../data/index.js";
import { type TreeEnsembleView, hasTreeView, type Fitted } from "../estimator/index.js";
import { type TreeShapOptions, type TreeShapResult, treeShap } from "./tree-shap.js";

/**
 * The tree view of `model` for `data`, looking through a pipeline to its model.
 * @example
 * ```ts
 * const view = treeViewOf(await autoPipeline(gbdtClassifier()).fit(frame, { target: "Status" }), frame);
 * ```
 */
export function treeViewOf(model: Fitted, data: Frame): TreeEnsembleView {
  model = rawModelOf(model);
  if (hasTreeView(model)) return model.treeView(data);
  const pipeline = model as Fitted & { steps?: readonly Fitted[]; features?(d: Frame): Frame };
  const last = pipeline.steps?.[pipeline.steps.length - 1];
  if (last && hasTreeView(last) && typeof pipeline.features === "function") return last.treeView(pipeline.features(data));
  throw new InvalidInputError(`model ${JSON.stringify(model.spec.kind)} has no trees: TreeSHAP explains decision trees, forests and gradient boosting`, { path: "model", expected: "a tree, forest or gbdt model (or a pipeline ending in one)", received: model.spec.kind });
}

/**
 * The model whose raw output SHAP explains: a decision-threshold wrapper (`keel run`'s
 * `problem.threshold`) changes only how labels are cut from the probabilities, never the raw
 * output, so it is looked through; every other model is itself.
 */
export function rawModelOf(model: Fitted): Fitted {
  let m = model;
  while (m.spec.kind === "decision-threshold" && (m as Fitted & { base?: Fitted }).base) m = (m as Fitted & { base: Fitted }).base;
  return m;
}

/**
 * SHAP values of `data`'s rows for a tree model (see `treeShap`).
 *
 * @example
 * const model = await autoPipeline(gbdtClassifier()).fit(train, { target: "Status" });
 * const shap = explainTrees(model, test);   // shap.values: rows × outputs × features, raw (log-odds) space
 */
export function explainTrees(model: Fitted, data: Frame, options: TreeShapOptions = {}): TreeShapResult {
  return treeShap(treeViewOf(model, data), options);
}
