/**
 * Growing one tree leaf-wise (best-first, Shi 2007; LightGBM), as scikit-learn's `TreeGrower`:
 * keep the leaves that can still be split with their best split in a heap (`GainHeap`, ties
 * broken as scikit-learn's), always split the one whose split gains most, until `maxLeaves`
 * leaves exist or no split gains. The root has value 0 (a tree that cannot split adds nothing);
 * a node splits when it has at least 2·`minSamplesLeaf` rows (the root also `minHessian`) and is
 * above `maxDepth`. Only the smaller child's histogram is built from rows (after
 * partitioning the parent's rows, from the child's own contiguous slice); the larger child's is
 * the parent's minus it. Depth,
 * `minSamplesLeaf`, `minHessian` and monotonic bounds limit what may split.
 */
import type { Engine } from "./engine.js";
import { MAX_PIECES, goLeftTable, partitionInPlace, useSplitKernel } from "./partition.js";
import { NODE_HISTOGRAMS, SEARCH_GROUPS_MAX, kernelsOf } from "./state.js";
import { GainHeap } from "./gain-heap.js";
import { BITSET_WORDS, SPLIT_SLOT, SplitCandidate, type SplitContext, findBestSplit, finishSplit, mergeSplit, objectiveDrop, setMissingByCounts } from "./split.js";
import { PhaseClock } from "./phases.js";
import { useScanKernel } from "./scan-kernel.js";
import { JOB_HISTOGRAM, JOB_HIST_GROUPS, JOB_MERGE, JOB_SEARCH, JOB_SPLIT, MERGE_SLICE_MIN, SEARCH_MERGE_SLOT, SEARCH_NODE_SLOTS, splitContextOf } from "./tasks.js";

/**
 * Nodes of at least this many rows build their histograms from row blocks (`nodeBlocks`), one
 * partial histogram each, summed in block order; smaller ones add all their rows in row order.
 */
export const NODE_BLOCK_MIN_ROWS = 4096;
/**
 * With worker threads, nodes of fewer rows than this (and fewer than `NODE_BLOCK_MIN_ROWS`) build
 * their histograms on the main thread alone; bigger ones by feature groups on every thread — the
 * same sums, since each feature's bins add the rows in row order either way.
 */
export const HIST_TINY_ROWS = 1024;

/**
 * The row blocks of a node of `len` (≥ `NODE_BLOCK_MIN_ROWS`) listed rows: an even number of
 * blocks of equal length (±1), about `blockSize` rows each — so two threads (or any even count
 * dividing it) get equal shares, where blocks of exactly `blockSize` rows left a short last one
 * (a node of 20k rows: 16k + 4k, one thread waiting three quarters of the time). The geometry
 * depends on the node's size and the data alone, never on the thread count, so the partial sums
 * — and the model — are the same bits on any number of threads.
 *
 * @example
 * ```ts
 * nodeBlocks(20_000, 16_384); // { count: 2, length: 10_000 }
 * nodeBlocks(100_000, 16_384); // { count: 8, length: 12_500 }
 * ```
 */
export function nodeBlocks(len: number, blockSize: number): { count: number; length: number } {
  const count = 2 * Math.max(1, Math.ceil(len / (2 * blockSize)));
  return { count, length: Math.ceil(len / count) };
}
/**
 * Bounds of `groups` feature groups over p features (groups + 1 entries, from 0 to p), largest
 * first: bound k at p·(1 − (1 − k/groups)²) rounded, every group non-empty. Tasks claimed in turn
 * from a list that shrinks this way end close together (the last ones are small), as in longest-
 * processing-time-first scheduling (Graham 1969); the groups are contiguous and in feature order,
 * so a search merges their candidates in feature order as before.
 *
 * @example
 * ```ts
 * featureGroupBounds(30, 6); // Int32Array [0, 9, 17, 23, 27, 29, 30]: groups of 9, 8, 6, 4, 2, 1
 * ```
 */
export function featureGroupBounds(p: number, groups: number): Int32Array {
  const G = Math.max(1, Math.min(p, groups));
  const out = new Int32Array(G + 1);
  for (let k = 1; k < G; k++) {
    const q = 1 - k / G;
    out[k] = Math.min(Math.max(Math.round(p * (1 - q * q)), out[k - 1] + 1), p - (G - k));
  }
  out[G] = p;
  return out;
}

