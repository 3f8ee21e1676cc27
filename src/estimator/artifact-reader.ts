/**
 * Checked reading of a model's artifact in its kind's `load`: every state field and buffer is
 * checked for type and for size against the model's own shape (its input columns, its classes,
 * its node count) before the model is built, so a corrupt or hand-edited file is a
 * `CorruptModelError` naming the field — never a crash, a wrong prediction or a huge allocation
 * later. Nothing here allocates more than the JSON it reads already holds.
 */
import { CorruptModelError, show, type Json } from "../core/index.js";
import type { ModelArtifact, SignatureColumn, TypedArray } from "./types.js";

type Ctor<T extends TypedArray> = abstract new (...args: never[]) => T;

/**
 * Typed, checked access to one node of an artifact (`state`, `buffers`, `signature`).
 * @example
 * ```ts
 * const r = new ArtifactReader(artifact);
 * const nTrees = r.integer("nTrees", 1);
 * ```
 */
export class ArtifactReader {
  readonly kind: string;
  constructor(readonly artifact: ModelArtifact) {
    this.kind = String(artifact?.kind);
    if (!artifact || typeof artifact !== "object") throw this.corrupt("(artifact)", typeof artifact, "an artifact object");
    if (!artifact.state || typeof artifact.state !== "object" || Array.isArray(artifact.state)) throw this.corrupt("state", artifact.state, "an object");
    if (!artifact.buffers || typeof artifact.buffers !== "object") throw this.corrupt("buffers", artifact.buffers, "an object of typed arrays");
  }

  /** The error for `field` holding `value` where `expected` was due. */
  corrupt(field: string, value: unknown, expected: string): CorruptModelError {
    return new CorruptModelError(`${this.kind}: ${field} is ${show(value)}, expected ${expected}`, { path: field, expected, received: value });
  }

  /** A raw state value (unchecked). */
  raw(key: string): Json | undefined {
    return Object.hasOwn(this.artifact.state, key) ? this.artifact.state[key] : undefined;
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  /** A finite number. */
  number(key: string): number {
    const v = this.raw(key);
    if (typeof v !== "number" || !Number.isFinite(v)) throw this.corrupt(`state.${key}`, v, "a finite number");
    return v;
  }

  /** An integer in [min, max]. */
  integer(key: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.raw(key);
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw this.corrupt(`state.${key}`, v, `an integer from ${min} to ${max}`);
    return v;
  }

  string(key: string): string {
    const v = this.raw(key);
    if (typeof v !== "string") throw this.corrupt(`state.${key}`, v, "a string");
    return v;
  }

  /** One of a closed set of strings. */
  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const v = this.raw(key);
    if (typeof v !== "string" || !values.includes(v as T)) throw this.corrupt(`state.${key}`, v, values.map((x) => show(x)).join(" | "));
    return v as T;
  }

  boolean(key: string): boolean {
    const v = this.raw(key);
    if (typeof v !== "boolean") throw this.corrupt(`state.${key}`, v, "true or false");
    return v;
  }

  /** A list of strings, of `length` when given, all different when `distinct`. */
  strings(key: string, length?: number, distinct = false): string[] {
    const v = this.raw(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string") || (length !== undefined && v.length !== length) || (distinct && new Set(v).size !== v.length)) {
      throw this.corrupt(`state.${key}`, v, `a list of ${length ?? ""}${distinct ? " distinct" : ""} strings`.replace("  ", " "));
    }
    return v as string[];
  }

  /** A list of finite numbers, of `length` when given; integers in [min, max] when `integers`. */
  numbers(key: string, length?: number, integers?: { min: number; max: number }): number[] {
    const v = this.raw(key);
    const ok = (x: unknown) => typeof x === "number" && Number.isFinite(x) && (!integers || (Number.isInteger(x) && x >= integers.min && x <= integers.max));
    if (!Array.isArray(v) || (length !== undefined && v.length !== length) || !v.every(ok)) {
      throw this.corrupt(`state.${key}`, v, `a list of ${length ?? ""} ${integers ? `integers from ${integers.min} to ${integers.max}` : "finite numbers"}`.replace("  ", " "));
    }
    return v as number[];
  }

  /** A typed buffer of exactly this type, of `length` entries when given. */
  buffer<T extends TypedArray>(name: string, ctor: Ctor<T>, length?: number): T {
    const b = Object.hasOwn(this.artifact.buffers, name) ? this.artifact.buffers[name] : undefined;
    if (!(b instanceof ctor) || (length !== undefined && b.length !== length)) {
      throw this.corrupt(`buffers.${name}`, b === undefined ? undefined : `${b.constructor.name}(${b.length})`, `${(ctor as unknown as { name: string }).name}${length === undefined ? "" : ` of length ${length}`}`);
    }
    return b;
  }

  /** Optional buffer: absent → null; present → checked. */
  optionalBuffer<T extends TypedArray>(name: string, ctor: Ctor<T>, length?: number): T | null {
    return Object.hasOwn(this.artifact.buffers, name) ? this.buffer(name, ctor, length) : null;
  }

  f64(name: string, length?: number): Float64Array {
    return this.buffer(name, Float64Array, length);
  }

  i32(name: string, length?: number): Int32Array {
    return this.buffer(name, Int32Array, length);
  }

  /** Every value of `b` is finite (parameters of a linear model, means, variances, ...). */
  finite(name: string, b: Float64Array): Float64Array {
    for (let i = 0; i < b.length; i++) if (!Number.isFinite(b[i])) throw this.corrupt(`buffers.${name}[${i}]`, b[i], "a finite number");
    return b;
  }

  /** Every value of `b` is an integer in [min, max). */
  codes(name: string, b: Int32Array, min: number, end: number): Int32Array {
    for (let i = 0; i < b.length; i++) if (!(b[i] >= min && b[i] < end)) throw this.corrupt(`buffers.${name}[${i}]`, b[i], `an integer from ${min} to ${end - 1}`);
    return b;
  }

  /** The signature's input columns (checked shape). */
  inputs(): SignatureColumn[] {
    const ins = (this.artifact.signature as { inputs?: unknown } | undefined)?.inputs;
    if (!Array.isArray(ins) || !ins.every((c) => c && typeof c === "object" && typeof c.name === "string")) throw this.corrupt("signature.inputs", ins, "a list of { name, kind } columns");
    return ins as SignatureColumn[];
  }

  /**
   * A classifier's classes: `state.classes` (when `inState`) equal to the signature's output
   * classes, at least `min` of them, all different.
   */
  classes(inState = true, min = 2): string[] {
    const out = (this.artifact.signature as { output?: { type?: string; classes?: unknown } } | undefined)?.output;
    const sig = out?.classes;
    if (out?.type !== "classification" || !Array.isArray(sig) || sig.length < min || !sig.every((x) => typeof x === "string") || new Set(sig).size !== sig.length) {
      throw this.corrupt("signature.output.classes", sig, `a list of at least ${min} distinct class labels`);
    }
    if (!inState) return sig as string[];
    const st = this.strings("classes", sig.length, true);
    if (st.some((c, i) => c !== sig[i])) throw this.corrupt("state.classes", st, `the signature's classes ${show(sig)}`);
    return st;
  }

  /** `names` equal the signature's input names, in order. */
  sameAsInputs(key: string, names: readonly string[]): void {
    const ins = this.inputs();
    if (names.length !== ins.length || names.some((n, i) => n !== ins[i].name)) throw this.corrupt(`state.${key}`, names, `the signature's input names ${show(ins.map((c) => c.name))}`);
  }
}
