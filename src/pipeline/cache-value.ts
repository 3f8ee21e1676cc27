/**
 * What the step cache stores, and how, so that every value comes back exactly as it went in:
 * JSON for the shape, with the numbers JSON cannot hold (NaN, ±Infinity, −0) written as tagged
 * objects, and typed arrays moved into one binary blob (8-byte aligned) and read back as views
 * into it. Object keys that start with "$" are escaped ("$$…"), so a tag never collides with data.
 */
import { KeelError } from "../core/index.js";
import type { TypedArray } from "../estimator/index.js";

/** A value the step cache can store: JSON plus non-finite numbers, −0 and typed arrays. */
export type CacheValue = null | boolean | number | string | TypedArray | readonly CacheValue[] | { readonly [key: string]: CacheValue | undefined };

const ARRAYS = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array } as const;
type ArrayName = keyof typeof ARRAYS;

/** A value as JSON text plus the blob of its typed arrays (null when it holds none). */
export function encodeCacheValue(value: CacheValue): { json: string; blob: Uint8Array | null } {
  const parts: { bytes: Uint8Array; offset: number }[] = [];
  let size = 0;
  const walk = (v: CacheValue | undefined, where: string): unknown => {
    if (v === null || v === undefined || typeof v === "boolean" || typeof v === "string") return v ?? null;
    if (typeof v === "number") {
      if (Number.isFinite(v)) return Object.is(v, -0) ? { $: "-0" } : v;
      return { $: String(v) };
    }
    if (ArrayBuffer.isView(v)) {
      const name = v.constructor.name as ArrayName;
      if (!(name in ARRAYS)) throw notStorable(where, name);
      size = Math.ceil(size / 8) * 8;
      parts.push({ bytes: new Uint8Array(v.buffer, v.byteOffset, v.byteLength), offset: size });
      const tag = { $: name, at: size, n: v.length };
      size += v.byteLength;
      return tag;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${where}[${i}]`));
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) throw notStorable(where, proto?.constructor?.name ?? typeof v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k.startsWith("$") ? `$${k}` : k] = walk(x, `${where}.${k}`);
    return out;
  };
  const json = JSON.stringify(walk(value, "value"));
  if (parts.length === 0) return { json, blob: null };
  const blob = new Uint8Array(Math.ceil(size / 8) * 8);
  for (const p of parts) blob.set(p.bytes, p.offset);
  return { json, blob };
}

/** The value `encodeCacheValue` encoded; typed arrays are views into `blob` (copied once if it is misaligned). */
export function decodeCacheValue(json: string, blob: Uint8Array | null): CacheValue {
  let buffer: ArrayBuffer | null = null;
  let base = 0;
  if (blob) {
    if (blob.byteOffset % 8 === 0) {
      buffer = blob.buffer as ArrayBuffer;
      base = blob.byteOffset;
    } else buffer = blob.slice().buffer as ArrayBuffer;
  }
  const walk = (v: unknown): CacheValue => {
    if (v === null || typeof v !== "object") return v as CacheValue;
    if (Array.isArray(v)) return v.map(walk);
    const o = v as Record<string, unknown>;
    if (typeof o.$ === "string") {
      if (o.$ === "-0") return -0;
      if (o.$ === "NaN" || o.$ === "Infinity" || o.$ === "-Infinity") return Number(o.$);
      const C = ARRAYS[o.$ as ArrayName];
      if (!C || !buffer) throw new KeelError("INTERNAL", `step cache: unknown tag ${JSON.stringify(o.$)}`);
      return new C(buffer, base + (o.at as number), o.n as number);
    }
    const out: Record<string, CacheValue> = {};
    for (const [k, x] of Object.entries(o)) out[k.startsWith("$$") ? k.slice(1) : k] = walk(x);
    return out;
  };
  return walk(JSON.parse(json));
}

function notStorable(where: string, what: string): KeelError {
  return new KeelError("INTERNAL", `step cache: ${where} is a ${what}, which the cache cannot store; give the step save() and load()`, { path: where, received: what });
}
