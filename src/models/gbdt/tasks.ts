/**
 * The parallel steps of a boosting iteration, as numbered jobs cut into tasks over row blocks (or
 * histogram slices). The main thread and the workers run the very same `runTask`, reading the
 * job's parameters from `state.job`; each task writes only its own outputs, so the order tasks
 * run in never changes a result.
 *
 * job[0] = type; other slots per type:
 * - GRADIENTS  [1] loss code [2] loss parameter [3] also the root histogram (one score per row,
 *              all rows) [4] without counts [5] also rows[a..b) = a..b−1 (the next tree's row list)
 *                                                                 tasks: row blocks of 0..n
 *              (the histogram partials are those a dense HISTOGRAM job over 0..n would make)
 * - HISTOGRAM  [1] a [2] b [3] dense (rows are a..b) [4] gBase [5] no counts (dense only)
 *              [6] block length [7] the node histogram's offset in nodeHists
 *                                                                 tasks: blocks of rows[a..b)
 *              (block 0 into the node histogram, block k > 0 into partial k)
 * - SPLIT      [1] a [2] b [3] feature [4] pieces [5] left rows of the node (its histogram's count)
 *                                                                 tasks: `pieceStart` pieces of rows[a..b)
 *              (each piece's left rows into tmpL, its right rows into tmpR, at its own positions
 *              — `splitPiece`; its left count into blockCount (−1 before); then every run that
 *              may move to its final place in rows, flagged in pieceFlags (0 before) — `placeReady`)
 * - MERGE      [1] blocks [2] slice length [3] target offset in nodeHists [4] first block
 *              (1: block 0 is in the target already)             tasks: slices of the histogram
 * - LEAF_OF    [1] rows m [2] leaves (several scores per row only) tasks: blocks of rows[0..m)
 *              (leafOf[row] = its leaf, from the leaves' slices of the partition)
 * - RAW        [2] leaves [3] class k                             tasks: row blocks of 0..n
 *              (raw[row, k] += leafValue of the row's leaf: one score per row, for the block's
 *              rows in each leaf's slice of the partition (leafStart) — `addLeafValues`; several,
 *              of leafOf[row], in row order, leafOf back to −1)
 * - HIST_GROUPS [1] a [2] b [4] gBase [5] target offset in nodeHists
 *                                                                 tasks: feature groups (state.groups);
 *              each sums rows[a..b) in order for its features, straight into the target
 * - SEARCH     [1] feature groups [2] nodes (1 or 2); per node i at 3 + 8i: its histogram's
 *              offset in nodeHists, G, H, C, lo, hi, value, the offset of a histogram to subtract
 *              from it first (−1: none); [19] a histogram whose blocks 1.. are still to be merged
 *              into it (offset, −1: none) [20] its blocks     tasks: feature groups
 *              (task g: features groups[g] .. groups[g + 1] of every node — first their part of
 *              the pending merge, then of each node's subtraction, then each node i's best split
 *              into splitSlots at (i · groups + g) · SPLIT_SLOT)
 * - GROW_TREES (none: settings in growConf, masks in growMasks)  tasks: classes 0..K−1
 *              (each grows its class's whole tree in a tree slot; run by class-trees.ts's
 *              `growClassTreeTask`, which kernel.ts dispatches to — never by `runTask`)
 */
import { stateGradientBlock } from "./gradient-kernels.js";
import { placeReady, splitPiece, useSplitKernel } from "./partition.js";
import { useScanKernel } from "./scan-kernel.js";
import { SPLIT_SLOT, SplitCandidate, type SplitContext, findBestSplitIn, storeSplit } from "./split.js";
import { type TrainState, kernelsOf } from "./state.js";

export const JOB_GRADIENTS = 1;
export const JOB_HISTOGRAM = 2;
export const JOB_SPLIT = 3;
export const JOB_MERGE = 4;
export const JOB_RAW = 5;
export const JOB_HIST_GROUPS = 7;
export const JOB_LEAF_OF = 9;
export const JOB_SEARCH = 10;
/** Job slots per node of a SEARCH job, from slot 3. */
export const SEARCH_NODE_SLOTS = 8;
/** The SEARCH job's slots of its pending merge: the histogram's offset, then its block count. */
export const SEARCH_MERGE_SLOT = 3 + 2 * SEARCH_NODE_SLOTS;
export const JOB_GROW_TREES = 11;

/** Fewest histogram slots per merge task. */
export const MERGE_SLICE_MIN = 2048;

