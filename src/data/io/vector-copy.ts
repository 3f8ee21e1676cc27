/**
 * Copy DuckDB result vectors into Keel's typed arrays without making a JS value per cell.
 *
 * A DOUBLE / INTEGER / UTINYINT vector of `@duckdb/node-api` holds its data as a typed-array view
 * (`items`) of DuckDB's memory and its NULLs as a validity bitmask (bit i of the little-endian
 * 64-bit words is 1 when row i is valid, or no mask at all when every row is valid). We copy the
 * view with one `.set` and then write the missing marker where the mask has a 0 bit. Those
 * fields are not part of the package's typed surface, so each copy checks they are there and
 * falls back to the public per-item `getItem` when they are not.
 */
import type { DuckDBVector } from "@duckdb/node-api";

interface VectorInternals {
  items?: unknown;
  validity?: { data?: BigUint64Array | null; offset?: number };
}

type NumberArray = Float64Array | Int32Array | Uint8Array;

/** The vector's typed data view, if it has one of the expected constructor. */
function itemsOf<T extends NumberArray>(v: DuckDBVector, ctor: { new (...a: never[]): T }): T | null {
  const items = (v as unknown as VectorInternals).items;
  return items instanceof ctor ? (items as T) : null;
}

/** Validity bytes and bit offset, or null when every row is valid. Undefined when unreadable. */
function validityOf(v: DuckDBVector): { bytes: Uint8Array; offset: number } | null | undefined {
  const validity = (v as unknown as VectorInternals).validity;
  if (!validity || typeof validity !== "object" || !("data" in validity)) return undefined;
  const data = validity.data;
  if (data == null) return null;
  if (!(data instanceof BigUint64Array)) return undefined;
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset: validity.offset ?? 0 };
}

/**
 * Copy a numeric vector of `n` rows into `dst` at `at`, writing `missing` for NULL rows.
 * `ctor` is the typed array the vector's items must be (Float64Array for DOUBLE, Int32Array for
 * INTEGER, Uint8Array for UTINYINT).
 */
export function copyNumbers<T extends NumberArray>(v: DuckDBVector, n: number, dst: T, at: number, missing: number, ctor: { new (...a: never[]): T }): void {
  const items = itemsOf(v, ctor);
  const validity = validityOf(v);
  if (items === null || items.length < n || validity === undefined) {
    for (let i = 0; i < n; i++) {
      const x = v.getItem(i);
      dst[at + i] = x === null ? missing : Number(x);
    }
    return;
  }
  dst.set(n === items.length ? items : items.subarray(0, n), at);
  if (validity === null) return;
  const { bytes, offset } = validity;
  for (let w = 0; w < n; w += 8) {
    // skip whole bytes of valid rows quickly when the offset is byte-aligned
    const bit0 = offset + w;
    if ((bit0 & 7) === 0 && w + 8 <= n && bytes[bit0 >> 3] === 0xff) continue;
    const end = Math.min(n, w + 8);
    for (let i = w; i < end; i++) {
      const b = offset + i;
      if (((bytes[b >> 3] >> (b & 7)) & 1) === 0) dst[at + i] = missing;
    }
  }
}

/** Copy a VARCHAR vector of `n` rows into `dst` at `at` (NULL → null). One JS string per row. */
export function copyStrings(v: DuckDBVector, n: number, dst: (string | null)[], at: number): void {
  for (let i = 0; i < n; i++) {
    const x = v.getItem(i);
    dst[at + i] = x === null ? null : String(x);
  }
}

/**
 * Fill a fresh DuckDB vector (of a chunk being built for an appender) from rows
 * [start, start+m) of `src`: one `.set` into its typed items, then NULL for rows where
 * `missing(x)` is true, then `flush` hands the data to DuckDB. Falls back to per-item
 * `setItem` when the vector does not expose typed items.
 */
export function fillNumbers<T extends NumberArray>(
  v: DuckDBVector,
  src: T,
  start: number,
  m: number,
  missing: (x: number) => boolean,
  ctor: { new (...a: never[]): T },
): void {
  const items = itemsOf(v, ctor);
  const setItem = v.setItem.bind(v) as (i: number, x: number | null) => void;
  if (items !== null && items.length >= m) {
    items.set(src.subarray(start, start + m));
    for (let i = 0; i < m; i++) if (missing(src[start + i])) setItem(i, null);
  } else {
    for (let i = 0; i < m; i++) {
      const x = src[start + i];
      setItem(i, missing(x) ? null : x);
    }
  }
  v.flush();
}

/** Fill a fresh VARCHAR vector from rows [start, start+m) of `src` (null → NULL), then flush. */
export function fillStrings(v: DuckDBVector, src: readonly (string | null)[], start: number, m: number): void {
  const setItem = v.setItem.bind(v) as (i: number, x: string | null) => void;
  for (let i = 0; i < m; i++) setItem(i, src[start + i]);
  v.flush();
}
