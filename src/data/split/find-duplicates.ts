/**
 * Duplicate rows across two frames (typically a training and a test set): rows of `b` that also
 * occur in `a`, exactly or nearly. Duplicates that straddle a split are a main source of leakage:
 * the model is scored on rows it has already seen.
 * - Exact: rows hashed from their typed arrays and confirmed cell by cell (see exact-duplicates).
 * - Near: rows as token sets (see row-tokens), MinHash + LSH banding to find candidate pairs
 *   without comparing all |a|·|b| pairs, then each candidate's exact Jaccard similarity; pairs at
 *   or above the threshold are reported. Rows with identical token sets are signed once.
 */
import { InvalidInputError, show } from "../../core/index.js";
import type { Frame } from "../frame.js";
import { type AlignedColumn, alignColumns } from "./aligned-columns.js";
import { exactMatches } from "./exact-duplicates.js";
import { fmix32, mixNumber } from "./hash.js";
import { BandIndex, bandKeys, chooseBanding, permutations } from "./minhash.js";
import { type TokenSets, jaccard, rowTokens } from "./row-tokens.js";

/** Options of the near-duplicate search (MinHash LSH over row token sets; Broder 1997, Leskovec et al. "Mining of Massive Datasets" ch. 3). */
export interface NearDuplicateOptions {
  /** Minimum Jaccard similarity of the rows' token sets, in (0, 1] (default 0.8). */
  threshold?: number;
  /** MinHash functions (default 128); more gives fewer missed pairs and fewer false candidates, at a cost. */
  hashes?: number;
  /** Significant digits numbers are rounded to before comparing (default 3). */
  digits?: number;
  /** Characters per text shingle (default 5). */
  shingle?: number;
  /** Seed of the MinHash permutations (default 0). */
  seed?: number;
  /**
   * Probability that a pair with similarity exactly `threshold` is examined (default 0.999; pairs
   * above the threshold are examined with higher probability). Higher costs more candidates.
   */
  recall?: number;
}

/** Options of `findDuplicates`. */
export interface FindDuplicatesOptions {
  /** Columns to compare (default: every column of `a`; all must exist in `b`). */
  columns?: readonly string[];
  /** Also look for near duplicates. */
  near?: NearDuplicateOptions;
  /** Keep at most this many pairs of each kind in the report (default 10,000); counts are always complete. */
  maxPairs?: number;
}

/** A row of `a` and a row of `b` that are duplicates, with the Jaccard similarity of their tokens (1 for exact). */
export interface DuplicatePair {
  readonly a: number;
  readonly b: number;
  readonly similarity: number;
}

/** The duplicate pairs of one kind (exact or near) between two frames. */
export interface DuplicateSummary {
  /** Pairs, sorted by row of `b` then row of `a`; at most `maxPairs`. */
  readonly pairs: DuplicatePair[];
  /** All pairs found (may exceed `pairs.length`). */
  readonly pairCount: number;
  /** Rows of `a` in at least one pair. */
  readonly rowsA: number;
  /** Rows of `b` in at least one pair. */
  readonly rowsB: number;
  /** True when `pairs` was cut at `maxPairs`. */
  readonly truncated: boolean;
}

/** Near-duplicate pairs, with the LSH banding used to find them. */
export interface NearDuplicateSummary extends DuplicateSummary {
  readonly threshold: number;
  /** The similarity the LSH bands were tuned for (see `discreteThreshold`). */
  readonly bandingThreshold: number;
  readonly hashes: number;
  readonly bands: number;
  readonly rowsPerBand: number;
  /** Candidate pairs (of distinct token sets) whose similarity was computed. */
  readonly candidates: number;
}

/** What `findDuplicates` found: exact pairs and, when asked, near ones. */
export interface DuplicateReport {
  readonly columns: string[];
  readonly exact: DuplicateSummary;
  /** Near duplicates that are not exact duplicates (present when `near` was asked for). */
  readonly near?: NearDuplicateSummary;
}

/**
 * Find rows of `b` that duplicate rows of `a`, exactly and (with `near`) approximately.
 * Exact comparison treats missing as equal to missing and −0 as 0. Near pairs exclude exact ones.
 * @example
 * ```ts
 * const report = findDuplicates(train, test, { near: { threshold: 0.9 } });
 * console.log(report.exact.pairCount, report.near?.pairCount);
 * ```
 */