/**
 * Fewest rows of a piece when threads share a node's partition (a node of fewer than two pieces'
 * rows is partitioned on the main thread alone); pieces are at most 4 per thread.
 */
export const PARTITION_PIECE_MIN = 4096;

export interface GrowSettings {
  maxLeaves: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minHessian: number;
  l2: number;
}

/** A grown tree as per-node lists (nodes in creation order, root 0); leaves hold unshrunk values. */
export class GrownTree {
  feature: number[] = [];
  bin: number[] = [];
  defaultLeft: number[] = [];
  isCat: number[] = [];
  /** BITSET_WORDS words per node: the bins that go left (zeros for leaves). */
  bits: number[] = [];
  left: number[] = [];
  right: number[] = [];
  value: number[] = [];
  /** Importance gain: the drop of the second-order objective (0 for leaves). */
  gain: number[] = [];
  count: number[] = [];
  hessian: number[] = [];
  lower: number[] = [];
  upper: number[] = [];
  /** Leaves by position in the row partition: node id and slice [start, end). */
  leafNode: number[] = [];
  leafStart: number[] = [];
  leafEnd: number[] = [];

  get size(): number {
    return this.feature.length;
  }

  addNode(value: number, count: number, hessian: number, lower: number, upper: number): number {
    const id = this.feature.length;
    this.feature.push(-1);
    this.bin.push(0);
    this.defaultLeft.push(0);
    this.isCat.push(0);
    for (let w = 0; w < BITSET_WORDS; w++) this.bits.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    this.gain.push(0);
    this.count.push(count);
    this.hessian.push(hessian);
    this.lower.push(lower);
    this.upper.push(upper);
    return id;
  }
}

interface GrowNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  C: number;
  value: number;
  lo: number;
  hi: number;
  hist: Float64Array | null;
  /**
   * With shared searches, the sibling's histogram still to be subtracted from `hist` (the parent's)
   * — its search job does it, each task for its own features — else null.
   */
  minus: Float64Array | null;
  split: SplitCandidate | null;
  /** The split's gain, for the heap. */
  gain: number;
}

export class Grower {
  /** Node histograms no node holds (all in the state's memory, `nodeHists`), and how many were handed out. */
  private readonly free: Float64Array[] = [];
  private handedOut = 0;
  private readonly spare: SplitCandidate[] = [];
  private nGroups = 0;
  /** Per-bin row counts of the root over all rows: the same every iteration, so counted once. */
  private rootCounts: Float64Array | null = null;
  /**
   * A child histogram whose partial blocks 1..blocks−1 are still to be added into it (block 0 is
   * in it): with shared searches, the search job that follows its split merges it, each task its
   * own features; null when none waits.
   */
  private pending: { hist: Float64Array; blocks: number } | null = null;

  /** Whether split searches run as SEARCH jobs on every thread (the context must be the state's own, which workers read). */
  private readonly sharedSearch: boolean;

  constructor(
    private readonly engine: Engine,
    private readonly ctx: SplitContext,
    private readonly s: GrowSettings,
    private readonly clock = new PhaseClock(),
  ) {
    this.sharedSearch = engine.threads > 1 && ctx === splitContextOf(engine.state);
    useScanKernel(engine.state.memory);
  }

  /** Whether the root's row counts per bin are known (then dense root histograms skip counting). */
  get rootCountsKnown(): boolean {
    return this.rootCounts !== null;
  }

