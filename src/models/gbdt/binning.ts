/**
 * Feature binning for histogram boosting (Ke et al., "LightGBM", NeurIPS 2017; scikit-learn's
 * `_BinMapper`): each numeric feature is cut at quantiles of (a sample of) its non-missing values
 * into at most `maxBins` bins — midpoints between distinct values when there are few, else NumPy's
 * "midpoint" percentiles at 100·k/maxBins (see `numericEdges`) — and each categorical feature gets one bin per
 * category seen in training (the rarest grouped into one "other" bin beyond `maxBins`). Missing
 * values get a bin of their own, index `nBins[f]`, so codes fit a `Uint8Array` (≤ 255 + 1).
 */
import { percentileSorted, sklearnBinningSample } from "../../core/index.js";
import type { FeatureColumn } from "./features.js";

/** Rows sampled to place numeric bin edges (scikit-learn uses the same 200,000). */
export const BINNING_SAMPLE = 200_000;

export interface Binning {
  p: number;
  /** Bins for non-missing values per feature; bin `nBins[f]` holds the missing values. */
  nBins: Int32Array;
  isCat: Uint8Array;
  /** Numeric feature f: `nBins[f] - 1` upper edges at `edges[edgeOffsets[f] ..]`; x ≤ edge b ⇔ bin ≤ b. */
  edgeOffsets: Int32Array;
  edges: Float64Array;
  /** Categorical feature f: bin of each training category code at `catToBin[catOffsets[f] + code]`, −1 if never seen. */
  catOffsets: Int32Array;
  catToBin: Int32Array;
}

/** One feature's bins: numeric edges, or a categorical feature's category-to-bin map. */
export interface FeatureBins {
  nBins: number;
  isCat: boolean;
  /** Numeric: the `nBins − 1` upper edges (empty for categorical features). */
  edges: Float64Array;
  /** Categorical: the bin of each category code, −1 if never seen (empty for numeric features). */
  catToBin: Int32Array;
}

/**
 * The rows that place numeric bin edges: all when n ≤ `BINNING_SAMPLE`, else the sorted sample
 * scikit-learn draws with `random_state = seed` (NumPy's legacy generator), so that edges — and
 * trees — equal scikit-learn's on large data too.
 */
export function binningSample(n: number, seed: number): Int32Array | null {
  return n > BINNING_SAMPLE ? sklearnBinningSample(n, BINNING_SAMPLE, seed) : null;
}

/** Fit the bins of one column (numeric edges from the `sample` rows, or all rows when null). */
export function fitFeatureBins(c: FeatureColumn, sample: Int32Array | null, maxBins: number): FeatureBins {
  if (c.cat) {
    const map = categoryBins(c.codes, c.nCats, maxBins);
    return { nBins: map.nBins, isCat: true, edges: new Float64Array(0), catToBin: map.catToBin };
  }
  const edges = numericEdges(c.values, sample, maxBins);
  return { nBins: edges.length + 1, isCat: false, edges, catToBin: new Int32Array(0) };
}

/** Fit bin edges and category maps on training columns (`seed` picks the sample of large data). */
export function fitBinning(cols: readonly FeatureColumn[], maxBins: number, seed: number): Binning {
  const n = cols.length === 0 ? 0 : columnLength(cols[0]);
  const sample = binningSample(n, seed);
  return assembleBinning(cols.map((c) => fitFeatureBins(c, sample, maxBins)));
}

/** The binning of all features from their per-feature bins (in feature order). */
export function assembleBinning(parts: readonly FeatureBins[]): Binning {
  const p = parts.length;
  const nBins = Int32Array.from(parts, (b) => b.nBins);
  const isCat = Uint8Array.from(parts, (b) => (b.isCat ? 1 : 0));
  const edgeOffsets = new Int32Array(p + 1);
  const catOffsets = new Int32Array(p + 1);
  for (let f = 0; f < p; f++) {
    edgeOffsets[f + 1] = edgeOffsets[f] + parts[f].edges.length;
    catOffsets[f + 1] = catOffsets[f] + parts[f].catToBin.length;
  }
  const edges = new Float64Array(edgeOffsets[p]);
  const catToBin = new Int32Array(catOffsets[p]);
  for (let f = 0; f < p; f++) {
    edges.set(parts[f].edges, edgeOffsets[f]);
    catToBin.set(parts[f].catToBin, catOffsets[f]);
  }
  return { p, nBins, isCat, edgeOffsets, edges, catOffsets, catToBin };
}

