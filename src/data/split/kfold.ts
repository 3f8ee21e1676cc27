/**
 * K-fold cross-validation splits (scikit-learn's `KFold`, and `RepeatedKFold` with `repeats`):
 * rows in order (or shuffled), cut into k contiguous folds whose sizes differ by at most one; the
 * first n mod k folds get one extra row.
 */
import type { Rng } from "../../core/index.js";
import { Frame } from "../frame.js";
import { checkFolds, checkRowCount, checkShuffle, rngOf } from "./checks.js";
import { splitsFromFolds } from "./folds.js";
import type { Split } from "./types.js";

/** Options of `kFold`. */
export interface KFoldOptions {
  /** Number of folds (default 5). */
  k?: number;
  /** Shuffle rows before cutting folds (default false, as scikit-learn; true when `repeats` > 1). */
  shuffle?: boolean;
  /** Repetitions, each with a new shuffle (default 1): k · repeats splits, repetition r at [r·k, (r+1)·k). */
  repeats?: number;
  /** Generator or seed for the shuffle (default seed 0). */
  rng?: Rng | number;
}

/**
 * k train/test splits of `n` rows (or of a frame's rows), k · repeats with `repeats`. Unshuffled,
 * the folds match scikit-learn 1.2's `KFold(k)` exactly. Indices in each split are ascending.
 *
 * @example kFold(frame, { k: 5, shuffle: true, rng: 42 })
 */
export function kFold(nOrFrame: number | Frame, options: KFoldOptions = {}): Split[] {
  const n = nOrFrame instanceof Frame ? nOrFrame.nRows : checkRowCount(nOrFrame);
  const k = checkFolds(options.k ?? 5, n, "rows");
  const { shuffle, repeats } = checkShuffle(options.shuffle, options.repeats);
  const rng = shuffle ? rngOf(options.rng) : null;
  const out: Split[] = [];
  for (let r = 0; r < repeats; r++) {
    const order = rng ? rng.permutation(n) : null;
    const foldOf = new Int32Array(n);
    const base = Math.floor(n / k);
    const extra = n % k;
    let pos = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      for (let j = 0; j < size; j++, pos++) foldOf[order ? order[pos] : pos] = f;
    }
    out.push(...splitsFromFolds(foldOf, k));
  }
  return out;
}