  /**
   * Grow a tree on the gradients at `gBase` (class offset) for the rows in `state.rows[0..m)`;
   * `dense` says those are exactly rows 0..m−1 in order. `rootPartials`: the gradient job already
   * left the root's per-block histograms in `state.partial` (see `JOB_GRADIENTS`).
   */
  grow(gBase: number, m: number, dense: boolean, rootPartials = false): GrownTree {
    const st = this.engine.state;
    const tree = new GrownTree();
    let rootHist: Float64Array;
    if (rootPartials) rootHist = this.mergeBlocks(Math.ceil(m / st.blockSize));
    else rootHist = this.histogram(0, m, dense, gBase, dense && this.rootCounts !== null);
    if (dense && this.rootCounts) {
      const c = this.rootCounts;
      for (let j = 2; j < st.histSize; j += 3) rootHist[j] = c[j];
    } else if (dense) this.rootCounts = Float64Array.from(rootHist);
    let G = 0;
    let H = 0;
    let C = 0;
    {
      const o = this.ctx.hoff[0];
      const e = o + 3 * (this.ctx.nBins[0] + 1);
      for (let j = o; j < e; j += 3) {
        G += rootHist[j];
        H += rootHist[j + 1];
        C += rootHist[j + 2];
      }
    }
    const root: GrowNode = { id: tree.addNode(0, C, H, -Infinity, Infinity), start: 0, end: m, depth: 0, G, H, C, value: 0, lo: -Infinity, hi: Infinity, hist: rootHist, minus: null, split: null, gain: 0 };
    const open = new GainHeap<GrowNode>();
    const leaves: GrowNode[] = [];
    this.consider(root, null, open, leaves, H >= this.s.minHessian);
    let nLeaves = 1;
    while (open.size > 0 && nLeaves < this.s.maxLeaves) {
      const node = open.pop();
      // the split that makes the last allowed leaf leaves nothing to split: skip its histograms
      const [l, r] = this.split(node, tree, gBase, nLeaves + 1 < this.s.maxLeaves);
      nLeaves++;
      this.consider(l, r, open, leaves);
    }
    for (const n of open.drain()) this.retire(n, leaves);
    leaves.sort((a, b) => a.start - b.start);
    for (const n of leaves) {
      tree.leafNode.push(n.id);
      tree.leafStart.push(n.start);
      tree.leafEnd.push(n.end);
    }
    return tree;
  }

  /**
   * Find the best split of `a` and of `b` (a split's two children; `b` null for the root) where
   * they may split; a node with a split that gains goes to the heap, the others become leaves, in
   * the order a, b. With worker threads both searches run as one job (nodes × feature groups).
   */
  private consider(a: GrowNode, b: GrowNode | null, open: GainHeap<GrowNode>, leaves: GrowNode[], mayHessian = true): void {
    const searchA = a.hist !== null && mayHessian && this.splittable(a.depth, a.C);
    const searchB = b !== null && b.hist !== null && this.splittable(b.depth, b.C);
    if (this.pending !== null && !(this.sharedSearch && (searchA || searchB))) {
      // no search job to merge it in
      this.merge(this.pending.hist, this.pending.blocks, 1);
      this.pending = null;
    }
    const spA = searchA ? (this.spare.pop() ?? new SplitCandidate()) : null;
    const spB = searchB ? (this.spare.pop() ?? new SplitCandidate()) : null;
    let foundA = false;
    let foundB = false;
    if (searchA || searchB) {
      if (this.sharedSearch) {
        const nodes = searchA && searchB ? 2 : 1;
        const G = this.featureGroups();
        const job = this.engine.state.job;
        job.fill(0);
        job[0] = JOB_SEARCH;
        job[1] = G;
        job[2] = nodes;
        if (searchA) this.searchParams(a, 0);
        if (searchB) this.searchParams(b!, searchA ? 1 : 0);
        job[SEARCH_MERGE_SLOT] = this.pending === null ? -1 : this.offsetOf(this.pending.hist);
        job[SEARCH_MERGE_SLOT + 1] = this.pending === null ? 0 : this.pending.blocks;
        this.pending = null;
        this.engine.run(G);
        if (searchA) foundA = this.mergeSearch(0, G, spA!);
        if (searchB) foundB = this.mergeSearch(searchA ? 1 : 0, G, spB!);
      } else {
        if (searchA) foundA = findBestSplit(this.ctx, a.hist!, 0, a, spA!);
        if (searchB) foundB = findBestSplit(this.ctx, b!.hist!, 0, b!, spB!);
      }
      this.clock.lap("split search");
    }
    this.settle(a, foundA, spA, open, leaves);
    if (b !== null) this.settle(b, foundB, spB, open, leaves);
  }

