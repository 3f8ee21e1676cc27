/**
 * `parseSchema(json)`: read a schema from JSON text or a parsed value, checking every field.
 * A schema that does not parse is an INVALID_INPUT error whose `path` is the JSON path of the
 * first bad field (`columns.age.kind`, `columns["home type"].min`, `rows.max`) and whose
 * `problems` list every bad field.
 */
import { InvalidInputError, type Problem, show } from "../../core/index.js";
import { COLUMN_KINDS, type ColumnKind } from "../column.js";
import { type Schema, SCHEMA_VERSION } from "./types.js";

const COLUMN_KEYS = new Set(["kind", "required", "nullable", "maxMissingFraction", "min", "max", "categories", "unique", "pattern"]);
const TOP_KEYS = new Set(["version", "columns", "rows", "strict", "description", "$schema"]);
const ROW_KEYS = new Set(["min", "max", "observed"]);

/** The JSON path of a key under `parent`: `parent.key`, or `parent["odd key"]`. */
export function jsonPath(parent: string, key: string): string {
  const part = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return parent === "" ? (part.startsWith(".") ? part.slice(1) : part) : parent + part;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `${typeof v} ${show(v)}`;
}

/** Epoch ms of a datetime bound (ISO 8601 string or number), NaN if it is neither. */
export function datetimeBound(v: unknown): number {
  if (typeof v === "number") return Number.isFinite(v) ? v : NaN;
  if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v)) return Date.parse(v);
  return NaN;
}

/**
 * Parse and check a schema. `input` is JSON text or an already parsed value; `source` (a file
 * name) is named in error messages.
 * @throws InvalidInputError naming the JSON path of the first problem; `problems` lists them all.
 * @example
 * ```ts
 * const schema = parseSchema(readFileSync("schema.json", "utf8"), "schema.json");
 * ```
 */
export function parseSchema(input: unknown, source = "schema"): Schema {
  let value: unknown = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new InvalidInputError(`${source}: not valid JSON (${(e as Error).message})`, { path: "$", expected: "a JSON object", received: input.slice(0, 80), cause: e });
    }
  }
  const problems: Problem[] = [];
  const bad = (path: string, message: string, expected: string, received: unknown) => problems.push({ code: "INVALID_INPUT", path, message: `${source}: ${path}: ${message}`, expected, received });

  if (!isObject(value)) {
    bad("$", `expected a JSON object, got ${typeName(value)}`, "a JSON object", value);
    throw toError(problems);
  }
  for (const k of Object.keys(value)) if (!TOP_KEYS.has(k)) bad(jsonPath("", k), `unknown field ${show(k)}`, `one of ${[...TOP_KEYS].join(", ")}`, k);
  if (value.version !== SCHEMA_VERSION) {
    if (value.version === undefined) bad("version", "missing; this Keel reads schema version 1", "1", undefined);
    else bad("version", `unsupported schema version ${show(value.version)}; this Keel reads version 1`, "1", value.version);
  }
  if (value.strict !== undefined && typeof value.strict !== "boolean") bad("strict", `expected true or false, got ${typeName(value.strict)}`, "a boolean", value.strict);
  if (value.description !== undefined && typeof value.description !== "string") bad("description", `expected a string, got ${typeName(value.description)}`, "a string", value.description);
  if (value.rows !== undefined) {
    const r = value.rows;
    if (!isObject(r)) bad("rows", `expected an object like {"min": 1, "max": null}, got ${typeName(r)}`, "an object", r);
    else {
      for (const k of Object.keys(r)) if (!ROW_KEYS.has(k)) bad(jsonPath("rows", k), `unknown field ${show(k)}`, "min, max or observed", k);
      for (const k of ["min", "max", "observed"] as const) {
        const v = r[k];
        if (v === undefined || (k === "max" && v === null)) continue;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0) bad(`rows.${k}`, `expected a whole number ≥ 0${k === "max" ? " or null" : ""}, got ${typeName(v)}`, "a whole number ≥ 0", v);
      }
      if (typeof r.min === "number" && typeof r.max === "number" && r.min > r.max) bad("rows", `min ${r.min} is above max ${r.max}`, "min ≤ max", r);
    }
  }
  if (!isObject(value.columns)) {
    bad("columns", value.columns === undefined ? "missing; expected an object of column name → expectations" : `expected an object of column name → expectations, got ${typeName(value.columns)}`, "an object", value.columns);
  } else {
    for (const [name, spec] of Object.entries(value.columns)) checkColumn(jsonPath("columns", name), spec, bad);
  }
  if (problems.length > 0) throw toError(problems);
  return value as unknown as Schema;
}

