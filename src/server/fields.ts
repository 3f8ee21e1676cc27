/**
 * Reading request fields (MLflow sends GET parameters in the query string, other requests as a
 * JSON body; both are merged, the body winning). Every accessor checks the type and names the
 * field when it is missing or ill-typed (→ 400 INVALID_PARAMETER_VALUE).
 */
import { InvalidInputError, show } from "../core/errors.js";
import { decodeDouble, decodeInt, type JsonObject } from "../wire/index.js";

function missing(name: string): never {
  throw new InvalidInputError(`missing value for required parameter ${show(name)}`, { path: name, expected: "a value" });
}

function illTyped(name: string, value: unknown, expected: string): never {
  throw new InvalidInputError(`parameter ${show(name)}: ${show(value)} is not ${expected}`, { path: name, expected, received: value });
}

/** The fields of one request. */
export class Fields {
  readonly values: JsonObject;

  constructor(query: unknown, body: unknown) {
    const q = query && typeof query === "object" ? (query as JsonObject) : {};
    if (body !== undefined && body !== null && (typeof body !== "object" || Array.isArray(body))) {
      throw new InvalidInputError(`request body must be a JSON object, got ${Array.isArray(body) ? "an array" : typeof body}`, { path: "body", expected: "a JSON object" });
    }
    this.values = { ...q, ...((body as JsonObject | undefined) ?? {}) };
  }

  /** The raw value (query values that came more than once are arrays). */
  raw(name: string): unknown {
    return Object.hasOwn(this.values, name) ? this.values[name] : undefined;
  }

  /** The first of `names` that is present (aliases such as run_id / run_uuid). */
  private pick(names: readonly string[]): { name: string; value: unknown } {
    for (const n of names) {
      const v = this.raw(n);
      if (v !== undefined && v !== null) return { name: n, value: v };
    }
    return { name: names[0], value: undefined };
  }

  /** An optional string (numbers are accepted and turned into strings, as protobuf's JSON parser does for ids). */
  string(...names: string[]): string | undefined {
    let { name, value } = this.pick(names);
    if (Array.isArray(value)) value = value[0];
    if (value === undefined) return undefined;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value !== "string") illTyped(name, value, "a string");
    return value;
  }

  /** A required, non-empty string. */
  requiredString(...names: string[]): string {
    const v = this.string(...names);
    if (v === undefined || v === "") missing(names[0]);
    return v;
  }

  /** A required string that may be empty (tag and param values). */
  requiredText(...names: string[]): string {
    const v = this.string(...names);
    if (v === undefined) missing(names[0]);
    return v;
  }

  /** An optional int64 (number or decimal string). */
  int(name: string): number | undefined {
    let value = this.raw(name);
    if (Array.isArray(value)) value = value[0];
    if (value === undefined || value === null || value === "") return undefined;
    const n = decodeInt(value);
    if (n === undefined) illTyped(name, value, "an integer");
    return n;
  }

  requiredInt(name: string): number {
    const n = this.int(name);
    if (n === undefined) missing(name);
    return n;
  }

  /** A required double: a number, or "NaN", "Infinity", "-Infinity" or a numeric string. */
  requiredDouble(name: string): number {
    let value = this.raw(name);
    if (Array.isArray(value)) value = value[0];
    if (value === undefined || value === null || value === "") missing(name);
    const n = decodeDouble(value);
    if (n === undefined) illTyped(name, value, "a number");
    return n;
  }

  /** An optional boolean (true/false, or "true"/"false" in a query string). */
  bool(name: string): boolean | undefined {
    let value = this.raw(name);
    if (Array.isArray(value)) value = value[0];
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "True" || value === "1") return true;
    if (value === "false" || value === "False" || value === "0") return false;
    return illTyped(name, value, "a boolean");
  }

  /** An optional list of strings (a query parameter given once or many times, or a JSON array). */
  stringList(name: string): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    const list = Array.isArray(value) ? value : [value];
    return list.map((v, i) => {
      if (typeof v === "number" && Number.isFinite(v)) return String(v);
      if (typeof v !== "string") illTyped(`${name}[${i}]`, v, "a string");
      return v;
    });
  }

  /** An optional JSON array of objects. */
  objects(name: string): JsonObject[] | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) illTyped(name, value, "an array");
    return value.map((v, i) => {
      if (v === null || typeof v !== "object" || Array.isArray(v)) illTyped(`${name}[${i}]`, v, "an object");
      return v as JsonObject;
    });
  }
}

/** A `{key, value}` list (tags, params); values must be strings (numbers and booleans are turned into strings, as MLflow clients send them). */
export function keyValues(list: JsonObject[] | undefined, name: string): { key: string; value: string }[] {
  return (list ?? []).map((o, i) => {
    const key = o.key;
    let value = o.value;
    if (typeof key !== "string" || key === "") illTyped(`${name}[${i}].key`, key, "a non-empty string");
    if (value === undefined || value === null) value = "";
    if (typeof value === "number" || typeof value === "boolean") value = String(value);
    if (typeof value !== "string") illTyped(`${name}[${i}].value`, value, "a string");
    return { key, value };
  });
}
