/**
 * A Frame as a tracked dataset: its content hash (`frameHash`: SHA-256 over column names, kinds
 * and values, independent of categorical dictionary order), the row count, a schema in MLflow's
 * `mlflow_colspec` shape and a profile (`num_rows`, `num_elements`).
 */
import { InvalidInputError, show } from "../core/index.js";
import { frameHash, type Frame } from "../data/index.js";
import { TAG } from "./system-tags.js";
import type { DatasetInput } from "../wire/index.js";

const MLFLOW_TYPE = { numeric: "double", categorical: "string", boolean: "boolean", datetime: "datetime", text: "string" } as const;

/**
 * SHA-256 (hex) of a frame's content: `frameHash` — the one data hash of lineage, so a run's
 * dataset, its registered version and the model card name the same one.
 * @example
 * ```ts
 * const digest = frameDigest(await readTable("train.csv"));
 * ```
 */
export const frameDigest = frameHash;

/** Options of `datasetFromFrame`: the dataset's name, source and context (`training`, `test`, …). */
export interface FrameDatasetOptions {
  /** Dataset name, e.g. "train". */
  name: string;
  /** Where it came from: a path or URI (default: "in-memory frame"). */
  source?: string;
  /** Default "local" when `source` is given, else "code". */
  sourceType?: string;
  /** MLflow's input context: "training", "validation", "test", ... */
  context?: string;
  /** The frame's content hash, when the caller has it already (it is computed otherwise). */
  digest?: string;
}

/**
 * The dataset input a run logs for a frame.
 * @example
 * ```ts
 * const input = datasetFromFrame(frame, { name: "credit", source: "examples/credit/credit_data.csv", context: "training" });
 * ```
 */
export function datasetFromFrame(frame: Frame, options: FrameDatasetOptions): DatasetInput {
  if (!options || typeof options.name !== "string" || options.name.length === 0) {
    throw new InvalidInputError(`dataset name ${show(options?.name)} is not valid: expected a non-empty string`, { path: "dataset.name", received: options?.name });
  }
  const colspec = frame.describe().map((c) => ({ type: MLFLOW_TYPE[c.kind], name: c.name, keel_kind: c.kind }));
  return {
    tags: options.context ? [{ key: TAG.datasetContext, value: options.context }] : [],
    dataset: {
      name: options.name,
      digest: options.digest ?? frameDigest(frame),
      sourceType: options.sourceType ?? (options.source ? "local" : "code"),
      source: JSON.stringify(options.source ? { uri: options.source } : {}),
      schema: JSON.stringify({ mlflow_colspec: colspec }),
      profile: JSON.stringify({ num_rows: frame.nRows, num_elements: frame.nRows * frame.nCols }),
      rows: frame.nRows,
    },
  };
}