/** Rows of a column. */
export function columnLength(c: FeatureColumn): number {
  return c.cat ? c.codes.length : c.values.length;
}

/** Edges are capped here, so +∞ (and values beyond) fall in the last bin (scikit-learn's `ALMOST_INF`). */
export const ALMOST_INF = 1e300;

/**
 * Upper bin edges of one numeric column, as scikit-learn's `_find_binning_thresholds`: with at
 * most `maxBins` distinct non-missing values, the midpoints (a + b)·0.5 between consecutive ones;
 * with more, `np.percentile(values, np.linspace(0, 100, maxBins + 1)[1:-1], method="midpoint")`
 * of the (sampled) values — which lands on a data value where (m − 1)·k/maxBins is a whole number
 * in NumPy's arithmetic, and midway between two neighbours otherwise. Edges are capped at
 * `ALMOST_INF`; repeated edges are dropped (an empty bin between equal edges changes no split).
 */
export function numericEdges(values: Float64Array, sample: Int32Array | null, maxBins: number): Float64Array {
  const m0 = sample ? sample.length : values.length;
  const buf = new Float64Array(m0);
  let m = 0;
  for (let i = 0; i < m0; i++) {
    const x = values[sample ? sample[i] : i];
    if (x === x) buf[m++] = x;
  }
  const sorted = radixSortFloat64(buf.subarray(0, m));
  let distinct = 0;
  for (let i = 0; i < m; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  const out: number[] = [];
  if (distinct <= maxBins) {
    for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) out.push(Math.min(ALMOST_INF, (sorted[i - 1] + sorted[i]) * 0.5));
  } else {
    const step = 100 / maxBins; // np.linspace's step
    for (let k = 1; k < maxBins; k++) {
      const e = Math.min(ALMOST_INF, percentileSorted(sorted, k * step, "midpoint"));
      if (out.length === 0 || e > out[out.length - 1]) out.push(e);
    }
  }
  return Float64Array.from(out);
}

/** Radix digits over a key's high 32 bits: passes of 11, 11 and 10 bits. */
const RADIX_BITS = 11;
const RADIX = 1 << RADIX_BITS;
const RADIX_PASSES = 3;
/** Runs of equal high words up to this long are put in order by insertion; longer ones by `sort`. */
const INSERTION_RUN = 16;

/**
 * Sort doubles without NaN in place, in the order of `Float64Array.prototype.sort` (−0 before +0):
 * an LSD radix sort (Knuth, TAOCP vol. 3, §5.2.5) on the high 32 bits of their IEEE-754 bits made
 * order-preserving (negative numbers: all bits flipped; others: the sign bit) — sign, exponent and
 * 20 mantissa bits, so three passes — then runs of equal high words (equal values, or values a
 * relative 2⁻²⁰ apart) are put in order by their full value. Four times faster than the built-in
 * sort on the 200,000 values a feature's edges come from. Passes where every key has the same
 * digit are skipped.
 * @example
 * ```ts
 * radixSortFloat64(Float64Array.of(2, -0, 0, -1)); // Float64Array [-1, -0, 0, 2]
 * ```
 */
