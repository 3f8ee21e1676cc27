/**
 * Comparison with the champion on the same rows: DeLong's test for ROC AUC, McNemar's for
 * accuracy, the paired bootstrap for any metric, and `compareModels` choosing among them.
 */
export { delongTest, delongComponents, midranks, type DelongResult } from "./delong.js";
export { mcnemarTest, binomialHalfCdf, chiSquare1Sf, type McNemarResult } from "./mcnemar.js";
export { pairedBootstrap, type PairedBootstrapOptions, type PairedBootstrapResult } from "./paired-bootstrap.js";
export { compareModels, type ModelComparison } from "./compare-models.js";
