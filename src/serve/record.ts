/**
 * What the data plane records about each request for the prediction log: handed over on the request
 * path as references, and serialised by the sink before `push` returns — a one-row request's frame
 * and prediction are reused by the next request.
 */
import type { Frame } from "../data/frame.js";
import type { Prediction } from "./served-model.js";

/** One answered (or rejected, or shadowed) request. */
export interface PredictionRecord {
  /** The request id (`X-Request-Id`); a shadow's record has the live request's id. */
  id: string;
  /** Epoch milliseconds when the request arrived. */
  time: number;
  model: string;
  /** The version that answered ("" when none was chosen, e.g. an unknown model). */
  version: string;
  /** "live", "canary" or "shadow" (never returned to the client). */
  role: "live" | "canary" | "shadow";
  protocol: "v2" | "mlflow";
  status: number;
  latencyMs: number;
  /** The input rows (null when the request was rejected before a frame existed). */
  inputs: Frame | null;
  prediction: Prediction | null;
  /** Why the request was rejected, and the columns involved. */
  error: string | null;
  columns: string[];
}

/** Delayed ground truth for a request, joined to its prediction by request id. */
export interface Feedback {
  id: string;
  model: string;
  label: string | number | boolean | null;
  /** ISO 8601, when the label arrived. */
  time: string;
}

/**
 * Where records go: must return at once and never throw, and keep nothing of the record's frame or
 * prediction past `push` (serialise what it keeps; the log batches and writes elsewhere).
 */
export interface PredictionSink {
  push(record: PredictionRecord): void;
  addFeedback(items: Feedback[]): void;
}