export function findDuplicates(a: Frame, b: Frame, options: FindDuplicatesOptions = {}): DuplicateReport {
  const columns = [...(options.columns ?? a.names)];
  if (columns.length === 0) throw new InvalidInputError("no columns to compare", { path: "columns", expected: "at least one column" });
  for (const c of columns) {
    if (!a.has(c)) throw new InvalidInputError(`column ${show(c)} is not in the first frame; its columns are ${show(a.names, 200)}`, { path: "columns", expected: "columns of both frames", received: c });
    if (!b.has(c)) throw new InvalidInputError(`column ${show(c)} is not in the second frame; its columns are ${show(b.names, 200)}`, { path: "columns", expected: "columns of both frames", received: c });
  }
  const maxPairs = options.maxPairs ?? 10_000;
  if (!Number.isInteger(maxPairs) || maxPairs < 0) throw new InvalidInputError(`maxPairs must be an integer ≥ 0, got ${show(maxPairs)}`, { path: "maxPairs", expected: "an integer ≥ 0", received: maxPairs });
  const cols = alignColumns(a, b, columns);
  const nA = a.nRows;
  const nB = b.nRows;
  const ex = exactMatches(cols, nA, nB);
  const exact = exactSummary(ex.groupOfA, ex.nGroups, ex.matchOfB, maxPairs);
  if (!options.near) return { columns, exact };
  const near = nearDuplicates(cols, nA, nB, options.near, maxPairs, ex.groupOfA, ex.matchOfB);
  return { columns, exact, near };
}

function exactSummary(groupOfA: Int32Array, nGroups: number, matchOfB: Int32Array, maxPairs: number): DuplicateSummary {
  const { start, rows } = membersOf(groupOfA, nGroups);
  const pairs: DuplicatePair[] = [];
  const hitGroup = new Uint8Array(nGroups);
  let pairCount = 0;
  let rowsB = 0;
  for (let j = 0; j < matchOfB.length; j++) {
    const g = matchOfB[j];
    if (g < 0) continue;
    rowsB++;
    hitGroup[g] = 1;
    pairCount += start[g + 1] - start[g];
    for (let t = start[g]; t < start[g + 1] && pairs.length < maxPairs; t++) pairs.push({ a: rows[t], b: j, similarity: 1 });
  }
  let rowsA = 0;
  for (let g = 0; g < nGroups; g++) if (hitGroup[g]) rowsA += start[g + 1] - start[g];
  return { pairs, pairCount, rowsA, rowsB, truncated: pairs.length < pairCount };
}

/** Rows of each group, ascending (CSR). */
function membersOf(groupOf: Int32Array, nGroups: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(nGroups + 1);
  for (let i = 0; i < groupOf.length; i++) start[groupOf[i] + 1]++;
  for (let g = 0; g < nGroups; g++) start[g + 1] += start[g];
  const pos = start.slice(0, nGroups);
  const rows = new Int32Array(groupOf.length);
  for (let i = 0; i < groupOf.length; i++) rows[pos[groupOf[i]]++] = i;
  return { start, rows };
}

/** Group rows with identical token sets; returns the group of each row and one row per group. */
function groupTokenSets(sets: TokenSets, n: number): { groupOf: Int32Array; reps: Int32Array } {
  const { offsets, tokens } = sets;
  const hashes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let h = offsets[i + 1] - offsets[i];
    for (let t = offsets[i]; t < offsets[i + 1]; t++) h = mixNumber(h, tokens[t]);
    hashes[i] = fmix32(h) | 0;
  }
  let size = 16;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const groupOf = new Int32Array(n);
  const reps = new Int32Array(n);
  let nGroups = 0;
  for (let i = 0; i < n; i++) {
    const h = hashes[i];
    let s = h & mask;
    for (;;) {
      const g = slots[s];
      if (g < 0) {
        slots[s] = nGroups;
        reps[nGroups] = i;
        groupOf[i] = nGroups++;
        break;
      }
      const r = reps[g];
      if (hashes[r] === h && sameRange(tokens, offsets[r], offsets[r + 1], offsets[i], offsets[i + 1])) {
        groupOf[i] = g;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  return { groupOf, reps: reps.slice(0, nGroups) };
}

function sameRange(t: Float64Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let i = 0; i < e1 - s1; i++) if (t[s1 + i] !== t[s2 + i]) return false;
  return true;
}

/**
 * When every row of both frames has the same number m of tokens (no free text), Jaccard
 * similarities can only be i / (2m − i) for i shared tokens, so a pair reaches `threshold` only
 * if it reaches the smallest such value ≥ threshold; tuning the bands for that value instead
 * keeps the (often very many) pairs just below the threshold from becoming candidates.
 */
export function discreteThreshold(ta: TokenSets, tb: TokenSets, threshold: number): number {
  let m = -1;
  for (const t of [ta, tb]) {
    for (let i = 0; i + 1 < t.offsets.length; i++) {
      const size = t.offsets[i + 1] - t.offsets[i];
      if (m < 0) m = size;
      else if (size !== m) return threshold;
    }
  }
  if (m <= 0) return threshold;
  for (let i = 0; i <= m; i++) {
    const j = i / (2 * m - i);
    if (j >= threshold) return j;
  }
  return threshold;
}

function checkNear(o: NearDuplicateOptions): Required<NearDuplicateOptions> {
  const threshold = o.threshold ?? 0.8;
  if (typeof threshold !== "number" || !(threshold > 0 && threshold <= 1)) {
    throw new InvalidInputError(`near.threshold must be a similarity in (0, 1], got ${show(threshold)}`, { path: "near.threshold", expected: "a number in (0, 1]", received: threshold });
  }
  const recall = o.recall ?? 0.999;
  if (typeof recall !== "number" || !(recall > 0 && recall < 1)) {
    throw new InvalidInputError(`near.recall must be a probability in (0, 1), got ${show(recall)}`, { path: "near.recall", expected: "a number in (0, 1)", received: recall });
  }
  const int = (v: unknown, name: string, lo: number, hi: number): number => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < lo || v > hi) {
      throw new InvalidInputError(`near.${name} must be an integer from ${lo} to ${hi}, got ${show(v)}`, { path: `near.${name}`, expected: `an integer in [${lo}, ${hi}]`, received: v });
    }
    return v;
  };
  return {
    threshold,
    hashes: int(o.hashes ?? 128, "hashes", 4, 1024),
    digits: int(o.digits ?? 3, "digits", 1, 15),
    shingle: int(o.shingle ?? 5, "shingle", 1, 64),
    seed: int(o.seed ?? 0, "seed", 0, 2 ** 32 - 1),
    recall,
  };
}

