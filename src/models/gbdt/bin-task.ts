/**
 * A worker-pool task (`core/pool` `runTask`) that helps bin a threaded fit's features, alongside
 * the main thread (train.ts). The main thread copies features into shared staging slots ahead of
 * the workers; a worker claims staged features one at a time (an atomic counter), fits each one's
 * bins (numeric edges from the shared sample rows, or the category map) and writes its codes
 * straight into the fit's column-major codes. Once every feature is coded, all threads transpose
 * row blocks into the row-major codes. The same functions as the one-thread path, so the codes
 * are the same bytes. Before binning, a worker loads the fit's engine kernel, so that the
 * engine's start after binning finds it loaded.
 */
import { loadModule } from "../../core/index.js";
import { type FeatureBins, TRANSPOSE_BLOCK, binColumn, fitFeatureBins, transposeCodes, warmBinning } from "./binning.js";
import type { FeatureColumn } from "./features.js";

/** Words of `BinTask.ctrl`: features staged so far (the i-th in slot i mod slots), … */
export const STAGED = 0;
/** … staged features claimed (by a worker, or taken back by the main thread), … */
export const CLAIMED = 1;
/** … 1 once no more features will be staged, … */
export const CLOSED = 2;
/** … features whose codes are written (by any thread), … */
export const CODED = 3;
/** … row blocks of the transpose claimed, and done, … */
export const NEXT_BLOCK = 4;
export const BLOCKS_DONE = 5;
/** … 1 when the main thread gave up on the workers (they return at once), … */
export const STOP = 6;
/** … and workers that have started. */
export const JOINED = 7;
export const CTRL_WORDS = 8;
/** Words per staging slot in `BinTask.meta`: the feature, 1 if categorical, its category count. */
export const META_WORDS = 3;

export interface BinTask {
  /** A module to load before binning (the engine's kernel), or null. */
  warm: string | null;
  /** Whether to `warmBinning` first (large numeric columns ahead). */
  warmCode: boolean;
  ctrl: Int32Array;
  /** This task's number, and per task 1 once it has started (the main thread waits only for those). */
  id: number;
  joined: Int32Array;
  /** Per slot: its feature's `META_WORDS`. */
  meta: Int32Array;
  /** Per slot: 1 while staged or being binned, 0 when free to stage into. */
  busy: Int32Array;
  /** `slots` columns of n doubles (or category codes in their first 4n bytes). */
  staging: SharedArrayBuffer;
  slots: number;
  /** Rows that place numeric edges (shared), or null for all rows. */
  sample: Int32Array | null;
  n: number;
  p: number;
  maxBins: number;
  /** The codes (views of the codes memory's shared buffer). */
  binsCol: Uint8Array;
  bins: Uint8Array;
  stride: number;
}

/** A worker's part: the features it binned and their bins. */
export interface BinPart {
  features: number[];
  bins: FeatureBins[];
}

export default async function binFeatures(task: BinTask): Promise<BinPart> {
  const { ctrl, meta, busy, n, p, slots } = task;
  const out: BinPart = { features: [], bins: [] };
  // (a task the pool started late, after the main thread finished without it, has nothing to do)
  Atomics.store(task.joined, task.id, 1);
  if (Atomics.load(ctrl, STOP) !== 0) return out;
  Atomics.add(ctrl, JOINED, 1);
  if (task.warm) await loadModule(task.warm);
  if (task.warmCode) warmBinning();
  for (;;) {
    if (Atomics.load(ctrl, STOP) !== 0) return out;
    const claimed = Atomics.load(ctrl, CLAIMED);
    const staged = Atomics.load(ctrl, STAGED);
    if (claimed < staged) {
      if (Atomics.compareExchange(ctrl, CLAIMED, claimed, claimed + 1) !== claimed) continue;
      const slot = claimed % slots;
      const f = meta[slot * META_WORDS];
      const col: FeatureColumn =
        meta[slot * META_WORDS + 1] === 1
          ? { cat: true, codes: new Int32Array(task.staging, slot * n * 8, n), nCats: meta[slot * META_WORDS + 2] }
          : { cat: false, values: new Float64Array(task.staging, slot * n * 8, n) };
      const fb = fitFeatureBins(col, task.sample, task.maxBins);
      binColumn(col, fb, task.binsCol, f * n, 1);
      out.features.push(f);
      out.bins.push(fb);
      Atomics.store(busy, slot, 0);
      codedOne(ctrl);
      continue;
    }
    if (Atomics.load(ctrl, CLOSED) !== 0 && Atomics.load(ctrl, CLAIMED) >= Atomics.load(ctrl, STAGED)) break;
    Atomics.wait(ctrl, STAGED, staged, 50);
  }
  // the transpose reads every feature's codes: wait for the main thread's last ones
  for (;;) {
    if (Atomics.load(ctrl, STOP) !== 0) return out;
    const coded = Atomics.load(ctrl, CODED);
    if (coded >= p) break;
    Atomics.wait(ctrl, CODED, coded, 50);
  }
  transposeShare(task);
  return out;
}

/** Count one more feature coded (and wake whoever waits for it). */
export function codedOne(ctrl: Int32Array): void {
  Atomics.add(ctrl, CODED, 1);
  Atomics.notify(ctrl, CODED);
}

/** Transpose row blocks into the row-major codes until none is left unclaimed. */
export function transposeShare(t: Pick<BinTask, "ctrl" | "binsCol" | "bins" | "n" | "p" | "stride">): void {
  const blocks = Math.ceil(t.n / TRANSPOSE_BLOCK);
  for (;;) {
    const k = Atomics.add(t.ctrl, NEXT_BLOCK, 1);
    if (k >= blocks) return;
    const a = k * TRANSPOSE_BLOCK;
    transposeCodes(t.binsCol, t.n, t.p, t.bins, t.stride, a, Math.min(t.n, a + TRANSPOSE_BLOCK));
    Atomics.add(t.ctrl, BLOCKS_DONE, 1);
    Atomics.notify(t.ctrl, BLOCKS_DONE);
  }
}
