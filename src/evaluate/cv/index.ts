/**
 * `evaluate/cv`: cross-validation of any spec (models, pipelines) with leak-proof folds, in
 * parallel on worker threads.
 */
export { crossValidate, meanStd, WORKER_START_SECONDS, type CrossValidateOptions, type CrossValidationResult, type Summary } from "./cross-validate.js";
export { resolveCv, type CvSpec, type ResolvedCv } from "./cv-spec.js";
export type { FoldResult } from "./fold.js";