function nearDuplicates(
  cols: readonly AlignedColumn[],
  nA: number,
  nB: number,
  options: NearDuplicateOptions,
  maxPairs: number,
  exactGroupOfA: Int32Array,
  exactMatchOfB: Int32Array,
): NearDuplicateSummary {
  const o = checkNear(options);
  const tokOpts = { digits: o.digits, shingle: o.shingle };
  const ta = rowTokens(cols, "a", nA, tokOpts);
  const tb = rowTokens(cols, "b", nB, tokOpts);
  const ga = groupTokenSets(ta, nA);
  const gb = groupTokenSets(tb, nB);
  const bandingThreshold = discreteThreshold(ta, tb, o.threshold);
  const banding = chooseBanding(bandingThreshold, o.hashes, o.recall);
  const perm = permutations(banding.bands * banding.rows, o.seed);
  const keysA = bandKeys(ta, ga.reps, banding, perm);
  const keysB = bandKeys(tb, gb.reps, banding, perm);
  const index = new BandIndex(keysA, banding.bands);
  const nRepA = ga.reps.length;
  const nRepB = gb.reps.length;
  const mark = new Int32Array(nRepA).fill(-1);
  // similar (group of a, group of b) pairs, grouped by group of b as they are found
  const pairA: number[] = [];
  const pairSim: number[] = [];
  const pairStart = new Int32Array(nRepB + 1);
  let candidates = 0;
  const bands = banding.bands;
  for (let w = 0; w < nRepB; w++) {
    const rb = gb.reps[w];
    const sb = tb.offsets[rb];
    const eb = tb.offsets[rb + 1];
    for (let band = 0; band < bands; band++) {
      const key = keysB[w * bands + band];
      for (let e = index.first(key); e >= 0; e = index.following(e, key)) {
        const g = (e / bands) | 0;
        if (mark[g] === w) continue;
        mark[g] = w;
        candidates++;
        const ra = ga.reps[g];
        const sim = jaccard(ta.tokens, ta.offsets[ra], ta.offsets[ra + 1], tb.tokens, sb, eb);
        if (sim >= o.threshold) {
          pairA.push(g);
          pairSim.push(sim);
        }
      }
    }
    pairStart[w + 1] = pairA.length;
  }
  // expand groups of identical token sets to rows, leaving out exact duplicates
  const membersA = membersOf(ga.groupOf, nRepA);
  const hitA = new Uint8Array(nA);
  const pairs: DuplicatePair[] = [];
  let pairCount = 0;
  let rowsB = 0;
  for (let j = 0; j < nB; j++) {
    const w = gb.groupOf[j];
    const ex = exactMatchOfB[j];
    let found = false;
    const first = pairs.length;
    for (let p = pairStart[w]; p < pairStart[w + 1]; p++) {
      const g = pairA[p];
      for (let t = membersA.start[g]; t < membersA.start[g + 1]; t++) {
        const i = membersA.rows[t];
        if (ex >= 0 && exactGroupOfA[i] === ex) continue;
        found = true;
        hitA[i] = 1;
        pairCount++;
        if (pairs.length < maxPairs) pairs.push({ a: i, b: j, similarity: pairSim[p] });
      }
    }
    if (found) rowsB++;
    if (pairs.length - first > 1) {
      const mine = pairs.splice(first).sort((x, y) => x.a - y.a);
      for (const q of mine) pairs.push(q);
    }
  }
  let rowsA = 0;
  for (let i = 0; i < nA; i++) rowsA += hitA[i];
  return {
    pairs,
    pairCount,
    rowsA,
    rowsB,
    truncated: pairs.length < pairCount,
    threshold: o.threshold,
    hashes: banding.bands * banding.rows,
    bandingThreshold,
    bands: banding.bands,
    rowsPerBand: banding.rows,
    candidates,
  };
}