export function runTask(s: TrainState, k: number): void {
  // job parameters are read from a Float64Array: row and feature numbers are made int32 first, as
  // the kernels run on small-integer indices only (a double index or loop bound makes V8 compile
  // the whole shared kernel for doubles, about twice as slow)
  const job = s.job;
  const kern = kernelsOf(s);
  switch (job[0]) {
    case JOB_GRADIENTS: {
      const a = k * s.blockSize;
      const b = Math.min(s.n, a + s.blockSize);
      s.blockLoss[k] = stateGradientBlock(s, job[1], job[2], a, b, k);
      if (job[3] === 1) {
        // the block's gradients are still in cache: add them to the root histogram right away
        const o = k * s.histSize;
        kern.clear(s.partial, o, s.histSize);
        (job[4] === 1 ? kern.denseNoCount : kern.dense)(s.bins, s.g, s.h, 0, a, b, s.partial, o);
      }
      if (job[5] === 1) {
        // the next tree starts on every row in order: its row list, block by block on every thread
        const rows = s.rows;
        for (let i = a; i < b; i++) rows[i] = i;
      }
      return;
    }
    case JOB_HISTOGRAM: {
      const len = job[6] | 0;
      const a = (job[1] | 0) + k * len;
      const b = Math.min(job[2] | 0, a + len);
      const gBase = job[4] | 0;
      const [out, o] = k === 0 ? [s.nodeHists, job[7] | 0] : [s.partial, k * s.histSize];
      kern.clear(out, o, s.histSize);
      if (job[3] === 1) (job[5] === 1 ? kern.denseNoCount : kern.dense)(s.bins, s.g, s.h, gBase, a, b, out, o);
      else kern.rows(s.bins, s.g, s.h, gBase, s.rows, a, b, out, o);
      return;
    }
    case JOB_SPLIT: {
      useSplitKernel(s.memory);
      const a = job[1] | 0;
      const b = job[2] | 0;
      const pieces = job[4] | 0;
      Atomics.store(s.blockCount, k, splitPiece(s.binsCol, s.n, job[3] | 0, s.goLeft, s.rows, a, b, pieces, k, s.tmpL, s.tmpR));
      placeReady(s.rows, s.tmpL, s.tmpR, a, b, pieces, s.blockCount, job[5] | 0, s.pieceFlags);
      return;
    }
    case JOB_MERGE:
      mergeSlice(s, job[1] | 0, job[2] | 0, job[3] | 0, job[4] | 0, k);
      return;
    case JOB_HIST_GROUPS: {
      const f0 = s.groups[k];
      const f1 = s.groups[k + 1];
      const o = job[5] | 0;
      kern.clear(s.nodeHists, o + s.hoff[f0], (f1 < s.p ? s.hoff[f1] : s.histSize) - s.hoff[f0]);
      kern.rowsOf(f0, f1)(s.bins, s.g, s.h, job[4] | 0, s.rows, job[1] | 0, job[2] | 0, s.nodeHists, o);
      return;
    }
    case JOB_LEAF_OF: {
      const m = job[1] | 0;
      const nLeaves = job[2] | 0;
      const a = k * s.blockSize;
      const b = Math.min(m, a + s.blockSize);
      const starts = s.leafStart;
      // the leaf holding position a: last leaf whose start ≤ a
      let lo = 0;
      let hi = nLeaves - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (starts[mid] <= a) lo = mid;
        else hi = mid - 1;
      }
      const rows = s.rows;
      const leafOf = s.leafOf;
      for (let leaf = lo, i = a; leaf < nLeaves && i < b; leaf++) {
        const end = Math.min(b, starts[leaf + 1]);
        for (; i < end; i++) leafOf[rows[i]] = leaf;
      }
      return;
    }
    case JOB_SEARCH: {
      useScanKernel(s.memory);
      const groups = job[1] | 0;
      const nodes = job[2] | 0;
      const f0 = s.groups[k];
      const f1 = s.groups[k + 1];
      const lo = s.hoff[f0];
      const hi = f1 < s.p ? s.hoff[f1] : s.histSize;
      const pending = job[SEARCH_MERGE_SLOT];
      if (pending >= 0) {
        // a child's histogram left in blocks: these features' slice of it, summed in block order
        const o = pending | 0;
        const blocks = job[SEARCH_MERGE_SLOT + 1] | 0;
        for (let blk = 1; blk < blocks; blk++) kern.accumulate(s.partial, blk * s.histSize + lo, s.nodeHists, o + lo, hi - lo);
      }
      for (let node = 0; node < nodes; node++) {
        const at = 3 + SEARCH_NODE_SLOTS * node;
        searchNode.G = job[at + 1];
        searchNode.H = job[at + 2];
        searchNode.C = job[at + 3];
        searchNode.lo = job[at + 4];
        searchNode.hi = job[at + 5];
        searchNode.value = job[at + 6];
        const ho = job[at] | 0;
        const minus = job[at + 7];
        // this node's histogram is its parent's: minus the sibling's, for these features only
        if (minus >= 0) kern.subtract(s.nodeHists, (minus | 0) + lo, s.nodeHists, ho + lo, hi - lo);
        findBestSplitIn(splitContextOf(s), s.nodeHists, ho, searchNode, searchOut, f0, f1);
        storeSplit(searchOut, s.splitSlots, (node * groups + k) * SPLIT_SLOT);
      }
      return;
    }
    case JOB_RAW: {
      const cls = job[3] | 0;
      const K = s.K | 0;
      const a = k * s.blockSize;
      const b = Math.min(s.n, a + s.blockSize);
      if (K === 1) {
        // one score per row (8 per cache line): walk each leaf's slice over this block's scores
        addLeafValues(s.rows, s.leafStart, s.leafValue, job[2] | 0, s.raw, 1, 0, a, b);
        return;
      }
      // several: the row's leaf from leafOf, in row order — each score line is read and written
      // once, sequentially (walking each leaf's slice instead misses a line on nearly every row)
      const leafOf = s.leafOf;
      const raw = s.raw;
      const value = s.leafValue;
      for (let r = a; r < b; r++) {
        const leaf = leafOf[r];
        if (leaf >= 0) {
          raw[r * K + cls] += value[leaf];
          leafOf[r] = -1;
        }
      }
      return;
    }
    default:
      throw new Error(`gbdt internal error: job ${job[0]} is not one runTask runs`);
  }
}

