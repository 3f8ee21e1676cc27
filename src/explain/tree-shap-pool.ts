/**
 * TreeSHAP on worker threads (the worker runtime's chunk sessions, `core/chunks.ts`): the model's
 * tables are planned once on the calling thread (`planTreeShap`), then the rows are cut into chunks
 * of whole row blocks that the calling thread and up to `threads − 1` pool workers claim. Each
 * worker rebuilds the model from its saved state and the rows from their columns, so it routes
 * rows exactly as the calling thread does; every row's values are written to its own slot of a
 * shared output, summed over the trees in the same order on any thread — so the result is the
 * same, bit for bit, with any number of threads.
 */
import { ChunkSession, MAX_CHUNKS, availableThreads, InvalidInputError } from "../core/index.js";
import type { Column, Frame } from "../data/index.js";
import { type HasTreeView, hasTreeView, type Fitted, type ModelArtifact } from "../estimator/index.js";
import { type TreeShapPlan, type TreeShapResult, planTreeShap, treeShapBlock, treeShapBlockRows, treeShapRows, treeShapScratch } from "./tree-shap.js";

/** Row blocks per claimed chunk (views without bins, whose blocks are small). */
const BLOCKS_PER_CHUNK = 4;
/** Fewer rows than this are explained on the calling thread. */
export const PARALLEL_SHAP_ROWS = 512;

/** What each worker receives: the model's saved state, the rows' columns, the plan, the shared rows and output. */
export interface TreeShapJob {
  artifact: ModelArtifact;
  columns: [string, Column][];
  nRows: number;
  plan: TreeShapPlan;
  rows: Int32Array;
  values: Float64Array;
  chunkRows: number;
}

/** A worker's (or the calling thread's) runner of chunk k: rows [k·chunkRows, (k+1)·chunkRows) in blocks. */
export function treeShapChunkRunner(view: ReturnType<HasTreeView["treeView"]>, job: Pick<TreeShapJob, "plan" | "rows" | "values" | "chunkRows">): (k: number) => void {
  const scratch = treeShapScratch(view, job.plan);
  const block = treeShapBlockRows(view);
  return (k) => {
    const end = Math.min(job.rows.length, (k + 1) * job.chunkRows);
    for (let r0 = k * job.chunkRows; r0 < end; r0 += block) treeShapBlock(view, job.plan, job.rows, r0, Math.min(end, r0 + block), job.values, scratch);
  };
}

const KERNEL = new URL("./tree-shap-kernel.js", import.meta.url);

/**
 * SHAP values of `data`'s rows for a tree model (decision tree, forest, GBDT: anything with a
 * `treeView`) on up to `threads` threads (default: all available). Equal to `treeShap(model.treeView(data))`.
 *
 * @example
 * const shap = await treeShapParallel(model, rows, { threads: 2 });   // shap.values: rows × outputs × features
 */
export async function treeShapParallel(model: Fitted, data: Frame, options: { rows?: Int32Array; threads?: number; plan?: TreeShapPlan } = {}): Promise<TreeShapResult> {
  if (!hasTreeView(model)) throw new InvalidInputError(`model ${JSON.stringify(model.spec.kind)} has no trees`, { path: "model", expected: "a tree, forest or gbdt model", received: model.spec.kind });
  const view = model.treeView(data);
  const rows = treeShapRows(view, options.rows);
  const plan = options.plan ?? planTreeShap(view);
  const M = view.featureNames.length;
  const K = view.nOutputs;
  const n = rows.length;
  const threads = Math.max(1, Math.floor(options.threads ?? availableThreads()));
  // binned views have large blocks (one per chunk); others take a few small blocks per chunk
  const chunkRows = treeShapBlockRows(view) * (view.binned ? 1 : BLOCKS_PER_CHUNK);
  const chunks = Math.ceil(n / chunkRows);
  const parallel = threads > 1 && n >= PARALLEL_SHAP_ROWS && chunks > 1 && chunks < MAX_CHUNKS;
  const values = parallel ? new Float64Array(new SharedArrayBuffer(Math.max(8, n * K * M * 8)), 0, n * K * M) : new Float64Array(n * K * M);
  const result: TreeShapResult = { featureNames: view.featureNames, nOutputs: K, nRows: n, values, baseValues: plan.baseValues, link: view.link };
  if (!parallel) {
    const run = treeShapChunkRunner(view, { plan, rows, values, chunkRows });
    for (let k = 0; k < chunks; k++) run(k);
    return result;
  }
  const sharedRows = new Int32Array(new SharedArrayBuffer(Math.max(8, n * 4)), 0, n);
  sharedRows.set(rows);
  const job: TreeShapJob = { artifact: model.save(), columns: [...data.entries()], nRows: data.nRows, plan, rows: sharedRows, values, chunkRows };
  const session = ChunkSession.open(KERNEL, job, threads);
  try {
    await session.started().catch(() => undefined);
    session.run(chunks, treeShapChunkRunner(view, job));
  } finally {
    void session.close();
  }
  return result;
}
