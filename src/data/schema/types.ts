/**
 * The data schema format, version 1: a frame's expected shape as plain JSON, in the spirit of
 * Great Expectations' expectation suites and Pandera's `DataFrameSchema`. A schema is data: it is
 * inferred from a frame (`inferSchema`), edited by hand, saved as JSON, read back (`parseSchema`)
 * and checked against new data (`validate`).
 *
 * ```json
 * {
 *   "version": 1,
 *   "rows": { "min": 1, "max": null },
 *   "columns": {
 *     "age":    { "kind": "numeric", "nullable": false, "min": 18, "max": 99 },
 *     "status": { "kind": "categorical", "nullable": false, "categories": ["good", "bad"] },
 *     "id":     { "kind": "text", "nullable": false, "unique": true, "pattern": "^C-[0-9]{6}$" },
 *     "opened": { "kind": "datetime", "nullable": true, "maxMissingFraction": 0.05,
 *                 "min": "2001-01-01T00:00:00.000Z", "max": "2001-06-30T23:59:59.000Z" }
 *   }
 * }
 * ```
 *
 * Each field is one expectation; a field left out is not checked:
 * | field | expectation | fails on |
 * |---|---|---|
 * | (the column's key) | `column_present` | the column is absent (unless `required: false`) |
 * | `kind` | `kind` | the column has another kind (categorical and text count as the same: both are strings) |
 * | `nullable: false` | `not_null` | each missing cell |
 * | `maxMissingFraction` | `max_missing_fraction` | missing cells / rows above the fraction |
 * | `min`, `max` | `between` | each present value below `min` or above `max` (bounds inclusive) |
 * | `categories` | `in_set` | each present value not in the list |
 * | `unique: true` | `unique` | each row whose present value also occurs in another row |
 * | `pattern` | `matches_regex` | each present value the JavaScript regular expression does not match (`RegExp#test`, unanchored like Great Expectations: write `^…$` to match whole values) |
 * | `rows.min`, `rows.max` | `row_count_between` | the frame's row count outside [min, max] |
 * | `strict: true` | `no_extra_columns` | columns in the data that the schema does not list |
 *
 * Datetime bounds are ISO 8601 strings (epoch milliseconds are accepted too). Row numbers in
 * reports count from 0, as `Frame` indices do.
 */
import type { ColumnKind } from "../column.js";

/** The schema format version this Keel writes and reads. */
export const SCHEMA_VERSION = 1;

/** One column's expectations. Only `kind` is required. */
export interface ColumnSchema {
  readonly kind: ColumnKind;
  /** The column must be present. Default true. */
  readonly required?: boolean;
  /** Missing cells allowed. Default true; `false` adds the `not_null` expectation. */
  readonly nullable?: boolean;
  /** Largest allowed share of missing cells, 0..1. */
  readonly maxMissingFraction?: number;
  /** Smallest allowed value (numeric: a number; datetime: an ISO 8601 string or epoch ms). */
  readonly min?: number | string;
  /** Largest allowed value (numeric: a number; datetime: an ISO 8601 string or epoch ms). */
  readonly max?: number | string;
  /** Allowed values (categorical and text columns). */
  readonly categories?: readonly string[];
  /** No value may occur twice. */
  readonly unique?: boolean;
  /** A JavaScript regular expression every present value must match (categorical and text). */
  readonly pattern?: string;
}

/** A frame's expected shape, format version 1. */
export interface Schema {
  readonly version: 1;
  /** Column name → expectations, in the frame's order. */
  readonly columns: Readonly<Record<string, ColumnSchema>>;
  /** Row count range. `max: null` (or absent) means no upper bound; `observed` is informational. */
  readonly rows?: { readonly min?: number; readonly max?: number | null; readonly observed?: number };
  /** When true, columns the schema does not list are an error. Default false. */
  readonly strict?: boolean;
  /** Free text for people. */
  readonly description?: string;
}

/** The names of the expectations a report can list. */
export type ExpectationName =
  | "row_count_between"
  | "column_present"
  | "kind"
  | "not_null"
  | "max_missing_fraction"
  | "between"
  | "in_set"
  | "unique"
  | "matches_regex"
  | "no_extra_columns";

/** A cell value in a report: JSON-safe (datetimes as ISO strings, missing as null). */
export type ReportValue = string | number | boolean | null;

/** The outcome of one expectation. */
export interface ExpectationResult {
  readonly expectation: ExpectationName;
  /** The column it is about; null for frame-level expectations. */
  readonly column: string | null;
  /** The expectation's parameter as written in the schema (a kind, bounds, a list, a pattern). */
  readonly expected: unknown;
  readonly pass: boolean;
  /** Not evaluated because the column is absent or of another kind (`pass` is false). */
  readonly skipped: boolean;
  /** Rows that break the expectation (0 for column-level expectations that pass). */
  readonly failingRows: number;
  /** failingRows / rows. */
  readonly failingFraction: number;
  /** Up to 5 failing rows with their values, in row order. */
  readonly examples: readonly { readonly row: number; readonly value: ReportValue }[];
  readonly message: string;
}

/** The outcome of validating a frame against a schema. */
export interface ValidationReport {
  /** Every expectation passed. */
  readonly ok: boolean;
  readonly rows: number;
  readonly summary: { readonly expectations: number; readonly passed: number; readonly failed: number; readonly skipped: number };
  readonly results: readonly ExpectationResult[];
  /** One problem per failed (not skipped) expectation, in the shape every Keel validation uses. */
  readonly problems: readonly import("../../core/index.js").Problem[];
}
