/**
 * Request fields, declared per route as Zod schemas (`RouteDef.input`). MLflow sends GET
 * parameters in the query string and other requests as a JSON body; both are checked against the
 * same declaration and merged, the body winning. The field types follow MLflow's protobuf JSON
 * (proto3 JSON mapping): strings must be JSON strings — `{"name": ["a"]}` or `{"name": 123}` is
 * refused — int64 fields take a number or a decimal string, doubles also "NaN" / "Infinity",
 * booleans also "true" / "false". Ids (experiment, run, version) also take a number, as the
 * clients that keep them as numbers send them. A string with a lone UTF-16 surrogate cannot be
 * stored as UTF-8 and is refused. A wrong type → 400 INVALID_PARAMETER_VALUE naming the field,
 * the value and the expected type.
 *
 * In a query string every value is text, and a parameter given twice is a list: list fields
 * take every value, other fields the first (as Flask's `request.args.get`).
 */
import { z } from "zod";
import { InvalidInputError, type Problem, show } from "../core/index.js";
import { decodeDouble, decodeInt, type JsonObject } from "../wire/index.js";

/** A string whose UTF-16 is well formed (no lone surrogate): storable as UTF-8. */
function wellFormed(s: string): boolean {
  return (s as string & { isWellFormed(): boolean }).isWellFormed();
}

const LISTS = new WeakSet<z.ZodType>();
/**
 * For a field type, a stricter schema without unions or transforms that accepts only the
 * canonical form (strings as strings, numbers as numbers) and yields the same values. Requests
 * are checked against it first — the common case, and several times cheaper on a 1,000-metric
 * log-batch — and against the full type only when it fails.
 */
const FAST = new WeakMap<z.ZodType, z.ZodType>();

function withFast<T extends z.ZodType>(t: T, fast: z.ZodType): T {
  FAST.set(t, fast);
  return t;
}
const REQUIRED = new WeakSet<z.ZodType>();

function list<T extends z.ZodType>(t: T): T {
  LISTS.add(t);
  return t;
}

const textSchema = z.string({ error: "a string" }).refine(wellFormed, { error: "a string of well-formed UTF-16 (no lone surrogate)" });
const idSchema = z
  .union([textSchema, z.number().int()], { error: "a string (or an integer id)" })
  .transform((v) => (typeof v === "number" ? String(v) : v));
const intSchema = z
  .union([z.number(), z.string()], { error: "an integer (a number or a decimal string)" })
  .transform((v, ctx) => {
    if (v === "") return undefined; // an empty query parameter: absent
    const n = decodeInt(v);
    if (n === undefined) {
      ctx.addIssue({ code: "custom", message: "an integer (a number or a decimal string)" });
      return z.NEVER;
    }
    return n;
  });
const doubleSchema = z
  .union([z.number(), z.string()], { error: 'a number (or "NaN", "Infinity", "-Infinity")' })
  .transform((v, ctx) => {
    if (v === "") return undefined;
    const n = decodeDouble(v);
    if (n === undefined) {
      ctx.addIssue({ code: "custom", message: 'a number (or "NaN", "Infinity", "-Infinity")' });
      return z.NEVER;
    }
    return n;
  });
const keySchema = z.string({ error: "a non-empty string" }).min(1, { error: "a non-empty string" }).refine(wellFormed, { error: "a string of well-formed UTF-16 (no lone surrogate)" });
const valueSchema = z.union([textSchema, z.number(), z.boolean()], { error: "a string" }).transform((v) => String(v));
const BOOL_TEXT: Record<string, boolean> = { true: true, True: true, "1": true, false: false, False: false, "0": false };
const boolSchema = z
  .union([z.boolean(), z.enum(["", ...Object.keys(BOOL_TEXT)] as [string, ...string[]])], { error: "a boolean" })
  .transform((v) => (typeof v === "boolean" ? v : BOOL_TEXT[v]));
const keyValueSchema = z.object(
  {
    key: keySchema,
    value: z
      .union([textSchema, z.number(), z.boolean()], { error: "a string" })
      .nullish()
      .transform((v) => (v === undefined || v === null ? "" : String(v))),
  },
  { error: "an object { key, value }" },
);
const metricSchema = z.object(
  {
    key: keySchema,
    value: doubleSchema,
    timestamp: intSchema.nullish(),
    step: intSchema.nullish(),
  },
  { error: "an object { key, value, timestamp, step }" },
);

const datasetInputSchema = z.object(
  {
    tags: z.array(keyValueSchema, { error: "a list of { key, value } objects" }).nullish(),
    dataset: z.object(
      {
        name: textSchema,
        digest: textSchema,
        source_type: textSchema,
        source: textSchema,
        schema: textSchema.nullish(),
        profile: textSchema.nullish(),
        rows: intSchema.nullish(),
      },
      { error: "an object { name, digest, source_type, source, schema, profile }" },
    ),
  },
  { error: "an object { tags, dataset }" },
);

