/**
 * The boosting loop (Friedman 2001; Newton steps as Chen & Guestrin 2016): bin the features, start
 * every row at the loss's optimal constant, then per iteration compute gradients and hessians,
 * grow one tree per raw score on them, shrink its leaves by the learning rate and add it to the
 * scores — reporting the training (and validation) loss after each iteration and stopping early
 * when the validation loss stops improving.
 */
import { CancelledError, emit, type Rng, runTask } from "../../core/index.js";
import { addBinnedTree, binnedTree } from "./binned-tree.js";
import type { BinTask } from "./bin-task.js";
import { type Binning, type FeatureBins, assembleBinning, binColumn, binRows, binningSample, columnLength, featureBins, fitFeatureBins } from "./binning.js";
import { classTreesConcurrent, growClassTrees, publishClassTrees } from "./class-trees.js";
import { bestIteration, shouldStop } from "./early-stopping.js";
import { type Engine, LocalEngine, SharedEngine } from "./engine.js";
import type { FeatureColumn, FeatureLayout } from "./features.js";
import { type Forest, ForestBuilder } from "./forest.js";
import { type GrowSettings, type GrownTree, Grower } from "./grow.js";
import { PhaseClock, formatPhaseProfile } from "./phases.js";
import { histLayout } from "./histogram.js";
import { type LossSpec, baselineScore, gradientBlock, lossConstant, residualConstant } from "./losses.js";
import type { GbdtSettings } from "./params.js";
import { sampleFeatures, sampleRows } from "./sampling.js";
import { MIN_BLOCK, allocState } from "./state.js";
import { JOB_GRADIENTS, JOB_LEAF_OF, JOB_RAW, JOB_ROW_MAJOR, splitContextOf } from "./tasks.js";

export interface TrainData {
  cols: FeatureColumn[];
  /** Class index (classification) or target value. */
  y: Float64Array;
  /** Per-row weights, or empty. */
  w: Float64Array;
}

export interface TrainSetup {
  layout: FeatureLayout;
  settings: GbdtSettings;
  loss: LossSpec;
  rng: Rng;
  threads: number;
  train: TrainData;
  /** Rows scored after every iteration (early stopping and the validation history). */
  valid: TrainData | null;
  earlyStop: boolean;
  /** Checked between iterations. */
  signal?: AbortSignal;
}

export interface TrainResult {
  binning: Binning;
  forest: Forest;
  baseline: Float64Array;
  /** Loss after each kept iteration. */
  historyTrain: Float64Array;
  historyValid: Float64Array | null;
  /** Iterations run (before truncation to the best one). */
  iterationsRun: number;
}

/** Rows from which a fit uses worker threads (two blocks: below that there is nothing to share). */
export const MIN_ROWS_FOR_THREADS = 2 * MIN_BLOCK;

