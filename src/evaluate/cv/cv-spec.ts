/**
 * What `cv` may be in `crossValidate`, and the splits it stands for: a fold count (stratified
 * k-fold for classification, k-fold for regression, *shuffled* with the caller's generator), a
 * list of ready splits, or a description of a splitter from data/split.
 *
 * A fold count shuffles, unlike scikit-learn's `cv=k`: unshuffled folds let the file's order
 * decide what each fold holds, and a file sorted by its target (or grouped by class) then gives
 * cross-validated scores far below the test score. Ask for `{ shuffle: false }` to get
 * scikit-learn's unshuffled folds; time-ordered data uses `{ kind: "time" }`.
 */
import { InvalidInputError, show, type Rng } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import { type Split, groupKFold, kFold, stratifiedKFold, timeSeriesSplit } from "../../data/split/index.js";

/** Shuffled k-fold options: `shuffle` (default true), `repeats` (default 1, repeated k-fold), `seed` (default: the caller's generator). */
interface KFoldCv {
  k?: number;
  shuffle?: boolean;
  repeats?: number;
  seed?: number;
}

/** How to cut folds: a count, ready splits, or a splitter with its options. */
export type CvSpec =
  | number
  | readonly Split[]
  /** Without `kind`: stratified for classification, plain k-fold for regression. */
  | ({ kind?: undefined } & KFoldCv)
  | ({ kind: "kfold" } & KFoldCv)
  | ({ kind: "stratified" } & KFoldCv)
  | { kind: "group"; k?: number; groups: string }
  /** Time-ordered expanding-window splits cut on time boundaries; `gap` a row count or, for a datetime `time`, a duration like "7d". */
  | { kind: "time"; nSplits?: number; testSize?: number; gap?: number | string; maxTrainSize?: number; time?: string };

/** The splits a `CvSpec` gives on a frame, with a description. */
export interface ResolvedCv {
  splits: Split[];
  /** How the splits were made, for reports (`stratified k=5`). */
  description: string;
}

/**
 * The splits of `frame` for `cv`. `classCodes` (classification) enables stratification; `rng`
 * shuffles when a splitter asks for it without its own seed.
 * @example
 * ```ts
 * const { splits, description } = resolveCv({ kind: "kfold", k: 5 }, frame, null, new Rng(0));
 * ```
 */
export function resolveCv(cv: CvSpec | undefined, frame: Frame, classCodes: Int32Array | null, rng: Rng): ResolvedCv {
  const n = frame.nRows;
  const spec = cv ?? 5;
  if (typeof spec !== "number" && (typeof spec !== "object" || spec === null)) {
    throw new InvalidInputError(`cv must be a fold count, a list of splits, or a splitter description, got ${show(spec)}`, { path: "cv", expected: "a number, splits, or { kind, ... }", received: spec });
  }
  if (Array.isArray(spec)) return { splits: checkSplits(spec as readonly Split[], n), description: `${spec.length} given splits` };
  const s = (typeof spec === "number" ? { k: spec } : spec) as Exclude<CvSpec, number | readonly Split[]>;
  switch (s.kind) {
    case undefined:
    case "kfold":
    case "stratified": {
      const stratified = s.kind === "stratified" || (s.kind === undefined && classCodes !== null);
      if (stratified && !classCodes) throw new InvalidInputError("stratified folds need a classification target", { path: "cv.kind", expected: "kfold, group or time for regression", received: "stratified" });
      const k = s.k ?? 5;
      const repeats = s.repeats ?? 1;
      const opts = { k, shuffle: s.shuffle ?? true, repeats, rng: s.seed ?? rng };
      const splits = stratified ? stratifiedKFold(classCodes!, opts) : kFold(n, opts);
      const how = opts.shuffle || repeats > 1 ? ` shuffled${s.seed === undefined ? "" : ` (seed ${s.seed})`}` : "";
      return { splits, description: `${stratified ? "stratified" : "kfold"} k=${k}${how}${repeats > 1 ? ` ×${repeats} repeats` : ""}` };
    }
    case "group":
      if (typeof s.groups !== "string") throw new InvalidInputError(`cv.groups must name the group column, got ${show(s.groups)}`, { path: "cv.groups", expected: "a column name", received: s.groups });
      return { splits: groupKFold(frame.column(s.groups), { k: s.k }), description: `group k=${s.k ?? 5} by ${s.groups}` };
    case "time":
      return {
        splits: timeSeriesSplit(s.time === undefined ? n : frame, { nSplits: s.nSplits, testSize: s.testSize, gap: s.gap, maxTrainSize: s.maxTrainSize, time: s.time }),
        description: `time nSplits=${s.nSplits ?? 5}${s.gap ? ` gap=${s.gap}` : ""}${s.time ? ` by ${s.time}` : ""}`,
      };
    default:
      throw new InvalidInputError(`cv must be a fold count, a list of splits, or { kind: "kfold" | "stratified" | "group" | "time", ... }; got ${show(spec)}`, {
        path: "cv",
        expected: "a number, splits, or a splitter description",
        received: spec,
      });
  }
}

function checkSplits(splits: readonly Split[], n: number): Split[] {
  if (splits.length === 0) throw new InvalidInputError("cv holds no splits", { path: "cv", expected: "at least one { train, test } split", received: [] });
  return splits.map((s, f) => {
    for (const [part, arr] of [["train", s?.train], ["test", s?.test]] as const) {
      if (!arr || typeof arr.length !== "number") throw new InvalidInputError(`cv[${f}] is not a { train, test } split`, { path: `cv[${f}]`, expected: "{ train: Int32Array, test: Int32Array }", received: s });
      if (arr.length === 0) throw new InvalidInputError(`cv[${f}].${part} is empty`, { path: `cv[${f}].${part}`, expected: "at least one row", received: 0 });
      for (let i = 0; i < arr.length; i++) {
        if (!(Number.isInteger(arr[i]) && arr[i] >= 0 && arr[i] < n)) throw new InvalidInputError(`cv[${f}].${part}[${i}] is ${arr[i]}, not a row of the frame`, { path: `cv[${f}].${part}[${i}]`, expected: `a row index in [0, ${n})`, received: arr[i] });
      }
    }
    return { train: Int32Array.from(s.train as ArrayLike<number>), test: Int32Array.from(s.test as ArrayLike<number>) };
  });
}