export function radixSortFloat64(a: Float64Array): Float64Array {
  const n = a.length;
  if (n < 2048) return a.sort();
  const words = new Uint32Array(a.buffer, a.byteOffset, 2 * n);
  const hiKey = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const counts = new Int32Array(RADIX_PASSES * RADIX);
  for (let i = 0; i < n; i++) {
    const h = words[2 * i + 1];
    const k = h & 0x80000000 ? ~h >>> 0 : (h | 0x80000000) >>> 0;
    hiKey[i] = k;
    lo[i] = words[2 * i];
    counts[k & (RADIX - 1)]++;
    counts[RADIX + ((k >>> RADIX_BITS) & (RADIX - 1))]++;
    counts[2 * RADIX + (k >>> (2 * RADIX_BITS))]++;
  }
  let srcK = hiKey;
  let srcL = lo;
  let dstK = new Uint32Array(n);
  let dstL = new Uint32Array(n);
  for (let pass = 0; pass < RADIX_PASSES; pass++) {
    const o = pass * RADIX;
    const shift = pass * RADIX_BITS;
    if (counts[o + ((srcK[0] >>> shift) & (RADIX - 1))] === n) continue;
    for (let d = 0, sum = 0; d < RADIX; d++) {
      const c = counts[o + d];
      counts[o + d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = srcK[i];
      const j = counts[o + ((k >>> shift) & (RADIX - 1))]++;
      dstK[j] = k;
      dstL[j] = srcL[i];
    }
    [srcK, dstK] = [dstK, srcK];
    [srcL, dstL] = [dstL, srcL];
  }
  for (let i = 0; i < n; i++) {
    const k = srcK[i];
    words[2 * i] = srcL[i];
    words[2 * i + 1] = k & 0x80000000 ? k ^ 0x80000000 : ~k;
  }
  // equal high words: order by the whole value (insertion for short runs, a stable result either way)
  for (let i = 0; i < n; ) {
    const k = srcK[i];
    let j = i + 1;
    while (j < n && srcK[j] === k) j++;
    if (j - i > INSERTION_RUN) a.subarray(i, j).sort();
    else if (j - i > 1) {
      for (let r = i + 1; r < j; r++) {
        const x = a[r];
        let q = r;
        while (q > i && a[q - 1] > x) {
          a[q] = a[q - 1];
          q--;
        }
        a[q] = x;
      }
    }
    i = j;
  }
  return a;
}

/**
 * Bins of one categorical column: one per category present, in code order; when more than
 * `maxBins` are present the `maxBins − 1` most frequent keep a bin each and the rest share the last.
 */
export function categoryBins(codes: Int32Array, nCats: number, maxBins: number): { catToBin: Int32Array; nBins: number } {
  const counts = new Float64Array(nCats);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c >= 0 && c < nCats) counts[c]++;
  }
  const present: number[] = [];
  for (let c = 0; c < nCats; c++) if (counts[c] > 0) present.push(c);
  const catToBin = new Int32Array(nCats).fill(-1);
  if (present.length <= maxBins) {
    present.forEach((c, b) => (catToBin[c] = b));
    return { catToBin, nBins: Math.max(1, present.length) };
  }
  const byCount = [...present].sort((a, b) => counts[b] - counts[a] || a - b);
  const keep = byCount.slice(0, maxBins - 1).sort((a, b) => a - b);
  const other = maxBins - 1;
  for (const c of present) catToBin[c] = other;
  keep.forEach((c, b) => (catToBin[c] = b));
  return { catToBin, nBins: maxBins };
}

/** The bin of value `x` of numeric feature f (binary search over its edges). */
export function numericBin(edges: Float64Array, lo0: number, hi0: number, x: number): number {
  let lo = lo0;
  let hi = hi0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo - lo0;
}

/** Rows binned at a time by `binRows`: their row-major codes (rows × stride bytes) stay in cache. */
const ROW_BLOCK = 4096;

/**
 * Bin codes of all rows, row-major (row i's features at [i·stride, i·stride + p); stride p unless
 * given, training pads rows to whole words): one cache line holds a row, which is what histogram
 * building over a node's scattered rows reads. Written a block of `ROW_BLOCK` rows at a time, each
 * feature's mapper prepared once.
 */
export function binRows(cols: readonly FeatureColumn[], b: Binning, out?: Uint8Array, stride = b.p): Uint8Array {
  const p = b.p;
  const n = p === 0 ? 0 : columnLength(cols[0]);
  const bins = out ?? new Uint8Array(n * stride);
  const mappers = Array.from({ length: p }, (_, f) => binMapper(featureBins(b, f)));
  for (let a = 0; a < n; a += ROW_BLOCK) {
    const end = Math.min(n, a + ROW_BLOCK);
    for (let f = 0; f < p; f++) binRange(cols[f], mappers[f], a, end, bins, a * stride + f, stride);
  }
  return bins;
}

