/**
 * TreeSHAP on worker threads (the worker runtime's chunk sessions, `core/chunks.ts`).
 *
 * Views with bins (GBDT): the calling thread only lays out the plan (every tree's kind, one cheap
 * pass); the chunks are the fixed tree groups of `treeShapGroups` over a span of rows, and the
 * thread that claims a group builds its trees' tables (if it has not already) and explains the
 * span's rows for those trees into the group's own slot; the calling thread then adds the groups'
 * sums in group order. So building the tables overlaps with other threads' row work instead of
 * preceding it. The workers get the model's arrays on shared memory (copied once per model) and
 * keep each model's plan across calls (`tree-shap-kernel.ts`, keyed by the model's identity; it
 * loads no model code).
 *
 * Views without bins (trees, forests): the plan is built on the calling thread, the rows are cut
 * into chunks of whole row blocks, and each worker rebuilds the model from its saved state (kept
 * across calls, `tree-shap-model-kernel.ts`) and the rows from their columns, so it routes rows exactly as the calling thread does.
 *
 * Either way every row's values are summed in `treeShap`'s order, so the result is the same, bit
 * for bit, with any number of threads.
 */
import { ChunkSession, MAX_CHUNKS, availableThreads, InvalidInputError } from "../core/index.js";
import type { Column, Frame } from "../data/index.js";
import { type TreeEnsembleView, hasTreeView, type Fitted, type ModelArtifact } from "../estimator/index.js";
import { type TreeShapPlan, type TreeShapResult, layoutTreeShap, planTree, planTreeShap, treeShapBlock, treeShapBlockRows, treeShapGroups, treeShapRange, treeShapRows, treeShapScratch } from "./tree-shap.js";

/** Row blocks per claimed chunk (views without bins, whose blocks are small). */
const BLOCKS_PER_CHUNK = 4;
/** Fewer rows than this are explained on the calling thread. */
export const PARALLEL_SHAP_ROWS = 512;
/** Values held per span for the groups' sums (8 bytes each): rows per span = this / (groups × outputs × features). */
const SPAN_VALUES = 4_000_000;

/** A view's model arrays as a worker rebuilds the view from them (typed arrays on shared memory). */
export interface SharedTreeView {
  featureNames: readonly string[];
  nOutputs: number;
  nTrees: number;
  treeRoot: Int32Array;
  treeOutput: Int32Array;
  treeScale: number;
  feature: Int32Array;
  left: Int32Array;
  right: Int32Array;
  cover: Float64Array;
  value: Float64Array;
  valueStride: number;
  base: Float64Array;
  link: TreeEnsembleView["link"];
  leftCodes: Uint32Array;
}

/** What each worker receives. */
export interface TreeShapJob {
  /** The model's identity in this process: the key of the workers' caches. */
  modelId: string;
  rows: Int32Array;
  values: Float64Array;
  /** Views with bins: the model's arrays, the rows' codes, the plan's kinds, the groups' sums and the current span `[s0, s1)`. */
  shared?: SharedTreeView;
  codes?: Uint8Array;
  nRows: number;
  kinds?: Int8Array;
  groupOut?: Float64Array;
  spanRows?: number;
  span?: Int32Array;
  /** Views without bins: the model's saved state, the rows' columns, the whole plan, rows per chunk. */
  artifact?: ModelArtifact;
  columns?: [string, Column][];
  plan?: TreeShapPlan;
  chunkRows?: number;
}

/** A worker's (or the calling thread's) runner of row chunk k: rows [k·chunkRows, (k+1)·chunkRows) in blocks. */
export function treeShapChunkRunner(view: TreeEnsembleView, plan: TreeShapPlan, job: Pick<TreeShapJob, "rows" | "values"> & { chunkRows: number }): (k: number) => void {
  const scratch = treeShapScratch(view, plan);
  const block = treeShapBlockRows(view);
  const groups = treeShapGroups(view.nTrees);
  return (k) => {
    const end = Math.min(job.rows.length, (k + 1) * job.chunkRows);
    for (let r0 = k * job.chunkRows; r0 < end; r0 += block) treeShapBlock(view, plan, job.rows, r0, Math.min(end, r0 + block), job.values, groups, scratch);
  };
}

