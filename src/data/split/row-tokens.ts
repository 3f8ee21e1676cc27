/**
 * Rows as sets of tokens, for near-duplicate detection (Jaccard similarity of token sets).
 * Every column contributes tagged tokens, so equal values in different columns never match:
 * - categorical: the value;
 * - numbers: the value rounded to `digits` significant digits (so 1234.4 and 1234.6 agree);
 *   datetimes: the minute; booleans: the value;
 * - free text: character k-shingles of the text lower-cased (ASCII) with runs of white space
 *   collapsed (Broder 1997; Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*, §3.2);
 *   a text shorter than k is one token;
 * - missing: a "missing" token of that column.
 * A token is a 52-bit hash (two independent 32-bit hashes) stored in a double, so two distinct
 * tokens collide with probability ~2⁻⁵², and Jaccard similarities computed on tokens are exact
 * for all practical purposes. Layout is CSR: row i's sorted, distinct tokens are
 * `tokens[offsets[i] .. offsets[i+1])`. Memory: 8 bytes per token, i.e. about 8 bytes per
 * character of free text plus 8 per other cell.
 */
import type { AlignedColumn } from "./aligned-columns.js";
import { fmix32, mixNumber, mixWord } from "./hash.js";

export interface TokenSets {
  readonly offsets: Int32Array;
  readonly tokens: Float64Array;
}

export interface TokenOptions {
  /** Significant digits numbers are rounded to (default 3). */
  digits: number;
  /** Characters per text shingle (default 5). */
  shingle: number;
}

const TWO20 = 1048576;
const TAG_MISSING = 0x6d697373;
const TAG_ZERO = 0x7a65726f;
const TAG_NUMBER = 0x6e756d62;
const TAG_STRING = 0x73747269;
const TAG_TIME = 0x74696d65;
const TAG_SHORT = 0x73686f72;
const TAG_EMPTY = 0x656d7074;

function seeds(col: number): [number, number] {
  return [fmix32(Math.imul(col + 1, 0x9e3779b9)), fmix32(Math.imul(col + 1, 0x85ebca6b) ^ 0x27d4eb2f)];
}

function token(h1: number, h2: number): number {
  return (fmix32(h1) >>> 0) * TWO20 + (fmix32(h2) >>> 12);
}

/** Token of a tag and one 32-bit word for column seeds (s1, s2). */
function wordToken(s1: number, s2: number, tag: number, w: number): number {
  return token(mixWord(mixWord(s1, tag), w), mixWord(mixWord(s2, tag), w));
}

/** The number's token: rounded to `digits` significant digits (mantissa q, exponent e). */
function numberToken(s1: number, s2: number, x: number, digits: number, pow: Float64Array): number {
  if (x !== x) return wordToken(s1, s2, TAG_MISSING, 0);
  if (x === 0) return wordToken(s1, s2, TAG_ZERO, 0);
  if (!Number.isFinite(x)) return wordToken(s1, s2, TAG_NUMBER, x > 0 ? 1 : 2);
  let e = Math.floor(Math.log10(Math.abs(x)));
  let q = Math.round(x * Math.pow(10, digits - 1 - e));
  if (Math.abs(q) >= pow[digits]) {
    q = Math.round(q / 10);
    e += 1;
  }
  return token(mixWord(mixNumber(mixWord(s1, TAG_NUMBER), q), e), mixWord(mixNumber(mixWord(s2, TAG_NUMBER), q), e));
}

/** Shingle tokens of one text into `out` from `at`; returns how many were written. */
function shingles(s: string, k: number, s1: number, s2: number, ring: Int32Array, out: Float64Array, at: number): number {
  let count = 0;
  let pendingSpace = false;
  let written = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
      if (count > 0) pendingSpace = true;
      continue;
    }
    if (c >= 65 && c <= 90) c |= 32;
    for (let rep = pendingSpace ? 2 : 1; rep > 0; rep--) {
      const code = rep === 2 ? 32 : c;
      ring[count % k] = code;
      count++;
      if (count >= k) {
        let h1 = mixWord(s1, k);
        let h2 = mixWord(s2, k);
        for (let j = count - k; j < count; j++) {
          h1 = mixWord(h1, ring[j % k]);
          h2 = mixWord(h2, ring[j % k]);
        }
        out[at + written++] = token(h1, h2);
      }
    }
    pendingSpace = false;
  }
  if (count === 0) {
    out[at] = wordToken(s1, s2, TAG_EMPTY, 0);
    return 1;
  }
  if (count < k) {
    let h1 = mixWord(s1, TAG_SHORT);
    let h2 = mixWord(s2, TAG_SHORT);
    for (let j = 0; j < count; j++) {
      h1 = mixWord(h1, ring[j]);
      h2 = mixWord(h2, ring[j]);
    }
    out[at] = token(h1, h2);
    return 1;
  }
  return written;
}

