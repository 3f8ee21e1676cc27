/**
 * `validate(frame, schema)`: check a frame against a schema's expectations and report each one —
 * pass or fail, how many rows fail, and up to 5 failing rows with their values. Never throws for
 * data that breaks the schema (that is what the report is for); throws INVALID_INPUT only for a
 * schema that does not parse.
 */
import { type Problem, show } from "../../core/index.js";
import { type Column, cellValue, columnLength, isMissing, MISSING_BOOL } from "../column.js";
import type { Frame } from "../frame.js";
import { datetimeBound, kindsCompatible, parseSchema } from "./parse.js";
import type { ColumnSchema, ExpectationName, ExpectationResult, ReportValue, Schema, ValidationReport } from "./types.js";

const MAX_EXAMPLES = 5;

/** Stable problem codes, one per expectation. */
export const PROBLEM_CODES: Readonly<Record<ExpectationName, string>> = {
  row_count_between: "ROW_COUNT",
  column_present: "COLUMN_MISSING",
  kind: "WRONG_KIND",
  not_null: "NULL_VALUES",
  max_missing_fraction: "TOO_MANY_MISSING",
  between: "OUT_OF_RANGE",
  in_set: "NOT_IN_SET",
  unique: "DUPLICATE_VALUES",
  matches_regex: "PATTERN_MISMATCH",
  no_extra_columns: "UNEXPECTED_COLUMN",
};

class Failures {
  count = 0;
  examples: { row: number; value: ReportValue }[] = [];
  constructor(private readonly col: Column) {}
  add(row: number): void {
    this.count++;
    if (this.examples.length < MAX_EXAMPLES) this.examples.push({ row, value: reportValue(this.col, row) });
  }
}

/** A cell as JSON: datetimes as ISO 8601, missing as null. */
export function reportValue(c: Column, row: number): ReportValue {
  const v = cellValue(c, row);
  return v instanceof Date ? v.toISOString() : v;
}

