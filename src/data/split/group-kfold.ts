/**
 * Group k-fold (scikit-learn's `GroupKFold`): no group appears in two folds. Groups are taken
 * from largest to smallest and each goes to the fold with the fewest rows so far (the first such
 * fold on ties), which balances fold sizes greedily. Groups of equal size are taken in
 * descending order of their sorted label, as NumPy's `argsort()[::-1]` gives for small inputs.
 */
import type { Split, LabelInput } from "./types.js";
import { checkFolds } from "./checks.js";
import { splitsFromFolds } from "./folds.js";
import { encodeLabels } from "./labels.js";

/** Options of `groupKFold`. */
export interface GroupKFoldOptions {
  /** Number of folds (default 5); at most the number of distinct groups. */
  k?: number;
}

/**
 * k splits keeping every group (a customer, a patient, a session...) in exactly one test fold.
 * @example
 * ```ts
 * const folds = groupKFold(["a", "a", "b", "c", "c", "d"], { k: 2 });
 * ```
 */
export function groupKFold(groups: LabelInput, options: GroupKFoldOptions = {}): Split[] {
  const enc = encodeLabels(groups, "groups", "sorted");
  const nGroups = enc.values.length;
  const k = checkFolds(options.k ?? 5, nGroups, "groups");
  const order = Array.from({ length: nGroups }, (_, g) => g);
  order.sort((a, b) => enc.counts[b] - enc.counts[a] || b - a);
  const load = new Float64Array(k);
  const foldOfGroup = new Int32Array(nGroups);
  for (const g of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
    load[best] += enc.counts[g];
    foldOfGroup[g] = best;
  }
  const n = enc.codes.length;
  const foldOf = new Int32Array(n);
  for (let i = 0; i < n; i++) foldOf[i] = foldOfGroup[enc.codes[i]];
  return splitsFromFolds(foldOf, k);
}