/** A worker's (or the calling thread's) runner of group g over the current span: its trees' sums into the group's slot of `groupOut`. */
export function treeShapGroupRunner(view: TreeEnsembleView, plan: TreeShapPlan, job: Pick<TreeShapJob, "rows"> & { groupOut: Float64Array; spanRows: number; span: Int32Array }): (g: number) => void {
  const scratch = treeShapScratch(view, plan);
  const block = treeShapBlockRows(view);
  const groups = treeShapGroups(view.nTrees);
  const KM = view.nOutputs * view.featureNames.length;
  return (g) => {
    if (process.env.KEEL_SHAP_TRACE) console.error(`group ${g} on ${(globalThis as any).process?.pid}:${require('node:worker_threads').threadId}`);
    const s0 = job.span[0];
    const s1 = job.span[1];
    const out = job.groupOut.subarray(g * job.spanRows * KM, (g * job.spanRows + (s1 - s0)) * KM);
    out.fill(0);
    for (let r0 = s0; r0 < s1; r0 += block) treeShapRange(view, plan, job.rows, r0, Math.min(s1, r0 + block), out, s0, groups[g], groups[g + 1], scratch);
  };
}

/** The view a worker makes from the shared arrays and the rows' codes (routing by bins only). */
export function viewOfShared(s: SharedTreeView, codes: Uint8Array, nRows: number): TreeEnsembleView {
  return {
    ...s,
    nRows,
    binned: { codes, leftCodes: s.leftCodes },
    goesLeft() {
      throw new Error("TreeSHAP worker: this view routes by bins only");
    },
  };
}

const KERNEL = new URL("./tree-shap-kernel.js", import.meta.url);
const MODEL_KERNEL = new URL("./tree-shap-model-kernel.js", import.meta.url);

let nextModel = 0;
/** Per model object: its identity, and its arrays on shared memory (made on the first call with bins). */
const known = new WeakMap<object, { id: string; shared?: SharedTreeView }>();

function onShared<T extends Int32Array | Uint32Array | Float64Array>(a: T): T {
  const C = a.constructor as { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number };
  const out = new C(new SharedArrayBuffer(Math.max(8, a.length * C.BYTES_PER_ELEMENT)));
  (out as unknown as { set(x: T): void }).set(a);
  return (out as unknown as { subarray(a: number, b: number): T }).subarray(0, a.length);
}

/** A view's model arrays copied to shared memory (views with bins), as workers take them. */
export function sharedViewOf(v: TreeEnsembleView): SharedTreeView {
  return {
    featureNames: [...v.featureNames],
    nOutputs: v.nOutputs,
    nTrees: v.nTrees,
    treeRoot: onShared(v.treeRoot),
    treeOutput: onShared(v.treeOutput),
    treeScale: v.treeScale,
    feature: onShared(v.feature),
    left: onShared(v.left),
    right: onShared(v.right),
    cover: onShared(v.cover),
    value: onShared(v.value),
    valueStride: v.valueStride,
    base: onShared(v.base),
    link: v.link,
    leftCodes: onShared(v.binned!.leftCodes),
  };
}

/**
 * SHAP values of `data`'s rows for a tree model (decision tree, forest, GBDT: anything with a
 * `treeView`) on up to `threads` threads (default: all available). Equal, bit for bit, to
 * `treeShap(model.treeView(data))`.
 *
 * @example
 * const shap = await treeShapParallel(model, rows, { threads: 2 });   // shap.values: rows × outputs × features
 */
