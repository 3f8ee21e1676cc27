/**
 * Parsed filter clauses → parameterised SQL fragments. Column expressions come from the
 * stores' own whitelists (never from the filter text); values are always bound parameters.
 */
import { InvalidInputError, show } from "../../core/index.js";
import type { Clause, Comparator } from "../search/filter.js";
import type { Dialect, SqlDriver, SqlValue } from "../../backend/index.js";

/** A piece of SQL with its `?` parameters. */
export interface Fragment {
  sql: string;
  params: SqlValue[];
}

const NUMERIC_OPS: readonly Comparator[] = ["=", "!=", "<", "<=", ">", ">="];
const STRING_OPS: readonly Comparator[] = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];

/**
 * Where a clause came from, for messages: `metrics.rmse`.
 * @example
 * ```ts
 * clauseName(parseFilter("metrics.rmse < 1")[0]!); // "metrics.rmse"
 * ```
 */
export function clauseName(c: Clause): string {
  const prefix = { metric: "metrics.", param: "params.", tag: "tags.", attribute: "attributes.", dataset: "datasets." }[c.entity];
  return `${prefix}${c.key}`;
}

/**
 * Translate a SQL LIKE pattern (`%`, `_`, backslash escapes) into a case-sensitive SQLite GLOB
 * pattern (`*`, `?`, `[x]` for literal metacharacters): SQLite's LIKE ignores ASCII case.
 * @example
 * ```ts
 * likeToGlob("run_%"); // "run?*"
 * ```
 */
export function likeToGlob(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      const n = pattern[++i];
      out += n === "*" || n === "?" || n === "[" ? `[${n}]` : n;
    } else if (c === "%") out += "*";
    else if (c === "_") out += "?";
    else if (c === "*" || c === "?" || c === "[") out += `[${c}]`;
    else out += c;
  }
  return out;
}

function like(dialect: Dialect, col: string, op: "LIKE" | "ILIKE", pattern: string): Fragment {
  if (dialect === "postgres") return { sql: `${col} ${op} ?`, params: [pattern] };
  if (op === "LIKE") return { sql: `${col} GLOB ?`, params: [likeToGlob(pattern)] };
  return { sql: `lower(${col}) LIKE lower(?) ESCAPE '\\'`, params: [pattern] };
}

/**
 * `col <comparator> value` for a string- or number-typed field. Rejects comparators and value
 * types the field does not take, naming the clause.
 * @example
 * ```ts
 * const where = compareClause(sql, "value", parseFilter("metrics.rmse < 1")[0]!, "number");
 * ```
 */
export function compare(d: SqlDriver, col: string, c: Clause, type: "number" | "string", nullable = false): Fragment {
  const name = clauseName(c);
  if (c.comparator === "IS NULL" || c.comparator === "IS NOT NULL") {
    if (!nullable) throw new InvalidInputError(`filter: ${name} ${c.comparator} is not supported for this field`, { path: "filter", received: name });
    return { sql: `${col} ${c.comparator}`, params: [] };
  }
  const allowed = type === "number" ? NUMERIC_OPS : STRING_OPS;
  if (!allowed.includes(c.comparator)) {
    throw new InvalidInputError(`filter: comparator ${c.comparator} is not valid for ${name}; expected one of ${allowed.join(" ")}`, { path: "filter", expected: allowed.join(" "), received: c.comparator });
  }
  if (type === "number") {
    if (typeof c.value !== "number" || c.quoted) {
      throw new InvalidInputError(`filter: ${name} ${c.comparator} ${show(c.value)}: expected an unquoted number`, { path: "filter", expected: "a number", received: c.value });
    }
    return { sql: `${col} ${c.comparator} ?`, params: [c.value] };
  }
  if (c.comparator === "IN" || c.comparator === "NOT IN") {
    const list = c.value as string[];
    const { sql, param } = d.inList(col, list, "text");
    return { sql: c.comparator === "IN" ? sql : `NOT (${sql})`, params: [param] };
  }
  if (typeof c.value !== "string" || !c.quoted) {
    throw new InvalidInputError(`filter: ${name} ${c.comparator} ${show(c.value)}: the value must be a quoted string`, { path: "filter", expected: "a quoted string", received: c.value });
  }
  if (c.comparator === "LIKE" || c.comparator === "ILIKE") return like(d.dialect, col, c.comparator, c.value);
  return { sql: `${col} ${c.comparator} ?`, params: [c.value] };
}

/**
 * AND of fragments ("1 = 1" when empty).
 * @example
 * ```ts
 * const where = andFragments([{ sql: "a = ?", params: [1] }, { sql: "b < ?", params: [2] }]); // both, joined by AND
 * ```
 */
export function and(parts: readonly Fragment[]): Fragment {
  if (parts.length === 0) return { sql: "1 = 1", params: [] };
  return { sql: parts.map((p) => `(${p.sql})`).join(" AND "), params: parts.flatMap((p) => p.params) };
}
