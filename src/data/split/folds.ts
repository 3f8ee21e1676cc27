/**
 * From a fold number per row to train/test index arrays: the test set of fold f is every row
 * assigned to f, its training set every other row; both sorted ascending. O(n·k), no per-row
 * allocation.
 */
import type { Split } from "./types.js";

export function splitsFromFolds(foldOf: Int32Array, k: number): Split[] {
  const n = foldOf.length;
  const sizes = new Int32Array(k);
  for (let i = 0; i < n; i++) sizes[foldOf[i]]++;
  const tests = Array.from({ length: k }, (_, f) => new Int32Array(sizes[f]));
  const trains = Array.from({ length: k }, (_, f) => new Int32Array(n - sizes[f]));
  const ti = new Int32Array(k);
  const tr = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const f = foldOf[i];
    tests[f][ti[f]++] = i;
    for (let g = 0; g < k; g++) if (g !== f) trains[g][tr[g]++] = i;
  }
  return tests.map((test, f) => ({ train: trains[f], test }));
}

/** Row indices where `mark` is 1 and where it is 0, each ascending. */
export function partition(mark: Uint8Array): Split {
  const n = mark.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += mark[i];
  const test = new Int32Array(m);
  const train = new Int32Array(n - m);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if (mark[i]) test[a++] = i;
    else train[b++] = i;
  }
  return { train, test };
}