export async function trainGbdt(setup: TrainSetup): Promise<TrainResult> {
  const { layout, settings: s, loss, rng } = setup;
  const { cols, y, w } = setup.train;
  const n = y.length;
  const p = layout.names.length;
  const K = loss.K;
  const clock = new PhaseClock();
  const sample = binningSample(n, s.seed);
  const useThreads = setup.threads > 1 && n >= MIN_ROWS_FOR_THREADS;
  // threaded fits bin the features on pool workers, straight into the shared column-major codes
  const binned = useThreads ? await binOnWorkers(cols, sample, s.maxBins, n, setup.threads) : null;
  const binning = binned ? binned.binning : assembleBinning(cols.map((c) => fitFeatureBins(c, sample, s.maxBins)));
  clock.lap("binning");
  const { hoff, size: histSize } = histLayout(binning.nBins);
  const maxLeaves = Math.max(2, Math.min(s.maxLeaves, Math.floor(n / s.minSamplesLeaf) + 1));
  // multiclass fits on threads grow an iteration's class trees at once, one per thread (class-trees.ts)
  const slots = K > 1 && useThreads && classTreesConcurrent() ? setup.threads : 0;
  const shape = { n, p, K, histSize, hoff, maxLeaves, weighted: w.length > 0, slots };
  // the codes are copied into the state's memory, where the WebAssembly split kernel reads them
  const state = allocState(shape, useThreads);
  if (binned) state.binsCol.set(binned.binsCol);
  let engine: Engine = new LocalEngine(state);
  if (useThreads) {
    try {
      engine = new SharedEngine(state, setup.threads);
    } catch {
      // no worker threads here: one thread it is
    }
  }
  try {
    if (!binned) for (let f = 0; f < p; f++) binColumn(cols[f], featureBins(binning, f), state.binsCol, f * n, 1);
    state.y.set(y);
    if (w.length > 0) state.w.set(w);
    if (engine instanceof SharedEngine) {
      try {
        await engine.started();
      } catch (e) {
        // workers that cannot start (a restricted environment) cost speed, not the fit
        await engine.close();
        engine = new LocalEngine(state);
        emit({ type: "note", message: `gbdt: worker threads failed to start (${(e as Error)?.message ?? e}); training on one thread` });
      }
    }
    clock.lap(binned ? "other" : "binning");
    // the row-major codes histograms read, from the column-major ones, over row blocks
    state.job.fill(0);
    state.job[0] = JOB_ROW_MAJOR;
    engine.run(Math.ceil(n / state.blockSize));
    clock.lap("binning");
    clock.lap("other");
    const result = runBoosting(setup, engine, binning, clock);
    const profile = clock.finish();
    if (profile) emit({ type: "note", message: `gbdt phases (${engine.threads} threads, ${profile.total.toFixed(2)} s wall, ${profile.cpuTotal.toFixed(2)} s cpu): wall ${formatPhaseProfile(profile)}; cpu ${formatPhaseProfile(profile, true)}` });
    return result;
  } finally {
    await engine.close();
  }
}

/** Features per binning task at most: their column copies (4 MB each at 500k rows) exist at once. */
const MAX_BIN_BATCH = 4;

/**
 * Fit every feature's bins and write its codes into a shared column-major matrix: `threads − 1`
 * pool workers take features from the front of the list while this thread takes them one at a
 * time from the back, so workers still starting cost nothing. A worker's first task is one
 * feature (it may still be starting); later ones take a share of what is left (guided
 * self-scheduling, Polychronopoulos & Kuck 1987: ⌈left / 2·threads⌉, at most `MAX_BIN_BATCH`),
 * so a worker waits for the main thread to hand it work a few times per fit, not once per
 * feature. Columns are copied to the worker (the frame keeps its own).
 * Null when the pool cannot run tasks here: the caller then bins on its own thread.
 */