/**
 * The field types of the MLflow REST API (see the module doc). Each is a Zod schema; `required`
 * marks a field the endpoint needs (checked when the handler reads it, and shown in the OpenAPI
 * document).
 */
export const field = {
  /** A string. */
  text: () => withFast(textSchema, textSchema),
  /** An id: a string, or an integer turned into one. */
  id: () => withFast(idSchema, textSchema),
  /** A tag or param value: a string (numbers and booleans are turned into strings, as MLflow clients send them). */
  value: () => withFast(valueSchema, textSchema),
  /** An int64: an integer number or a decimal string. */
  int: () => withFast(intSchema, z.int()),
  /** A double: a number, a numeric string, or "NaN" / "Infinity" / "-Infinity". */
  double: () => withFast(doubleSchema, z.number()),
  /** A boolean, or "true" / "false" / "1" / "0". */
  bool: () => withFast(boolSchema, z.boolean()),
  /** A list of strings (a repeated query parameter, a JSON array, or one string). */
  textList: () => list(withFast(z.union([textSchema.transform((s) => [s]), z.array(textSchema, { error: "a list of strings" })], { error: "a list of strings" }), z.array(textSchema))),
  /** A list of ids (strings or integers). */
  idList: () => list(withFast(z.union([idSchema.transform((s) => [s]), z.array(idSchema, { error: "a list of ids" })], { error: "a list of ids" }), z.array(textSchema))),
  /** MLflow's `[{ key, value }]` tags and params; values are strings (numbers and booleans are turned into strings, as MLflow clients send them). */
  keyValues: () => list(withFast(z.array(keyValueSchema, { error: "a list of { key, value } objects" }), z.array(z.object({ key: keySchema, value: textSchema })))),
  /** MLflow's metrics: `[{ key, value, timestamp, step }]`. */
  metrics: () => list(withFast(z.array(metricSchema, { error: "a list of metric objects" }), z.array(z.object({ key: keySchema, value: z.number(), timestamp: z.int().nullish(), step: z.int().nullish() })))),
  /** log-inputs' datasets: `[{ tags, dataset: { name, digest, source_type, source, schema, profile, rows } }]`. */
  datasets: () => list(z.array(datasetInputSchema, { error: "a list of dataset inputs" })),
} as const;

/** A `{ key, value }` pair as `field.keyValues` yields it. */
export interface KeyValue {
  key: string;
  value: string;
}

/** A `field.keyValues` list, empty when absent. */
export function keyValues(list: KeyValue[] | undefined): KeyValue[] {
  return list ?? [];
}

/** Mark a field as one the endpoint needs. */
export function required<T extends z.ZodType>(t: T): T {
  const copy = t.meta({}) as T; // a distinct schema object, so the mark is per use
  REQUIRED.add(copy);
  if (LISTS.has(t)) LISTS.add(copy);
  const fast = FAST.get(t);
  if (fast) FAST.set(copy, fast);
  return copy;
}

/** A route's declared fields. */
export type FieldShape = Readonly<Record<string, z.ZodType>>;

/** A route's input: its fields, as one Zod object for the JSON body and one for the query string. */
export interface RouteInput {
  shape: FieldShape;
  /** Strips undeclared fields; every declared field is optional here (`required` is checked on read). */
  body: z.ZodType<Record<string, unknown>>;
  /** The same fields in their canonical form only (see `FAST`): tried first. */
  fast: z.ZodType<Record<string, unknown>>;
  required: ReadonlySet<string>;
  lists: ReadonlySet<string>;
}

/** Build a route's input declaration from its fields. */
export function routeInput(shape: FieldShape = {}): RouteInput {
  const optional: Record<string, z.ZodType> = {};
  const fast: Record<string, z.ZodType> = {};
  const req = new Set<string>();
  const lists = new Set<string>();
  for (const [name, t] of Object.entries(shape)) {
    optional[name] = t.nullish();
    fast[name] = (FAST.get(t) ?? t).nullish();
    if (REQUIRED.has(t)) req.add(name);
    if (LISTS.has(t)) lists.add(name);
  }
  return { shape, body: z.object(optional) as unknown as z.ZodType<Record<string, unknown>>, fast: z.object(fast) as unknown as z.ZodType<Record<string, unknown>>, required: req, lists };
}

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of a route's fields as a client sends them. */
export function inputJsonSchema(input: RouteInput): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(input.shape)) {
    const js = z.toJSONSchema(t, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
    delete js.$schema;
    properties[name] = js;
  }
  const out: Record<string, unknown> = { type: "object", properties };
  if (input.required.size > 0) out.required = [...input.required];
  return out;
}

