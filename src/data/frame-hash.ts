/**
 * Content hash of a Frame: SHA-256 over column names, kinds and the bytes of every column (text
 * and category labels as UTF-8 with lengths). Equal hashes mean equal data, whatever file it came
 * from; used for dataset lineage, cache keys and sealing the test set.
 */
import { createHash, type Hash } from "node:crypto";
import type { Column } from "./column.js";
import type { Frame } from "./frame.js";

/**
 * The SHA-256 content hash (hex) of a frame: column names, kinds and every cell; equal hashes mean equal data.
 * @example
 * ```ts
 * const hash = frameHash(await readTable("train.csv"));
 * ```
 */
export function frameHash(frame: Frame): string {
  const h = createHash("sha256");
  h.update(`keel-frame-v1\0${frame.nRows}\0${frame.nCols}\0`);
  for (const [name, col] of frame.entries()) {
    h.update(`${name.length}:${name}\0${col.kind}\0`);
    updateColumn(h, col);
  }
  return h.digest("hex");
}

function updateColumn(h: Hash, c: Column): void {
  switch (c.kind) {
    case "numeric":
    case "datetime": {
      // canonical NaN so every missing value hashes alike
      const v = c.values;
      let hasNaN = false;
      for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) { hasNaN = true; break; }
      const arr = hasNaN ? Float64Array.from(v, (x) => (x !== x ? NaN : x)) : v;
      h.update(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength));
      return;
    }
    case "boolean":
      h.update(c.values);
      return;
    case "categorical": {
      // hash labels, not codes: two dictionaries in different orders give the same hash
      const labelHashes = c.categories.map((s) => createHash("sha1").update(s).digest());
      const missing = Buffer.alloc(20, 0xff);
      const chunk = Buffer.alloc(20 * 4096);
      let o = 0;
      for (let i = 0; i < c.codes.length; i++) {
        const k = c.codes[i];
        (k < 0 ? missing : labelHashes[k]).copy(chunk, o);
        o += 20;
        if (o === chunk.length) {
          h.update(chunk);
          o = 0;
        }
      }
      if (o > 0) h.update(chunk.subarray(0, o));
      return;
    }
    case "text":
      for (const s of c.values) h.update(s === null ? "\u0000N" : `${s.length}:${s}`);
      return;
  }
}
