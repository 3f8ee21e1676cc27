/**
 * Gradient histograms (Chen & Guestrin, "XGBoost", KDD 2016 §3.3 `hist`; Ke et al., "LightGBM",
 * NeurIPS 2017): for every feature and bin of a node, the sums of gradients, hessians and the row
 * count, laid out as one `Float64Array` of triples `[g, h, count]`, features packed back to back
 * (feature f's bin b at `hoff[f] + 3·b`, its missing bin at `3·nBins[f]`). A child's histogram is
 * its parent's minus its sibling's, so only the smaller child is ever built from rows.
 */

/** Where each feature's bins start in a histogram, and the histogram's length in doubles. */
export interface HistLayout {
  hoff: Int32Array;
  size: number;
}

export function histLayout(nBins: Int32Array): HistLayout {
  const p = nBins.length;
  const hoff = new Int32Array(p);
  let o = 0;
  for (let f = 0; f < p; f++) {
    hoff[f] = o;
    o += 3 * (nBins[f] + 1);
  }
  return { hoff, size: o };
}

/** Histogram kernels specialised for one feature layout. */
export interface HistKernels {
  /** Add rows a..b−1 (all rows, in order) into `out` at offset `o`. */
  dense(bins: Uint8Array, g: Float32Array, h: Float32Array, gBase: number, a: number, b: number, out: Float64Array, o: number): void;
  /** Like `dense`, but only gradient and hessian sums (counts left as they are). */
  denseNoCount(bins: Uint8Array, g: Float32Array, h: Float32Array, gBase: number, a: number, b: number, out: Float64Array, o: number): void;
  /** Add the rows listed at `rows[a..b−1]` into `out` at offset `o`. */
  rows(bins: Uint8Array, g: Float32Array, h: Float32Array, gBase: number, rows: Int32Array, a: number, b: number, out: Float64Array, o: number): void;
  /** A `rows` kernel for features f0..f1−1 only (built on first use, then cached). */
  rowsOf(f0: number, f1: number): HistKernels["rows"];
}

/** Features up to which kernels are generated with the feature loop unrolled. */
export const UNROLL_MAX_FEATURES = 64;

/** Bytes per row of the row-major bin matrix for p features: p rounded up to whole 32-bit words. */
export function rowStride(p: number): number {
  return Math.max(4, (p + 3) & ~3);
}

/** Rows gathered at a time by the `rows` kernels (their records stay in L1: 256 × 40 bytes at 30 features). */
export const GATHER_ROWS = 256;

/**
 * Kernels for a layout whose rows are `stride` bytes apart in the row-major bin matrix. Up to
 * `UNROLL_MAX_FEATURES` features the per-row loop over features is unrolled into straight-line
 * code with the layout's offsets as constants (built with `Function` from numbers only: p, the
 * stride and the offsets), which runs about 2.5× faster in V8 than the generic loop; wider data
 * uses the generic loops below. When the stride is whole words, the `rows` kernels first gather
 * each run of `GATHER_ROWS` listed rows into a small contiguous buffer of records (the row's bin
 * words, then its gradient and hessian), as LightGBM gathers ordered gradients: a node's rows are
 * scattered over the matrix, and the histogram loop's reads then come from L1 instead of three
 * cache misses per row inside it (the gather issues those misses back to back). Every kernel
 * adds the rows in the same order, so all give identical sums.
 */
