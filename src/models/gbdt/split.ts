/**
 * Best split of a node from its histogram, as scikit-learn 1.2's HistGradientBoosting splitter
 * (after Chen & Guestrin, "XGBoost", KDD 2016, eqs. 5–7, with sparsity-aware default directions,
 * §3.4), so that Keel's trees equal scikit-learn's:
 * - leaf value v = −G/(H + λ + 1e−15), clipped to the node's [lower, upper] bounds; the gain of a
 *   split is G·v_node − G_L·v_L − G_R·v_R (with unclipped values, G_L²/(H_L+λ) + G_R²/(H_R+λ) −
 *   G²/(H+λ), twice the drop of the second-order objective); the root's value counts as 0;
 * - numeric features: scan bins left to right (missing values go right; a feature with missing
 *   values in the training data may also send all present values left), then — for features with
 *   missing training values — right to left (missing values go left), keeping a later candidate
 *   only when its gain is strictly higher: ties go to the first found;
 * - categorical features (LightGBM's many-vs-many method, Ke et al. 2017 and Fisher 1958): the
 *   node's categories with support ≥ 10 rows (hessian scaled to rows), plus the missing bin when the
 *   feature has missing training values, ordered by G/(H + 10) — ties by bin, highest first, as
 *   scikit-learn's `qsort` (glibc's merge sort) leaves them — and prefixes of that order scanned
 *   from both ends up to half of them; the others stay right; the left set is a 256-bit bitset;
 * - rows: a child needs `minSamplesLeaf` rows and `minHessian` hessian;
 * - monotonic constraints (LightGBM's basic method): a split is kept only if its child values are
 *   ordered as the constraint says.
 * Features are scanned in order and a feature replaces the best only with a strictly higher gain.
 * Where a feature has no missing training values, missing (and unseen) values follow the child
 * with more training rows (the left one only when it has strictly more), as scikit-learn.
 */
import { type ScanKernel, scanKernelFor } from "./scan-kernel.js";

/** Smoothing added to a category's hessian when ordering categories (LightGBM's cat_smooth). */
export const CAT_SMOOTH = 10;
/** Categories with less support than this (hessian scaled to rows) at a node always go right. */
export const CAT_MIN_SUPPORT = 10;
/** Words of a bin bitset: 256 bits cover 255 value bins and the missing bin. */
export const BITSET_WORDS = 8;

/** The best split found for a node (reused per node; not per row). */
export class SplitCandidate {
  gain = 0;
  feature = -1;
  /** Numeric: rows with bin ≤ `bin` go left. */
  bin = 0;
  defaultLeft = false;
  isCat = false;
  /** Bins going left (numeric: 0..bin plus missing when defaultLeft). */
  readonly bits = new Uint32Array(BITSET_WORDS);
  gL = 0;
  hL = 0;
  cL = 0;
  gR = 0;
  hR = 0;
  cR = 0;
  vL = 0;
  vR = 0;

  reset(): void {
    this.gain = 0;
    this.feature = -1;
  }

  /** Fill `bits` from the numeric threshold and default direction. */
  setNumericBits(missingBin: number): void {
    const bits = this.bits;
    bits.fill(0);
    for (let b = 0; b <= this.bin; b++) bits[b >>> 5] |= 1 << (b & 31);
    if (this.defaultLeft) bits[missingBin >>> 5] |= 1 << (missingBin & 31);
  }
}

export interface SplitContext {
  nBins: Int32Array;
  isCat: Uint8Array;
  /** 1 for features with missing values in the training data (the missing bin is then scanned). */
  hasMissing: Uint8Array;
  hoff: Int32Array;
  monotonic: Int8Array;
  /** 1 for the features this tree may split on. */
  allowed: Uint8Array;
  l2: number;
  minSamplesLeaf: number;
  minHessian: number;
}

/** Value of a leaf with sums (g, h): −g/(h + λ + 1e−15) clipped to [lo, hi] (scikit-learn's `compute_node_value`). */
export function leafValue(g: number, h: number, l2: number, lo: number, hi: number): number {
  let v = -g / (h + l2 + 1e-15);
  if (v < lo) v = lo;
  else if (v > hi) v = hi;
  return v;
}

