/**
 * Single-feature predictive power, after the Predictive Power Score (PPS; F. Wetschoreck,
 * "RIP correlation. Introducing the Predictive Power Score", 8080 Labs, 2020):
 *
 * - For each feature, a one-feature model is scored by k-fold cross-validation (default 4 folds,
 *   stratified by class for classification; each fold's model sees only its training rows).
 *   Numeric and datetime features use a small decision tree grown on that one feature (Gini for
 *   classes, squared error for numbers; depth ≤ 6 and ≥ 5 rows a leaf for classes, depth ≤ 8 and
 *   ≥ 2 rows a leaf for numbers); missing feature values form
 *   their own group. Categorical, boolean and text features use a category table: the majority
 *   class (or mean) of each category in the training folds, the overall one for unseen categories.
 * - Classification: score = weighted F1. Baseline = the better of always predicting the most
 *   frequent class and predicting a random permutation of the target. PPS = (F1 − F1₀)/(1 − F1₀),
 *   0 when the model is not better.
 * - Regression: score = mean absolute error. Baseline = predicting the median. PPS = 1 − MAE/MAE₀,
 *   0 when the model is not better.
 *
 * - Binary targets: also the single-feature ROC AUC (see single-feature-auc), on the same rows
 *   and folds.
 *
 * Rows with a missing target are left out; above `sample` rows a uniform random sample is used.
 */
import { median, type Rng } from "../../core/index.js";
import { type Column, MISSING_BOOL } from "../column.js";
import { directionFreeAuc, outOfFoldShare } from "./single-feature-auc.js";
import type { FeaturePower, PredictivePower, TargetTask } from "./types.js";

export interface PredictivePowerInput {
  readonly target: string;
  readonly task: TargetTask;
  /** Classification: class codes 0..classes−1, −1 missing. Regression: values, NaN missing. */
  readonly y: Int32Array | Float64Array;
  readonly classes: number;
  readonly features: readonly { readonly name: string; readonly column: Column }[];
  readonly nRows: number;
  /** Largest number of rows to use; more are sampled down. */
  readonly sample: number;
  readonly folds: number;
  readonly rng: Rng;
  readonly maxDepth?: number;
  readonly minLeaf?: number;
}

/**
 * Weighted F1 (scikit-learn `f1_score(average="weighted")`) of predictions for rows `rows`.
 * @example
 * ```ts
 * weightedF1(Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 0), 2); // ≈ 0.667
 * ```
 */
export function weightedF1(yTrue: Int32Array, yPred: Int32Array, k: number, rows?: Int32Array): number {
  const tp = new Float64Array(k);
  const nt = new Float64Array(k);
  const np = new Float64Array(k);
  const n = rows ? rows.length : yTrue.length;
  for (let t = 0; t < n; t++) {
    const i = rows ? rows[t] : t;
    const a = yTrue[i];
    const b = yPred[i];
    nt[a]++;
    np[b]++;
    if (a === b) tp[a]++;
  }
  if (n === 0) return NaN;
  let s = 0;
  for (let c = 0; c < k; c++) if (nt[c] > 0) s += (nt[c] * (2 * tp[c])) / (nt[c] + np[c]);
  return s / n;
}

function meanAbsoluteError(yTrue: Float64Array, yPred: Float64Array, rows: Int32Array): number {
  let s = 0;
  for (let t = 0; t < rows.length; t++) s += Math.abs(yTrue[rows[t]] - yPred[rows[t]]);
  return s / rows.length;
}

function argmax(counts: Float64Array, offset: number, k: number): number {
  let best = 0;
  let bc = -1;
  for (let c = 0; c < k; c++) {
    if (counts[offset + c] > bc) {
      bc = counts[offset + c];
      best = c;
    }
  }
  return best;
}

/** Per-feature codes over the sampled rows: category codes (text dictionary-encoded), −1 missing. */
function featureCodes(col: Column, rows: Int32Array): { codes: Int32Array; levels: number } {
  const m = rows.length;
  const codes = new Int32Array(m);
  if (col.kind === "categorical") {
    for (let t = 0; t < m; t++) codes[t] = col.codes[rows[t]];
    return { codes, levels: col.categories.length };
  }
  if (col.kind === "boolean") {
    for (let t = 0; t < m; t++) {
      const v = col.values[rows[t]];
      codes[t] = v === MISSING_BOOL ? -1 : v;
    }
    return { codes, levels: 2 };
  }
  if (col.kind === "text") {
    const dict = new Map<string, number>();
    for (let t = 0; t < m; t++) {
      const s = col.values[rows[t]];
      if (s === null) {
        codes[t] = -1;
        continue;
      }
      let c = dict.get(s);
      if (c === undefined) {
        c = dict.size;
        dict.set(s, c);
      }
      codes[t] = c;
    }
    return { codes, levels: dict.size };
  }
  throw new Error(`featureCodes: ${col.kind} is not a categorical kind`);
}

