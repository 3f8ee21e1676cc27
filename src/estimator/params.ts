/**
 * Parameter schemas for estimator specs: each estimator declares its parameters once, and the
 * same declaration validates `fit`-time params, parses CLI `--set key=value` strings, fills
 * defaults and (later) bounds tuning search spaces. Problems name the parameter, the value and
 * what was expected.
 */
import { InvalidInputError, type Problem, show } from "../core/errors.js";
import type { Json } from "../core/observe.js";

export type ParamDef =
  | { type: "number"; default: number | null; min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean; nullable?: boolean; doc?: string }
  | { type: "boolean"; default: boolean; doc?: string }
  | { type: "string"; default: string | null; nullable?: boolean; doc?: string }
  | { type: "enum"; values: readonly (string | number | boolean)[]; default: string | number | boolean | null; nullable?: boolean; doc?: string }
  /** A number or one of some strings, e.g. maxFeatures: "sqrt" | "log2" | 0.5 | 3. */
  | { type: "numberOrEnum"; values: readonly string[]; default: number | string | null; min?: number; max?: number; nullable?: boolean; doc?: string }
  | { type: "stringList"; default: readonly string[] | null; nullable?: boolean; doc?: string }
  | { type: "numberList"; default: readonly number[] | null; nullable?: boolean; doc?: string }
  /** Any JSON value, checked by `check` (returns an error message or null). */
  | { type: "json"; default: Json; check?: (v: Json) => string | null; doc?: string };

export type ParamSchema = Readonly<Record<string, ParamDef>>;

/**
 * Validate `given` against `schema`; returns the full parameter record with defaults filled in.
 * Throws INVALID_INPUT listing every problem (unknown names, wrong types, out of range).
 */
export function resolveParams(kind: string, schema: ParamSchema, given: Readonly<Record<string, unknown>> = {}): Record<string, Json> {
  const problems = checkParams(kind, schema, given);
  if (problems.length > 0) {
    throw new InvalidInputError(problems.length === 1 ? problems[0].message : `${problems.length} invalid parameters for ${kind}: ${problems.map((p) => p.message).join("; ")}`, {
      path: problems[0].path,
      expected: problems[0].expected,
      received: problems[0].received,
      problems,
    });
  }
  const out: Record<string, Json> = {};
  for (const [name, def] of Object.entries(schema)) {
    const v = given[name];
    out[name] = (v === undefined ? cloneJson(def.default as Json) : cloneJson(v as Json)) as Json;
  }
  return out;
}

/** Every problem with `given` as parameters of `kind`, empty when all is well. */
export function checkParams(kind: string, schema: ParamSchema, given: Readonly<Record<string, unknown>>): Problem[] {
  const problems: Problem[] = [];
  if (given === null || typeof given !== "object" || Array.isArray(given)) {
    return [{ code: "INVALID_INPUT", path: kind, message: `parameters of ${kind} must be an object`, expected: "an object", received: given }];
  }
  for (const [name, value] of Object.entries(given)) {
    const def = schema[name];
    const path = `${kind}.${name}`;
    if (!def) {
      const known = Object.keys(schema);
      const near = closest(name, known);
      problems.push({
        code: "INVALID_INPUT",
        path,
        message: `unknown parameter ${show(name)} for ${kind}${near ? ` (did you mean ${show(near)}?)` : ""}; known: ${known.join(", ") || "none"}`,
        expected: `one of ${known.join(", ")}`,
        received: name,
      });
      continue;
    }
    if (value === undefined) continue;
    const err = checkValue(def, value);
    if (err) problems.push({ code: "INVALID_INPUT", path, message: `parameter ${show(name)} of ${kind}: got ${show(value)}, expected ${err}`, expected: err, received: value });
  }
  return problems;
}

