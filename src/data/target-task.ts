/**
 * The one rule for what a target column asks for, used by the profile, `keel init`, `keel run`
 * and the estimators alike: classification for categorical, boolean, text and datetime targets,
 * for numeric targets with exactly two values, and for integer-valued numeric targets with few
 * distinct values — at most min(20, max(2, ⌊n / 20⌋)), so wine's 3 classes in 178 rows and the
 * 10 digits in 1,797 rows are classes — and regression otherwise.
 */
import { type Column, cellValue } from "./column.js";

/** What a target asks for: classes or numbers. */
export type TargetTask = "classification" | "regression";

/** The task `inferTargetTask` infers for a column, with what it saw. */
export interface TargetTaskGuess {
  readonly task: TargetTask;
  /** Distinct non-missing values seen, stopping after 51 (as labels). */
  readonly distinct: readonly string[];
  /** Classification: the class labels, sorted (numerically when all are numbers). */
  readonly classes?: string[];
  readonly binary?: boolean;
}

/** Most classes an integer-valued numeric target may have and still be read as classes. */
export const MAX_INTEGER_CLASSES = 20;

/**
 * The task `col` implies (see the module comment). A constant or empty column is reported with
 * its distinct values and never throws: callers decide whether that is an error.
 *
 * @example inferTargetTask(frame.column("quality")).task   // "classification" for wine's 3 integer grades
 */
export function inferTargetTask(col: Column): TargetTaskGuess {
  const n = col.kind === "categorical" ? col.codes.length : col.values.length;
  const distinct = new Set<string>();
  let allIntegers = true;
  let present = 0;
  for (let i = 0; i < n; i++) {
    const v = cellValue(col, i);
    if (v === null) continue;
    present++;
    if (typeof v === "number" && !Number.isInteger(v)) allIntegers = false;
    if (distinct.size <= 50) distinct.add(v instanceof Date ? v.toISOString() : String(v));
  }
  const seen = [...distinct];
  const fewIntegers = allIntegers && distinct.size <= Math.min(MAX_INTEGER_CLASSES, Math.max(2, Math.floor(n / 20)));
  const isClass = col.kind !== "numeric" || fewIntegers || distinct.size === 2;
  if (!isClass || distinct.size < 2 || present === 0) return { task: isClass ? "classification" : "regression", distinct: seen };
  const classes = sortLabels([...distinct]);
  return { task: "classification", distinct: seen, classes, binary: classes.length === 2 };
}

/**
 * Sort class labels as scikit-learn does: numerically when every label is a number, else by code units.
 * @example
 * ```ts
 * sortLabels(["10", "9", "1"]); // ["1", "9", "10"]
 * sortLabels(["b", "a"]); // ["a", "b"]
 * ```
 */
export function sortLabels(labels: string[]): string[] {
  const allNumbers = labels.every((l) => l.trim() !== "" && !Number.isNaN(Number(l)));
  return allNumbers ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
