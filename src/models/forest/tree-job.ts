/**
 * Building one tree of a forest from shared training data and the tree's own random state
 * (Breiman, "Random forests", Machine Learning 2001; Geurts et al., "Extremely randomized
 * trees", 2006). The same function runs on the main thread and in worker threads, and a tree
 * depends only on its state, so a forest is the same whatever the thread count.
 */
import { type Json, Rng } from "../../core/index.js";
import { classWeights, growTree, pruneTree, resolveGrowSettings, type GrowData, type TreeArrays } from "../tree/index.js";

/** Everything the trees of one fit share (typed arrays on SharedArrayBuffers when threads are used). */
export interface ForestData extends GrowData {
  /** Per-row weight before bootstrap: sample weight × class weight. */
  weight: Float64Array;
  classes: string[] | null;
}

export interface ForestJob {
  data: ForestData;
  params: Record<string, Json>;
  random: boolean;
  bootstrap: boolean;
  /** Rows drawn per bootstrap sample. */
  draws: number;
  /** "balanced_subsample": class weights recomputed on each bootstrap sample. */
  subsampleClassWeight: boolean;
}

/**
 * How many times each row is drawn in a bootstrap sample of `draws` rows out of `n` (uniform,
 * with replacement). The first draws a tree's generator makes, so they can be replayed.
 */
export function bootstrapCounts(rng: Rng, n: number, draws: number): Int32Array {
  const counts = new Int32Array(n);
  for (let i = 0; i < draws; i++) counts[rng.int(n)]++;
  return counts;
}

/** Build the tree whose generator state is `state`. */
export function buildTree(job: ForestJob, state: readonly [number, number, number, number]): TreeArrays {
  const { data, params } = job;
  const rng = Rng.fromState(state);
  const n = data.n;
  let weight = data.weight;
  if (job.bootstrap) {
    const counts = bootstrapCounts(rng, n, job.draws);
    weight = new Float64Array(n);
    for (let i = 0; i < n; i++) weight[i] = data.weight[i] * counts[i];
    if (job.subsampleClassWeight && data.yClass && data.classes) {
      const cw = classWeights("balanced", data.yClass, data.classes, counts);
      for (let i = 0; i < n; i++) weight[i] *= cw[data.yClass[i]];
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += weight[i];
  const settings = resolveGrowSettings(params, n, data.p, total, job.random);
  const tree = growTree(data, weight, settings, rng);
  const alpha = params.ccpAlpha as number;
  return alpha > 0 ? pruneTree(tree, alpha, data.nCats) : tree;
}