  /** A SEARCH job's parameters for `node` as its node number i (see tasks.ts). */
  private searchParams(node: GrowNode, i: number): void {
    const st = this.engine.state;
    const job = st.job;
    const at = 3 + SEARCH_NODE_SLOTS * i;
    job[at] = (node.hist!.byteOffset - st.nodeHists.byteOffset) / 8;
    job[at + 1] = node.G;
    job[at + 2] = node.H;
    job[at + 3] = node.C;
    job[at + 4] = node.lo;
    job[at + 5] = node.hi;
    job[at + 6] = node.value;
    job[at + 7] = node.minus === null ? -1 : (node.minus.byteOffset - st.nodeHists.byteOffset) / 8;
    node.minus = null;
  }

  /** Node i's best split from its feature groups' candidates, taken in feature order. */
  private mergeSearch(i: number, G: number, out: SplitCandidate): boolean {
    const slots = this.engine.state.splitSlots;
    out.reset();
    for (let g = 0; g < G; g++) mergeSplit(slots, (i * G + g) * SPLIT_SLOT, out);
    return finishSplit(this.ctx, out);
  }

  /** To the heap with its split, or a leaf. */
  private settle(node: GrowNode, found: boolean, sp: SplitCandidate | null, open: GainHeap<GrowNode>, leaves: GrowNode[]): void {
    if (found) {
      node.split = sp;
      node.gain = sp!.gain;
      open.push(node);
      return;
    }
    if (sp) this.spare.push(sp);
    this.retire(node, leaves);
  }

  private retire(node: GrowNode, leaves: GrowNode[]): void {
    if (node.hist) this.free.push(node.hist);
    node.hist = null;
    node.minus = null;
    if (node.split) this.spare.push(node.split);
    node.split = null;
    leaves.push(node);
  }

  private splittable(depth: number, C: number): boolean {
    return depth < this.s.maxDepth && C >= 2 * this.s.minSamplesLeaf;
  }