/** The drop of the second-order objective g·v + ½(h+λ)v² when a node splits (for feature importances). */
export function objectiveDrop(G: number, H: number, gL: number, hL: number, vL: number, gR: number, hR: number, vR: number, l2: number, lo: number, hi: number): number {
  const v = leafValue(G, H, l2, lo, hi);
  return G * v + 0.5 * (H + l2) * v * v - (gL * vL + 0.5 * (hL + l2) * vL * vL) - (gR * vR + 0.5 * (hR + l2) * vR * vR);
}

export interface NodeStats {
  G: number;
  H: number;
  C: number;
  lo: number;
  hi: number;
  /** The node's own (clipped) value; 0 at the root. */
  value: number;
}

const catBins = new Int32Array(257);
const catKeys = new Float64Array(257);
const catOrder = new Int32Array(257);
const sortedKeys = new Float64Array(257);

/**
 * catOrder[0..used) = catBins[0..used) (in bin order) ordered by key, ties by bin from the
 * highest — what scikit-learn's `qsort` with the comparator "−1 if a < b else 1" gives under
 * glibc's merge sort — with V8's native numeric sort of the keys (several times faster than a
 * comparator sort): each bin, from the last, takes the first free place at or after its key's
 * lower bound.
 */
function orderCategories(used: number): void {
  for (let i = 0; i < used; i++) {
    sortedKeys[i] = catKeys[catBins[i]];
    catOrder[i] = -1;
  }
  const keys = sortedKeys.subarray(0, used).sort();
  for (let i = used - 1; i >= 0; i--) {
    const b = catBins[i];
    const key = catKeys[b];
    let lo = 0;
    let hi = used;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    while (catOrder[lo] >= 0) lo++;
    catOrder[lo] = b;
  }
}

/**
 * Best split over all allowed features; fills `out` and returns true when one with positive gain
 * exists (out.gain > 0). `hist` holds the node's histogram at offset `ho`.
 */
export function findBestSplit(ctx: SplitContext, hist: Float64Array, ho: number, node: NodeStats, out: SplitCandidate): boolean {
  findBestSplitIn(ctx, hist, ho, node, out, 0, ctx.nBins.length);
  return finishSplit(ctx, out);
}

/**
 * The best split over the allowed features f0..f1−1 only, without the numeric bitset (see
 * `finishSplit`): `out.feature` stays −1 when none gains. Because a feature replaces the best only
 * with a strictly higher gain, the best of consecutive ranges taken in range order with the same
 * rule (`mergeSplit`) is the very split `findBestSplit` finds over all features.
 */
export function findBestSplitIn(ctx: SplitContext, hist: Float64Array, ho: number, node: NodeStats, out: SplitCandidate, f0: number, f1: number): void {
  out.reset();
  const lossNode = node.G * node.value;
  for (let f = f0; f < f1; f++) {
    if (!ctx.allowed[f]) continue;
    if (ctx.isCat[f]) scanCategorical(ctx, f, hist, ho + ctx.hoff[f], node, lossNode, out);
    else scanNumeric(ctx, f, hist, ho + ctx.hoff[f], node, lossNode, out);
  }
}

/** Complete a search's result: false when no split gains, else the numeric bitset filled in. */
export function finishSplit(ctx: SplitContext, out: SplitCandidate): boolean {
  if (out.feature < 0) return false;
  if (!out.isCat) out.setNumericBits(ctx.nBins[out.feature]);
  return true;
}

/** Doubles per stored candidate: gain, feature, bin, defaultLeft, isCat, the bitset, the child sums and values. */
export const SPLIT_SLOT = 14 + BITSET_WORDS;

/** Store a candidate (any fields, exactly: all are doubles or small integers) at `slots[o ..]`. */
export function storeSplit(c: SplitCandidate, slots: Float64Array, o: number): void {
  slots[o] = c.gain;
  slots[o + 1] = c.feature;
  slots[o + 2] = c.bin;
  slots[o + 3] = c.defaultLeft ? 1 : 0;
  slots[o + 4] = c.isCat ? 1 : 0;
  slots[o + 5] = c.gL;
  slots[o + 6] = c.hL;
  slots[o + 7] = c.cL;
  slots[o + 8] = c.gR;
  slots[o + 9] = c.hR;
  slots[o + 10] = c.cR;
  slots[o + 11] = c.vL;
  slots[o + 12] = c.vR;
  for (let w = 0; w < BITSET_WORDS; w++) slots[o + 13 + w] = c.bits[w];
}

