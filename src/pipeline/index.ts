/**
 * pipeline/: the lifecycle as steps run by one step runner. `runProject` (`keel run`) and
 * `trainModel` (`keel train`) are walks of the same steps; a new step is a `Step` in `steps/`
 * and one `runner.run(step, inputs)` line in the walks that use it.
 */
export { runProject, tuneProject, tuneWorker, type RunProjectOptions, type TuneProjectOptions, type TuneSummary } from "./run-project.js";
export type { TuneWorkerOptions, TuneWorkerSummary } from "./tune-worker.js";
export { trainModel, type TrainOptions, type TrainResult } from "./train.js";
export type { CandidateSummary, RunSummary } from "./summary.js";
export { StepRunner, type StepRunnerOptions, type StepResult } from "./step-runner.js";
export { step, type Step, type StepContext } from "./step.js";
export { StepCache } from "./cache.js";
export { loadFitted } from "./steps/fit.js";
export type { CacheValue } from "./cache-value.js";
export { retrainProject, promotionProblem, CHALLENGER, RETRAIN_TAG, type RetrainOptions, type RetrainResult, type RetrainOutcome } from "./retrain.js";