function checkColumn(path: string, spec: unknown, bad: (path: string, message: string, expected: string, received: unknown) => void): void {
  if (!isObject(spec)) {
    bad(path, `expected an object like {"kind": "numeric"}, got ${typeName(spec)}`, "an object", spec);
    return;
  }
  for (const k of Object.keys(spec)) if (!COLUMN_KEYS.has(k)) bad(jsonPath(path, k), `unknown field ${show(k)}`, `one of ${[...COLUMN_KEYS].join(", ")}`, k);
  const kind = spec.kind as ColumnKind;
  const kindOk = typeof kind === "string" && COLUMN_KINDS.includes(kind);
  if (!kindOk) bad(`${path}.kind`, spec.kind === undefined ? `missing; expected one of ${COLUMN_KINDS.join(", ")}` : `${show(spec.kind)} is not a column kind; expected one of ${COLUMN_KINDS.join(", ")}`, COLUMN_KINDS.join(" | "), spec.kind);
  for (const k of ["required", "nullable", "unique"] as const) {
    if (spec[k] !== undefined && typeof spec[k] !== "boolean") bad(`${path}.${k}`, `expected true or false, got ${typeName(spec[k])}`, "a boolean", spec[k]);
  }
  const f = spec.maxMissingFraction;
  if (f !== undefined && (typeof f !== "number" || !(f >= 0 && f <= 1))) bad(`${path}.maxMissingFraction`, `expected a number from 0 to 1, got ${typeName(f)}`, "a number in [0, 1]", f);
  const bounds: Partial<Record<"min" | "max", number>> = {};
  for (const k of ["min", "max"] as const) {
    const v = spec[k];
    if (v === undefined) continue;
    if (kindOk && kind !== "numeric" && kind !== "datetime") {
      bad(`${path}.${k}`, `${k} applies to numeric and datetime columns, not ${kind}`, "no bound for this kind", v);
      continue;
    }
    if (kind === "datetime") {
      const ms = datetimeBound(v);
      if (Number.isNaN(ms)) bad(`${path}.${k}`, `expected an ISO 8601 date-time like "2024-01-31T00:00:00Z", got ${typeName(v)}`, "an ISO 8601 string", v);
      else bounds[k] = ms;
    } else if (typeof v !== "number" || !Number.isFinite(v)) {
      bad(`${path}.${k}`, `expected a finite number, got ${typeName(v)}`, "a number", v);
    } else bounds[k] = v;
  }
  if (bounds.min !== undefined && bounds.max !== undefined && bounds.min > bounds.max) bad(path, `min ${show(spec.min)} is above max ${show(spec.max)}`, "min ≤ max", { min: spec.min, max: spec.max });
  const cats = spec.categories;
  if (cats !== undefined) {
    if (kindOk && kind !== "categorical" && kind !== "text") bad(`${path}.categories`, `categories apply to categorical and text columns, not ${kind}`, "no categories for this kind", cats);
    else if (!Array.isArray(cats)) bad(`${path}.categories`, `expected an array of strings, got ${typeName(cats)}`, "an array of strings", cats);
    else cats.forEach((c, i) => { if (typeof c !== "string") bad(`${path}.categories[${i}]`, `expected a string, got ${typeName(c)}`, "a string", c); });
  }
  const pat = spec.pattern;
  if (pat !== undefined) {
    if (kindOk && kind !== "categorical" && kind !== "text") bad(`${path}.pattern`, `pattern applies to categorical and text columns, not ${kind}`, "no pattern for this kind", pat);
    else if (typeof pat !== "string") bad(`${path}.pattern`, `expected a regular expression as a string, got ${typeName(pat)}`, "a string", pat);
    else {
      try {
        new RegExp(pat, "u");
      } catch (e) {
        bad(`${path}.pattern`, `${show(pat)} is not a valid regular expression (${(e as Error).message})`, "a JavaScript regular expression", pat);
      }
    }
  }
}

function toError(problems: Problem[]): InvalidInputError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  return new InvalidInputError(first.message + more, { path: first.path, expected: first.expected, received: first.received, problems });
}

/**
 * The column schema's kind check: categorical and text are both strings and count as one.
 * @example
 * ```ts
 * kindsCompatible("categorical", "text"); // true
 * ```
 */
export function kindsCompatible(expected: ColumnKind, actual: ColumnKind): boolean {
  if (expected === actual) return true;
  const str = (k: ColumnKind) => k === "categorical" || k === "text";
  return str(expected) && str(actual);
}

