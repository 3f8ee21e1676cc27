/**
 * Reading a classification target: class labels sorted as scikit-learn sorts them and each row's
 * class index. Numeric, boolean and categorical targets are mapped through their few distinct
 * values (no string per row, which matters at a million rows); anything else — and every error,
 * such as a missing target — goes through the label-by-label path, which gives the same classes.
 */
import { InvalidInputError, show } from "../core/index.js";
import { MISSING_BOOL, cellValue, type Frame, sortLabels } from "../data/index.js";

/**
 * Read a classification target. Labels are sorted numerically when all are numbers, otherwise
 * as strings (NumPy's `np.unique` order); booleans give ["false", "true"]. With `knownClasses`
 * the codes follow that order and a label outside it is an error. Missing targets are an error
 * naming the first row.
 * @example
 * ```ts
 * const { classes, y } = classTarget(frame, "Status"); // classes sorted, y their codes
 * ```
 */
export function classTarget(data: Frame, target: string, knownClasses?: readonly string[]): ClassTarget {
  const fast = fastClassTarget(data, target);
  if (fast === null) return classTargetByLabels(data, target, knownClasses);
  if (!knownClasses) return fast;
  const index = new Map(knownClasses.map((c, i) => [c, i]));
  const remap = fast.classes.map((c) => index.get(c) ?? -1);
  if (remap.some((k) => k < 0)) return classTargetByLabels(data, target, knownClasses); // names the offending row
  const y = new Int32Array(fast.y.length);
  for (let i = 0; i < y.length; i++) y[i] = remap[fast.y[i]];
  return { classes: [...knownClasses], y };
}

/** A classification target: class labels sorted as scikit-learn sorts them, and each row's class index. */
export interface ClassTarget {
  classes: string[];
  y: Int32Array;
}

/**
 * Read a classification target. Labels are sorted numerically when all are numbers, otherwise
 * as strings (NumPy's `np.unique` order); booleans give ["false", "true"]. Missing targets are an
 * error naming the first row.
 */
function classTargetByLabels(data: Frame, target: string, knownClasses?: readonly string[]): ClassTarget {
  const col = data.column(target);
  const n = data.nRows;
  const labels: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = cellValue(col, i);
    if (v === null) {
      throw new InvalidInputError(`target column ${show(target)} is missing at row ${i}; drop or fill rows without a target first`, { path: `${target}[${i}]`, expected: "a class label", received: null });
    }
    labels[i] = v instanceof Date ? v.toISOString() : String(v);
  }
  const classes = knownClasses ? [...knownClasses] : sortLabels([...new Set(labels)]);
  const index = new Map(classes.map((c, i) => [c, i]));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = index.get(labels[i]);
    if (k === undefined) throw new InvalidInputError(`target ${show(target)} row ${i}: class ${show(labels[i])} is not one of ${show(classes)}`, { path: `${target}[${i}]`, expected: `one of ${classes.join(", ")}`, received: labels[i] });
    y[i] = k;
  }
  return { classes, y };
}

export { sortLabels };


/** Classes (sorted as scikit-learn sorts them) and each row's class index. */
function fastClassTarget(data: Frame, target: string): ClassTarget | null {
  const col = data.column(target);
  const n = data.nRows;
  if (col.kind === "numeric") {
    const v = col.values;
    // few distinct values in practice: a short list scanned linearly beats a Set per row
    const few: number[] = [];
    let distinct: Set<number> | null = null;
    let a = NaN;
    let b = NaN;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x === a || x === b) continue; // the first two values seen: most rows of most targets
      if (x !== x) return null; // reports the missing row
      if (distinct === null) {
        if (few.length === 0) a = x;
        else if (few.length === 1) b = x;
        if (few.indexOf(x) >= 0) continue;
        few.push(x);
        if (few.length > 16) distinct = new Set(few);
      } else {
        distinct.add(x);
        if (distinct.size > 10000) return null;
      }
    }
    if (distinct === null) distinct = new Set(few);
    const byLabel = new Map<string, number>();
    for (const x of distinct) byLabel.set(String(x), x);
    const classes = sortLabels([...byLabel.keys()]);
    const index = new Map<number, number>();
    classes.forEach((c, k) => index.set(byLabel.get(c)!, k));
    const y = new Int32Array(n);
    if (classes.length === 2) {
      const one = byLabel.get(classes[1])!;
      for (let i = 0; i < n; i++) y[i] = v[i] === one ? 1 : 0;
    } else for (let i = 0; i < n; i++) y[i] = index.get(v[i])!;
    return { classes, y };
  }
  if (col.kind === "categorical") {
    const used = new Uint8Array(col.categories.length);
    for (let i = 0; i < n; i++) {
      const k = col.codes[i];
      if (k < 0) return null;
      used[k] = 1;
    }
    const labels = col.categories.filter((_, k) => used[k] === 1);
    const classes = sortLabels([...new Set(labels)]);
    const pos = new Map(classes.map((c, k) => [c, k]));
    const remap = new Int32Array(col.categories.length);
    col.categories.forEach((c, k) => (remap[k] = pos.get(c) ?? -1));
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = remap[col.codes[i]];
    return { classes, y };
  }
  if (col.kind === "boolean") {
    let seen0 = false;
    let seen1 = false;
    for (let i = 0; i < n; i++) {
      const b = col.values[i];
      if (b === MISSING_BOOL) return null;
      if (b === 1) seen1 = true;
      else seen0 = true;
    }
    if (!(seen0 && seen1)) return null;
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = col.values[i];
    return { classes: ["false", "true"], y };
  }
  return null;
}
