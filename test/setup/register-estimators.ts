/**
 * The test process's entry point for estimator kinds: like the package root and the CLI, it
 * registers every kind of models/ and features/ explicitly (`registerEstimators`), so tests that
 * import modules directly can rebuild specs and load models. Worker threads register their own.
 */
import { registerEstimators } from "../../src/estimator/registry.js";
import { FEATURE_ESTIMATORS } from "../../src/features/index.js";
import { MODEL_ESTIMATORS } from "../../src/models/index.js";

registerEstimators([...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS]);
