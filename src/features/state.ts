/**
 * Reading a transformer's saved state back: every field is checked, so a corrupt or hand-edited
 * artifact is a clear `KeelError` naming the field, never a crash deep inside `transform`.
 * Each transformer kind stamps `state.version`; a newer version than this code reads is refused.
 */
import { InvalidInputError, show, type Json } from "../core/index.js";
import type { ModelArtifact, SignatureColumn, TypedArray } from "../estimator/index.js";
import { COLUMN_KINDS } from "../data/index.js";

/** State layout version written by every transformer in `features/`. */
export const FEATURES_STATE_VERSION = 1;

/** Typed, checked access to an artifact's `state`, `buffers` and `children`. */
export class StateReader {
  readonly kind: string;
  constructor(private readonly artifact: ModelArtifact) {
    this.kind = String(artifact?.kind);
    if (!artifact || typeof artifact !== "object" || typeof artifact.state !== "object" || artifact.state === null) {
      throw this.corrupt("state", artifact?.state, "an object");
    }
    const v = artifact.state.version;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw this.corrupt("state.version", v, "a positive integer");
    if (v > FEATURES_STATE_VERSION) {
      throw new InvalidInputError(`${this.kind} artifact has state version ${v}; this Keel reads versions 1 to ${FEATURES_STATE_VERSION} (upgrade Keel to load it)`, {
        path: `${this.kind}.state.version`,
        expected: `1..${FEATURES_STATE_VERSION}`,
        received: v,
      });
    }
  }

  corrupt(field: string, value: unknown, expected: string): InvalidInputError {
    return new InvalidInputError(`${this.kind} artifact is corrupt: ${field} is ${show(value)}, expected ${expected}`, { path: `${this.kind}.${field}`, expected, received: value });
  }

  private raw(key: string): Json | undefined {
    return this.artifact.state[key];
  }

  string(key: string): string {
    const v = this.raw(key);
    if (typeof v !== "string") throw this.corrupt(`state.${key}`, v, "a string");
    return v;
  }

  stringOrNull(key: string): string | null {
    const v = this.raw(key);
    if (v === null || v === undefined) return null;
    if (typeof v !== "string") throw this.corrupt(`state.${key}`, v, "a string or null");
    return v;
  }

  number(key: string): number {
    const v = this.raw(key);
    if (typeof v !== "number") throw this.corrupt(`state.${key}`, v, "a number");
    return v;
  }

  boolean(key: string): boolean {
    const v = this.raw(key);
    if (typeof v !== "boolean") throw this.corrupt(`state.${key}`, v, "true or false");
    return v;
  }

  strings(key: string): string[] {
    const v = this.raw(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw this.corrupt(`state.${key}`, v, "a list of strings");
    return v as string[];
  }

  numbers(key: string): number[] {
    const v = this.raw(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) throw this.corrupt(`state.${key}`, v, "a list of numbers");
    return v as number[];
  }

  /** A list of string lists (e.g. categories per column). */
  stringLists(key: string, length?: number): string[][] {
    const v = this.raw(key);
    if (!Array.isArray(v) || !v.every((x) => Array.isArray(x) && x.every((y) => typeof y === "string")) || (length !== undefined && v.length !== length)) {
      throw this.corrupt(`state.${key}`, v, `a list of ${length ?? ""} string lists`.replace("  ", " "));
    }
    return v as string[][];
  }

  json(key: string): Json {
    const v = this.raw(key);
    if (v === undefined) throw this.corrupt(`state.${key}`, v, "a value");
    return v;
  }

  private buffer<T extends TypedArray>(key: string, ctor: abstract new (...a: never[]) => T, name: string, length?: number): T {
    const b = this.artifact.buffers?.[key];
    if (!(b instanceof ctor) || (length !== undefined && b.length !== length)) {
      throw this.corrupt(`buffers.${key}`, b === undefined ? undefined : `${b.constructor.name}(${b.length})`, `${name}${length === undefined ? "" : ` of length ${length}`}`);
    }
    return b;
  }

  f64(key: string, length?: number): Float64Array {
    return this.buffer(key, Float64Array, "a Float64Array", length);
  }

  i32(key: string, length?: number): Int32Array {
    return this.buffer(key, Int32Array, "an Int32Array", length);
  }

  child(name: string): ModelArtifact {
    const c = this.artifact.children?.[name];
    if (!c || typeof c !== "object" || typeof c.kind !== "string") throw this.corrupt(`children.${name}`, c === undefined ? undefined : typeof c, "a nested artifact");
    return c;
  }

  /** The signature's input columns, checked. */
  inputs(): SignatureColumn[] {
    const ins = (this.artifact.signature as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(ins) || !ins.every((c) => c && typeof c.name === "string" && COLUMN_KINDS.includes(c.kind))) {
      throw this.corrupt("signature.inputs", ins, "a list of { name, kind } columns");
    }
    return ins as SignatureColumn[];
  }

  /** `names` must all be inputs of the signature. */
  checkColumnsIn(key: string, names: readonly string[], inputs: readonly SignatureColumn[]): void {
    const known = new Set(inputs.map((c) => c.name));
    for (const n of names) if (!known.has(n)) throw this.corrupt(`state.${key}`, n, "a column of the signature's inputs");
  }
}