export async function treeShapParallel(model: Fitted, data: Frame, options: { rows?: Int32Array; threads?: number; plan?: TreeShapPlan } = {}): Promise<TreeShapResult> {
  if (!hasTreeView(model)) throw new InvalidInputError(`model ${JSON.stringify(model.spec.kind)} has no trees`, { path: "model", expected: "a tree, forest or gbdt model", received: model.spec.kind });
  const view = model.treeView(data);
  const rows = treeShapRows(view, options.rows);
  const M = view.featureNames.length;
  const K = view.nOutputs;
  const KM = K * M;
  const n = rows.length;
  const threads = Math.max(1, Math.floor(options.threads ?? availableThreads()));
  const block = treeShapBlockRows(view);
  const groups = treeShapGroups(view.nTrees);
  const G = groups.length - 1;
  // binned views: chunks are tree groups over spans of rows; others: chunks of a few small row blocks
  const chunkRows = block * BLOCKS_PER_CHUNK;
  const parallel = threads > 1 && n >= PARALLEL_SHAP_ROWS && (view.binned ? G > 1 : n > chunkRows && Math.ceil(n / chunkRows) < MAX_CHUNKS);
  const values = parallel ? new Float64Array(new SharedArrayBuffer(Math.max(8, n * KM * 8)), 0, n * KM) : new Float64Array(n * KM);
  if (!parallel) {
    const plan = options.plan ?? layoutTreeShap(view);
    const run = treeShapChunkRunner(view, plan, { rows, values, chunkRows });
    for (let k = 0; k * chunkRows < n; k++) run(k);
    return { featureNames: view.featureNames, nOutputs: K, nRows: n, values, baseValues: plan.baseValues, link: view.link };
  }
  let entry = known.get(model);
  if (!entry) known.set(model, (entry = { id: `m${++nextModel}` }));
  const sharedRows = new Int32Array(new SharedArrayBuffer(Math.max(8, n * 4)), 0, n);
  sharedRows.set(rows);
  let plan: TreeShapPlan;
  let job: TreeShapJob;
  if (view.binned) {
    plan = options.plan ?? layoutTreeShap(view);
    entry.shared ??= sharedViewOf(view);
    const codes = new Uint8Array(new SharedArrayBuffer(Math.max(8, view.binned.codes.length)), 0, view.binned.codes.length);
    codes.set(view.binned.codes);
    const spanRows = Math.max(block, Math.floor(SPAN_VALUES / (G * KM) / block) * block);
    const groupOut = new Float64Array(new SharedArrayBuffer(Math.max(8, G * Math.min(spanRows, n) * KM * 8)));
    job = { modelId: entry.id, rows: sharedRows, values, shared: entry.shared, codes, nRows: view.nRows, kinds: plan.kinds, groupOut, spanRows: Math.min(spanRows, n), span: new Int32Array(new SharedArrayBuffer(8)) };
  } else {
    // every worker reads every tree: all are built here, before the rows
    plan = options.plan ?? planTreeShap(view);
    for (let t = 0; t < view.nTrees; t++) planTree(view, plan, t);
    job = { modelId: entry.id, rows: sharedRows, values, nRows: data.nRows, artifact: model.save(), columns: [...data.entries()], plan, chunkRows };
  }
  const session = ChunkSession.open(view.binned ? KERNEL : MODEL_KERNEL, job, threads);
  try {
    await session.started().catch(() => undefined);
    if (view.binned) {
      const { span, groupOut, spanRows } = job as Required<TreeShapJob>;
      const run = treeShapGroupRunner(view, plan, { rows: sharedRows, groupOut, spanRows, span });
      for (let s0 = 0; s0 < n; s0 += spanRows) {
        const s1 = Math.min(n, s0 + spanRows);
        span[0] = s0;
        span[1] = s1;
        session.run(G, run);
        // the groups' sums, added in group order
        const len = (s1 - s0) * KM;
        const at = s0 * KM;
        for (let g = 0; g < G; g++) {
          const o = g * spanRows * KM;
          for (let x = 0; x < len; x++) values[at + x] += groupOut[o + x];
        }
      }
    } else session.run(Math.ceil(n / chunkRows), treeShapChunkRunner(view, plan, { rows: sharedRows, values, chunkRows }));
  } finally {
    void session.close();
  }
  return { featureNames: view.featureNames, nOutputs: K, nRows: n, values, baseValues: plan.baseValues, link: view.link };
}
