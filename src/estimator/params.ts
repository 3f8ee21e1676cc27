/**
 * Parameter schemas for estimator specs: each estimator declares its parameters once, as a Zod
 * schema per parameter (with its `.default()` and `.describe()` doc), and the same declaration
 * validates `fit`-time params, parses CLI `--set key=value` strings, fills defaults and (later)
 * bounds tuning search spaces. Problems name the parameter, the value and what was expected —
 * the expectation is read off the parameter's JSON Schema (`z.toJSONSchema`), or is the message
 * of a custom check.
 */
import { z } from "zod";
import { InvalidInputError, type Problem, show, type Json } from "../core/index.js";

/** One parameter: a Zod schema with a default (every parameter has one). */
export type ParamDef = z.ZodType;

/** An estimator's parameters by name. */
export type ParamSchema = Readonly<Record<string, ParamDef>>;

/**
 * A parameter holding any JSON value, checked by `check` (which returns what was expected, in
 * words, or null when the value is fine). `null` is refused unless the schema is made
 * `.nullable()`, as for every other parameter.
 *
 * @example
 * const monotonic = jsonParam(checkMonotonic).nullable().default(null).describe("column → -1, 0, 1");
 */
export function jsonParam(check?: (v: Json) => string | null): z.ZodType<Json> {
  return z.json().superRefine((v, ctx) => {
    const err = v === null ? (check?.(null) ?? "a value other than null") : (check?.(v) ?? null);
    if (err) ctx.addIssue({ code: "custom", message: err });
  });
}

const objects = new WeakMap<ParamSchema, z.ZodType>();

/**
 * The whole parameter record as one strict Zod object (cached per schema).
 * @example
 * ```ts
 * const parsed = paramsObject(logistic.definition.schema).parse({ C: 0.5 });
 * ```
 */
export function paramsObject(schema: ParamSchema): z.ZodType {
  let o = objects.get(schema);
  if (!o) {
    o = z.strictObject(schema as Record<string, z.ZodType>);
    objects.set(schema, o);
  }
  return o;
}

/**
 * Validate `given` against `schema`; returns the full parameter record with defaults filled in.
 * Throws INVALID_INPUT listing every problem (unknown names, wrong types, out of range).
 * @example
 * ```ts
 * resolveParams("logistic", logistic.definition.schema, { C: 0.5 }); // every parameter, defaults filled in
 * ```
 */
export function resolveParams(kind: string, schema: ParamSchema, given: Readonly<Record<string, unknown>> = {}): Record<string, Json> {
  const parsed = given !== null && typeof given === "object" && !Array.isArray(given) ? paramsObject(schema).safeParse(given) : undefined;
  if (!parsed?.success) {
    const problems = checkParams(kind, schema, given);
    throw new InvalidInputError(problems.length === 1 ? problems[0].message : `${problems.length} invalid parameters for ${kind}: ${problems.map((p) => p.message).join("; ")}`, {
      path: problems[0].path,
      expected: problems[0].expected,
      received: problems[0].received,
      problems,
    });
  }
  const data = parsed.data as Record<string, Json>;
  const out: Record<string, Json> = {};
  for (const name of Object.keys(schema)) out[name] = cloneJson(data[name]);
  return out;
}

/**
 * Every problem with `given` as parameters of `kind`, empty when all is well; in the order of `given`'s keys.
 * @example
 * ```ts
 * const problems = checkParams("logistic", logistic.definition.schema, { C: -1 }); // one problem naming C
 * ```
 */
export function checkParams(kind: string, schema: ParamSchema, given: Readonly<Record<string, unknown>>): Problem[] {
  if (given === null || typeof given !== "object" || Array.isArray(given)) {
    return [{ code: "INVALID_INPUT", path: kind, message: `parameters of ${kind} must be an object`, expected: "an object", received: given }];
  }
  const parsed = paramsObject(schema).safeParse(given);
  if (parsed.success) return [];
  const byName = new Map<string, Problem>();
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = Object.keys(schema);
      for (const name of issue.keys) {
        const near = closest(name, known);
        byName.set(name, {
          code: "INVALID_INPUT",
          path: `${kind}.${name}`,
          message: `unknown parameter ${show(name)} for ${kind}${near ? ` (did you mean ${show(near)}?)` : ""}; known: ${known.join(", ") || "none"}`,
          expected: `one of ${known.join(", ")}`,
          received: name,
        });
      }
      continue;
    }
    const name = String(issue.path[0]);
    if (byName.has(name)) continue;
    const value = given[name];
    const expected = issue.code === "custom" ? issue.message : describe(schema[name]);
    byName.set(name, { code: "INVALID_INPUT", path: `${kind}.${name}`, message: `parameter ${show(name)} of ${kind}: got ${show(value)}, expected ${expected}`, expected, received: value });
  }
  const order = Object.keys(given);
  return [...byName.entries()].sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0])).map(([, p]) => p);
}

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  $ref?: string;
  default?: unknown;
  description?: string;
};