interface Target {
  task: TargetTask;
  yc: Int32Array;
  yr: Float64Array;
  k: number;
}

/** Category-table model: fit on `train`, predict `test` into pred (classes or values). */
function categoryTable(codes: Int32Array, levels: number, tg: Target, train: Int32Array, test: Int32Array, predC: Int32Array, predR: Float64Array): void {
  const slots = levels + 1; // last slot: missing
  if (tg.task === "classification") {
    const k = tg.k;
    const counts = new Float64Array(slots * k);
    const all = new Float64Array(k);
    for (let t = 0; t < train.length; t++) {
      const i = train[t];
      const c = codes[i];
      const s = c < 0 ? levels : c;
      counts[s * k + tg.yc[i]]++;
      all[tg.yc[i]]++;
    }
    const fallback = argmax(all, 0, k);
    const seen = new Uint8Array(slots);
    const best = new Int32Array(slots);
    for (let s = 0; s < slots; s++) {
      let tot = 0;
      for (let c = 0; c < k; c++) tot += counts[s * k + c];
      if (tot > 0) {
        seen[s] = 1;
        best[s] = argmax(counts, s * k, k);
      }
    }
    for (let t = 0; t < test.length; t++) {
      const i = test[t];
      const c = codes[i];
      const s = c < 0 ? levels : c;
      predC[i] = seen[s] ? best[s] : fallback;
    }
  } else {
    const sum = new Float64Array(slots);
    const cnt = new Float64Array(slots);
    let all = 0;
    for (let t = 0; t < train.length; t++) {
      const i = train[t];
      const c = codes[i];
      const s = c < 0 ? levels : c;
      sum[s] += tg.yr[i];
      cnt[s]++;
      all += tg.yr[i];
    }
    const fallback = train.length ? all / train.length : 0;
    for (let t = 0; t < test.length; t++) {
      const i = test[t];
      const c = codes[i];
      const s = c < 0 ? levels : c;
      predR[i] = cnt[s] > 0 ? sum[s] / cnt[s] : fallback;
    }
  }
}

/**
 * A decision tree on one numeric feature. `order` lists the training rows with a finite x in
 * ascending x. Leaves partition the line: leaf j covers (thresholds[j−1], thresholds[j]].
 */
function growTree(x: Float64Array, order: Int32Array, tg: Target, maxDepth: number, minLeaf: number): { thresholds: number[]; classes: number[]; values: number[] } {
  const thresholds: number[] = [];
  const classes: number[] = [];
  const values: number[] = [];
  const k = tg.k;
  const leaf = (lo: number, hi: number) => {
    if (tg.task === "classification") {
      const cnt = new Float64Array(k);
      for (let t = lo; t < hi; t++) cnt[tg.yc[order[t]]]++;
      classes.push(argmax(cnt, 0, k));
    } else {
      let s = 0;
      for (let t = lo; t < hi; t++) s += tg.yr[order[t]];
      values.push(s / (hi - lo));
    }
  };
  const grow = (lo: number, hi: number, depth: number) => {
    const n = hi - lo;
    if (depth >= maxDepth || n < 2 * minLeaf || x[order[lo]] === x[order[hi - 1]]) return leaf(lo, hi);
    let bestT = -1;
    let bestGain = 0;
    if (tg.task === "classification") {
      const right = new Float64Array(k);
      const left = new Float64Array(k);
      let sqR = 0;
      for (let t = lo; t < hi; t++) right[tg.yc[order[t]]]++;
      for (let c = 0; c < k; c++) sqR += right[c] * right[c];
      const parent = sqR / n;
      let sqL = 0;
      for (let t = lo + 1; t < hi; t++) {
        const c = tg.yc[order[t - 1]];
        sqL += 2 * left[c] + 1;
        left[c]++;
        sqR -= 2 * right[c] - 1;
        right[c]--;
        const nl = t - lo;
        if (nl < minLeaf || hi - t < minLeaf) continue;
        if (x[order[t - 1]] === x[order[t]]) continue;
        const gain = sqL / nl + sqR / (hi - t) - parent;
        if (gain > bestGain + 1e-12) {
          bestGain = gain;
          bestT = t;
        }
      }
    } else {
      let sR = 0;
      for (let t = lo; t < hi; t++) sR += tg.yr[order[t]];
      const parent = (sR * sR) / n;
      let sL = 0;
      for (let t = lo + 1; t < hi; t++) {
        const v = tg.yr[order[t - 1]];
        sL += v;
        sR -= v;
        const nl = t - lo;
        if (nl < minLeaf || hi - t < minLeaf) continue;
        if (x[order[t - 1]] === x[order[t]]) continue;
        const gain = (sL * sL) / nl + (sR * sR) / (hi - t) - parent;
        if (gain > bestGain + 1e-9 * Math.abs(parent) + 1e-12) {
          bestGain = gain;
          bestT = t;
        }
      }
    }
    if (bestT < 0) return leaf(lo, hi);
    grow(lo, bestT, depth + 1);
    thresholds.push((x[order[bestT - 1]] + x[order[bestT]]) / 2);
    grow(bestT, hi, depth + 1);
  };
  if (order.length > 0) grow(0, order.length, 0);
  return { thresholds, classes, values };
}

