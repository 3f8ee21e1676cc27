/**
 * Downsampling a metric history for charts: Largest-Triangle-Three-Buckets (S. Steinarsson,
 * "Downsampling Time Series for Visual Representation", MSc thesis, University of Iceland,
 * 2013). The first and last points are kept; each of the `threshold − 2` buckets in between
 * contributes the point forming the largest triangle with the previously chosen point and the
 * mean of the next bucket, which keeps peaks, troughs and the curve's shape.
 */

/**
 * Indices (increasing) of at most `threshold` points of the series (x ascending). Returns all
 * indices when the series is not longer than `threshold`. O(n), no allocation per point.
 * @example
 * ```ts
 * const keep = lttbIndices(steps, values, 1000); // indices of ≤ 1000 points that keep the curve's shape
 * ```
 */
export function lttbIndices(x: ArrayLike<number>, y: ArrayLike<number>, threshold: number): Int32Array {
  const n = x.length;
  if (threshold >= n || threshold < 3) {
    if (threshold >= n || n <= 2) {
      const all = new Int32Array(n);
      for (let i = 0; i < n; i++) all[i] = i;
      return all;
    }
    threshold = 3;
  }
  const out = new Int32Array(threshold);
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  out[0] = 0;
  for (let b = 0; b < threshold - 2; b++) {
    // mean of the next bucket
    let avgStart = Math.floor((b + 1) * every) + 1;
    let avgEnd = Math.floor((b + 2) * every) + 1;
    if (avgEnd > n) avgEnd = n;
    if (avgStart >= avgEnd) avgStart = avgEnd - 1;
    let ax = 0;
    let ay = 0;
    for (let i = avgStart; i < avgEnd; i++) {
      ax += x[i];
      ay += y[i];
    }
    const len = avgEnd - avgStart;
    ax /= len;
    ay /= len;
    // this bucket
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    const px = x[a];
    const py = y[a];
    let best = -1;
    let pick = start;
    for (let i = start; i < end; i++) {
      const area = Math.abs((px - ax) * (y[i] - py) - (px - x[i]) * (ay - py));
      if (area > best) {
        best = area;
        pick = i;
      }
    }
    out[b + 1] = pick;
    a = pick;
  }
  out[threshold - 1] = n - 1;
  return out;
}
