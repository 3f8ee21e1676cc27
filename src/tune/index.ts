/** tune/: studies shaped like Optuna's — samplers (random, grid, TPE), pruners, storage. */
export { createStudy, Study, type CreateStudyOptions, type OptimizeOptions, type Objective, type FrozenTrial } from "./study.js";
export { Trial, TrialPruned } from "./trial.js";
export { trackingStorage } from "./tracking-storage.js";
export { memoryStorage, type TuneStorage, type TrialRecord, type StudyRecord, type TrialState, type Direction } from "./storage.js";
export * from "./distributions.js";
export { createSampler, TpeSampler, type SamplerSpec, type TpeSamplerSpec, type GridSamplerSpec, type RandomSamplerSpec, type Sampler, SobolSequence } from "./samplers/index.js";
export { createPruner, type PrunerSpec, type Pruner, type PercentilePrunerSpec, type SuccessiveHalvingPrunerSpec, type HyperbandPrunerSpec } from "./pruners/index.js";
export { openTuneQueue, queueSchema, TuneQueue, type TuneQueueOptions, type WorkerEvent, type WorkSummary } from "./worker.js";
export { type TrackingTuneStorage, type TrialLease } from "./tracking-storage.js";
export { cvObjective, type CvObjectiveOptions } from "./cv-objective.js";
export { spaceDistributions, suggestSpace, type SpaceEntry } from "./space.js";
export { parameterImportance, type ImportanceOptions } from "./importance.js";
export { studyReportHtml, type StudyReportInput, type StudyReportOptions } from "./report-html.js";
