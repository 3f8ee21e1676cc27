/**
 * Per-iteration row subsampling and per-tree feature subsampling, from the fit's seeded `Rng`.
 */
import type { Rng } from "../../core/index.js";

const INV_2_32 = 2.3283064365386963e-10;

/**
 * Exactly `m` of the rows 0..n−1, without replacement, written in increasing order into
 * `out[0..m)` (Knuth's selection sampling, TAOCP vol. 2, Algorithm 3.4.2 S): one pass, no sort.
 */
export function sampleRows(n: number, m: number, rng: Rng, out: Int32Array): number {
  let need = m;
  let k = 0;
  for (let i = 0; i < n && need > 0; i++) {
    if (rng.nextUint32() * INV_2_32 * (n - i) < need) {
      out[k++] = i;
      need--;
    }
  }
  return k;
}

/** A 0/1 mask choosing max(1, round(fraction·p)) of p features. */
export function sampleFeatures(p: number, fraction: number, rng: Rng, out: Uint8Array): void {
  if (fraction >= 1) {
    out.fill(1);
    return;
  }
  const k = Math.max(1, Math.min(p, Math.round(fraction * p)));
  out.fill(0);
  const pick = rng.sampleWithoutReplacement(p, k);
  for (let i = 0; i < k; i++) out[pick[i]] = 1;
}