/**
 * Merge a stored candidate into `out` with the search's own rule: it replaces `out` only when it
 * found a split and its gain is strictly higher. Merging the ranges' results in feature order
 * keeps the first of equal gains, as one scan over all features does.
 */
export function mergeSplit(slots: Float64Array, o: number, out: SplitCandidate): void {
  const feature = slots[o + 1];
  if (feature < 0 || !(slots[o] > out.gain)) return;
  out.gain = slots[o];
  out.feature = feature;
  out.bin = slots[o + 2];
  out.defaultLeft = slots[o + 3] === 1;
  out.isCat = slots[o + 4] === 1;
  out.gL = slots[o + 5];
  out.hL = slots[o + 6];
  out.cL = slots[o + 7];
  out.gR = slots[o + 8];
  out.hR = slots[o + 9];
  out.cR = slots[o + 10];
  out.vL = slots[o + 11];
  out.vR = slots[o + 12];
  for (let w = 0; w < BITSET_WORDS; w++) out.bits[w] = slots[o + 13 + w];
}

/** Keep (gL, hL, cL) as the best split so far when its gain beats `out.gain`; returns whether it did. */
function offer(out: SplitCandidate, f: number, lossNode: number, node: NodeStats, l2: number, mono: number, gL: number, hL: number, cL: number, gR: number, hR: number, cR: number): boolean {
  const vL = leafValue(gL, hL, l2, node.lo, node.hi);
  const vR = leafValue(gR, hR, l2, node.lo, node.hi);
  if ((mono > 0 && vL > vR) || (mono < 0 && vL < vR)) return false;
  const gain = lossNode - gL * vL - gR * vR;
  if (!(gain > out.gain)) return false;
  out.gain = gain;
  out.feature = f;
  out.gL = gL;
  out.hL = hL;
  out.cL = cL;
  out.gR = gR;
  out.hR = hR;
  out.cR = cR;
  out.vL = vL;
  out.vR = vR;
  return true;
}

const CONTINUE = 0;
const STOP = 1;
const KEPT = 2;

/**
 * A candidate cut, from one side's accumulated sums (`aLeft`: that side is the left child):
 * scikit-learn's checks — too few rows or hessian on the accumulated side: go on; on the other
 * side: stop (it only shrinks); categorical scans (`joined`) test rows and hessian together —
 * then `offer`. Returns STOP, KEPT (a new best) or CONTINUE.
 */
function cut(ctx: SplitContext, out: SplitCandidate, f: number, lossNode: number, node: NodeStats, mono: number, ga: number, ha: number, ca: number, aLeft: boolean, joined: boolean): number {
  const cb = node.C - ca;
  const hb = node.H - ha;
  const gb = node.G - ga;
  const minLeaf = ctx.minSamplesLeaf;
  const minH = ctx.minHessian;
  if (joined) {
    if (ca < minLeaf || ha < minH) return CONTINUE;
    if (cb < minLeaf || hb < minH) return STOP;
  } else {
    if (ca < minLeaf) return CONTINUE;
    if (cb < minLeaf) return STOP;
    if (ha < minH) return CONTINUE;
    if (hb < minH) return STOP;
  }
  const kept = aLeft ? offer(out, f, lossNode, node, ctx.l2, mono, ga, ha, ca, gb, hb, cb) : offer(out, f, lossNode, node, ctx.l2, mono, gb, hb, cb, ga, ha, ca);
  return kept ? KEPT : CONTINUE;
}

