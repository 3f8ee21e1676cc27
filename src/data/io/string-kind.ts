/**
 * Whether a column of strings is a category or free text / an identifier.
 */

/** Distinct values above which a mostly-distinct string column is text rather than categorical. */
export const TEXT_MIN_DISTINCT = 20;
/** Share of distinct values among non-missing ones above which a string column may be text. */
export const TEXT_DISTINCT_RATIO = 0.5;

/**
 * The kind of a string column from its counts. A column is `text` (free text or an ID) when its
 * values are all distinct (at least 2 of them), or nearly so: more than `TEXT_DISTINCT_RATIO` (0.5)
 * of the non-missing values are distinct and there are more than `TEXT_MIN_DISTINCT` (20) distinct
 * values. Otherwise it is `categorical`. An all-missing column is categorical (no categories).
 * @example
 * ```ts
 * stringKind(3, 1000); // "categorical"
 * stringKind(990, 1000); // "text"
 * ```
 */
export function stringKind(distinct: number, nonMissing: number): "categorical" | "text" {
  if (nonMissing < 2) return "categorical";
  if (distinct === nonMissing) return "text";
  return distinct > TEXT_DISTINCT_RATIO * nonMissing && distinct > TEXT_MIN_DISTINCT ? "text" : "categorical";
}
