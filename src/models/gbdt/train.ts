/**
 * The boosting loop (Friedman 2001; Newton steps as Chen & Guestrin 2016): bin the features, start
 * every row at the loss's optimal constant, then per iteration compute gradients and hessians,
 * grow one tree per raw score on them, shrink its leaves by the learning rate and add it to the
 * scores — reporting the training (and validation) loss after each iteration and stopping early
 * when the validation loss stops improving.
 */
import { CancelledError, emit, type Rng, reachesAtLeast, runTask } from "../../core/index.js";
import { addBinnedTree, binnedTree } from "./binned-tree.js";
import { type BinPart, type BinTask, BLOCKS_DONE, CLAIMED, CLOSED, CODED, CTRL_WORDS, JOINED, META_WORDS, STAGED, STOP, codedOne, transposeShare } from "./bin-task.js";
import { BINNING_SAMPLE, type Binning, type FeatureBins, TRANSPOSE_BLOCK, WARM_BINNING_ROWS, assembleBinning, binColumn, binRows, binningSample, columnLength, fitFeatureBins, transposeCodes, warmBinning } from "./binning.js";
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
import { type CodesMemory, MIN_BLOCK, allocState, codesMemory } from "./state.js";
import { JOB_GRADIENTS, JOB_LEAF_OF, JOB_RAW, splitContextOf } from "./tasks.js";

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
  const { layout, settings: s, loss } = setup;
  const { cols, y, w } = setup.train;
  const n = y.length;
  const p = layout.names.length;
  const K = loss.K;
  const clock = new PhaseClock();
  const useThreads = setup.threads > 1 && n >= MIN_ROWS_FOR_THREADS;
  const maxLeaves = Math.max(2, Math.min(s.maxLeaves, Math.floor(n / s.minSamplesLeaf) + 1));
  // multiclass fits on threads grow an iteration's class trees at once, one per thread (class-trees.ts)
  const slots = K > 1 && useThreads && classTreesConcurrent() ? setup.threads : 0;
  const partShape = { n, p, K, maxLeaves, weighted: w.length > 0, slots };
  // the codes are written where the state will hold them, before the bins (and so its size) are known
  const codes = codesMemory(partShape, s.maxBins, useThreads);
  const binning = await binFeatures(cols, codes, s, useThreads ? setup.threads : 1);
  const { hoff, size: histSize } = histLayout(binning.nBins);
  const state = allocState({ ...partShape, histSize, hoff }, useThreads, codes);
  let engine: Engine = new LocalEngine(state);
  if (useThreads) {
    try {
      engine = new SharedEngine(state, setup.threads);
    } catch {
      // no worker threads here: one thread it is
    }
  }
  try {
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
    // everything before the first iteration (the workers' start too) is the binning phase
    clock.lap("binning");
    const result = runBoosting(setup, engine, binning, clock);
    const profile = clock.finish();
    if (profile) emit({ type: "note", message: `gbdt phases (${engine.threads} threads, ${profile.total.toFixed(2)} s wall, ${profile.cpuTotal.toFixed(2)} s cpu): wall ${formatPhaseProfile(profile)}; cpu ${formatPhaseProfile(profile, true)}` });
    return result;
  } finally {
    await engine.close();
  }
}


/**
 * Fit every feature's bins and write its codes, column- and row-major, into `codes`. With
 * `threads − 1` pool workers (bin-task.ts) the main thread copies features from the front of the
 * list into shared staging slots, a few ahead of the workers, and bins features from the back
 * itself; workers claim staged features with an atomic counter, so none waits for the main thread
 * to hand out work, and workers still starting cost nothing (the main thread takes back what no
 * worker claimed). Then every thread transposes row blocks. If the workers fail, this thread
 * bins what they did not (the same codes either way).
 */
