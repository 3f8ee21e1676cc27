/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, public domain reference `MurmurHash3_x86_32`),
 * over UTF-8 bytes. With seed 0 and the result read as a signed int32 this is scikit-learn's
 * `murmurhash3_bytes_s32`, which `HashingVectorizer` / `FeatureHasher` use.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function rotl32(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/**
 * MurmurHash3_x86_32 of `bytes` as a signed 32-bit integer.
 * @example
 * ```ts
 * murmur3Bytes(new TextEncoder().encode("hello")); // 613153351
 * ```
 */
export function murmur3Bytes(bytes: Uint8Array, seed = 0): number {
  const len = bytes.length;
  const nBlocks = len >> 2;
  let h = seed | 0;
  for (let b = 0; b < nBlocks; b++) {
    const i = b << 2;
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, C1);
    k = rotl32(k, 15);
    k = Math.imul(k, C2);
    h ^= k;
    h = rotl32(h, 13);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = nBlocks << 2;
  const rest = len & 3;
  if (rest > 0) {
    let k = 0;
    if (rest === 3) k ^= bytes[tail + 2] << 16;
    if (rest >= 2) k ^= bytes[tail + 1] << 8;
    k ^= bytes[tail];
    k = Math.imul(k, C1);
    k = rotl32(k, 15);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const utf8 = new TextEncoder();

/**
 * MurmurHash3_x86_32 of a string's UTF-8 encoding, signed.
 * @example
 * ```ts
 * murmur3String("hello"); // 613153351, as sklearn.utils.murmurhash3_32("hello")
 * ```
 */
export function murmur3String(s: string, seed = 0): number {
  return murmur3Bytes(utf8.encode(s), seed);
}
