/** Explanations of fitted models: exact TreeSHAP for tree ensembles. */
export { treeShap, planTreeShap, layoutTreeShap, type TreeShapOptions, type TreeShapPlan, type TreeShapResult } from "./tree-shap.js";
export { explainTrees, treeViewOf } from "./explain-model.js";
export { explain, explainAsync, shapExplainer, type ShapExplainer, meanAbsShap, toShapJson, type ExplainOptions, type ShapExplanation, type ShapJson, type ShapLink, type ShapMethod, type ShapValues } from "./shap.js";
export {
  permutationImportance,
  partialDependence,
  partialDependenceGrid,
  mquantile,
  type PermutationImportance,
  type PermutationImportanceOptions,
  type PartialDependence,
  type PartialDependenceOptions,
} from "./inspection.js";
export { explainReport, type ExplainReport, type ExplainReportOptions } from "./report.js";
export { explainReportToHtml } from "./report-html.js";
export { treeShapParallel, PARALLEL_SHAP_ROWS } from "./tree-shap-pool.js";
