/**
 * Argument checks shared by the splitters; each names the argument, the value and what was
 * expected.
 */
import { InvalidInputError, show, Rng, toRng } from "../../core/index.js";

/** A row count: a non-negative integer. */
export function checkRowCount(n: unknown, what = "n"): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new InvalidInputError(`${what} must be a row count (an integer ≥ 0), got ${show(n)}`, { path: what, expected: "an integer ≥ 0", received: n });
  }
  return n;
}

/** A fold count k: an integer ≥ 2 and ≤ `limit` (rows or groups, named by `of`). */
export function checkFolds(k: unknown, limit: number, of: string, param = "k"): number {
  if (typeof k !== "number" || !Number.isInteger(k) || k < 2) {
    throw new InvalidInputError(`${param} must be an integer ≥ 2 (cross-validation needs at least two folds), got ${show(k)}`, { path: param, expected: "an integer ≥ 2", received: k });
  }
  if (k > limit) {
    throw new InvalidInputError(`${param}=${k} folds cannot be made from ${limit} ${of}; use at most ${limit} folds`, { path: param, expected: `an integer ≤ ${limit} (the number of ${of})`, received: k });
  }
  return k;
}

/** A non-negative integer option (gap, sizes). */
export function checkNonNegativeInt(v: unknown, param: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw new InvalidInputError(`${param} must be an integer ≥ 0, got ${show(v)}`, { path: param, expected: "an integer ≥ 0", received: v });
  }
  return v;
}

/** A positive integer option. */
export function checkPositiveInt(v: unknown, param: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new InvalidInputError(`${param} must be an integer ≥ 1, got ${show(v)}`, { path: param, expected: "an integer ≥ 1", received: v });
  }
  return v;
}

/** A boolean option. */
export function checkBool(v: unknown, param: string): boolean {
  if (typeof v !== "boolean") throw new InvalidInputError(`${param} must be true or false, got ${show(v)}`, { path: param, expected: "true or false", received: v });
  return v;
}

/**
 * Shuffle and repetition options of the k-fold splitters: `repeats` (default 1) must be an
 * integer ≥ 1, and more than one repetition implies shuffling (an unshuffled repetition would
 * give the same folds again), so `shuffle: false` with `repeats` > 1 is an error.
 */
export function checkShuffle(shuffle: unknown, repeats: unknown): { shuffle: boolean; repeats: number } {
  const r = checkPositiveInt(repeats ?? 1, "repeats");
  if (r > 1 && shuffle === false) {
    throw new InvalidInputError(`repeats=${r} needs shuffle: true (unshuffled repetitions would repeat the same folds)`, { path: "shuffle", expected: "true (or omitted) with repeats > 1", received: false });
  }
  return { shuffle: r > 1 || checkBool(shuffle ?? false, "shuffle"), repeats: r };
}

/** The generator to shuffle with: an `Rng`, a seed, or seed 0 when absent. */
export function rngOf(rng: Rng | number | string | undefined): Rng {
  if (rng !== undefined && !(rng instanceof Rng) && typeof rng !== "number" && typeof rng !== "string") {
    throw new InvalidInputError(`rng must be an Rng or a seed, got ${show(rng)}`, { path: "rng", expected: "an Rng, a number or a string", received: rng });
  }
  return toRng(rng);
}

/** Check an array's length against the row count. */
export function checkLength(len: number, n: number, what: string): void {
  if (len !== n) {
    throw new InvalidInputError(`${what} has ${len} values for ${n} rows`, { path: what, expected: `${n} values`, received: len });
  }
}
