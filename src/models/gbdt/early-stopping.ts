/**
 * Early stopping as scikit-learn's HistGradientBoosting does it: hold out `validationFraction` of
 * the rows (stratified by class for classifiers), score the validation loss after every iteration,
 * and stop once none of the last `nIterNoChange` losses improved on the one before them by more
 * than `tol`. Keel then keeps the trees up to the iteration with the lowest validation loss.
 */
import type { Rng } from "../../core/index.js";

/** Row indices (sorted) of a random hold-out split; stratified when `classes` is given. */
export function holdoutSplit(n: number, fraction: number, rng: Rng, classes?: Int32Array, nClasses = 0): { train: Int32Array; valid: Int32Array } {
  const isValid = new Uint8Array(n);
  if (classes && nClasses > 0) {
    const groups: number[][] = Array.from({ length: nClasses }, () => []);
    for (let i = 0; i < n; i++) groups[classes[i]].push(i);
    for (const g of groups) {
      const take = Math.min(g.length - 1, Math.max(g.length >= 2 ? 1 : 0, Math.round(fraction * g.length)));
      const perm = rng.permutation(g.length);
      for (let j = 0; j < take; j++) isValid[g[perm[j]]] = 1;
    }
  } else {
    const take = Math.min(n - 1, Math.max(1, Math.ceil(fraction * n)));
    const pick = rng.sampleWithoutReplacement(n, take);
    for (let j = 0; j < take; j++) isValid[pick[j]] = 1;
  }
  let nv = 0;
  for (let i = 0; i < n; i++) nv += isValid[i];
  const train = new Int32Array(n - nv);
  const valid = new Int32Array(nv);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (isValid[i]) valid[b++] = i;
    else train[a++] = i;
  }
  return { train, valid };
}

/**
 * scikit-learn's rule on the losses so far (index 0 = before the first tree): true when none of
 * the last `nIterNoChange` losses is below the one `nIterNoChange + 1` back minus `tol`.
 */
export function shouldStop(losses: readonly number[], nIterNoChange: number, tol: number): boolean {
  if (losses.length <= nIterNoChange) return false;
  const reference = losses[losses.length - nIterNoChange - 1] - tol;
  for (let i = losses.length - nIterNoChange; i < losses.length; i++) if (losses[i] < reference) return false;
  return true;
}

/** Iteration (1-based) with the lowest loss; `losses[0]` is the baseline and never chosen. */
export function bestIteration(losses: readonly number[]): number {
  let best = 1;
  for (let i = 2; i < losses.length; i++) if (losses[i] < losses[best]) best = i;
  return best;
}
