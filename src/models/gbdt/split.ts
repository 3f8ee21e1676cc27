/**
 * Best split of a node from its histogram (Chen & Guestrin, "XGBoost", KDD 2016, eq. 7, with
 * sparsity-aware default directions, §3.4). For a left/right partition with gradient and hessian
 * sums (G_L, H_L), (G_R, H_R) and leaf values v = clip(−G/(H+λ), lower, upper), the gain is the
 * drop of the second-order objective g·v + ½(H+λ)v²; without bounds that is
 * ½[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)].
 * - numeric features: scan bins left to right with missing values sent right, and (when the node
 *   has missing values) again with them sent left; with none, they follow the larger child.
 * - categorical features (LightGBM's many-vs-many method, Ke et al. 2017 and Fisher 1958): order
 *   the node's categories (the missing bin counts as one) by G/(H + 10) and scan prefixes of that
 *   order from both ends, up to half of them; categories with support below 10 rows stay right,
 *   as in scikit-learn; the left set is kept as a 256-bit bitset over bins.
 * - monotonic constraints (LightGBM's basic method): a split is kept only if its child values are
 *   ordered as the constraint says; values are clipped to the node's [lower, upper] bounds.
 */

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
  hoff: Int32Array;
  monotonic: Int8Array;
  /** 1 for the features this tree may split on. */
  allowed: Uint8Array;
  l2: number;
  minSamplesLeaf: number;
  minHessian: number;
}

/** Value of a leaf with sums (g, h): −g/(h+λ) clipped to [lo, hi]. */
export function leafValue(g: number, h: number, l2: number, lo: number, hi: number): number {
  const d = h + l2;
  let v = d > 0 ? -g / d : 0;
  if (v < lo) v = lo;
  else if (v > hi) v = hi;
  return v;
}

/** The second-order objective of a leaf with sums (g, h) and value v. */
function objective(g: number, h: number, l2: number, v: number): number {
  return g * v + 0.5 * (h + l2) * v * v;
}

interface NodeStats {
  G: number;
  H: number;
  C: number;
  lo: number;
  hi: number;
  /** The node's own (clipped) value. */
  value: number;
}

const catBins = new Int32Array(257);
const catKeys = new Float64Array(257);
const catOrder = new Int32Array(257);
const sortedKeys = new Float64Array(257);

/**
 * catOrder[0..used) = catBins[0..used) ordered by key, ties by bin — as a comparator sort would,
 * but with V8's native numeric sort of the keys (several times faster): each bin, in bin order,
 * takes the first free place at or after its key's lower bound.
 */