async function binOnWorkers(cols: readonly FeatureColumn[], sample: Int32Array | null, maxBins: number, n: number, threads: number): Promise<{ binning: Binning; binsCol: Uint8Array } | null> {
  const p = cols.length;
  const binsCol = new Uint8Array(new SharedArrayBuffer(Math.max(8, n * p)), 0, n * p);
  let shared: Int32Array | null = null;
  if (sample) {
    shared = new Int32Array(new SharedArrayBuffer(sample.length * 4));
    shared.set(sample);
  }
  const module = new URL("./bin-task.js", import.meta.url);
  const parts = new Array<FeatureBins>(p);
  let front = 0;
  let back = p - 1;
  const helper = async (): Promise<void> => {
    for (let first = true; front <= back; first = false) {
      const f0 = front;
      const take = first ? 1 : Math.min(MAX_BIN_BATCH, Math.ceil((back - front + 1) / (2 * threads)));
      front += take;
      const task: BinTask = { cols: [], sample: shared, maxBins, outs: [] };
      const transferList: ArrayBuffer[] = [];
      for (let f = f0; f < f0 + take; f++) {
        const c = cols[f];
        if (columnLength(c) !== n) throw new Error(`gbdt internal error: feature ${f} has ${columnLength(c)} rows, expected ${n}`);
        const col: FeatureColumn = c.cat ? { cat: true, codes: c.codes.slice(), nCats: c.nCats } : { cat: false, values: c.values.slice() };
        transferList.push((col.cat ? col.codes : col.values).buffer as ArrayBuffer);
        task.cols.push(col);
        task.outs.push(binsCol.subarray(f * n, (f + 1) * n));
      }
      const got = await runTask<BinTask, FeatureBins[]>(module, task, { transferList });
      for (let j = 0; j < take; j++) parts[f0 + j] = got[j];
    }
  };
  const helpers = Array.from({ length: Math.max(1, threads - 1) }, helper);
  const self = async (): Promise<void> => {
    while (front <= back) {
      // let finished helper tasks hand out their next features before this thread takes one
      await new Promise((resolve) => setImmediate(resolve));
      if (front > back) break;
      const f = back--;
      parts[f] = fitFeatureBins(cols[f], shared ?? sample, maxBins);
      await new Promise((resolve) => setImmediate(resolve));
      binColumn(cols[f], parts[f], binsCol, f * n, 1);
    }
  };
  try {
    await Promise.all([...helpers, self()]);
    return { binning: assembleBinning(parts), binsCol };
  } catch (e) {
    back = -1; // this thread stops taking features
    if ((e as Error)?.message?.startsWith("gbdt internal error")) throw e;
    emit({ type: "note", message: `gbdt: binning on worker threads failed (${(e as Error)?.message ?? e}); binning on this thread` });
    return null;
  }
}

