/**
 * `keel serve`, the data plane: models behind the Open Inference Protocol v2 and MLflow's scoring
 * API, with input checks against each model's signature, canary and shadow versions, Prometheus
 * metrics and a prediction log. `app.ts` holds the routes (a fastify plugin that `keel server
 * --serve` mounts too), `start.ts` loads models and listens.
 */
export { serveRoutes, buildServeApp, parseFeedback, ServeState, type ServeAppOptions, type TokenCheck } from "./app.js";
export { startServe, mountServe, loadModelSet, loadServedModel, defaultModelName, RegistryAccess, type StartServeOptions, type RunningServe, type ServeModelSpec } from "./start.js";
export { Endpoint, ModelSet, keyBucket } from "./endpoint.js";
export { ServedModel, type Prediction, type ServedModelInfo, type OutputSpec } from "./served-model.js";
export { InputSchema, InputError, RowWriter, DATATYPE, type Datatype, type InputSlot } from "./input-schema.js";
export { ServeMetrics } from "./metrics.js";
export { MicroBatcher, type BatchingOptions } from "./batcher.js";
export { SERVE_HTTP } from "./errors.js";
export type { PredictionRecord, PredictionSink, Feedback } from "./record.js";
export { predictionLine } from "./prediction-line.js";
export { PredictionLog, JsonlWriter, SqlPredictionWriter, PREDICTION_LOG_MIGRATIONS, storedPrediction, type PredictionWriter, type StoredPrediction, type PredictionLogOptions, type JsonlOptions } from "./prediction-log.js";
export { MLFLOW_INPUT_FIELDS } from "./protocols/mlflow.js";
export { OIP_DATATYPES } from "./protocols/oip.js";
export { AliasWatcher, isMovingRef, type AliasWatcherOptions, type SwapEvent, type SlotRole } from "./hot-swap.js";
export { runServeCluster, joinServeCluster, isServeWorker, type ServeClusterOptions } from "./cluster.js";
export { feedbackFromFrame, openFeedbackWriter, type FeedbackColumns } from "./feedback-file.js";