function exampleText(ex: readonly { row: number; value: ReportValue }[]): string {
  return ex.map((e) => `row ${e.row}: ${show(e.value, 40)}`).join(", ");
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** String values of a categorical or text column at row i (null when missing). */
function stringAt(c: Column, i: number): string | null {
  if (c.kind === "categorical") return c.codes[i] < 0 ? null : c.categories[c.codes[i]];
  if (c.kind === "text") return c.values[i];
  const v = cellValue(c, i);
  return v === null ? null : v instanceof Date ? v.toISOString() : String(v);
}

/**
 * Validate `frame` against `schema` (a `Schema`, or JSON text / a parsed value that `parseSchema`
 * accepts). Expectations are listed in a fixed order: the row count, then for each schema column
 * `column_present`, `kind`, `not_null`, `max_missing_fraction`, `between`, `in_set`, `unique`,
 * `matches_regex` (those the schema asks for), then `no_extra_columns` when `strict`. Missing cells
 * count only against `not_null` and `max_missing_fraction`. Expectations about the values of an
 * absent column, or of a column of an incompatible kind, are reported as skipped (not passed).
 *
 * @throws InvalidInputError if the schema does not parse (naming the JSON path).
 * @example
 * ```ts
 * const report = validate(await readTable("new.csv"), inferSchema(await readTable("train.csv")));
 * if (!report.ok) console.log(formatValidationReport(report));
 * ```
 */
export function validate(frame: Frame, schema: Schema | unknown): ValidationReport {
  const s = parseSchema(typeof schema === "string" ? schema : JSON.parse(JSON.stringify(schema)));
  const n = frame.nRows;
  const results: ExpectationResult[] = [];
  const problems: Problem[] = [];
  const push = (r: Omit<ExpectationResult, "failingFraction" | "skipped"> & { skipped?: boolean }, problem?: { path: string; expected: string; received: unknown }) => {
    const full: ExpectationResult = { ...r, skipped: r.skipped ?? false, failingFraction: n ? r.failingRows / n : 0 };
    results.push(full);
    if (!full.pass && !full.skipped && problem) problems.push({ code: PROBLEM_CODES[r.expectation], path: problem.path, message: r.message, expected: problem.expected, received: problem.received });
  };

  // row count
  if (s.rows && (s.rows.min !== undefined || (s.rows.max !== undefined && s.rows.max !== null))) {
    const min = s.rows.min ?? 0;
    const max = s.rows.max ?? null;
    const pass = n >= min && (max === null || n <= max);
    const range = `[${min}, ${max === null ? "∞" : max}]`;
    push(
      { expectation: "row_count_between", column: null, expected: { min, max }, pass, failingRows: 0, examples: [], message: pass ? `${plural(n, "row")}, within ${range}` : `the data has ${plural(n, "row")}, expected between ${min} and ${max === null ? "any number" : max}` },
      { path: "rows", expected: `a row count in ${range}`, received: n },
    );
  }

  for (const [name, spec] of Object.entries(s.columns)) {
    const required = spec.required ?? true;
    const present = frame.has(name);
    const skipRest = (reason: string) => {
      for (const e of expectationsOf(spec)) push({ expectation: e, column: name, expected: expectedOf(e, spec), pass: false, skipped: true, failingRows: 0, examples: [], message: `not checked: ${reason}` });
    };
    if (!present) {
      if (required) {
        push(
          { expectation: "column_present", column: name, expected: true, pass: false, failingRows: 0, examples: [], message: `column ${show(name)} is missing; the data has ${show(frame.names, 160)}` },
          { path: name, expected: "the column to be present", received: frame.names },
        );
        skipRest(`column ${show(name)} is missing`);
      } else {
        push({ expectation: "column_present", column: name, expected: false, pass: true, failingRows: 0, examples: [], message: `column ${show(name)} is optional and absent` });
      }
      continue;
    }
    push({ expectation: "column_present", column: name, expected: required, pass: true, failingRows: 0, examples: [], message: `column ${show(name)} is present` });
    const col = frame.column(name);
    const kindOk = kindsCompatible(spec.kind, col.kind);
    push(
      { expectation: "kind", column: name, expected: spec.kind, pass: kindOk, failingRows: 0, examples: [], message: kindOk ? `column ${show(name)} is ${col.kind}` : `column ${show(name)} is ${col.kind}, expected ${spec.kind}` },
      { path: name, expected: spec.kind, received: col.kind },
    );
    checkMissing(name, spec, col, n, push);
    const valueChecks = (["between", "in_set", "unique", "matches_regex"] as const).filter((e) => expectationsOf(spec).includes(e));
    if (!kindOk) {
      for (const e of valueChecks) push({ expectation: e, column: name, expected: expectedOf(e, spec), pass: false, skipped: true, failingRows: 0, examples: [], message: `not checked: column ${show(name)} is ${col.kind}, not ${spec.kind}` });
      continue;
    }
    for (const e of valueChecks) checkValues(e, name, spec, col, push);
  }

  if (s.strict) {
    const extra = frame.names.filter((x) => !(x in s.columns));
    push(
      { expectation: "no_extra_columns", column: null, expected: Object.keys(s.columns), pass: extra.length === 0, failingRows: 0, examples: [], message: extra.length === 0 ? "no columns outside the schema" : `${extra.length === 1 ? "column" : "columns"} ${extra.map((x) => show(x)).join(", ")} ${extra.length === 1 ? "is" : "are"} not in the schema` },
      { path: extra[0] ?? "columns", expected: "only the schema's columns", received: extra },
    );
  }

  const failed = results.filter((r) => !r.pass && !r.skipped).length;
  const skipped = results.filter((r) => r.skipped).length;
  return {
    ok: results.every((r) => r.pass),
    rows: n,
    summary: { expectations: results.length, passed: results.length - failed - skipped, failed, skipped },
    results,
    problems,
  };
}

type Push = (r: Omit<ExpectationResult, "failingFraction" | "skipped"> & { skipped?: boolean }, problem?: { path: string; expected: string; received: unknown }) => void;

function expectationsOf(spec: ColumnSchema): ExpectationName[] {
  const out: ExpectationName[] = ["kind"];
  if (spec.nullable === false) out.push("not_null");
  if (spec.maxMissingFraction !== undefined) out.push("max_missing_fraction");
  if (spec.min !== undefined || spec.max !== undefined) out.push("between");
  if (spec.categories !== undefined) out.push("in_set");
  if (spec.unique === true) out.push("unique");
  if (spec.pattern !== undefined) out.push("matches_regex");
  return out;
}

function expectedOf(e: ExpectationName, spec: ColumnSchema): unknown {
  switch (e) {
    case "kind":
      return spec.kind;
    case "not_null":
      return true;
    case "max_missing_fraction":
      return spec.maxMissingFraction;
    case "between":
      return { min: spec.min ?? null, max: spec.max ?? null };
    case "in_set":
      return spec.categories;
    case "unique":
      return true;
    case "matches_regex":
      return spec.pattern;
    default:
      return null;
  }
}

function checkMissing(name: string, spec: ColumnSchema, col: Column, n: number, push: Push): void {
  if (spec.nullable !== false && spec.maxMissingFraction === undefined) return;
  const f = new Failures(col);
  for (let i = 0; i < n; i++) if (isMissing(col, i)) f.add(i);
  if (spec.nullable === false) {
    const pass = f.count === 0;
    push(
      { expectation: "not_null", column: name, expected: true, pass, failingRows: f.count, examples: f.examples, message: pass ? `column ${show(name)} has no missing values` : `column ${show(name)} has ${plural(f.count, "missing value")}, expected none (${f.examples.map((e) => `row ${e.row}`).join(", ")}${f.count > f.examples.length ? ", …" : ""})` },
      { path: name, expected: "no missing values", received: f.count },
    );
  }
  if (spec.maxMissingFraction !== undefined) {
    const frac = n ? f.count / n : 0;
    const pass = frac <= spec.maxMissingFraction;
    const pc = (x: number) => `${+(x * 100).toFixed(2)}%`;
    push(
      { expectation: "max_missing_fraction", column: name, expected: spec.maxMissingFraction, pass, failingRows: pass ? 0 : f.count, examples: pass ? [] : f.examples, message: pass ? `column ${show(name)} is ${pc(frac)} missing, at most ${pc(spec.maxMissingFraction)}` : `column ${show(name)} is ${pc(frac)} missing (${f.count} of ${n} rows), expected at most ${pc(spec.maxMissingFraction)}` },
      { path: name, expected: `at most ${pc(spec.maxMissingFraction)} missing`, received: frac },
    );
  }
}

function checkValues(e: "between" | "in_set" | "unique" | "matches_regex", name: string, spec: ColumnSchema, col: Column, push: Push): void {
  const n = columnLength(col);
  const f = new Failures(col);
  const more = () => (f.count > f.examples.length ? ", …" : "");
  switch (e) {
    case "between": {
      const isDate = col.kind === "datetime";
      const lo = spec.min === undefined ? -Infinity : isDate ? datetimeBound(spec.min) : (spec.min as number);
      const hi = spec.max === undefined ? Infinity : isDate ? datetimeBound(spec.max) : (spec.max as number);
      const v = (col as { values: Float64Array }).values;
      for (let i = 0; i < n; i++) {
        const x = v[i];
        if (x < lo || x > hi) f.add(i);
      }
      const range = `[${spec.min === undefined ? "−∞" : String(spec.min)}, ${spec.max === undefined ? "∞" : String(spec.max)}]`;
      const pass = f.count === 0;
      push(
        { expectation: "between", column: name, expected: expectedOf(e, spec), pass, failingRows: f.count, examples: f.examples, message: pass ? `every value of ${show(name)} is within ${range}` : `column ${show(name)} has ${plural(f.count, "value")} outside ${range}, e.g. ${exampleText(f.examples)}${more()}` },
        { path: name, expected: `values within ${range}`, received: f.examples.map((x) => x.value) },
      );
      return;
    }
    case "in_set": {
      const allowed = new Set(spec.categories);
      if (col.kind === "categorical") {
        const ok = col.categories.map((c) => allowed.has(c));
        for (let i = 0; i < n; i++) {
          const k = col.codes[i];
          if (k >= 0 && !ok[k]) f.add(i);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const s = stringAt(col, i);
          if (s !== null && !allowed.has(s)) f.add(i);
        }
      }
      const pass = f.count === 0;
      const list = show(spec.categories, 120);
      push(
        { expectation: "in_set", column: name, expected: spec.categories, pass, failingRows: f.count, examples: f.examples, message: pass ? `every value of ${show(name)} is one of ${list}` : `column ${show(name)} has ${plural(f.count, "value")} not in ${list}, e.g. ${exampleText(f.examples)}${more()}` },
        { path: name, expected: `one of ${list}`, received: f.examples.map((x) => x.value) },
      );
      return;
    }
    case "unique": {
      const repeated = repeatedRows(col);
      for (let i = 0; i < n; i++) if (repeated[i]) f.add(i);
      const pass = f.count === 0;
      push(
        { expectation: "unique", column: name, expected: true, pass, failingRows: f.count, examples: f.examples, message: pass ? `every value of ${show(name)} is unique` : `column ${show(name)} has ${plural(f.count, "row")} whose value occurs more than once, e.g. ${exampleText(f.examples)}${more()}` },
        { path: name, expected: "unique values", received: f.examples.map((x) => x.value) },
      );
      return;
    }
    case "matches_regex": {
      const re = new RegExp(spec.pattern!, "u");
      if (col.kind === "categorical") {
        const ok = col.categories.map((c) => re.test(c));
        for (let i = 0; i < n; i++) {
          const k = col.codes[i];
          if (k >= 0 && !ok[k]) f.add(i);
        }
      } else {
        const cache = new Map<string, boolean>();
        for (let i = 0; i < n; i++) {
          const s = stringAt(col, i);
          if (s === null) continue;
          let ok = cache.get(s);
          if (ok === undefined) {
            ok = re.test(s);
            if (cache.size < 100_000) cache.set(s, ok);
          }
          if (!ok) f.add(i);
        }
      }
      const pass = f.count === 0;
      push(
        { expectation: "matches_regex", column: name, expected: spec.pattern, pass, failingRows: f.count, examples: f.examples, message: pass ? `every value of ${show(name)} matches /${spec.pattern}/` : `column ${show(name)} has ${plural(f.count, "value")} not matching /${spec.pattern}/, e.g. ${exampleText(f.examples)}${more()}` },
        { path: name, expected: `values matching /${spec.pattern}/`, received: f.examples.map((x) => x.value) },
      );
      return;
    }
  }
}

/** 1 for each row whose present value occurs in another row too. */
function repeatedRows(col: Column): Uint8Array {
  const n = columnLength(col);
  const out = new Uint8Array(n);
  switch (col.kind) {
    case "categorical": {
      const counts = new Int32Array(col.categories.length);
      for (let i = 0; i < n; i++) if (col.codes[i] >= 0) counts[col.codes[i]]++;
      for (let i = 0; i < n; i++) if (col.codes[i] >= 0 && counts[col.codes[i]] > 1) out[i] = 1;
      return out;
    }
    case "boolean": {
      const counts = [0, 0];
      for (let i = 0; i < n; i++) if (col.values[i] !== MISSING_BOOL) counts[col.values[i]]++;
      for (let i = 0; i < n; i++) if (col.values[i] !== MISSING_BOOL && counts[col.values[i]] > 1) out[i] = 1;
      return out;
    }
    case "numeric":
    case "datetime": {
      // sort row indices by value, mark runs longer than one
      const v = col.values;
      let m = 0;
      for (let i = 0; i < n; i++) if (v[i] === v[i]) m++;
      const idx = new Int32Array(m);
      let k = 0;
      for (let i = 0; i < n; i++) if (v[i] === v[i]) idx[k++] = i;
      idx.sort((a, b) => v[a] - v[b]);
      let i = 0;
      while (i < m) {
        let j = i + 1;
        while (j < m && v[idx[j]] === v[idx[i]]) j++;
        if (j - i > 1) for (let t = i; t < j; t++) out[idx[t]] = 1;
        i = j;
      }
      return out;
    }
    case "text": {
      const counts = new Map<string, number>();
      for (const s of col.values) if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
      for (let i = 0; i < n; i++) {
        const s = col.values[i];
        if (s !== null && counts.get(s)! > 1) out[i] = 1;
      }
      return out;
    }
  }
}

