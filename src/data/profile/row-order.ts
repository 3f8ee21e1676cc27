/**
 * Whether a file's rows are ordered by a column: sorted by a number (a price, a date) or grouped
 * by a category (all of class A, then all of class B). Unshuffled k-fold on such a file gives each
 * fold one range or one group, and cross-validated scores that say nothing about new data.
 *
 * - Numeric, datetime: Spearman's ρ between the row number and the value (ties averaged), over
 *   the non-missing rows (or the given sample of rows); |ρ| = 1 when sorted, ≈ 0 in random order.
 * - Categorical, boolean: how much more often neighbouring rows share a value than chance says,
 *   κ = (e − e₀) / (1 − e₀), where e is the share of consecutive non-missing pairs with equal
 *   values and e₀ = Σ c(c−1) / (m(m−1)) the share expected in random order (c: count of each
 *   value, m non-missing rows); κ ≈ 1 when grouped, ≈ 0 in random order.
 */
import { type Column, MISSING_BOOL } from "../column.js";
import { averageRanks, pearson } from "./correlation.js";

export interface RowOrder {
  /** "sorted": Spearman's ρ of row number and value; "grouped": the neighbour agreement κ. */
  readonly how: "sorted" | "grouped";
  readonly statistic: number;
}

/** Rows below this many non-missing values are too few to call ordered. */
const MIN_ROWS = 30;

/**
 * How strongly the rows are ordered by `col` (see the module comment), or null when it cannot
 * be said (too few values, a constant, a text column). `rows`: ascending row numbers to look at
 * (a sample of a large frame; numeric columns only), default every row.
 */
export function rowOrder(col: Column, rows?: Int32Array): RowOrder | null {
  if (col.kind === "numeric" || col.kind === "datetime") {
    const v = col.values;
    const m0 = rows ? rows.length : v.length;
    let m = 0;
    for (let t = 0; t < m0; t++) if (v[rows ? rows[t] : t] === v[rows ? rows[t] : t]) m++;
    if (m < MIN_ROWS) return null;
    const at = new Float64Array(m);
    const x = new Float64Array(m);
    let k = 0;
    for (let t = 0; t < m0; t++) {
      const i = rows ? rows[t] : t;
      if (v[i] !== v[i]) continue;
      at[k] = k;
      x[k++] = v[i];
    }
    const rho = pearson(at, averageRanks(x));
    return Number.isFinite(rho) ? { how: "sorted", statistic: rho } : null;
  }
  if (col.kind === "categorical" || col.kind === "boolean") {
    const n = col.kind === "categorical" ? col.codes.length : col.values.length;
    const code = (i: number) => (col.kind === "categorical" ? col.codes[i] : col.values[i] === MISSING_BOOL ? -1 : col.values[i]);
    const counts = new Map<number, number>();
    let m = 0;
    let pairs = 0;
    let equal = 0;
    let prev = -1;
    for (let i = 0; i < n; i++) {
      const c = code(i);
      if (c < 0) continue;
      counts.set(c, (counts.get(c) ?? 0) + 1);
      if (m > 0) {
        pairs++;
        if (c === prev) equal++;
      }
      prev = c;
      m++;
    }
    if (m < MIN_ROWS || counts.size < 2) return null;
    let same = 0;
    for (const c of counts.values()) same += c * (c - 1);
    const e0 = same / (m * (m - 1));
    return { how: "grouped", statistic: (equal / pairs - e0) / (1 - e0) };
  }
  return null;
}