  private split(node: GrowNode, tree: GrownTree, gBase: number, more: boolean): [GrowNode, GrowNode] {
    const st = this.engine.state;
    const sp = node.split!;
    const f = sp.feature;
    const depth = node.depth + 1;
    const wantL = more && this.splittable(depth, sp.cL);
    const wantR = more && this.splittable(depth, sp.cR);
    const needHist = wantL || wantR;
    // the child built from rows: the left one only when it has fewer (as scikit-learn)
    const smallerLeft = sp.cL < sp.cR;
    if (!this.ctx.hasMissing[f]) setMissingByCounts(sp, this.ctx.nBins[f]);
    goLeftTable(sp.bits, st.goLeft);
    const len = node.end - node.start;
    let nLeft: number;
    if (this.engine.threads === 1 || len < PARTITION_PIECE_MIN * 2) {
      // one thread does it all: in place, the right rows copied back after the left ones
      useSplitKernel(st.memory);
      nLeft = partitionInPlace(st.binsCol, st.n, f, st.goLeft, st.rows, node.start, node.end, st.tmpR);
    } else {
      // pieces split into scratch on every thread, their runs moved to their places by whichever
      // thread finds them movable (the same rows in the same order as one thread's partition: a
      // stable partition has one result)
      const pieces = Math.min(Math.floor(len / PARTITION_PIECE_MIN), 4 * this.engine.threads, MAX_PIECES);
      const job = st.job;
      job.fill(0);
      job[0] = JOB_SPLIT;
      job[1] = node.start;
      job[2] = node.end;
      job[3] = f;
      job[4] = pieces;
      job[5] = sp.cL;
      st.blockCount.fill(-1, 0, pieces);
      st.pieceFlags.fill(0, 0, 2 * pieces);
      this.engine.run(pieces);
      nLeft = 0;
      for (let i = 0; i < pieces; i++) nLeft += st.blockCount[i];
    }
    this.clock.lap("partition");
    this.clock.count("partition", node.end - node.start);
    if (nLeft !== sp.cL) throw new Error(`gbdt internal error: split of node ${node.id} moved ${nLeft} rows left, its histogram counted ${sp.cL}`);
    let histL: Float64Array | null = null;
    let histR: Float64Array | null = null;
    const parentHist = node.hist!;
    node.hist = null;
    if (needHist) {
      // the smaller child's rows are now contiguous: histogram them, derive the larger child's
      const mid = node.start + nLeft;
      // with shared searches the search job that follows merges its blocks too
      const small = smallerLeft ? this.histogram(node.start, mid, false, gBase, false, this.sharedSearch) : this.histogram(mid, node.end, false, gBase, false, this.sharedSearch);
      // with shared searches the larger child's search job subtracts, each task its own features
      if (!this.sharedSearch) kernelsOf(st).subtract(small, 0, parentHist, 0, st.histSize);
      this.clock.lap("subtract");
      if (smallerLeft) {
        histL = small;
        histR = parentHist;
      } else {
        histL = parentHist;
        histR = small;
      }
    } else this.free.push(parentHist);
    // record the split
    const id = node.id;
    tree.feature[id] = f;
    tree.bin[id] = sp.bin;
    tree.defaultLeft[id] = sp.defaultLeft ? 1 : 0;
    tree.isCat[id] = sp.isCat ? 1 : 0;
    for (let w = 0; w < BITSET_WORDS; w++) tree.bits[id * BITSET_WORDS + w] = sp.bits[w];
    tree.gain[id] = objectiveDrop(node.G, node.H, sp.gL, sp.hL, sp.vL, sp.gR, sp.hR, sp.vR, this.s.l2, node.lo, node.hi);
    // children's value bounds (monotonic constraints)
    let loL = node.lo;
    let hiL = node.hi;
    let loR = node.lo;
    let hiR = node.hi;
    const mono = this.ctx.monotonic[f];
    if (mono !== 0) {
      const mid = (sp.vL + sp.vR) / 2;
      if (mono > 0) {
        hiL = Math.min(hiL, mid);
        loR = Math.max(loR, mid);
      } else {
        loL = Math.max(loL, mid);
        hiR = Math.min(hiR, mid);
      }
    }
    const minusL = this.sharedSearch && !smallerLeft ? histR : null;
    const minusR = this.sharedSearch && smallerLeft ? histL : null;
    const l: GrowNode = { id: tree.addNode(sp.vL, sp.cL, sp.hL, loL, hiL), start: node.start, end: node.start + nLeft, depth, G: sp.gL, H: sp.hL, C: sp.cL, value: sp.vL, lo: loL, hi: hiL, hist: wantL ? histL : null, minus: wantL ? minusL : null, split: null, gain: 0 };
    const r: GrowNode = { id: tree.addNode(sp.vR, sp.cR, sp.hR, loR, hiR), start: node.start + nLeft, end: node.end, depth, G: sp.gR, H: sp.hR, C: sp.cR, value: sp.vR, lo: loR, hi: hiR, hist: wantR ? histR : null, minus: wantR ? minusR : null, split: null, gain: 0 };
    if (!wantL && histL) this.free.push(histL);
    if (!wantR && histR) this.free.push(histR);
    tree.left[id] = l.id;
    tree.right[id] = r.id;
    this.spare.push(sp);
    node.split = null;
    this.clock.lap("other");
    return [l, r];
  }

  /**
   * Split the features into groups for feature-group and search jobs: three per thread, largest
   * first (`featureGroupBounds`), so the threads claiming them in turn end together — with equal
   * groups of 8, 7, 8, 7 features one thread took 16 and the other 14 in every search.
   */
  private featureGroups(): number {
    if (this.nGroups > 0) return this.nGroups;
    const st = this.engine.state;
    const G = Math.max(1, Math.min(st.p, SEARCH_GROUPS_MAX, this.engine.threads === 1 ? 1 : 3 * this.engine.threads));
    st.groups.set(featureGroupBounds(st.p, G));
    this.nGroups = G;
    return G;
  }

