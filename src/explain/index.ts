/** Explanations of fitted models: exact TreeSHAP for tree ensembles. */
export { treeShap, type TreeShapResult } from "./tree-shap.js";
