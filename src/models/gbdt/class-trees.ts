/**
 * The class trees of a multiclass (softmax) iteration grown at once, in whole rounds of one per
 * thread (the K mod threads left over grow one at a time on every thread). Given the iteration's
 * gradients and hessians the trees are independent (Friedman 2001, Algorithm 6: each class's tree
 * fits its own gradients), so the job has one task per class: the thread that claims it grows the
 * whole tree alone — the same `Grower` as ever, over a one-thread engine — in a *tree slot* of the
 * shared state (its own partition, scratch, partials and node histograms; state.ts). A thread
 * claims one slot for the whole fit, so slots are bounded by the thread count, not K.
 *
 * Everything a task needs is in shared memory: the split context (the state's, see
 * `splitContextOf`) and grow settings (`growConf`), written once per fit, each class's feature mask (`growMasks`, drawn by the main thread from the
 * fit's rng in class order before the job, as the one-tree-at-a-time loop draws them) and, when
 * rows are subsampled, the iteration's sample (the main state's `rows`). The task writes its tree
 * into `growOut` and adds its shrunk leaf values to its class's raw scores of the rows it grew on
 * (different classes write different scores). A one-thread engine partitions and sums exactly as
 * every engine does (histograms in block order, rows in order), so the trees, and the model, are
 * bit-identical to growing them one after another.
 */
import { LocalEngine, type SharedEngine } from "./engine.js";
import { type GrowSettings, GrownTree, Grower } from "./grow.js";
import { PhaseClock } from "./phases.js";
import { BITSET_WORDS, type SplitContext } from "./split.js";
import { GROWN_NODE_WORDS, type TrainState, grownTreeWords, slotState } from "./state.js";
import { JOB_GROW_TREES, splitContextOf } from "./tasks.js";

let concurrent = true;

/**
 * Whether multiclass fits on worker threads grow an iteration's class trees at once (the
 * default), or one after another with every thread on each tree — the same model either way;
 * off is for comparing the two.
 * @example
 * setConcurrentClassTrees(false); // grow class trees one at a time in this thread's next fits
 */
export function setConcurrentClassTrees(on: boolean): void {
  concurrent = on;
}

/**
 * See `setConcurrentClassTrees`.
 * @example
 * if (classTreesConcurrent()) slots = threads;
 */
export function classTreesConcurrent(): boolean {
  return concurrent;
}

/**
 * Write the fit's grow settings into the state's `growConf`, before the first class-tree job (the
 * split context — bins, categorical and missing flags, monotonic constraints, λ, minSamplesLeaf,
 * minHessian — is already in the state, see `splitContextOf`). `m`: rows each tree grows on (the
 * main state's `rows[0..m)` when `dense` is false; rows 0..m−1 when true).
 * @example
 * publishClassTrees(state, { maxLeaves: 31, maxDepth: 1e9, minSamplesLeaf: 20, minHessian: 1e-3, l2: 0 }, 0.1, n, true);
 */
export function publishClassTrees(st: TrainState, s: GrowSettings, learningRate: number, m: number, dense: boolean): void {
  if (!st.slots) throw new Error("gbdt internal error: class trees need a state with tree slots");
  const c = st.growConf;
  c[0] = s.maxLeaves;
  c[1] = s.maxDepth;
  c[2] = learningRate;
  c[3] = m;
  c[4] = dense ? 1 : 0;
  const sc = st.splitConf;
  if (sc[0] !== s.l2 || sc[1] !== s.minSamplesLeaf || sc[2] !== s.minHessian) throw new Error("gbdt internal error: the state's split settings differ from the grow settings");
}

/**
 * Grow the trees of classes 0..count−1 at once, one task per class (their masks already in
 * `growMasks`, the sample in `rows` when subsampled), and return them in class order. The
 * training loop passes whole rounds (a multiple of the thread count) and grows the remaining
 * K mod threads trees one at a time on every thread: with K = 5 on 2 threads a third round here
 * would leave a thread idle for a whole tree, and since the shared engine's splits went to fewer,
 * balanced jobs, growing that tree on both threads is faster (multiclass bench, 2 threads, 6
 * warm fits each, alternating: 5.61–6.35 s against 6.19–6.54 s, the same CPU).
 * @example
 * const trees = growClassTrees(engine, 4); // trees[k]: class k's tree, its leaves already added to raw[·, k]
 */
export function growClassTrees(engine: SharedEngine, count = engine.state.K): GrownTree[] {
  const st = engine.state;
  st.job.fill(0);
  st.job[0] = JOB_GROW_TREES;
  engine.run(count, (k) => growClassTreeTask(st, k));
  const words = grownTreeWords(st.maxLeaves);
  return Array.from({ length: count }, (_, k) => readTree(st.growOut, k * words));
}

interface TreeSlot {
  /** The slot's buffers as a state. */
  st: TrainState;
  grower: Grower;
  ctx: SplitContext;
}

/** This thread's tree slot, per state (a fit's state object lives in one thread). */
const slotOf = new WeakMap<TrainState, TreeSlot>();

