/**
 * A Frame as a tracked dataset: a content hash (SHA-256 over column names, kinds and values,
 * independent of categorical dictionary order), the row count, a schema in MLflow's
 * `mlflow_colspec` shape and a profile (`num_rows`, `num_elements`).
 */
import { createHash } from "node:crypto";
import { InvalidInputError, show } from "../core/errors.js";
import type { Frame } from "../data/frame.js";
import { TAG } from "./system-tags.js";
import type { DatasetInput } from "../wire/index.js";

const MLFLOW_TYPE = { numeric: "double", categorical: "string", boolean: "boolean", datetime: "datetime", text: "string" } as const;

/** SHA-256 (hex) of a frame's content. Same data → same digest, whatever the category order. */
export function frameDigest(frame: Frame): string {
  const h = createHash("sha256");
  const u32 = new Uint32Array(1);
  h.update(`keel-frame-v1\0${frame.nRows}\0`);
  for (const [name, col] of frame.entries()) {
    h.update(`${name}\0${col.kind}\0`);
    switch (col.kind) {
      case "numeric":
      case "datetime":
        h.update(new Uint8Array(col.values.buffer, col.values.byteOffset, col.values.byteLength));
        break;
      case "boolean":
        h.update(col.values);
        break;
      case "categorical": {
        const order = col.categories.map((_, i) => i).sort((a, b) => (col.categories[a] < col.categories[b] ? -1 : col.categories[a] > col.categories[b] ? 1 : 0));
        const rank = new Int32Array(col.categories.length);
        for (let r = 0; r < order.length; r++) rank[order[r]] = r;
        for (const i of order) h.update(`${col.categories[i]}\0`);
        const codes = new Int32Array(col.codes.length);
        for (let i = 0; i < codes.length; i++) codes[i] = col.codes[i] < 0 ? -1 : rank[col.codes[i]];
        h.update(new Uint8Array(codes.buffer));
        break;
      }
      case "text":
        for (const v of col.values) {
          if (v === null) {
            u32[0] = 0xffffffff;
            h.update(new Uint8Array(u32.buffer));
          } else {
            const b = Buffer.from(v, "utf8");
            u32[0] = b.length;
            h.update(new Uint8Array(u32.buffer));
            h.update(b);
          }
        }
        break;
    }
  }
  return h.digest("hex");
}

export interface FrameDatasetOptions {
  /** Dataset name, e.g. "train". */
  name: string;
  /** Where it came from: a path or URI (default: "in-memory frame"). */
  source?: string;
  /** Default "local" when `source` is given, else "code". */
  sourceType?: string;
  /** MLflow's input context: "training", "validation", "test", ... */
  context?: string;
}

/** The dataset input a run logs for a frame. */
export function datasetFromFrame(frame: Frame, options: FrameDatasetOptions): DatasetInput {
  if (!options || typeof options.name !== "string" || options.name.length === 0) {
    throw new InvalidInputError(`dataset name ${show(options?.name)} is not valid: expected a non-empty string`, { path: "dataset.name", received: options?.name });
  }
  const colspec = frame.describe().map((c) => ({ type: MLFLOW_TYPE[c.kind], name: c.name, keel_kind: c.kind }));
  return {
    tags: options.context ? [{ key: TAG.datasetContext, value: options.context }] : [],
    dataset: {
      name: options.name,
      digest: frameDigest(frame),
      sourceType: options.sourceType ?? (options.source ? "local" : "code"),
      source: JSON.stringify(options.source ? { uri: options.source } : {}),
      schema: JSON.stringify({ mlflow_colspec: colspec }),
      profile: JSON.stringify({ num_rows: frame.nRows, num_elements: frame.nRows * frame.nCols }),
      rows: frame.nRows,
    },
  };
}