/** The token sets of the rows of one side ("a" or "b") of aligned columns. */
export function rowTokens(cols: readonly AlignedColumn[], side: "a" | "b", n: number, options: TokenOptions): TokenSets {
  const k = options.shingle;
  const pow = new Float64Array(options.digits + 1);
  for (let d = 0; d <= options.digits; d++) pow[d] = Math.pow(10, d);
  const ring = new Int32Array(k);
  // per text column: the shingles of each distinct string, computed once
  const textCache = cols.map((c, j) => {
    if (c.domain !== "string" || !c.text) return null;
    const [s1, s2] = seeds(j);
    let total = 0;
    for (const s of c.strings) total += Math.max(1, s.length);
    const toks = new Float64Array(total);
    const offs = new Int32Array(c.strings.length + 1);
    let at = 0;
    c.strings.forEach((s, id) => {
      at += shingles(s, k, s1, s2, ring, toks, at);
      offs[id + 1] = at;
    });
    return { toks, offs };
  });
  // upper bound of tokens per row
  const upper = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) upper[i + 1] = cols.length;
  cols.forEach((c, j) => {
    const cache = textCache[j];
    if (!cache || c.domain !== "string") return;
    const ids = c[side];
    for (let i = 0; i < n; i++) if (ids[i] >= 0) upper[i + 1] += cache.offs[ids[i] + 1] - cache.offs[ids[i]] - 1;
  });
  for (let i = 0; i < n; i++) upper[i + 1] += upper[i];
  const tokens = new Float64Array(upper[n]);
  const cursor = upper.slice(0, n);
  cols.forEach((c, j) => {
    const [s1, s2] = seeds(j);
    if (c.domain === "number") {
      const v = c[side];
      if (c.datetime) {
        for (let i = 0; i < n; i++) {
          const x = v[i];
          tokens[cursor[i]++] = x !== x ? wordToken(s1, s2, TAG_MISSING, 0) : token(mixNumber(mixWord(s1, TAG_TIME), Math.floor(x / 60000)), mixNumber(mixWord(s2, TAG_TIME), Math.floor(x / 60000)));
        }
      } else {
        for (let i = 0; i < n; i++) tokens[cursor[i]++] = numberToken(s1, s2, v[i], options.digits, pow);
      }
      return;
    }
    const ids = c[side];
    const cache = textCache[j];
    const missing = wordToken(s1, s2, TAG_MISSING, 0);
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id < 0) tokens[cursor[i]++] = missing;
      else if (!cache) tokens[cursor[i]++] = wordToken(s1, s2, TAG_STRING, id);
      else {
        for (let t = cache.offs[id]; t < cache.offs[id + 1]; t++) tokens[cursor[i]++] = cache.toks[t];
      }
    }
  });
  // sort and de-duplicate each row, compacting in place
  const offsets = new Int32Array(n + 1);
  let w = 0;
  for (let i = 0; i < n; i++) {
    const s = upper[i];
    const e = cursor[i];
    sortRange(tokens, s, e);
    offsets[i] = w;
    for (let t = s; t < e; t++) if (t === s || tokens[t] !== tokens[t - 1]) tokens[w++] = tokens[t];
  }
  offsets[n] = w;
  return { offsets, tokens: tokens.subarray(0, w) };
}

/** Sort a[s..e) ascending: insertion sort for short ranges, the native sort otherwise. */
export function sortRange(a: Float64Array, s: number, e: number): void {
  if (e - s > 32) {
    a.subarray(s, e).sort();
    return;
  }
  for (let i = s + 1; i < e; i++) {
    const x = a[i];
    let j = i - 1;
    while (j >= s && a[j] > x) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = x;
  }
}

/** Jaccard similarity |A ∩ B| / |A ∪ B| of two sorted, distinct token ranges. */
export function jaccard(ta: Float64Array, sa: number, ea: number, tb: Float64Array, sb: number, eb: number): number {
  let i = sa;
  let j = sb;
  let inter = 0;
  while (i < ea && j < eb) {
    const x = ta[i];
    const y = tb[j];
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  const union = ea - sa + (eb - sb) - inter;
  return union === 0 ? 1 : inter / union;
}