function claimSlot(s: TrainState): TreeSlot {
  let t = slotOf.get(s);
  if (t) return t;
  const slot = Atomics.add(s.slotClaims, 0, 1);
  if (slot >= (s.slots ?? 0)) throw new Error(`gbdt internal error: more threads grow class trees than the state's ${s.slots ?? 0} tree slots`);
  const st = slotState(s, slot);
  const c = s.growConf;
  // the state's split context, but with the feature mask of the class being grown
  const ctx: SplitContext = { ...splitContextOf(s), allowed: s.growMasks.subarray(0, s.p) };
  const settings: GrowSettings = { maxLeaves: c[0], maxDepth: c[1], minSamplesLeaf: ctx.minSamplesLeaf, minHessian: ctx.minHessian, l2: ctx.l2 };
  t = { st, grower: new Grower(new LocalEngine(st), ctx, settings, new PhaseClock(false)), ctx };
  slotOf.set(s, t);
  return t;
}

/**
 * One task of a class-tree job (the `JOB_GROW_TREES` of tasks.ts), on any thread: grow class
 * k's tree in this thread's slot, write it to `growOut`, and add its shrunk leaf values to
 * raw[row, k] of its rows — in row order, one addition per row, as the `LEAF_OF` and `RAW` jobs do.
 * @example
 * growClassTreeTask(state, 2); // grows class 2's tree
 */
export function growClassTreeTask(s: TrainState, k: number): void {
  const { st, grower, ctx } = claimSlot(s);
  const c = s.growConf;
  const { n, p, K } = s;
  const m = c[3] | 0;
  const dense = c[4] === 1;
  const rows = st.rows;
  if (dense) for (let i = 0; i < m; i++) rows[i] = i;
  else rows.set(s.rows.subarray(0, m));
  ctx.allowed = s.growMasks.subarray(k * p, (k + 1) * p);
  const tree = grower.grow(k * n, m, dense);
  writeTree(tree, s.growOut, k * grownTreeWords(s.maxLeaves));
  const nLeaves = tree.leafNode.length;
  const value = new Float64Array(nLeaves);
  const leafOf = st.leafOf;
  for (let j = 0; j < nLeaves; j++) {
    value[j] = tree.value[tree.leafNode[j]] * c[2];
    for (let i = tree.leafStart[j]; i < tree.leafEnd[j]; i++) leafOf[rows[i]] = j;
  }
  const raw = s.raw;
  for (let r = 0; r < n; r++) {
    const leaf = leafOf[r];
    if (leaf >= 0) {
      raw[r * K + k] += value[leaf];
      leafOf[r] = -1;
    }
  }
}

/** Write a grown tree at out[o..) in the layout of `grownTreeWords`. */
function writeTree(t: GrownTree, out: Float64Array, o: number): void {
  const size = t.size;
  const nLeaves = t.leafNode.length;
  out[o] = size;
  out[o + 1] = nLeaves;
  let at = o + 2;
  for (let id = 0; id < size; id++, at += GROWN_NODE_WORDS) {
    out[at] = t.feature[id];
    out[at + 1] = t.bin[id];
    out[at + 2] = t.defaultLeft[id];
    out[at + 3] = t.isCat[id];
    out[at + 4] = t.left[id];
    out[at + 5] = t.right[id];
    out[at + 6] = t.value[id];
    out[at + 7] = t.gain[id];
    out[at + 8] = t.count[id];
    out[at + 9] = t.hessian[id];
    out[at + 10] = t.lower[id];
    out[at + 11] = t.upper[id];
    for (let w = 0; w < BITSET_WORDS; w++) out[at + 12 + w] = t.bits[id * BITSET_WORDS + w];
  }
  for (let j = 0; j < nLeaves; j++, at += 3) {
    out[at] = t.leafNode[j];
    out[at + 1] = t.leafStart[j];
    out[at + 2] = t.leafEnd[j];
  }
}

/** The tree `writeTree` wrote at out[o..). */
function readTree(out: Float64Array, o: number): GrownTree {
  const t = new GrownTree();
  const size = out[o];
  const nLeaves = out[o + 1];
  let at = o + 2;
  for (let id = 0; id < size; id++, at += GROWN_NODE_WORDS) {
    t.addNode(out[at + 6], out[at + 8], out[at + 9], out[at + 10], out[at + 11]);
    t.feature[id] = out[at];
    t.bin[id] = out[at + 1];
    t.defaultLeft[id] = out[at + 2];
    t.isCat[id] = out[at + 3];
    t.left[id] = out[at + 4];
    t.right[id] = out[at + 5];
    t.gain[id] = out[at + 7];
    for (let w = 0; w < BITSET_WORDS; w++) t.bits[id * BITSET_WORDS + w] = out[at + 12 + w];
  }
  for (let j = 0; j < nLeaves; j++, at += 3) {
    t.leafNode.push(out[at]);
    t.leafStart.push(out[at + 1]);
    t.leafEnd.push(out[at + 2]);
  }
  return t;
}