async function binFeatures(cols: readonly FeatureColumn[], codes: CodesMemory, s: GbdtSettings, threads: number): Promise<Binning> {
  const p = cols.length;
  const n = codes.binsCol.length / Math.max(1, p);
  for (let f = 0; f < p; f++) if (columnLength(cols[f]) !== n) throw new Error(`gbdt internal error: feature ${f} has ${columnLength(cols[f])} rows, expected ${n}`);
  const stride = codes.bins.length / Math.max(1, n);
  const ctrl = new Int32Array(new SharedArrayBuffer(CTRL_WORDS * 4));
  const view = { ctrl, binsCol: codes.binsCol, bins: codes.bins, n, p, stride };
  const workers = Math.max(0, Math.min(threads - 1, p));
  const slots = 2 * workers + 1;
  const parts = new Array<FeatureBins>(p);
  let tasks: Promise<BinPart>[] = [];
  let task: BinTask | null = null;
  let shared: Int32Array | null = null;
  const warmCode = n >= WARM_BINNING_ROWS && cols.some((c) => !c.cat);
  if (workers > 0) {
    try {
      shared = n > BINNING_SAMPLE ? new Int32Array(new SharedArrayBuffer(BINNING_SAMPLE * 4)) : null;
      const warm = new URL("./kernel.js", import.meta.url).href;
      task = { ...view, warm, warmCode, id: 0, joined: new Int32Array(new SharedArrayBuffer(workers * 4)), meta: new Int32Array(new SharedArrayBuffer(slots * META_WORDS * 4)), busy: new Int32Array(new SharedArrayBuffer(slots * 4)), staging: new SharedArrayBuffer(slots * n * 8), slots, sample: shared, maxBins: s.maxBins };
      // started first: the workers' start overlaps this thread's sample and first features
      const module = new URL("./bin-task.js", import.meta.url);
      for (let i = 0; i < workers; i++) tasks.push(runTask<BinTask, BinPart>(module, { ...task, id: i }));
    } catch {
      tasks = [];
    }
  }
  // a worker gets its task through this thread's event loop: turn it between steps until they all have
  const yieldToWorkers = async (): Promise<void> => {
    if (tasks.length > 0 && Atomics.load(ctrl, JOINED) < tasks.length) await new Promise((resolve) => setImmediate(resolve));
  };
  if (warmCode) warmBinning();
  await yieldToWorkers();
  const sample = binningSample(n, s.seed);
  if (shared && sample) {
    if (sample.length !== shared.length) throw new Error(`gbdt internal error: a binning sample of ${sample.length} rows, expected ${shared.length}`);
    shared.set(sample);
  }
  const binHere = async (f: number): Promise<void> => {
    parts[f] = fitFeatureBins(cols[f], sample, s.maxBins);
    await yieldToWorkers();
    binColumn(cols[f], parts[f], codes.binsCol, f * n, 1);
    codedOne(ctrl);
  };
  let front = 0;
  let back = p - 1;
  let staged = 0;
  /** Copy features from the front into free slots (in order: the i-th staged goes to slot i mod slots). */
  const stage = (t: BinTask): void => {
    while (front <= back) {
      const slot = staged % slots;
      if (Atomics.load(t.busy, slot) !== 0) return;
      const c = cols[front];
      if (c.cat) new Int32Array(t.staging, slot * n * 8, n).set(c.codes);
      else new Float64Array(t.staging, slot * n * 8, n).set(c.values);
      t.meta.set([front, c.cat ? 1 : 0, c.cat ? c.nCats : 0], slot * META_WORDS);
      Atomics.store(t.busy, slot, 1);
      front++;
      Atomics.store(ctrl, STAGED, ++staged);
      Atomics.notify(ctrl, STAGED);
    }
  };
  for (;;) {
    await yieldToWorkers();
    if (task && tasks.length > 0) stage(task);
    if (front > back) break;
    await binHere(back--);
  }
  Atomics.store(ctrl, CLOSED, 1);
  Atomics.notify(ctrl, STAGED);
  // staged features no worker claimed yet: this thread bins them from its own columns
  for (let c = Atomics.load(ctrl, CLAIMED); c < staged; c = Atomics.load(ctrl, CLAIMED)) {
    if (Atomics.compareExchange(ctrl, CLAIMED, c, c + 1) !== c) continue;
    await binHere(task!.meta[(c % slots) * META_WORDS]);
  }
  // settles when a worker fails, or all have returned
  const gone = new Promise<void>((resolve) => {
    for (const t of tasks) t.catch(() => resolve());
    void Promise.allSettled(tasks).then(() => resolve());
  });
  const blocks = Math.ceil(n / TRANSPOSE_BLOCK);
  let ok = await reachesAtLeast(ctrl, CODED, p, gone);
  if (ok) {
    transposeShare(view);
    ok = await reachesAtLeast(ctrl, BLOCKS_DONE, blocks, gone);
  }
  // tasks still queued behind other pool work (none has started) are not waited for: they claimed
  // nothing, and return at once when they start (the started ones return their features)
  Atomics.store(ctrl, STOP, 1);
  Atomics.notify(ctrl, STAGED);
  Atomics.notify(ctrl, CODED);
  const results = await Promise.allSettled(tasks.filter((_, i) => Atomics.load(task!.joined, i) === 1));
  for (const r of results) {
    if (r.status === "fulfilled") r.value.features.forEach((f, j) => (parts[f] = r.value.bins[j]));
    else ok = false;
  }
  if (!ok) {
    const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    emit({ type: "note", message: `gbdt: binning on worker threads failed (${(failed?.reason as Error)?.message ?? failed?.reason ?? "a worker stopped"}); binning on this thread` });
    for (let f = 0; f < p; f++) if (!parts[f]) await binHere(f);
    transposeCodes(codes.binsCol, n, p, codes.bins, stride, 0, n);
  }
  return assembleBinning(parts);
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
    // the fused pass also lays out the tree's row list (0..n−1), on every thread
    job[5] = rootHistogram ? 1 : 0;
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
  // class trees grown at once in whole rounds of one per thread; the rest (K mod threads) one at a
  // time on every thread, rather than one thread growing them while the others wait (the same trees)
  const T = classTrees ? classTrees.threads : 1;
  const atOnce = !classTrees ? 0 : K <= T ? K : K - (K % T);
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
      const trees = growClassTrees(classTrees, atOnce);
      clock.lap("class trees");
      for (let k = 0; k < atOnce; k++) {
        const tree = trees[k];
        const leafVal = new Float64Array(tree.size);
        for (const id of tree.leafNode) leafVal[id] = tree.value[id] * s.learningRate;
        addTree(tree, leafVal);
        addOutside(tree, leafVal, k);
      }
      clock.lap("prediction update");
    }
    for (let k = classTrees ? atOnce : 0; k < K; k++) {
      if (classTrees) allowed.set(st.growMasks.subarray(k * p, (k + 1) * p));
      else sampleFeatures(p, s.colsample, rng, allowed);
      // (a fused gradient pass laid out the identity already)
      if (!fused) st.rows.set(sampled ? sample! : ident);
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