function leafIndex(thresholds: readonly number[], v: number): number {
  // number of thresholds strictly below v (x ≤ threshold goes left)
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thresholds[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function treeModel(x: Float64Array, sortedAll: Int32Array, fold: Int32Array, f: number, tg: Target, train: Int32Array, test: Int32Array, predC: Int32Array, predR: Float64Array, maxDepth: number, minLeaf: number): void {
  let m = 0;
  for (let t = 0; t < sortedAll.length; t++) if (fold[sortedAll[t]] !== f) m++;
  const order = new Int32Array(m);
  let o = 0;
  for (let t = 0; t < sortedAll.length; t++) if (fold[sortedAll[t]] !== f) order[o++] = sortedAll[t];
  const tree = growTree(x, order, tg, maxDepth, minLeaf);
  // prediction for a missing x: the training rows with a missing x, else all training rows
  let missC = 0;
  let missR = 0;
  {
    const k = tg.k;
    const cntMiss = new Float64Array(k);
    const cntAll = new Float64Array(k);
    let sMiss = 0;
    let nMiss = 0;
    let sAll = 0;
    for (let t = 0; t < train.length; t++) {
      const i = train[t];
      const isMiss = x[i] !== x[i];
      if (tg.task === "classification") {
        cntAll[tg.yc[i]]++;
        if (isMiss) cntMiss[tg.yc[i]]++;
      } else {
        sAll += tg.yr[i];
        if (isMiss) sMiss += tg.yr[i];
      }
      if (isMiss) nMiss++;
    }
    if (tg.task === "classification") missC = argmax(nMiss > 0 ? cntMiss : cntAll, 0, k);
    else missR = nMiss > 0 ? sMiss / nMiss : train.length ? sAll / train.length : 0;
  }
  const noTree = order.length === 0;
  for (let t = 0; t < test.length; t++) {
    const i = test[t];
    const v = x[i];
    if (v !== v || noTree) {
      if (tg.task === "classification") predC[i] = missC;
      else predR[i] = missR;
      continue;
    }
    const leafAt = leafIndex(tree.thresholds, v);
    if (tg.task === "classification") predC[i] = tree.classes[leafAt];
    else predR[i] = tree.values[leafAt];
  }
}

/** Predictive power of each feature for the target (see the module comment). */
export function predictivePower(input: PredictivePowerInput): PredictivePower {
  const { task, folds: k0, rng } = input;
  // classes: a leaf's majority vote wants a few rows; numbers want finer steps (a copy of a
  // continuous target must score near 1, as with ppscore's unpruned regression tree)
  const maxDepth = input.maxDepth ?? (task === "classification" ? 6 : 8);
  const minLeaf = input.minLeaf ?? (task === "classification" ? 5 : 2);
  // rows with a present target, sampled down
  let present = 0;
  for (let i = 0; i < input.nRows; i++) if (task === "classification" ? input.y[i] >= 0 : input.y[i] === input.y[i]) present++;
  let rows = new Int32Array(present);
  {
    let o = 0;
    for (let i = 0; i < input.nRows; i++) if (task === "classification" ? input.y[i] >= 0 : input.y[i] === input.y[i]) rows[o++] = i;
  }
  let sampled: number | null = null;
  if (rows.length > input.sample) {
    const pick = rng.sampleWithoutReplacement(rows.length, input.sample).sort();
    const r2 = new Int32Array(pick.length);
    for (let t = 0; t < pick.length; t++) r2[t] = rows[pick[t]];
    rows = r2;
    sampled = rows.length;
  }
  const m = rows.length;
  const metric = task === "classification" ? "f1_weighted" : "mae";
  const base = { target: input.target, task, metric, folds: k0, rows: m, sampled } as const;
  if (m < 2) return { ...base, scores: input.features.map((f) => ({ feature: f.name, score: 0, modelScore: NaN, baselineScore: NaN, model: modelOf(f.column) })) };

  const tg: Target = { task, yc: new Int32Array(0), yr: new Float64Array(0), k: input.classes };
  if (task === "classification") {
    tg.yc = new Int32Array(m);
    for (let t = 0; t < m; t++) tg.yc[t] = input.y[rows[t]];
  } else {
    tg.yr = new Float64Array(m);
    for (let t = 0; t < m; t++) tg.yr[t] = input.y[rows[t]];
  }

  // folds: a random permutation, stratified by class for classification
  const k = Math.max(2, Math.min(k0, m));
  const perm = rng.permutation(m);
  const fold = new Int32Array(m);
  if (task === "classification") {
    const start = new Int32Array(tg.k + 1);
    for (let t = 0; t < m; t++) start[tg.yc[t] + 1]++;
    for (let c = 0; c < tg.k; c++) start[c + 1] += start[c];
    const byClass = new Int32Array(m);
    const fill = start.slice();
    for (let t = 0; t < m; t++) byClass[fill[tg.yc[perm[t]]]++] = perm[t];
    for (let t = 0; t < m; t++) fold[byClass[t]] = t % k;
  } else {
    for (let t = 0; t < m; t++) fold[perm[t]] = t % k;
  }
  const trainSets: Int32Array[] = [];
  const testSets: Int32Array[] = [];
  for (let f = 0; f < k; f++) {
    let nt = 0;
    for (let t = 0; t < m; t++) if (fold[t] === f) nt++;
    const te = new Int32Array(nt);
    const tr = new Int32Array(m - nt);
    let a = 0;
    let b = 0;
    for (let t = 0; t < m; t++) {
      if (fold[t] === f) te[a++] = t;
      else tr[b++] = t;
    }
    testSets.push(te);
    trainSets.push(tr);
  }

  // baseline
  let baselineScore: number;
  if (task === "classification") {
    const cnt = new Float64Array(tg.k);
    for (let t = 0; t < m; t++) cnt[tg.yc[t]]++;
    const mode = argmax(cnt, 0, tg.k);
    const naive = new Int32Array(m).fill(mode);
    const shuffled = rng.shuffle(Int32Array.from(tg.yc));
    baselineScore = Math.max(weightedF1(tg.yc, naive, tg.k), weightedF1(tg.yc, shuffled, tg.k));
  } else {
    const med = median(tg.yr);
    let s = 0;
    for (let t = 0; t < m; t++) s += Math.abs(tg.yr[t] - med);
    baselineScore = s / m;
  }

  const predC = new Int32Array(m);
  const predR = new Float64Array(m);
  const scores: FeaturePower[] = [];
  for (const feat of input.features) {
    const col = feat.column;
    const model = modelOf(col);
    let numericX: Float64Array | null = null;
    let sortedAll: Int32Array | null = null;
    let codes: { codes: Int32Array; levels: number } | null = null;
    if (model === "tree") {
      const src = (col as { values: Float64Array }).values;
      numericX = new Float64Array(m);
      let finite = 0;
      for (let t = 0; t < m; t++) {
        const v = src[rows[t]];
        numericX[t] = v;
        if (v === v) finite++;
      }
      const idx = new Int32Array(finite);
      let o = 0;
      for (let t = 0; t < m; t++) if (numericX[t] === numericX[t]) idx[o++] = t;
      const xv = numericX;
      sortedAll = idx.sort((a, b) => xv[a] - xv[b] || a - b);
    } else {
      codes = featureCodes(col, rows);
    }
    let total = 0;
    let used = 0;
    for (let f = 0; f < k; f++) {
      const train = trainSets[f];
      const test = testSets[f];
      if (test.length === 0 || train.length === 0) continue;
      if (model === "tree") treeModel(numericX!, sortedAll!, fold, f, tg, train, test, predC, predR, maxDepth, minLeaf);
      else categoryTable(codes!.codes, codes!.levels, tg, train, test, predC, predR);
      total += task === "classification" ? weightedF1(tg.yc, predC, tg.k, test) : meanAbsoluteError(tg.yr, predR, test);
      used++;
    }
    const modelScore = used ? total / used : NaN;
    let score: number;
    if (task === "classification") {
      score = !(modelScore > baselineScore) ? 0 : baselineScore >= 1 ? 0 : (modelScore - baselineScore) / (1 - baselineScore);
    } else {
      score = baselineScore === 0 || !(modelScore < baselineScore) ? 0 : 1 - modelScore / baselineScore;
    }
    const auc = task !== "classification" || tg.k !== 2 ? undefined : directionFreeAuc(tg.yc, model === "tree" ? numericX! : outOfFoldShare(codes!.codes, codes!.levels, tg.yc, trainSets, testSets));
    scores.push({ feature: feat.name, score: Math.max(0, Math.min(1, score)), modelScore, baselineScore, model, ...(auc === undefined ? {} : { auc: Number.isFinite(auc) ? auc : null }) });
  }
  scores.sort((a, b) => b.score - a.score || (a.feature < b.feature ? -1 : 1));
  return { ...base, folds: k, scores };
}

function modelOf(col: Column): FeaturePower["model"] {
  return col.kind === "numeric" || col.kind === "datetime" ? "tree" : "category-table";
}