function checkValue(def: ParamDef, v: unknown): string | null {
  const nullable = "nullable" in def && def.nullable;
  if (v === null) return nullable || def.default === null ? null : describe(def);
  switch (def.type) {
    case "number":
      return typeof v === "number" && inRange(def, v) ? null : describe(def);
    case "boolean":
      return typeof v === "boolean" ? null : describe(def);
    case "string":
      return typeof v === "string" ? null : describe(def);
    case "enum":
      return def.values.includes(v as string) ? null : describe(def);
    case "numberOrEnum":
      if (typeof v === "string") return def.values.includes(v) ? null : describe(def);
      return typeof v === "number" && Number.isFinite(v) && (def.min === undefined || v >= def.min) && (def.max === undefined || v <= def.max) ? null : describe(def);
    case "stringList":
      return Array.isArray(v) && v.every((x) => typeof x === "string") ? null : describe(def);
    case "numberList":
      return Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x)) ? null : describe(def);
    case "json":
      return def.check ? def.check(v as Json) : null;
  }
}

function inRange(def: Extract<ParamDef, { type: "number" }>, v: number): boolean {
  if (!Number.isFinite(v)) return false;
  if (def.integer && !Number.isInteger(v)) return false;
  if (def.min !== undefined && (def.exclusiveMin ? v <= def.min : v < def.min)) return false;
  if (def.max !== undefined && v > def.max) return false;
  return true;
}

/** What a parameter accepts, in words. */
export function describe(def: ParamDef): string {
  const orNull = ("nullable" in def && def.nullable) || def.default === null ? " or null" : "";
  switch (def.type) {
    case "number": {
      const base = def.integer ? "an integer" : "a number";
      const lo = def.min === undefined ? "" : `${def.exclusiveMin ? ">" : "≥"} ${def.min}`;
      const hi = def.max === undefined ? "" : `≤ ${def.max}`;
      return `${base}${lo || hi ? " " + [lo, hi].filter(Boolean).join(" and ") : ""}${orNull}`;
    }
    case "boolean":
      return "true or false";
    case "string":
      return `a string${orNull}`;
    case "enum":
      return `one of ${def.values.map((x) => show(x)).join(", ")}${orNull}`;
    case "numberOrEnum":
      return `a number${def.min !== undefined ? ` ≥ ${def.min}` : ""}${def.max !== undefined ? ` ≤ ${def.max}` : ""} or one of ${def.values.map((x) => show(x)).join(", ")}${orNull}`;
    case "stringList":
      return `a list of strings${orNull}`;
    case "numberList":
      return `a list of numbers${orNull}`;
    case "json":
      return "a JSON value";
  }
}

/**
 * Parse `key=value,key=value` (CLI `--set`) into typed values using the schema: numbers,
 * booleans, null, lists as `a;b;c` or JSON `[...]`. Unknown keys are reported by `resolveParams`.
 */
export function parseParamString(kind: string, schema: ParamSchema, text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of splitTopLevel(text)) {
    if (part.trim() === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) {
      throw new InvalidInputError(`--set: ${show(part)} is not key=value`, { path: "--set", expected: "key=value[,key=value...]", received: part });
    }
    const key = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    out[key] = parseValue(schema[key], raw);
  }
  return out;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "[" || ch === "{") depth++;
    if (ch === "]" || ch === "}") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts;
}

function parseValue(def: ParamDef | undefined, raw: string): unknown {
  if (raw === "null") return null;
  if (raw.startsWith("[") || raw.startsWith("{")) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  const asNumber = raw !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : undefined;
  switch (def?.type) {
    case "string":
      return raw;
    case "stringList":
      return raw.split(";").map((s) => s.trim()).filter(Boolean);
    case "numberList":
      return raw.split(";").map((s) => Number(s.trim()));
    case "boolean":
      return raw === "true" ? true : raw === "false" ? false : raw;
    case "enum":
      if (def.values.includes(raw)) return raw;
      if (asNumber !== undefined && def.values.includes(asNumber)) return asNumber;
      return raw === "true" ? true : raw === "false" ? false : raw;
    default:
      if (asNumber !== undefined) return asNumber;
      if (raw === "true") return true;
      if (raw === "false") return false;
      return raw;
  }
}

function cloneJson<T extends Json>(v: T): T {
  return v === null || typeof v !== "object" ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** The known name nearest to `name` (edit distance ≤ 3), for "did you mean". */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 4;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