  /**
   * The histogram of the rows at positions a..b−1 of the partition (`dense`: rows a..b−1
   * themselves), in a node histogram: small nodes add their rows in row order; bigger ones one
   * histogram per block (the first block's straight into the node's, the others' into partials),
   * summed in block order.
   */
  private histogram(a: number, b: number, dense: boolean, gBase: number, noCounts = false, deferMerge = false): Float64Array {
    const st = this.engine.state;
    const job = st.job;
    const out = this.free.pop() ?? this.newHistogram();
    const at = this.offsetOf(out);
    this.clock.count("histogram", (b - a) * st.p);
    if (!dense && b - a < NODE_BLOCK_MIN_ROWS) {
      // one task per feature group over all the node's rows, no partials to merge. Each feature's
      // bins are summed in row order whatever the grouping, so the thread count (which sets the
      // groups) cannot change a bit; the node size alone picks this mode.
      if (this.engine.threads === 1 || b - a < HIST_TINY_ROWS) {
        // one thread, or a tiny node: all features at once on this thread, without a dispatch
        kernelsOf(st).clear(out, 0, out.length);
        kernelsOf(st).rows(st.bins, st.g, st.h, gBase, st.rows, a, b, out, 0);
        this.clock.lap("histogram");
        return out;
      }
      const nGroups = this.featureGroups();
      job.fill(0);
      job[0] = JOB_HIST_GROUPS;
      job[1] = a;
      job[2] = b;
      job[4] = gBase;
      job[5] = at;
      this.engine.run(nGroups);
      this.clock.lap("histogram");
      return out;
    }
    job.fill(0);
    job[0] = JOB_HISTOGRAM;
    job[1] = a;
    job[2] = b;
    job[3] = dense ? 1 : 0;
    job[4] = gBase;
    job[5] = noCounts ? 1 : 0;
    // all rows (dense): the gradient job's blocks (see `rootPartials`); a listed node: balanced blocks
    const { count: nb, length } = dense ? { count: Math.ceil((b - a) / st.blockSize), length: st.blockSize } : nodeBlocks(b - a, st.blockSize);
    job[6] = length;
    job[7] = at;
    this.engine.run(nb);
    this.clock.lap("histogram");
    if (deferMerge) this.pending = { hist: out, blocks: nb };
    else this.merge(out, nb, 1);
    return out;
  }

  /** Where node histogram `h` starts in `nodeHists`, in doubles. */
  private offsetOf(h: Float64Array): number {
    return (h.byteOffset - this.engine.state.nodeHists.byteOffset) / 8;
  }

  /** A node histogram not handed out before (the histogram kernels write only into the state's memory). */
  private newHistogram(): Float64Array {
    const st = this.engine.state;
    const k = this.handedOut++;
    if (k >= NODE_HISTOGRAMS(st.maxLeaves)) throw new Error(`gbdt internal error: a tree holds more than ${NODE_HISTOGRAMS(st.maxLeaves)} node histograms at once`);
    return st.nodeHists.subarray(k * st.histSize, (k + 1) * st.histSize);
  }

  /**
   * Add the partial histograms of blocks `first`..nb−1 (in block order) into `out`; `first` 0: `out`
   * becomes their sum, 1: block 0's histogram is already in `out`.
   */
  private merge(out: Float64Array, nb: number, first: 0 | 1): void {
    const st = this.engine.state;
    if (nb - first <= 1) {
      if (first === 0 && nb === 1) out.set(st.partial.subarray(0, st.histSize));
      else if (first === 0) kernelsOf(st).clear(out, 0, out.length);
      else if (nb === 2) kernelsOf(st).accumulate(st.partial, st.histSize, out, 0, st.histSize);
      this.clock.lap("merge");
      return;
    }
    const job = st.job;
    job.fill(0);
    job[0] = JOB_MERGE;
    job[1] = nb;
    // slices only cut the work (each slot's sum is over the blocks in order whatever the slice):
    // about four per thread, so no thread waits on one big last slice
    const slice = this.engine.threads === 1 ? st.histSize : Math.max(MERGE_SLICE_MIN, Math.ceil(st.histSize / (4 * this.engine.threads)));
    job[2] = slice;
    job[3] = this.offsetOf(out);
    job[4] = first;
    this.engine.run(Math.ceil(st.histSize / slice));
    this.clock.lap("merge");
  }

  /** The root's histogram from the per-block partials the gradient job left (blocks 0..nb−1). */
  private mergeBlocks(nb: number): Float64Array {
    const out = this.free.pop() ?? this.newHistogram();
    this.merge(out, nb, 0);
    return out;
  }
}