function runBoosting(setup: TrainSetup, engine: Engine, binning: Binning, clock: PhaseClock): TrainResult {
  const { layout, settings: s, loss, rng } = setup;
  const st = engine.state;
  const { n, p, K } = st;
  const y = st.y;
  const w = st.w;
  const baseline = baselineScore(loss, y, w);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) st.raw[i * K + k] = baseline[k];
  let sumW = n;
  if (w.length > 0) {
    sumW = 0;
    for (let i = 0; i < n; i++) sumW += w[i];
  }
  const lossConst = lossConstant(loss, y, w);
  // validation rows: binned with the training bins, scored after every iteration
  const valid = setup.valid;
  let vBins: Uint8Array | null = null;
  let vRaw: Float64Array | null = null;
  let vG: Float32Array | null = null;
  let vH: Float32Array | null = null;
  let vSumW = 0;
  let vConst = 0;
  if (valid) {
    const nv = valid.y.length;
    vBins = binRows(valid.cols, binning);
    vRaw = new Float64Array(nv * K);
    for (let i = 0; i < nv; i++) for (let k = 0; k < K; k++) vRaw[i * K + k] = baseline[k];
    vG = new Float32Array(nv * K);
    vH = new Float32Array(nv * K);
    vSumW = valid.w.length > 0 ? valid.w.reduce((a, b) => a + b, 0) : nv;
    vConst = lossConstant(loss, valid.y, valid.w);
  }
  const validLoss = (): number => (gradientBlock(loss.code, loss.param, K, valid!.y, valid!.w, vRaw!, vG!, vH!, valid!.y.length, 0, valid!.y.length) + vConst) / Math.max(vSumW, 1e-300);
  // the split search's context lives in the state's memory, where workers read it too
  st.nBins.set(binning.nBins);
  st.isCat.set(binning.isCat);
  st.hasMissing.set(missingFeatures(st.binsCol, n, binning.nBins));
  st.monotonic.set(layout.monotonic);
  st.splitConf[0] = s.l2;
  st.splitConf[1] = s.minSamplesLeaf;
  st.splitConf[2] = s.minHessian;
  const allowed = st.allowed.fill(1);
  const ctx = splitContextOf(st);
  const growSettings: GrowSettings = { maxLeaves: s.maxLeaves, maxDepth: s.maxDepth, minSamplesLeaf: s.minSamplesLeaf, minHessian: s.minHessian, l2: s.l2 };
  const grower = new Grower(engine, ctx, growSettings, clock);
  const builder = new ForestBuilder(K, binning);
  const gradBlocks = Math.ceil(n / st.blockSize);
  const job = st.job;
  const trainLoss = (rootHistogram = false): number => {
    job.fill(0);
    job[0] = JOB_GRADIENTS;
    job[1] = loss.code;
    job[2] = loss.param;
    job[3] = rootHistogram ? 1 : 0;
    job[4] = rootHistogram && grower.rootCountsKnown ? 1 : 0;
    clock.lap("other");
    engine.run(gradBlocks);
    if (rootHistogram) clock.count("gradients", n * p);
    let tot = lossConst;
    for (let k = 0; k < gradBlocks; k++) tot += st.blockLoss[k];
    clock.lap("gradients");
    return tot / Math.max(sumW, 1e-300);
  };
  const ident = new Int32Array(n);
  for (let i = 0; i < n; i++) ident[i] = i;
  const m = s.subsample < 1 ? Math.max(1, Math.round(s.subsample * n)) : n;
  const sampled = m < n;
  const inSample = sampled ? new Uint8Array(n) : null;
  const outRows = sampled ? new Int32Array(n - m) : null;
  const sample = sampled ? new Int32Array(m) : null;
  // the K trees of an iteration at once, one per thread; one at a time otherwise (the same trees)
  const classTrees = engine instanceof SharedEngine && engine.threads > 1 && (st.slots ?? 0) >= engine.threads && loss.refitQuantile === null ? engine : null;
  if (classTrees) publishClassTrees(st, growSettings, s.learningRate, m, !sampled);
  /** Add a tree (leaf values shrunk in `leafVal`) to the forest. */
  const addTree = (tree: GrownTree, leafVal: Float64Array): void => {
    builder.append(tree, s.learningRate);
    for (let j = 0; j < tree.leafNode.length; j++) builder.setLastLeaf(tree.leafNode[j], leafVal[tree.leafNode[j]]);
  };
  /** Add class k's tree to the scores of the rows it did not grow on: left out of the sample, and validation rows. */
  const addOutside = (tree: GrownTree, leafVal: Float64Array, k: number): void => {
    const bt = sampled || valid ? binnedTree(tree, leafVal) : null;
    if (sampled) addBinnedTree(bt!, st.bins, st.stride, outRows, n - m, st.raw, K, k);
    if (valid) addBinnedTree(bt!, vBins!, p, null, valid.y.length, vRaw!, K, k);
  };
  const histTrain: number[] = [];
  const histValid: number[] = [];
  const validSeries: number[] = valid ? [validLoss()] : [];
  let iterationsRun = 0;
  for (let it = 0; it < s.maxIter; it++) {
    if (setup.signal?.aborted) throw new CancelledError(`gbdt fit cancelled after ${it} iterations`);
    // one score per row and every row in the tree: the gradient pass also builds the root histogram
    const fused = K === 1 && !sampled;
    const lossBefore = trainLoss(fused); // also fills gradients and hessians for this iteration
    if (it > 0) {
      histTrain.push(lossBefore);
      emitIteration(it, lossBefore, valid ? histValid[it - 1] : null);
    }
    if (sampled) {
      sampleRows(n, m, rng, sample!);
      inSample!.fill(0);
      for (let i = 0; i < m; i++) inSample![sample![i]] = 1;
      for (let i = 0, o = 0; i < n; i++) if (!inSample![i]) outRows![o++] = i;
    }
    if (classTrees) {
      // the masks drawn in class order, as below; each task adds its tree to its rows' scores
      for (let k = 0; k < K; k++) sampleFeatures(p, s.colsample, rng, st.growMasks.subarray(k * p, (k + 1) * p));
      if (sampled) st.rows.set(sample!);
      clock.lap("other");
      const trees = growClassTrees(classTrees);
      clock.lap("class trees");
      for (let k = 0; k < K; k++) {
        const tree = trees[k];
        const leafVal = new Float64Array(tree.size);
        for (const id of tree.leafNode) leafVal[id] = tree.value[id] * s.learningRate;
        addTree(tree, leafVal);
        addOutside(tree, leafVal, k);
      }
      clock.lap("prediction update");
    }
    for (let k = 0; k < K && !classTrees; k++) {
      sampleFeatures(p, s.colsample, rng, allowed);
      st.rows.set(sampled ? sample! : ident);
      const tree = grower.grow(k * n, m, !sampled, fused);
      const nLeaves = tree.leafNode.length;
      const leafVal = new Float64Array(tree.size);
      for (let j = 0; j < nLeaves; j++) {
        const id = tree.leafNode[j];
        let v = tree.value[id];
        if (loss.refitQuantile !== null) v = refitLeaf(loss, st.rows, tree.leafStart[j], tree.leafEnd[j], y, w, st.raw, tree.lower[id], tree.upper[id]);
        leafVal[id] = v * s.learningRate;
        st.leafStart[j] = tree.leafStart[j];
        st.leafValue[j] = leafVal[id];
      }
      st.leafStart[nLeaves] = m;
      clock.lap("other");
      addTree(tree, leafVal);
      job.fill(0);
      if (K > 1) {
        // several scores per row: first each row's leaf (see tasks.ts, RAW)
        job[0] = JOB_LEAF_OF;
        job[1] = m;
        job[2] = nLeaves;
        engine.run(Math.ceil(m / st.blockSize));
        job.fill(0);
      }
      job[0] = JOB_RAW;
      job[2] = nLeaves;
      job[3] = k;
      engine.run(Math.ceil(n / st.blockSize));
      addOutside(tree, leafVal, k);
      clock.lap("prediction update");
    }
    iterationsRun = it + 1;
    if (valid) {
      const vl = validLoss();
      histValid.push(vl);
      validSeries.push(vl);
      if (setup.earlyStop && shouldStop(validSeries, s.nIterNoChange, s.tol)) break;
    }
  }
  const finalLoss = trainLoss();
  histTrain.push(finalLoss);
  emitIteration(iterationsRun, finalLoss, valid ? histValid[iterationsRun - 1] : null);
  let kept = iterationsRun;
  if (setup.earlyStop && valid) kept = bestIteration(validSeries);
  builder.truncate(kept * K);
  return {
    binning,
    forest: builder.build(),
    baseline,
    historyTrain: Float64Array.from(histTrain.slice(0, kept)),
    historyValid: valid ? Float64Array.from(histValid.slice(0, kept)) : null,
    iterationsRun,
  };
}