/**
 * Left to right (missing values right; with missing training values the last present bin may go
 * left too), then — for features with missing training values — right to left over the present
 * bins (missing values left). Each pass accumulates one side bin by bin and derives the other.
 * Where no value is clipped (no bounds, no monotonic constraint) a cut is first screened without
 * a division: its gain is lossNode + G_L²/(H_L+λ) + G_R²/(H_R+λ), so a cut whose
 * G_L²(H_R+λ) + G_R²(H_L+λ) stays below (best − lossNode)(H_L+λ)(H_R+λ) by a margin far above
 * rounding cannot beat the best; the others go through `offer` as before (same choices, same ties).
 */
function scanNumeric(ctx: SplitContext, f: number, hist: Float64Array, o: number, node: NodeStats, lossNode: number, out: SplitCandidate): void {
  const nb = ctx.nBins[f];
  const hasMissing = ctx.hasMissing[f] === 1;
  const mono = ctx.monotonic[f];
  scan.f = f;
  scan.lossNode = lossNode;
  scan.mono = mono;
  scan.screen = mono === 0 && node.lo === -Infinity && node.hi === Infinity;
  scan.c = ctx.l2 + 1e-15;
  scan.bar = screenBar(out.gain, lossNode);
  const kernel = scanKernelFor(hist.buffer);
  for (let pass = 0; pass < (hasMissing ? 2 : 1); pass++) {
    // the accumulated side (a) is the left child forward, the right child backward
    const backward = pass === 1;
    const steps = backward ? nb - 1 : nb - 1 + (hasMissing ? 1 : 0);
    if (kernel) walkKernel(kernel, ctx, hist, o, nb, steps, backward, node, out);
    else walk(ctx, hist, o, nb, steps, backward, node, out);
  }
}

/** The feature being scanned: its settings and the screen's bar, filled per feature by `scanNumeric` (no allocation per scan). */
const scan = { f: 0, lossNode: 0, mono: 0, screen: false, c: 0, bar: 0 };

/** One pass of `scanNumeric` over `steps` bins from the first (forward) or the last present one (backward), in JavaScript. */
function walk(ctx: SplitContext, hist: Float64Array, o: number, nb: number, steps: number, backward: boolean, node: NodeStats, out: SplitCandidate): void {
  const { G, H, C } = node;
  const { minSamplesLeaf: minLeaf, minHessian: minH } = ctx;
  const { screen, c } = scan;
  let ga = 0;
  let ha = 0;
  let ca = 0;
  for (let t = 0; t < steps; t++) {
    const bin = backward ? nb - 1 - t : t;
    const j = o + 3 * bin;
    ga += hist[j];
    ha += hist[j + 1];
    ca += hist[j + 2];
    // scikit-learn's checks: too few rows or hessian on the accumulated side: go on; on the
    // other side: stop (it only shrinks)
    if (ca < minLeaf) continue;
    const cb = C - ca;
    if (cb < minLeaf) break;
    if (ha < minH) continue;
    const hb = H - ha;
    if (hb < minH) break;
    if (screen && scan.bar > 0) {
      const gb = G - ga;
      const da = ha + c;
      const db = hb + c;
      if (ga * ga * db + gb * gb * da <= scan.bar * da * db) continue;
    }
    weighCut(ctx, node, out, backward, bin, ga, ha, ca);
  }
}

/**
 * One pass of `scanNumeric` with its bin loop in the WebAssembly kernel (scan-kernel.ts): the
 * kernel walks to the next cut that passes the checks and the screen, `weighCut` weighs it, and
 * the walk resumes after it — the same cuts, in the same order, with the same sums as `walk`.
 */
function walkKernel(kernel: ScanKernel, ctx: SplitContext, hist: Float64Array, o: number, nb: number, steps: number, backward: boolean, node: NodeStats, out: SplitCandidate): void {
  // byte address of bin b of this feature: base + 24·b
  const base = hist.byteOffset + 8 * o;
  const step = backward ? -24 : 24;
  let j = backward ? base + 24 * (nb - 1) : base;
  const jEnd = j + step * steps;
  let ga = 0;
  let ha = 0;
  let ca = 0;
  for (;;) {
    const r = kernel(j, jEnd, step, node.G, node.H, node.C, ctx.minSamplesLeaf, ctx.minHessian, scan.c, scan.bar, scan.screen && scan.bar > 0 ? 1 : 0, ga, ha, ca);
    const at = r[0];
    if (at < 0) return;
    ga = r[1];
    ha = r[2];
    ca = r[3];
    weighCut(ctx, node, out, backward, (at - base) / 24, ga, ha, ca);
    j = at + step;
  }
}

