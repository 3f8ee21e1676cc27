/**
 * Keel's library surface: `import { ... } from "keel"`. As an entry point it registers every
 * estimator kind of models/ and features/ (`registerEstimators`), so specs rebuild from JSON and
 * saved models load; add your own kinds with one more `registerEstimators([...])`.
 */
import { registerEstimators } from "./estimator/registry.js";
import { FEATURE_ESTIMATORS } from "./features/index.js";
import { MODEL_ESTIMATORS } from "./models/index.js";

registerEstimators([...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS]);

export * from "./core/index.js";
export * from "./data/index.js";
export * from "./data/io/index.js";
export * from "./data/schema/index.js";
export * from "./data/profile/index.js";
export * from "./data/split/index.js";
export * from "./estimator/index.js";
export * from "./features/index.js";
export * from "./models/index.js";
export * from "./metrics/index.js";
export * from "./evaluate/cv/index.js";
export * from "./evaluate/score.js";
export * from "./evaluate/bootstrap.js";
export * from "./evaluate/subgroups.js";
export * from "./evaluate/one-standard-error.js";
export * from "./evaluate/perfect-score.js";
export * from "./wire/index.js";
export * from "./backend/index.js";
export * from "./track/index.js";
export * from "./registry/index.js";
export * from "./explain/index.js";
export * from "./monitor/index.js";
export * from "./serve/index.js";
export { loadProject, parseProjectText, type Project, type ProjectConfig } from "./project/config.js";
export { runProject, type RunProjectOptions, type RunSummary } from "./pipeline/run-project.js";
export * from "./tune/index.js";
