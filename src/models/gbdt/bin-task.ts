/**
 * A worker-pool task (`core/pool` `runTask`) binning one feature of a threaded fit: fits its bins
 * (numeric edges from the shared sample rows, or the category map) and writes its codes straight
 * into the fit's shared column-major code matrix. The same functions as the one-thread path, so
 * the codes are the same bytes.
 */
import { type FeatureBins, binColumn, fitFeatureBins } from "./binning.js";
import type { FeatureColumn } from "./features.js";

export interface BinTask {
  /** The column (its array moved to the worker, not shared). */
  col: FeatureColumn;
  /** Rows that place numeric edges (shared), or null for all rows. */
  sample: Int32Array | null;
  maxBins: number;
  /** This feature's codes: a view of the shared column-major matrix. */
  out: Uint8Array;
}

export default function binFeature(task: BinTask): FeatureBins {
  const fb = fitFeatureBins(task.col, task.sample, task.maxBins);
  binColumn(task.col, fb, task.out, 0, 1);
  return fb;
}
