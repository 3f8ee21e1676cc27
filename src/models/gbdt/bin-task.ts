/**
 * A worker-pool task (`core/pool` `runTask`) binning some features of a threaded fit: for each,
 * fits its bins (numeric edges from the shared sample rows, or the category map) and writes its
 * codes straight into the fit's shared column-major code matrix. The same functions as the
 * one-thread path, so the codes are the same bytes.
 */
import { type FeatureBins, binColumn, fitFeatureBins } from "./binning.js";
import type { FeatureColumn } from "./features.js";

export interface BinTask {
  /** The columns (their arrays moved to the worker, not shared). */
  cols: FeatureColumn[];
  /** Rows that place numeric edges (shared), or null for all rows. */
  sample: Int32Array | null;
  maxBins: number;
  /** Each column's codes: views of the shared column-major matrix. */
  outs: Uint8Array[];
}

export default function binFeatures(task: BinTask): FeatureBins[] {
  return task.cols.map((col, j) => {
    const fb = fitFeatureBins(col, task.sample, task.maxBins);
    binColumn(col, fb, task.outs[j], 0, 1);
    return fb;
  });
}