/**
 * Offer the cut through `bin` whose accumulated side has sums (ga, ha, ca) — the left child
 * forward, the right child backward; on a new best, record where it cuts and raise the bar.
 */
function weighCut(ctx: SplitContext, node: NodeStats, out: SplitCandidate, backward: boolean, bin: number, ga: number, ha: number, ca: number): void {
  const { f, lossNode, mono } = scan;
  const gb = node.G - ga;
  const hb = node.H - ha;
  const cb = node.C - ca;
  const kept = backward ? offer(out, f, lossNode, node, ctx.l2, mono, gb, hb, cb, ga, ha, ca) : offer(out, f, lossNode, node, ctx.l2, mono, ga, ha, ca, gb, hb, cb);
  if (!kept) return;
  out.bin = backward ? bin - 1 : bin;
  out.isCat = false;
  out.defaultLeft = backward;
  scan.bar = screenBar(out.gain, lossNode);
}

/**
 * What G_L²/(H_L+λ) + G_R²/(H_R+λ) must exceed for a cut to beat `best`: best − lossNode, less a
 * margin of 1e−10 of the magnitudes involved (rounding in the exact gain is ~1e−16 of them).
 */
function screenBar(best: number, lossNode: number): number {
  const need = best - lossNode;
  return need - 1e-10 * (Math.abs(lossNode) + 2 * Math.abs(need));
}

function scanCategorical(ctx: SplitContext, f: number, hist: Float64Array, o: number, node: NodeStats, lossNode: number, out: SplitCandidate): void {
  const nb = ctx.nBins[f];
  const hasMissing = ctx.hasMissing[f] === 1;
  // support in rows: the hessian scaled by the node's rows per unit of hessian
  const support = node.C / node.H;
  let used = 0;
  const last = hasMissing ? nb : nb - 1;
  for (let b = 0; b <= last; b++) {
    const j = o + 3 * b;
    const hb = hist[j + 1];
    if (hb * support >= CAT_MIN_SUPPORT) {
      catBins[used] = b;
      catKeys[b] = hist[j] / (hb + CAT_SMOOTH);
      used++;
    }
  }
  if (used <= 1) return;
  orderCategories(used);
  const middle = (used + 1) >>> 1;
  let bestDir = 0;
  let bestLen = 0;
  let found = false;
  for (let dir = 0; dir < 2; dir++) {
    let gL = 0;
    let hL = 0;
    let cL = 0;
    // the backward scan stops one short, so no split is scanned twice
    const stop = dir === 0 ? middle : middle - 1;
    for (let i = 0; i < stop; i++) {
      const j = o + 3 * catOrder[dir === 0 ? i : used - 1 - i];
      gL += hist[j];
      hL += hist[j + 1];
      cL += hist[j + 2];
      const r = cut(ctx, out, f, lossNode, node, 0, gL, hL, cL, true, true);
      if (r === STOP) break;
      if (r === KEPT) {
        out.isCat = true;
        bestDir = dir;
        bestLen = i + 1;
        found = true;
      }
    }
  }
  if (!found) return;
  const bits = out.bits;
  bits.fill(0);
  for (let i = 0; i < bestLen; i++) {
    const b = catOrder[bestDir === 0 ? i : used - 1 - i];
    bits[b >>> 5] |= 1 << (b & 31);
  }
  out.defaultLeft = ((bits[nb >>> 5] >>> (nb & 31)) & 1) === 1;
  out.bin = 0;
}

/**
 * Where missing values of a split feature go when the training data had none for it: to the
 * child with strictly more training rows, else right (scikit-learn's grower). Updates the bitset.
 */
export function setMissingByCounts(sp: SplitCandidate, missingBin: number): void {
  sp.defaultLeft = sp.cL > sp.cR;
  const w = missingBin >>> 5;
  const bit = 1 << (missingBin & 31);
  if (sp.defaultLeft) sp.bits[w] |= bit;
  else sp.bits[w] &= ~bit;
}
