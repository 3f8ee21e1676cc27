/**
 * Stratified k-fold (scikit-learn's `StratifiedKFold`, and `RepeatedStratifiedKFold` with
 * `repeats`): each class is spread over the folds so
 * that per-fold counts of a class differ by at most one. Classes are numbered by first
 * appearance; rows sorted by that number are dealt to folds round-robin (row i of the sorted
 * order goes to fold i mod k), which fixes how many rows of each class each fold gets; within a
 * class, rows are then given to folds in row order (or shuffled).
 */
import { InvalidInputError, show, type Rng } from "../../core/index.js";
import { checkFolds, checkShuffle, rngOf } from "./checks.js";
import { splitsFromFolds } from "./folds.js";
import { encodeLabels } from "./labels.js";
import type { LabelInput, Split } from "./types.js";

/** Options of `stratifiedKFold`. */
export interface StratifiedKFoldOptions {
  /** Number of folds (default 5). */
  k?: number;
  /** Shuffle each class's fold assignment (default false; true when `repeats` > 1). */
  shuffle?: boolean;
  /** Repetitions, each with a new shuffle (default 1): k · repeats splits, repetition r at [r·k, (r+1)·k). */
  repeats?: number;
  /** Generator or seed for the shuffle (default seed 0). */
  rng?: Rng | number;
}

/**
 * k stratified splits for class labels `y` (class codes, labels or a column). Unshuffled, the
 * folds equal scikit-learn 1.2's `StratifiedKFold(k)`; shuffled, each fold holds the same number of
 * rows of each class as scikit-learn's `StratifiedKFold(k, shuffle=True)` (which rows depends on
 * the generator). Unlike scikit-learn (which warns), a class with fewer than k members is an error
 * naming the class, since some fold would miss it.
 *
 * @example stratifiedKFold(frame.column("species"), { k: 5, shuffle: true, rng: 42 })
 */
export function stratifiedKFold(y: LabelInput, options: StratifiedKFoldOptions = {}): Split[] {
  const enc = encodeLabels(y, "y", "first-seen");
  const n = enc.codes.length;
  const k = checkFolds(options.k ?? 5, n, "rows");
  const { shuffle, repeats } = checkShuffle(options.shuffle, options.repeats);
  const nClasses = enc.values.length;
  for (let c = 0; c < nClasses; c++) {
    if (enc.counts[c] < k) {
      throw new InvalidInputError(`class ${show(enc.values[c])} has ${enc.counts[c]} member${enc.counts[c] === 1 ? "" : "s"}, fewer than k=${k} folds; use at most ${enc.counts[c]} folds, merge rare classes, or use plain k-fold`, {
        path: "y",
        expected: `at least ${k} rows of every class`,
        received: { class: enc.values[c], count: enc.counts[c] },
      });
    }
  }
  // allocation[f][c]: rows of class c in fold f, from dealing the class-sorted rows round-robin.
  // Rows sorted by class: class c occupies positions [start_c, start_c + count_c).
  const alloc = new Int32Array(k * nClasses);
  let start = 0;
  for (let c = 0; c < nClasses; c++) {
    const cnt = enc.counts[c];
    for (let f = 0; f < k; f++) {
      // positions p in [start, start+cnt) with p ≡ f (mod k)
      const first = start + ((f - (start % k) + k) % k);
      alloc[f * nClasses + c] = first >= start + cnt ? 0 : Math.floor((start + cnt - 1 - first) / k) + 1;
    }
    start += cnt;
  }
  // fold sequence per class: fold 0 repeated alloc[0][c] times, then fold 1, ...
  const rng = shuffle ? rngOf(options.rng) : null;
  const seqStart = new Int32Array(nClasses + 1);
  for (let c = 0; c < nClasses; c++) seqStart[c + 1] = seqStart[c] + enc.counts[c];
  const out: Split[] = [];
  for (let r = 0; r < repeats; r++) {
    const seq = new Int32Array(n);
    for (let c = 0; c < nClasses; c++) {
      let p = seqStart[c];
      for (let f = 0; f < k; f++) for (let j = alloc[f * nClasses + c]; j > 0; j--) seq[p++] = f;
      if (rng) rng.shuffle(seq.subarray(seqStart[c], seqStart[c + 1]));
    }
    const next = seqStart.slice(0, nClasses);
    const foldOf = new Int32Array(n);
    for (let i = 0; i < n; i++) foldOf[i] = seq[next[enc.codes[i]]++];
    out.push(...splitsFromFolds(foldOf, k));
  }
  return out;
}