/** 1 for each feature with a training row in its missing bin (column-major codes). */
function missingFeatures(binsCol: Uint8Array, n: number, nBins: Int32Array): Uint8Array {
  const out = new Uint8Array(nBins.length);
  for (let f = 0; f < nBins.length; f++) {
    const miss = nBins[f];
    const o = f * n;
    for (let i = 0; i < n; i++) {
      if (binsCol[o + i] === miss) {
        out[f] = 1;
        break;
      }
    }
  }
  return out;
}

function emitIteration(iteration: number, train: number, valid: number | null): void {
  emit({ type: "iteration", iteration, losses: valid === null ? { train } : { train, valid } });
}

/**
 * A leaf's value refitted to the loss's constant of its rows' residuals y − raw (weighted), as
 * scikit-learn's `_update_leaves_values` — then clipped to the leaf's monotonic bounds, which
 * scikit-learn does not do (so the constraint holds; without constraints the bounds are ±∞).
 */
function refitLeaf(loss: LossSpec, rows: Int32Array, a: number, b: number, y: Float64Array, w: Float64Array, raw: Float64Array, lo: number, hi: number): number {
  const m = b - a;
  const res = new Float64Array(m);
  const ws = w.length > 0 ? new Float64Array(m) : null;
  for (let i = 0; i < m; i++) {
    const r = rows[a + i];
    res[i] = y[r] - raw[r];
    if (ws) ws[i] = w[r];
  }
  const v = residualConstant(loss, res, ws);
  return Math.min(hi, Math.max(lo, v));
}