export function histKernels(p: number, hoff: Int32Array, stride = p): HistKernels {
  const cache = new Map<number, HistKernels["rows"]>();
  if (p > UNROLL_MAX_FEATURES) {
    return {
      dense: (bins, g, h, gBase, a, b, out, o) => histDense(bins, p, hoff, g, h, gBase, a, b, out, o, true, stride),
      denseNoCount: (bins, g, h, gBase, a, b, out, o) => histDense(bins, p, hoff, g, h, gBase, a, b, out, o, false, stride),
      rows: (bins, g, h, gBase, rows, a, b, out, o) => histRows(bins, p, hoff, g, h, gBase, rows, a, b, out, o, 0, p, stride),
      rowsOf: (f0, f1) => (bins, g, h, gBase, rows, a, b, out, o) => histRows(bins, p, hoff, g, h, gBase, rows, a, b, out, o, f0, f1, stride),
    };
  }
  const S = stride | 0;
  const gathered = S % 4 === 0;
  // the gather buffer (per thread: each thread builds its own kernels), as words, floats and bytes
  const WB = S >> 2;
  const W = WB + 2;
  const buf = new ArrayBuffer(GATHER_ROWS * W * 4);
  const rec32 = new Int32Array(buf);
  const recF = new Float32Array(buf);
  const rec8 = new Uint8Array(buf);
  let lastBins: Uint8Array | null = null;
  let bins32: Int32Array<ArrayBufferLike> = new Int32Array(0);
  const words = (bins: Uint8Array): Int32Array => {
    if (bins !== lastBins) {
      if (bins.byteOffset % 4 !== 0 || bins.length % 4 !== 0) throw new Error("gbdt internal error: a row-major bin matrix with a word stride must start and end on a word");
      bins32 = new Int32Array(bins.buffer, bins.byteOffset, bins.length >> 2);
      lastBins = bins;
    }
    return bins32;
  };
  const rowsKernel = (f0: number, f1: number): HistKernels["rows"] => {
    let part = "";
    if (!gathered) {
      for (let f = f0; f < f1; f++) part += `j = o + ${hoff[f] | 0} + 3 * bins[ro + ${f}]; out[j] += gv; out[j + 1] += hv; out[j + 2] += 1;\n`;
      return new Function(
        `return function histRowsUnrolled_${f0}_${f1}(bins, g, h, gBase, rows, a, b, out, o) {\n  let j = 0;\n  for (let i = a; i < b; i++) {\n    const r = rows[i];\n    const gv = g[gBase + r];\n    const hv = h[gBase + r];\n    const ro = r * ${S};\n${part}  }\n};`,
      )() as HistKernels["rows"];
    }
    // words of the record holding features f0..f1−1
    const w0 = f0 >> 2;
    const w1 = (f1 + 3) >> 2;
    let copy = "";
    for (let w = w0; w < w1; w++) copy += `rec32[d + ${w}] = b32[s + ${w}]; `;
    for (let f = f0; f < f1; f++) part += `j = o + ${hoff[f] | 0} + 3 * rec8[ro + ${f}]; out[j] += gv; out[j + 1] += hv; out[j + 2] += 1;\n`;
    const kernel = new Function(
      "rec32",
      "recF",
      "rec8",
      `return function histRowsGathered_${f0}_${f1}(b32, g, h, gBase, rows, a, b, out, o) {
  let j = 0;
  for (let c = a; c < b; c += ${GATHER_ROWS}) {
    const e = Math.min(b, c + ${GATHER_ROWS});
    for (let i = c, d = 0; i < e; i++, d += ${W}) {
      const r = rows[i];
      const s = r * ${WB};
      ${copy}
      recF[d + ${WB}] = g[gBase + r];
      recF[d + ${WB + 1}] = h[gBase + r];
    }
    const len = e - c;
    for (let i = 0; i < len; i++) {
      const gv = recF[i * ${W} + ${WB}];
      const hv = recF[i * ${W} + ${WB + 1}];
      const ro = i * ${4 * W};
${part}    }
  }
};`,
    )(rec32, recF, rec8) as (b32: Int32Array, g: Float32Array, h: Float32Array, gBase: number, rows: Int32Array, a: number, b: number, out: Float64Array, o: number) => void;
    return (bins, g, h, gBase, rows, a, b, out, o) => kernel(words(bins), g, h, gBase, rows, a, b, out, o);
  };
  let body = "";
  let bodyGH = "";
  for (let f = 0; f < p; f++) {
    const off = hoff[f] | 0;
    body += `j = o + ${off} + 3 * bins[ro + ${f}]; out[j] += gv; out[j + 1] += hv; out[j + 2] += 1;\n`;
    bodyGH += `j = o + ${off} + 3 * bins[ro + ${f}]; out[j] += gv; out[j + 1] += hv;\n`;
  }
  const dense = new Function(
    `return function histDenseUnrolled(bins, g, h, gBase, a, b, out, o) {\n  let j = 0;\n  for (let r = a; r < b; r++) {\n    const gv = g[gBase + r];\n    const hv = h[gBase + r];\n    const ro = r * ${S};\n${body}  }\n};`,
  )() as HistKernels["dense"];
  const denseNoCount = new Function(
    `return function histDenseUnrolledGH(bins, g, h, gBase, a, b, out, o) {\n  let j = 0;\n  for (let r = a; r < b; r++) {\n    const gv = g[gBase + r];\n    const hv = h[gBase + r];\n    const ro = r * ${S};\n${bodyGH}  }\n};`,
  )() as HistKernels["denseNoCount"];
  const rows = rowsKernel(0, p);
  const rowsOf = (f0: number, f1: number) => {
    const key = f0 * 65536 + f1;
    let k = cache.get(key);
    if (!k) cache.set(key, (k = rowsKernel(f0 | 0, f1 | 0)));
    return k;
  };
  return { dense, denseNoCount, rows, rowsOf };
}

/** Add rows a..b−1 (all rows, in order) into `out` at offset `o` (generic loop; rows `stride` bytes apart). */
export function histDense(bins: Uint8Array, p: number, hoff: Int32Array, g: Float32Array, h: Float32Array, gBase: number, a: number, b: number, out: Float64Array, o: number, counts = true, stride = p): void {
  const c = counts ? 1 : 0;
  for (let r = a; r < b; r++) {
    const gv = g[gBase + r];
    const hv = h[gBase + r];
    const ro = r * stride;
    for (let f = 0; f < p; f++) {
      const j = o + hoff[f] + bins[ro + f] * 3;
      out[j] += gv;
      out[j + 1] += hv;
      out[j + 2] += c;
    }
  }
}

/** Add the rows listed at `rows[a..b−1]` into `out` at offset `o`, features f0..f1−1 (generic loop; rows `stride` bytes apart). */
export function histRows(bins: Uint8Array, p: number, hoff: Int32Array, g: Float32Array, h: Float32Array, gBase: number, rows: Int32Array, a: number, b: number, out: Float64Array, o: number, f0 = 0, f1 = p, stride = p): void {
  for (let i = a; i < b; i++) {
    const r = rows[i];
    const gv = g[gBase + r];
    const hv = h[gBase + r];
    const ro = r * stride;
    for (let f = f0; f < f1; f++) {
      const j = o + hoff[f] + bins[ro + f] * 3;
      out[j] += gv;
      out[j + 1] += hv;
      out[j + 2] += 1;
    }
  }
}

/** out = parent − child, element-wise over `size` doubles (offsets in each array). */
export function histSubtract(parent: Float64Array, po: number, child: Float64Array, co: number, out: Float64Array, oo: number, size: number): void {
  for (let j = 0; j < size; j++) out[oo + j] = parent[po + j] - child[co + j];
}
