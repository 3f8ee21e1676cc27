/**
 * Monitoring a registered version end to end: its stored reference profile, its requests in the
 * prediction log over a period (those it answered, and those refused before any version was chosen),
 * the labels that arrived for them, and the result per window and over the whole period.
 */
import type { RegistryStore } from "../../registry/index.js";
import type { TrackingStore } from "../../track/index.js";
import type { ModelVersion } from "../../wire/index.js";
import type { DriftOptions } from "../drift/drift-report.js";
import { loadModelProfile } from "../profile/model-profile.js";
import type { ReferenceProfile } from "../profile/reference-profile.js";
import type { WindowSize } from "./log-frame.js";
import { monitorRecords, monitorWindows, type WindowMonitoring } from "./log-monitor.js";
import type { LoggedPrediction, PredictionLogReader } from "./log-reader.js";

/** Options of `monitorModel`: the model reference, the stores, the log reader, the period and the window size. */
export interface MonitorModelOptions extends DriftOptions {
  /** `models:/name@alias` or `models:/name/version`. */
  ref: string;
  stores: { registry: RegistryStore; tracking: TrackingStore };
  reader: PredictionLogReader;
  /** Epoch ms, inclusive. */
  since: number;
  /** Epoch ms, exclusive (default now). */
  until?: number;
  window: WindowSize;
  /** Join delayed labels (default true). */
  labels?: boolean;
  /** Bootstrap resamples of the live metrics (default 1000). */
  rounds?: number;
}

/** A model version's monitored traffic: its reference profile, the records, per-window and overall results. */
export interface ModelMonitoring {
  model: string;
  version: ModelVersion;
  profile: ReferenceProfile;
  /** Where the log was read. */
  log: string;
  since: number;
  until: number;
  window: WindowSize;
  /** The version's requests in the period, oldest first. */
  records: LoggedPrediction[];
  windows: WindowMonitoring[];
  /** The whole period as one window. */
  overall: WindowMonitoring;
}

/**
 * Read and monitor a version's traffic.
 * @example const m = await monitorModel({ ref: "models:/credit@champion", stores, reader, since: Date.now() - 86_400_000, window: "hour" });
 */
export async function monitorModel(o: MonitorModelOptions): Promise<ModelMonitoring> {
  const { version, profile } = await loadModelProfile(o.ref, o.stores);
  const until = o.until ?? Date.now();
  const all = await o.reader.predictions({ model: version.name, since: o.since, until });
  const records = all.filter((r) => r.version === version.version || r.version === "");
  const labels = o.labels === false ? undefined : await o.reader.feedback({ model: version.name, ids: new Set(records.map((r) => r.id)) });
  const options = { columns: o.columns, overrides: o.overrides, driftShare: o.driftShare, labels, performance: { rounds: o.rounds } };
  return {
    model: version.name,
    version,
    profile,
    log: o.reader.where,
    since: o.since,
    until,
    window: o.window,
    records,
    windows: monitorWindows(profile, records, o.window, options),
    overall: monitorRecords(profile, records, o.since, until, options),
  };
}
