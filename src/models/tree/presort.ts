/**
 * Per-feature sort of the training rows, computed once per fit and shared by every tree of a
 * forest (and every worker thread). Row i's position in feature j's ascending order is
 * `rank[i*p + j]` — distinct for every row, ties ordered by row index, missing values (NaN) last;
 * ranks are stored row by row so the features a node tries for one row share a cache line. The
 * rows in feature j's order, with their values, are `byRank[2(j·n + r)]` (row) and
 * `byRank[2(j·n + r) + 1]` (value). A node then sorts its rows along a feature by sorting their
 * ranks (small integers) instead of comparing doubles, and reads rows and values back in order.
 */
import { allocF64, allocU32 } from "./matrix.js";

export interface Presort {
  /** Row-major ranks: `rank[i*p + j]`. */
  rank: Uint32Array;
  /** Per feature and rank: the row, then its value (n × p pairs, feature-major). */
  byRank: Float64Array;
  /** Per feature: rows with a value (ranks below this are present, at or above it are NaN). */
  nonMissing: Int32Array;
}

export function presort(X: Float64Array, n: number, p: number, shared = false): Presort {
  const rank = allocU32(n * p, shared);
  const byRank = allocF64(2 * n * p, shared);
  const nonMissing = new Int32Array(p);
  const sorted = new Float64Array(n);
  const next = new Int32Array(n);
  for (let j = 0; j < p; j++) {
    const off = j * n;
    const col = X.subarray(off, off + n);
    sorted.set(col);
    sorted.sort(); // numeric, NaN last
    let nn = n;
    while (nn > 0 && sorted[nn - 1] !== sorted[nn - 1]) nn--;
    nonMissing[j] = nn;
    next.fill(0);
    let nanAt = nn;
    for (let i = 0; i < n; i++) {
      const v = col[i];
      let r: number;
      if (v !== v) r = nanAt++;
      else {
        // first position holding v (lower bound), then the next free slot in v's run
        let lo = 0;
        let hi = nn;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (sorted[mid] < v) lo = mid + 1;
          else hi = mid;
        }
        r = lo + next[lo]++;
      }
      rank[i * p + j] = r;
      byRank[2 * (off + r)] = i;
      byRank[2 * (off + r) + 1] = v;
    }
  }
  return { rank, byRank, nonMissing };
}