/**
 * Add a grown tree's shrunk leaf values to the raw scores of the rows a..b−1 it grew on:
 * raw[r·K + cls] += leafValue[j] for each row r of leaf j, whose rows are the partition's
 * rows[leafStart[j] .. leafStart[j + 1]) in increasing order (a stable partition of rows in
 * increasing order keeps them so). Per leaf, a binary search finds its first row ≥ a, then its
 * rows are walked while below b: the block's scores stay in cache, and the threads of a RAW job
 * write disjoint row blocks, with no per-row leaf table (LightGBM's `AddPredictionToScore`
 * walks the leaves' index lists the same way). Each score gets one addition per tree, so the
 * blocks' order cannot change a bit.
 *
 * @example
 * ```ts
 * // two leaves over rows 0..3: leaf 0 holds rows 1 and 3, leaf 1 rows 0 and 2
 * const raw = new Float64Array(4);
 * addLeafValues(Int32Array.of(1, 3, 0, 2), Int32Array.of(0, 2, 4), Float64Array.of(0.5, -1), 2, raw, 1, 0, 0, 4);
 * // raw: [-1, 0.5, -1, 0.5]
 * ```
 */
export function addLeafValues(rows: Int32Array, leafStart: Int32Array, leafValue: Float64Array, nLeaves: number, raw: Float64Array, K: number, cls: number, a: number, b: number): void {
  for (let j = 0; j < nLeaves; j++) {
    let lo = leafStart[j];
    const end = leafStart[j + 1];
    if (lo >= end || rows[end - 1] < a || rows[lo] >= b) continue;
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid] < a) lo = mid + 1;
      else hi = mid;
    }
    const v = leafValue[j];
    for (let i = lo; i < end; i++) {
      const r = rows[i];
      if (r >= b) break;
      raw[r * K + cls] += v;
    }
  }
}

/**
 * A slice of the node histogram at `o` in nodeHists: Σ of the partial histograms of blocks
 * `first`..blocks−1 added to it in block order (`first` 0: the slice starts from zero).
 */
function mergeSlice(s: TrainState, blocks: number, sliceLen: number, o: number, first: number, slice: number): void {
  const lo = slice * sliceLen;
  const hi = Math.min(s.histSize, lo + sliceLen);
  const out = s.nodeHists;
  const part = s.partial;
  const hs = s.histSize;
  const kern = kernelsOf(s);
  if (first === 0) kern.clear(out, o + lo, hi - lo);
  for (let blk = first; blk < blocks; blk++) kern.accumulate(part, blk * hs + lo, out, o + lo, hi - lo);
}

/** This thread's scratch for SEARCH tasks. */
const searchOut = new SplitCandidate();
const searchNode = { G: 0, H: 0, C: 0, lo: 0, hi: 0, value: 0 };

const contexts = new WeakMap<TrainState, SplitContext>();

/**
 * The split-search context over the state's own arrays (see `TrainState.nBins`), the same object
 * for every call on this thread; `splitConf` must hold λ, minSamplesLeaf and minHessian before the
 * first call (the training loop sets them before any tree grows).
 *
 * @example
 * ```ts
 * state.splitConf.set([l2, minSamplesLeaf, minHessian]);
 * const ctx = splitContextOf(state); // ctx.allowed is state.allowed: set it per tree
 * ```
 */
export function splitContextOf(s: TrainState): SplitContext {
  let c = contexts.get(s);
  if (!c) {
    c = { nBins: s.nBins, isCat: s.isCat, hasMissing: s.hasMissing, hoff: s.hoff, monotonic: s.monotonic, allowed: s.allowed, l2: s.splitConf[0], minSamplesLeaf: s.splitConf[1], minHessian: s.splitConf[2] };
    contexts.set(s, c);
  }
  return c;
}