/**
 * Feature f's bins as a `FeatureBins` (views into the binning's arrays).
 * @example
 * ```ts
 * const b = fitBinning([{ cat: false, values: Float64Array.of(1, 2, 3) }], 255, 0);
 * featureBins(b, 0).edges; // Float64Array [1.5, 2.5]
 * ```
 */
export function featureBins(b: Binning, f: number): FeatureBins {
  const lo = b.edgeOffsets[f];
  const co = b.catOffsets[f];
  return { nBins: b.nBins[f], isCat: b.isCat[f] === 1, edges: b.edges.subarray(lo, b.edgeOffsets[f + 1]), catToBin: b.catToBin.subarray(co, b.catOffsets[f + 1]) };
}

/** Codes of one column into `out[offset + i·stride]` for rows i (stride p: row-major; 1: a column). */
export function binColumn(c: FeatureColumn, fb: FeatureBins, out: Uint8Array, offset: number, stride: number): void {
  binRange(c, binMapper(fb), 0, columnLength(c), out, offset, stride);
}

/**
 * How a feature's values find their bins: for numeric edges, a uniform grid over the edges'
 * range, fine enough that a cell holds an edge or none for quantile edges of smooth data — each
 * cell knows the bin of its left end, and a value's bin is a step or two from its cell's (the two
 * walks of `binRange` make the result exact whatever the rounding of the cell's number). No grid
 * (`start` null) for few edges, or edges crowded into few cells (heavy tails, outliers): a binary
 * search over all edges then.
 */
interface BinMapper {
  fb: FeatureBins;
  start: Int32Array | null;
  lo: number;
  scale: number;
}

function binMapper(fb: FeatureBins): BinMapper {
  const e = fb.edges;
  const hi = e.length;
  const lo = hi > 0 ? e[0] : 0;
  const width = hi > 0 ? e[hi - 1] - lo : 0;
  const none: BinMapper = { fb, start: null, lo: 0, scale: 0 };
  if (fb.isCat || hi < 8 || !(width > 0 && width < Infinity)) return none;
  const cells = GRID_CELLS_PER_EDGE * hi;
  const scale = cells / width;
  const start = new Int32Array(cells + 1);
  let span = 0;
  for (let k = 0; k < cells; k++) {
    start[k] = numericBin(e, 0, hi, lo + k / scale);
    if (k > 0) span = Math.max(span, start[k] - start[k - 1]);
  }
  start[cells] = hi;
  return Math.max(span, hi - start[cells - 1]) > GRID_SPAN ? none : { fb, start, lo, scale };
}

/** Codes of rows a..b−1 of one column into `out[offset + (i − a)·stride]`. */
function binRange(c: FeatureColumn, m: BinMapper, a: number, b: number, out: Uint8Array, offset: number, stride: number): void {
  const miss = m.fb.nBins;
  if (c.cat) {
    const codes = c.codes;
    const map = m.fb.catToBin;
    const nc = map.length;
    for (let i = a, j = offset; i < b; i++, j += stride) {
      const k = codes[i];
      const bin = k >= 0 && k < nc ? map[k] : -1;
      out[j] = bin < 0 ? miss : bin;
    }
    return;
  }
  const v = c.values;
  const e = m.fb.edges;
  const hi = e.length;
  const { start, lo, scale } = m;
  const last = start ? start.length - 2 : 0;
  // runs of equal values (sorted or time-ordered data) skip the search
  let prevX = NaN;
  let prevBin = miss;
  for (let i = a, j = offset; i < b; i++, j += stride) {
    const x = v[i];
    if (x !== prevX) {
      prevX = x;
      if (x !== x) prevBin = miss;
      else if (start) {
        const t = (x - lo) * scale;
        let k = start[t <= 0 ? 0 : t >= last ? last : t | 0];
        while (k < hi && x > e[k]) k++;
        while (k > 0 && x <= e[k - 1]) k--;
        prevBin = k;
      } else prevBin = numericBin(e, 0, hi, x);
    }
    out[j] = prevBin;
  }
}