function pathText(path: readonly PropertyKey[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? String(p) : `.${String(p)}`;
  return s;
}

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** Check `values` against a route's input; INVALID_INPUT naming every ill-typed field. */
function check(input: RouteInput, values: unknown, where: string): Record<string, unknown> {
  const quick = input.fast.safeParse(values);
  if (quick.success) return quick.data;
  const r = input.body.safeParse(values);
  if (r.success) return r.data;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const issue of r.error.issues) {
    const path = pathText(issue.path);
    if (seen.has(path)) continue;
    seen.add(path);
    const value = at(values, issue.path);
    const expected = issue.message;
    problems.push({ code: "INVALID_INPUT", path, message: `parameter ${show(path)}${where}: ${show(value)} is not ${expected}`, expected, received: value });
  }
  const first = problems[0];
  const message = problems.length === 1 ? first.message : `${problems.length} invalid parameters: ${problems.map((p) => p.message).join("; ")}`;
  throw new InvalidInputError(message, { path: first.path, expected: first.expected, received: first.received, problems });
}

/** Query-string values to the JSON the schema reads: list fields always arrays, others the first value. */
function fromQuery(input: RouteInput, query: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!query || typeof query !== "object") return out;
  for (const name of Object.keys(input.shape)) {
    if (!Object.hasOwn(query, name)) continue;
    const v = (query as Record<string, unknown>)[name];
    out[name] = input.lists.has(name) ? (Array.isArray(v) ? v : [v]) : Array.isArray(v) ? v[0] : v;
  }
  return out;
}

function missing(name: string): never {
  throw new InvalidInputError(`missing value for required parameter ${show(name)}`, { path: name, expected: "a value" });
}

/** The checked fields of one request. */
export class Fields {
  readonly values: JsonObject;

  /** Check the query string and the JSON body against `input`; the body wins where both have a field. */
  constructor(input: RouteInput, query: unknown, body: unknown) {
    if (body !== undefined && body !== null && (typeof body !== "object" || Array.isArray(body))) {
      throw new InvalidInputError(`request body must be a JSON object, got ${Array.isArray(body) ? "an array" : typeof body}`, { path: "body", expected: "a JSON object" });
    }
    const q = check(input, fromQuery(input, query), " (query string)");
    const b = body === undefined || body === null ? {} : check(input, body, "");
    this.values = { ...q } as JsonObject;
    for (const [k, v] of Object.entries(b)) if (v !== undefined) (this.values as Record<string, unknown>)[k] = v;
    this.input = input;
  }

  private readonly input: RouteInput;

  /** The checked value of a declared field (undefined when absent or null). */
  raw(name: string): unknown {
    if (!Object.hasOwn(this.input.shape, name)) throw new Error(`the route reads field ${show(name)} but does not declare it in its input`);
    const v = this.values[name];
    return v === null ? undefined : v;
  }

  /** The first of `names` that is present (aliases such as run_id / run_uuid). */
  private pick(names: readonly string[]): unknown {
    for (const n of names) {
      const v = this.raw(n);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private needs(name: string): void {
    if (!this.input.required.has(name)) throw new Error(`the route needs field ${show(name)} but does not declare it required`);
  }

  /** An optional string field (text or id). */
  string(...names: string[]): string | undefined {
    return this.pick(names) as string | undefined;
  }

  /** A required, non-empty string. */
  requiredString(...names: string[]): string {
    this.needs(names[0]);
    const v = this.string(...names);
    if (v === undefined || v === "") missing(names[0]);
    return v;
  }

  /** A required string that may be empty (tag and param values). */
  requiredText(...names: string[]): string {
    this.needs(names[0]);
    const v = this.string(...names);
    if (v === undefined) missing(names[0]);
    return v;
  }

  /** An optional int64. */
  int(name: string): number | undefined {
    const v = this.raw(name);
    return v === "" ? undefined : (v as number | undefined);
  }

  /** A required double. */
  requiredDouble(name: string): number {
    this.needs(name);
    const v = this.raw(name) as number | undefined;
    if (v === undefined) missing(name);
    return v;
  }

  /** An optional boolean. */
  bool(name: string): boolean | undefined {
    return this.raw(name) as boolean | undefined;
  }

  /** An optional list of strings. */
  stringList(name: string): string[] | undefined {
    return this.raw(name) as string[] | undefined;
  }

  /** An optional list (objects, `{key, value}` pairs or metrics, as the field declares). */
  objects<T = JsonObject>(name: string): T[] | undefined {
    return this.raw(name) as T[] | undefined;
  }
}