const jsonSchemas = new WeakMap<ParamDef, JsonSchema>();

/**
 * The JSON Schema (2020-12) of one parameter, as accepted on input (cached).
 * @example
 * ```ts
 * paramJsonSchema(logistic.definition.schema.C!); // { type: "number", exclusiveMinimum: 0, default: 1, … }
 * ```
 */
export function paramJsonSchema(def: ParamDef): JsonSchema {
  let js = jsonSchemas.get(def);
  if (!js) {
    js = z.toJSONSchema(def, { io: "input", unrepresentable: "any" }) as JsonSchema;
    jsonSchemas.set(def, js);
  }
  return js;
}

/**
 * What a parameter accepts, in words ("an integer ≥ 1 or null").
 * @example
 * ```ts
 * describe(logistic.definition.schema.C!); // e.g. "a number > 0"
 * ```
 */
export function describe(def: ParamDef): string {
  return describeJson(paramJsonSchema(def));
}

const SAFE = Number.MAX_SAFE_INTEGER;

function describeJson(js: JsonSchema): string {
  if (Array.isArray(js.type)) {
    const types = js.type.filter((t) => t !== "null");
    const text = types.map((type) => describeJson({ ...js, type })).join(" or ");
    return types.length < js.type.length ? `${text} or null` : text;
  }
  if (js.anyOf) {
    const nonNull = js.anyOf.filter((s) => s.type !== "null");
    const text = nonNull.map(describeJson).join(" or ");
    return nonNull.length < js.anyOf.length ? `${text} or null` : text;
  }
  if (js.$ref) return "a JSON value";
  if (js.enum) return `one of ${js.enum.map((x) => show(x)).join(", ")}`;
  switch (js.type) {
    case "integer":
    case "number": {
      const bounds: string[] = [];
      if (js.exclusiveMinimum !== undefined) bounds.push(`> ${js.exclusiveMinimum}`);
      else if (js.minimum !== undefined && js.minimum !== -SAFE) bounds.push(`≥ ${js.minimum}`);
      if (js.exclusiveMaximum !== undefined) bounds.push(`< ${js.exclusiveMaximum}`);
      else if (js.maximum !== undefined && js.maximum !== SAFE) bounds.push(`≤ ${js.maximum}`);
      return `${js.type === "integer" ? "an integer" : "a number"}${bounds.length ? " " + bounds.join(" and ") : ""}`;
    }
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
    case "array":
      return js.items?.type === "string" ? "a list of strings" : js.items?.type === "number" ? "a list of numbers" : "a list";
    default:
      return "a JSON value";
  }
}

/** How `--set` text is read for a parameter: from the shape of its JSON Schema. */
function textKind(def: ParamDef | undefined): { type: string; values?: unknown[] } | undefined {
  if (!def) return undefined;
  let js = paramJsonSchema(def);
  if (js.anyOf) {
    const nonNull = js.anyOf.filter((s) => s.type !== "null");
    if (nonNull.length !== 1) return undefined;
    js = nonNull[0];
  }
  if (Array.isArray(js.type)) {
    const types = js.type.filter((t) => t !== "null");
    if (types.length !== 1) return undefined;
    js = { ...js, type: types[0] };
  }
  if (js.enum) return { type: "enum", values: js.enum };
  if (js.type === "array") return { type: js.items?.type === "string" ? "stringList" : js.items?.type === "number" ? "numberList" : "json" };
  return typeof js.type === "string" ? { type: js.type } : undefined;
}

/**
 * Parse `key=value,key=value` (CLI `--set`) into typed values using the schema: numbers,
 * booleans, null, lists as `a;b;c` or JSON `[...]`. Unknown keys are reported by `resolveParams`.
 * @example
 * ```ts
 * parseParamString("logistic", logistic.definition.schema, "C=0.5,penalty=l1"); // { C: 0.5, penalty: "l1" }
 * ```
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
    out[key] = parseValue(textKind(schema[key]), raw);
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

function parseValue(def: { type: string; values?: unknown[] } | undefined, raw: string): unknown {
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
      if (def.values?.includes(raw)) return raw;
      if (asNumber !== undefined && def.values?.includes(asNumber)) return asNumber;
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
