/**
 * The reference profile of a registered version: written by `keel run` when it registers a model
 * (the training rows the model was fitted on, its input columns only, and the model's predictions on
 * them) as the run artifact `reference_profile.json` beside `model/`, and read back by a model
 * reference (`models:/credit@champion`), so monitoring needs neither the training data nor the model.
 */
import { InvalidInputError, NotFoundError, show } from "../../core/index.js";
import { cellValue, type Column, categoricalFromValues, columnLength, type Frame, Frame as FrameClass } from "../../data/index.js";
import { predictFrame, type Fitted } from "../../estimator/index.js";
import { parseModelRef, type RegistryStore, resolveModelVersion } from "../../registry/index.js";
import type { TrackingStore } from "../../track/index.js";
import type { ModelVersion } from "../../wire/index.js";
import { parseReferenceProfile, type ReferenceProfile, referenceProfile, type ReferenceProfileOptions } from "./reference-profile.js";
import type { ColumnDrift, TestOverride } from "../drift/column-drift.js";
import { dataDrift } from "../drift/drift-report.js";

/** The run artifact holding a version's reference profile. */
export const REFERENCE_PROFILE_ARTIFACT = "reference_profile.json";

/**
 * The reference profile of a model over the rows it was trained on: the model's input columns (the
 * target and any other column left out) and its `prediction` on each row, as serving logs it (class
 * labels for classifiers, numbers for regressors), so prediction drift is measured on the same scale.
 *
 * @example const profile = modelReferenceProfile(fitted, train, { seed: 42 });
 */
export function modelReferenceProfile(model: Fitted, frame: Frame, options: Omit<ReferenceProfileOptions, "predictions"> = {}): ReferenceProfile {
  const inputs = model.signature.inputs.map((c) => c.name).filter((c) => frame.has(c));
  const { frame: out } = predictFrame(model, frame);
  return referenceProfile(frame.select(inputs), { ...options, predictions: predictionColumn(out.column("prediction")) });
}

/**
 * Prediction drift between two tables: the model predicts both, and its `prediction` column (a
 * number, or a label as a category) is compared as any column is — the test chosen the same way,
 * or `override`. For `keel monitor drift <reference> <current> --model <ref>`.
 *
 * @example
 * const d = predictionDrift(model, trainFrame, lastWeekFrame);   // d.drifted, d.test, d.statistic
 */
export function predictionDrift(model: Fitted, reference: Frame, current: Frame, override?: TestOverride): ColumnDrift {
  const predicted = (frame: Frame) => predictionColumn(predictFrame(model, frame).frame.column("prediction"));
  const report = dataDrift(FrameClass.fromColumns({ prediction: predicted(reference) }), FrameClass.fromColumns({ prediction: predicted(current) }), override ? { overrides: { prediction: override } } : {});
  return report.columns[0];
}

/** A prediction column as the profile keeps it: numbers stay numeric, labels become categories. */
function predictionColumn(col: Column): Column {
  if (col.kind === "numeric" || col.kind === "categorical") return col;
  const n = columnLength(col);
  const labels: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = cellValue(col, i);
    labels[i] = v === null ? null : v instanceof Date ? v.toISOString() : String(v);
  }
  return categoricalFromValues(labels);
}

/** A version's profile with the version it belongs to. */
export interface VersionProfile {
  version: ModelVersion;
  profile: ReferenceProfile;
}

/**
 * Load the reference profile stored with the version a model reference names
 * (`models:/credit@champion`, `models:/credit/3`, `models:/credit/latest`).
 * @throws NotFoundError when the version has no profile (registered before profiles were stored, or not by `keel run`).
 * @example const { profile, version } = await loadModelProfile("models:/credit@champion", { registry, tracking });
 */
export async function loadModelProfile(ref: string, stores: { registry: RegistryStore; tracking: TrackingStore }): Promise<VersionProfile> {
  const parsed = parseModelRef(ref);
  if (parsed.kind === "path") throw new InvalidInputError(`--model must name a registered version (models:/<name>@<alias> or models:/<name>/<version>), got ${show(ref)}`, { path: "--model", expected: "models:/<name>@<alias>", received: ref });
  const version = await resolveModelVersion(parsed, stores.registry);
  if (!version.runId) throw new NotFoundError(`version ${version.version} of ${show(version.name)} has no run, so no stored reference profile`, { path: "--model", received: ref });
  const run = await stores.tracking.getRun(version.runId);
  let bytes: Buffer;
  try {
    bytes = await stores.tracking.backend.artifacts.read(run.info.artifactUri, REFERENCE_PROFILE_ARTIFACT);
  } catch (e) {
    if ((e as { code?: string }).code !== "NOT_FOUND") throw e;
    throw new NotFoundError(`version ${version.version} of ${show(version.name)} has no reference profile (${REFERENCE_PROFILE_ARTIFACT} in run ${version.runId}); re-run \`keel run\` to register one, or pass a profile file`, { path: "--model", received: ref });
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new InvalidInputError(`the reference profile of ${show(ref)} is not valid JSON: ${(e as Error).message}`, { path: REFERENCE_PROFILE_ARTIFACT, expected: "JSON" });
  }
  return { version, profile: parseReferenceProfile(json) };
}