/** Rows from which binning a feature pays for `warmBinning` (its first call would run long unoptimised). */
export const WARM_BINNING_ROWS = 100_000;
/** Values of the synthetic column `warmBinning` bins, and how many times. */
const WARM_VALUES = 20_000;
const WARM_REPEATS = 3;
let warmed = false;

/**
 * Bin a small synthetic column a few times, once per thread, before binning large columns: a first
 * call on 500,000 rows runs largely before V8 has optimised the sort and the code loop (about 80 ms
 * for the wide set's first feature against 13 ms for the next ones); a small warm-up (~45 ms)
 * gets them optimised first — about 100 ms less CPU for binning the 30 features of 500,000 rows,
 * and on every worker thread that bins too. The results are discarded, so codes never change.
 * @example
 * ```ts
 * if (n >= WARM_BINNING_ROWS) warmBinning(); // before the first large feature on this thread
 * ```
 */
export function warmBinning(): void {
  if (warmed) return;
  warmed = true;
  const values = new Float64Array(WARM_VALUES);
  // a deterministic scramble of [0, 1) (a Weyl sequence), with a few missing values
  for (let i = 0; i < WARM_VALUES; i++) values[i] = i % 97 === 0 ? NaN : (i * 0.6180339887498949) % 1;
  const sample = new Int32Array(WARM_VALUES >> 1);
  for (let i = 0; i < sample.length; i++) sample[i] = 2 * i;
  const col: FeatureColumn = { cat: false, values };
  const out = new Uint8Array(WARM_VALUES);
  for (let r = 0; r < WARM_REPEATS; r++) binColumn(col, fitFeatureBins(col, sample, 255), out, 0, 1);
}

/** Rows a thread transposes at a time in `transposeCodes` (their row-major codes stay in cache). */
export const TRANSPOSE_BLOCK = 1 << 14;

/** Whether this platform stores a 32-bit word's low byte first (every one Node runs on, in practice). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Copy column-major codes (feature f's n codes at f·n) into row-major ones (row i's at i·stride)
 * for rows a..b−1 — a block of `TRANSPOSE_BLOCK` rows at a time keeps the rows being written in
 * cache while every feature's column is read in order; with rows of whole words, four features'
 * codes go into a row as one 32-bit word (a quarter of the scattered writes).
 * @example
 * ```ts
 * const rows = new Uint8Array(2 * 4);
 * transposeCodes(Uint8Array.of(1, 2, 3, 4), 2, 2, rows, 4, 0, 2); // rows: [1, 3, 0, 0, 2, 4, 0, 0]
 * ```
 */
export function transposeCodes(binsCol: Uint8Array, n: number, p: number, bins: Uint8Array, stride: number, a: number, b: number): void {
  const words = LITTLE_ENDIAN && stride % 4 === 0 && bins.byteOffset % 4 === 0 ? new Uint32Array(bins.buffer, bins.byteOffset, bins.length >>> 2) : null;
  const ws = stride >>> 2;
  for (let a0 = a; a0 < b; a0 += TRANSPOSE_BLOCK) {
    const b0 = Math.min(b, a0 + TRANSPOSE_BLOCK);
    let f = 0;
    if (words) {
      for (; f + 4 <= p; f += 4) {
        const o0 = f * n;
        const o1 = o0 + n;
        const o2 = o1 + n;
        const o3 = o2 + n;
        for (let i = a0, j = a0 * ws + (f >>> 2); i < b0; i++, j += ws) words[j] = binsCol[o0 + i] | (binsCol[o1 + i] << 8) | (binsCol[o2 + i] << 16) | (binsCol[o3 + i] << 24);
      }
    }
    for (; f < p; f++) {
      const o = f * n;
      for (let i = a0, j = a0 * stride + f; i < b0; i++, j += stride) bins[j] = binsCol[o + i];
    }
  }
}

/** Grid cells per edge of a `BinMapper`'s grid. */
const GRID_CELLS_PER_EDGE = 16;

/** Edges one grid cell may hold before a `BinMapper` searches all edges instead. */
const GRID_SPAN = 16;