function orderCategories(used: number): void {
  for (let i = 0; i < used; i++) {
    sortedKeys[i] = catKeys[catBins[i]];
    catOrder[i] = -1;
  }
  const keys = sortedKeys.subarray(0, used).sort();
  for (let i = 0; i < used; i++) {
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
  out.reset();
  const p = ctx.nBins.length;
  const base = objective(node.G, node.H, ctx.l2, node.value);
  for (let f = 0; f < p; f++) {
    if (!ctx.allowed[f]) continue;
    if (ctx.isCat[f]) scanCategorical(ctx, f, hist, ho + ctx.hoff[f], node, base, out);
    else scanNumeric(ctx, f, hist, ho + ctx.hoff[f], node, base, out);
  }
  if (out.feature < 0) return false;
  if (!out.isCat) out.setNumericBits(ctx.nBins[out.feature]);
  return true;
}

function scanNumeric(ctx: SplitContext, f: number, hist: Float64Array, o: number, node: NodeStats, base: number, out: SplitCandidate): void {
  const nb = ctx.nBins[f];
  const mo = o + 3 * nb;
  const gm = hist[mo];
  const hm = hist[mo + 1];
  const cm = hist[mo + 2];
  const { G, H, C, lo, hi } = node;
  const l2 = ctx.l2;
  const minLeaf = ctx.minSamplesLeaf;
  const minH = ctx.minHessian;
  const mono = ctx.monotonic[f];
  for (let pass = 0; pass < (cm > 0 ? 2 : 1); pass++) {
    // pass 0: missing values go right; pass 1: they go left
    let gL = pass === 0 ? 0 : gm;
    let hL = pass === 0 ? 0 : hm;
    let cL = pass === 0 ? 0 : cm;
    const last = pass === 0 && cm > 0 ? nb - 1 : nb - 2;
    for (let b = 0; b <= last; b++) {
      const j = o + 3 * b;
      gL += hist[j];
      hL += hist[j + 1];
      cL += hist[j + 2];
      const cR = C - cL;
      if (cL < minLeaf) continue;
      if (cR < minLeaf) break;
      const hR = H - hL;
      if (hL < minH || hR < minH) continue;
      const gR = G - gL;
      const vL = leafValue(gL, hL, l2, lo, hi);
      const vR = leafValue(gR, hR, l2, lo, hi);
      if ((mono > 0 && vL > vR) || (mono < 0 && vL < vR)) continue;
      const gain = base - objective(gL, hL, l2, vL) - objective(gR, hR, l2, vR);
      if (gain > out.gain) {
        out.gain = gain;
        out.feature = f;
        out.bin = b;
        out.isCat = false;
        out.defaultLeft = cm > 0 ? pass === 1 : cL >= cR;
        out.gL = gL;
        out.hL = hL;
        out.cL = cL;
        out.gR = gR;
        out.hR = hR;
        out.cR = cR;
        out.vL = vL;
        out.vR = vR;
      }
    }
  }
}

function scanCategorical(ctx: SplitContext, f: number, hist: Float64Array, o: number, node: NodeStats, base: number, out: SplitCandidate): void {
  const nb = ctx.nBins[f];
  // support in rows: the hessian scaled by the node's rows per unit of hessian
  const support = node.H > 0 ? node.C / node.H : 0;
  let used = 0;
  for (let b = 0; b <= nb; b++) {
    const j = o + 3 * b;
    const hb = hist[j + 1];
    if (hist[j + 2] > 0 && hb * support >= CAT_MIN_SUPPORT) {
      catBins[used] = b;
      catKeys[b] = hist[j] / (hb + CAT_SMOOTH);
      used++;
    }
  }
  if (used <= 1) return;
  orderCategories(used);
  const { G, H, C, lo, hi } = node;
  const l2 = ctx.l2;
  const minLeaf = ctx.minSamplesLeaf;
  const minH = ctx.minHessian;
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
      const b = catOrder[dir === 0 ? i : used - 1 - i];
      const j = o + 3 * b;
      gL += hist[j];
      hL += hist[j + 1];
      cL += hist[j + 2];
      const cR = C - cL;
      if (cL < minLeaf) continue;
      if (cR < minLeaf) break;
      const hR = H - hL;
      if (hL < minH || hR < minH) continue;
      const gR = G - gL;
      const vL = leafValue(gL, hL, l2, lo, hi);
      const vR = leafValue(gR, hR, l2, lo, hi);
      const gain = base - objective(gL, hL, l2, vL) - objective(gR, hR, l2, vR);
      if (gain > out.gain) {
        out.gain = gain;
        out.feature = f;
        out.isCat = true;
        out.gL = gL;
        out.hL = hL;
        out.cL = cL;
        out.gR = gR;
        out.hR = hR;
        out.cR = cR;
        out.vL = vL;
        out.vR = vR;
        bestDir = dir;
        bestLen = i + 1;
        found = true;
      }
    }
  }
  if (!found) return;
  const bits = out.bits;
  bits.fill(0);
  let missingUsed = false;
  for (let i = 0; i < bestLen; i++) {
    const b = catOrder[bestDir === 0 ? i : used - 1 - i];
    bits[b >>> 5] |= 1 << (b & 31);
  }
  for (let i = 0; i < used; i++) if (catBins[i] === nb) missingUsed = true;
  // with no missing rows at this node, missing (and unseen) values follow the larger child;
  // missing rows too few to be ordered stay right, where the sums above counted them
  if (!missingUsed && hist[o + 3 * nb + 2] === 0 && out.cL >= out.cR) bits[nb >>> 5] |= 1 << (nb & 31);
  out.defaultLeft = ((bits[nb >>> 5] >>> (nb & 31)) & 1) === 1;
  out.bin = 0;
}
