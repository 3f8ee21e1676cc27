/**
 * Monitoring entities that cross between a `keel server` and its clients: one stored window of a
 * served model's monitoring (the scalars a chart needs, and the whole per-window result as JSON).
 * The monitoring store (monitor/store) keeps these; the result's own shape (`WindowMonitoring`)
 * belongs to monitor/, so here it is a JSON object the store types on its side.
 */
import type { JsonObject } from "./tracking-json.js";

/** Monitoring windows are an hour or a day long. */
export type MonitorWindowSize = "hour" | "day";
/** The window sizes monitoring results are stored for. */
export const MONITOR_WINDOW_SIZES: readonly MonitorWindowSize[] = ["hour", "day"];

/** One stored window; `R` is the per-window result (JSON on the wire, `WindowMonitoring` in monitor/). */
export interface MonitorWindow<R = JsonObject> {
  model: string;
  version: string;
  window: MonitorWindowSize;
  /** Epoch ms, inclusive / exclusive. */
  start: number;
  end: number;
  /** Epoch ms when it was computed. */
  computed: number;
  requests: number;
  error_rate: number;
  drift_share: number | null;
  dataset_drift: boolean | null;
  prediction_drifted: boolean | null;
  quality_findings: number | null;
  latency_p95_ms: number | null;
  /** The first live metric (accuracy for classifiers, rmse for regressors) when labels arrived. */
  metric: { name: string; value: number } | null;
  result: R;
}
