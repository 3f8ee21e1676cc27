/**
 * Finding a node's split, after scikit-learn's `BestSplitter` / `RandomSplitter` (1.2):
 * features are drawn without replacement (Fisher–Yates over a per-tree feature list that persists
 * from node to node), constant features found in a node are remembered for its descendants, and
 * the search goes on past `maxFeatures` until at least one non-constant feature was drawn.
 *
 * - Best split (CART, Breiman et al. 1984): the node's rows are sorted along the feature (by their
 *   presorted ranks: a native sort for small nodes, a radix sort for mid-sized ones, a pass over
 *   the feature's global order for large ones) and every cut between distinct values is scored;
 *   the threshold is the midpoint of the two values, as scikit-learn.
 * - Random split (extra-trees, Geurts, Ernst & Wehenkel, "Extremely randomized trees", Machine
 *   Learning 2006): one threshold uniform between the node's min and max of the feature.
 * - Missing values (NaN) are kept out of the sort; each cut is scored with them on the left and on
 *   the right and the better side is learned (scikit-learn 1.3's rule), and "present | missing" is
 *   itself a candidate.
 * - Categorical features, for binary classification and regression: categories present in the node
 *   are ordered by mean target and cut like an ordered feature, which finds the best of all
 *   2^(k−1) − 1 partitions (Breiman et al. 1984, §9.4; Fisher 1958). Extra-trees draw a random
 *   partition instead. Categories absent from the node follow the missing values.
 */
import { type Criterion, FEATURE_THRESHOLD, impurityImprovement, type ScanLimits, type SortedRows } from "./criterion.js";
import type { RandomSource } from "./random-source.js";

/** What the splitter reads: features, their presort, and per-row weights and targets. */
export interface SplitterData {
  n: number;
  p: number;
  X: Float64Array;
  /** Row-major ranks (`rank[i*p + j]`) and per-feature (row, value) pairs by rank (see `presort`). */
  rank: Uint32Array;
  byRank: Float64Array;
  nonMissing: Int32Array;
  nCats: Int32Array;
  /** Categorical features get partition splits (else their codes are cut as ordered numbers). */
  partitionCategorical: boolean;
  /** Per-row target used to order categories (class index 0/1, or the regression target). */
  target: Float64Array;
  weight: Float64Array;
}

export interface SplitterSettings {
  maxFeatures: number;
  minSamplesLeaf: number;
  minWeightLeaf: number;
  random: boolean;
}

/** The split a node search found. */
export interface SplitRecord {
  feature: number;
  threshold: number;
  missingLeft: boolean;
  /** Left categories (partition splits), ⌈categories/32⌉ words; null for threshold splits. */
  catBits: Uint32Array | null;
  /** Rows going left: they are `samples[start..pos)` after the split. */
  pos: number;
  impurityLeft: number;
  impurityRight: number;
  improvement: number;
}

const INSERTION_SORT_MAX = 16;
/**
 * Features with at most this many distinct present values get counting sorts in nodes with at
 * least a quarter as many rows as values (codes fit 16 bits; `MISSING_CODE` marks NaN).
 */
const LOW_CARD_MAX = 65534;
const MISSING_CODE = 65535;
const NATIVE_SORT_MAX = 1024;
/** A node holding at least 1/FLAG_SCAN_RATIO of the rows picks its sorted rows from the global order. */
const FLAG_SCAN_RATIO = 8;

export class Splitter {
  readonly samples: Int32Array;
  readonly nSamples: number;
  readonly weightTotal: number;
  private readonly d: SplitterData;
  private readonly s: SplitterSettings;
  private readonly criterion: Criterion;
  private readonly rand: RandomSource;
  private readonly features: Int32Array;
  private readonly constantFeatures: Int32Array;
  private readonly sorted: SortedRows;
  private readonly limits: ScanLimits;
  private readonly keys: Uint32Array;
  private readonly keysTmp: Uint32Array;
  private readonly radixCount = new Int32Array(2048);
  private readonly inNode: Uint8Array;
  private readonly rankBits: number;
  // categorical scratch
  private readonly catW: Float64Array;
  private readonly catS: Float64Array;
  private readonly catN: Int32Array;
  private readonly catList: Int32Array;
  private readonly catPos: Int32Array;
  private readonly catStart: Int32Array;
  private catPresent = 0;
  // best split so far in the current node, and the candidate last evaluated
  private bestFeature = -1;
  private bestThreshold = 0;
  private bestMissingLeft = false;
  private bestCat: Uint32Array | null = null;
  private candThreshold = 0;
  private candMissingLeft = false;
  private candCat: Uint32Array | null = null;
  private candConstant = false;
  /** For a numeric cut: the largest rank going left (−1 for other splits); rows partition by rank. */
  private candRank = -1;
  private bestRank = -1;
  /** Ranks of the rows in `sorted`, in order (the buffer `sortNumeric` left them in). */
  private sortedRanks: Uint32Array;
  private readonly catBitsA: Uint32Array;
  private readonly catBitsB: Uint32Array;
  /**
   * Few-valued features (one-hot columns, flags, small integer codes): per row the index of its
   * value among the feature's distinct values (column-major, `MISSING_CODE` for NaN); per feature
   * and value index the value and the last rank of its run. Null for features with more values.
   */
  private readonly lowCard: (Uint16Array | null)[];
  /** Per few-valued feature: its distinct values, and where they start in `codeValue` / `codeLastRank`. */
  private readonly nCodes: Int32Array;
  private readonly codeOffset: Int32Array;
  private codeValue: Float64Array;
  private codeLastRank: Uint32Array;
  private codeCount: Int32Array;

  constructor(data: SplitterData, settings: SplitterSettings, criterion: Criterion, rand: RandomSource) {
    this.d = data;
    this.s = settings;
    this.criterion = criterion;
    this.rand = rand;
    const { n, p, weight } = data;
    // only rows with positive weight take part (bootstrap rows drawn 0 times, zero weights)
    let m = 0;
    let wt = 0;
    for (let i = 0; i < n; i++) {
      if (weight[i] !== 0) m++;
      wt += weight[i];
    }
    this.samples = new Int32Array(m);
    for (let i = 0, j = 0; i < n; i++) if (weight[i] !== 0) this.samples[j++] = i;
    this.nSamples = m;
    this.weightTotal = wt;
    this.features = new Int32Array(p);
    for (let j = 0; j < p; j++) this.features[j] = j;
    this.constantFeatures = new Int32Array(p);
    this.sorted = { rows: new Int32Array(m), x: new Float64Array(m), m: 0, nonMissing: 0 };
    this.limits = { minSamplesLeaf: settings.minSamplesLeaf, minWeightLeaf: settings.minWeightLeaf };
    this.keys = new Uint32Array(m);
    this.keysTmp = new Uint32Array(m);
    this.sortedRanks = this.keys;
    this.inNode = new Uint8Array(n);
    let bits = 1;
    while (2 ** bits < n) bits++;
    this.rankBits = bits;
    let maxCats = 0;
    for (let j = 0; j < p; j++) maxCats = Math.max(maxCats, data.nCats[j]);
    this.catW = new Float64Array(maxCats);
    this.catS = new Float64Array(maxCats);
    this.catN = new Int32Array(maxCats);
    this.catList = new Int32Array(maxCats);
    this.catPos = new Int32Array(maxCats);
    this.catStart = new Int32Array(maxCats + 1);
    const words = Math.ceil(maxCats / 32);
    this.catBitsA = new Uint32Array(words);
    this.catBitsB = new Uint32Array(words);
    this.nCodes = new Int32Array(p);
    this.codeOffset = new Int32Array(p + 1);
    let maxCodes = 0;
    for (let f = 0; f < p; f++) {
      this.nCodes[f] = settings.random ? 0 : this.distinctValues(f);
      this.codeOffset[f + 1] = this.codeOffset[f] + this.nCodes[f];
      maxCodes = Math.max(maxCodes, this.nCodes[f]);
    }
    this.codeValue = new Float64Array(this.codeOffset[p]);
    this.codeLastRank = new Uint32Array(this.codeOffset[p]);
    this.codeCount = new Int32Array(maxCodes + 2);
    this.lowCard = Array.from({ length: p }, (_, f) => (this.nCodes[f] > 0 ? this.valueCodes(f) : null));
  }

  /** Distinct present values of feature f, or 0 when there are more than `LOW_CARD_MAX`. */
  private distinctValues(f: number): number {
    const { n, byRank, nonMissing } = this.d;
    const base = 2 * f * n;
    const nn = nonMissing[f];
    let distinct = 0;
    for (let r = 0; r < nn; r++) {
      if (r === 0 || byRank[base + 2 * r + 1] !== byRank[base + 2 * r - 1]) {
        if (++distinct > LOW_CARD_MAX) return 0;
      }
    }
    return distinct;
  }

  /** Value codes of a few-valued feature f (fills its `codeValue` and `codeLastRank` entries). */
  private valueCodes(f: number): Uint16Array {
    const { n, byRank, nonMissing } = this.d;
    const base = 2 * f * n;
    const nn = nonMissing[f];
    const codes = new Uint16Array(n).fill(MISSING_CODE);
    const o = this.codeOffset[f];
    let c = -1;
    for (let r = 0; r < nn; r++) {
      const v = byRank[base + 2 * r + 1];
      if (r === 0 || v !== byRank[base + 2 * r - 1]) {
        c++;
        this.codeValue[o + c] = v;
      }
      this.codeLastRank[o + c] = r;
      codes[byRank[base + 2 * r]] = c;
    }
    return codes;
  }

  /** Node totals for `samples[start..end)`; returns the node's weight. */
  nodeReset(start: number, end: number): number {
    return this.criterion.init(this.samples, start, end);
  }

  nodeImpurity(): number {
    return this.criterion.nodeImpurity();
  }

  nodeValue(out: Float64Array, offset: number): void {
    this.criterion.nodeValue(out, offset);
  }

  /**
   * Search the best split of `samples[start..end)` (node weight `weightNode`, impurity
   * `impurity`), with the first `nConstant` entries of the feature list known constant. Rows are
   * reordered so the left child is `samples[start..pos)`. Returns the split (null if none) and the
   * count of known constant features for the children.
   */
  nodeSplit(start: number, end: number, impurity: number, weightNode: number, nConstant: number): { split: SplitRecord | null; nConstant: number } {
    const d = this.d;
    const features = this.features;
    const p = d.p;
    const maxFeatures = this.s.maxFeatures;
    const m = end - start;
    const useFlags = !this.s.random && m >= 4096 && m * FLAG_SCAN_RATIO >= d.n;
    if (useFlags) for (let i = start; i < end; i++) this.inNode[this.samples[i]] = 1;

    let fi = p;
    let nVisited = 0;
    let nFound = 0;
    let nDrawn = 0;
    const nKnown = nConstant;
    let nTotal = nKnown;
    let bestProxy = -Infinity;
    this.bestFeature = -1;
    this.bestCat = null;
    this.bestRank = -1;

    while (fi > nTotal && (nVisited < maxFeatures || nVisited <= nFound + nDrawn)) {
      nVisited++;
      let fj = nDrawn + this.rand.int(fi - nFound - nDrawn);
      if (fj < nKnown) {
        const t = features[nDrawn];
        features[nDrawn] = features[fj];
        features[fj] = t;
        nDrawn++;
        continue;
      }
      fj += nFound;
      const f = features[fj];
      const partition = d.nCats[f] > 0 && d.partitionCategorical;
      this.candConstant = false;
      const proxy = this.s.random ? this.tryRandom(f, start, end, partition) : this.tryBest(f, start, end, partition, useFlags, bestProxy);
      if (this.candConstant) {
        features[fj] = features[nTotal];
        features[nTotal] = f;
        nFound++;
        nTotal++;
        continue;
      }
      fi--;
      const t = features[fi];
      features[fi] = features[fj];
      features[fj] = t;
      if (proxy > bestProxy) {
        bestProxy = proxy;
        this.bestFeature = f;
        this.bestThreshold = this.candThreshold;
        this.bestMissingLeft = this.candMissingLeft;
        this.bestCat = this.candCat; // candidates write into the other bitset buffer from now on
        this.bestRank = this.candRank;
      }
    }
    if (useFlags) for (let i = start; i < end; i++) this.inNode[this.samples[i]] = 0;

    // constant features: restore the known ones' order, record the new ones (scikit-learn's invariant)
    for (let j = 0; j < nKnown; j++) features[j] = this.constantFeatures[j];
    for (let j = nKnown; j < nKnown + nFound; j++) this.constantFeatures[j] = features[j];

    if (this.bestFeature < 0) return { split: null, nConstant: nTotal };
    const pos = this.partition(start, end);
    if (pos === start || pos === end) return { split: null, nConstant: nTotal };
    const ch = this.criterion.childrenImpurity(this.samples, start, pos, end);
    const split: SplitRecord = {
      feature: this.bestFeature,
      threshold: this.bestCat ? NaN : this.bestThreshold,
      missingLeft: this.bestMissingLeft,
      catBits: this.bestCat ? this.bestCat.slice(0, Math.ceil(d.nCats[this.bestFeature] / 32)) : null,
      pos,
      impurityLeft: ch.left,
      impurityRight: ch.right,
      improvement: impurityImprovement(this.weightTotal, weightNode, impurity, ch.left, ch.right, ch.weightLeft, ch.weightRight),
    };
    return { split, nConstant: nTotal };
  }

  /** The bitset buffer not holding the current best. */
  private freeCatBuffer(): Uint32Array {
    return this.bestCat === this.catBitsA ? this.catBitsB : this.catBitsA;
  }

  /** Best cut along feature f beating `bestProxy`: its proxy, or −Infinity (sets `candConstant` if f is constant here). */
  private tryBest(f: number, start: number, end: number, partition: boolean, useFlags: boolean, bestProxy: number): number {
    const sorted = this.sorted;
    if (partition) this.sortCategorical(f, start, end);
    else this.sortNumeric(f, start, end, useFlags);
    const { x, m, nonMissing: mnn } = sorted;
    if (mnn === 0 || (mnn === m && x[mnn - 1] <= x[0] + FEATURE_THRESHOLD)) {
      this.candConstant = true;
      return -Infinity;
    }
    const c = this.criterion;
    if (!c.scan(sorted, this.limits, bestProxy)) return -Infinity;
    const pos = c.foundPos;
    // no missing values here: missing values met later go to the child with more rows (as scikit-learn)
    const missingLeft = mnn < m ? c.foundMissingLeft : pos > m - pos;
    this.candMissingLeft = missingLeft;
    if (partition) {
      const bits = this.freeCatBuffer();
      this.fillCatBits(bits, f, x[pos - 1], missingLeft);
      this.candCat = bits;
      this.candRank = -1;
    } else {
      this.candCat = null;
      this.candRank = this.sortedRanks[pos - 1];
      if (pos >= mnn) this.candThreshold = Infinity;
      else {
        // sum of halves avoids overflow; fall back to the lower value when the midpoint rounds up
        let t = x[pos - 1] / 2 + x[pos] / 2;
        if (t === x[pos] || t === Infinity || t === -Infinity) t = x[pos - 1];
        this.candThreshold = t;
      }
    }
    return c.foundProxy;
  }

  /** One random cut along feature f (extra-trees): its proxy, or −Infinity (sets `candConstant` if f is constant here). */
  private tryRandom(f: number, start: number, end: number, partition: boolean): number {
    const d = this.d;
    const off = f * d.n;
    const { rows } = this.sorted;
    const samples = this.samples;
    const X = d.X;
    const m = end - start;
    let leftPresent = 0;
    let mnn = 0;
    let threshold = 0;
    let bits: Uint32Array | null = null;
    const right = this.keys; // scratch: right-present rows
    const missing = this.keysTmp; // scratch: missing rows
    let nr = 0;
    let nm = 0;
    if (partition) {
      this.countCategories(f, start, end);
      const P = this.catPresent;
      if (P === 0 || (P === 1 && this.catStart[P] === m)) {
        this.candConstant = true;
        return -Infinity;
      }
      // a random side for each present category, both sides non-empty when there are two or more
      const side = this.catPos; // reused here: 1 = left
      let nLeft = 0;
      for (let j = 0; j < P; j++) {
        const c = this.catList[j];
        side[c] = this.rand.int(2);
        nLeft += side[c];
      }
      if (P >= 2 && (nLeft === 0 || nLeft === P)) side[this.catList[this.rand.int(P)]] ^= 1;
      for (let i = start; i < end; i++) {
        const s = samples[i];
        const v = X[off + s];
        if (v !== v) missing[nm++] = s;
        else if (side[v | 0] === 1) rows[leftPresent++] = s;
        else right[nr++] = s;
      }
      bits = this.freeCatBuffer();
      bits.fill(0);
      for (let j = 0; j < P; j++) {
        const c = this.catList[j];
        if (side[c] === 1) bits[c >>> 5] |= 1 << (c & 31);
      }
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = X[off + samples[i]];
        if (v !== v) continue;
        mnn++;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (mnn === 0 || (mnn === m && hi <= lo + FEATURE_THRESHOLD)) {
        this.candConstant = true;
        return -Infinity;
      }
      if (hi <= lo + FEATURE_THRESHOLD) threshold = Infinity; // present | missing
      else {
        threshold = (hi - lo) * this.rand.float() + lo;
        if (threshold === hi) threshold = lo;
      }
      for (let i = start; i < end; i++) {
        const s = samples[i];
        const v = X[off + s];
        if (v !== v) missing[nm++] = s;
        else if (v <= threshold) rows[leftPresent++] = s;
        else right[nr++] = s;
      }
    }
    // rows: left present, right present, missing
    for (let i = 0; i < nr; i++) rows[leftPresent + i] = right[i];
    mnn = leftPresent + nr;
    for (let i = 0; i < nm; i++) rows[mnn + i] = missing[i];
    const sorted = this.sorted;
    sorted.m = m;
    sorted.nonMissing = mnn;
    const c = this.criterion;
    let proxy = c.partitionProxy(sorted, leftPresent, false, this.limits);
    let missingLeft = mnn === m && leftPresent > m - leftPresent;
    if (mnn < m && leftPresent < mnn) {
      const pb = c.partitionProxy(sorted, leftPresent, true, this.limits);
      if (pb > proxy) {
        proxy = pb;
        missingLeft = true;
      }
    }
    if (proxy === -Infinity) return -Infinity;
    this.candMissingLeft = missingLeft;
    this.candRank = -1;
    if (bits) {
      if (missingLeft) this.addAbsentCategories(bits, f);
      this.candCat = bits;
    } else {
      this.candCat = null;
      this.candThreshold = threshold;
    }
    return proxy;
  }

  /** Set, in `bits`, the categories of f absent from the node (they follow missing values left). */
  private addAbsentCategories(bits: Uint32Array, f: number): void {
    const C = this.d.nCats[f];
    for (let c = 0; c < C; c++) if (this.catN[c] === 0) bits[c >>> 5] |= 1 << (c & 31);
  }

  /** Bitset of the categories going left for an ordered cut after category position `lastLeft`. */
  private fillCatBits(bits: Uint32Array, f: number, lastLeft: number, missingLeft: boolean): void {
    bits.fill(0);
    for (let j = 0; j <= lastLeft; j++) {
      const c = this.catList[j];
      bits[c >>> 5] |= 1 << (c & 31);
    }
    if (missingLeft) this.addAbsentCategories(bits, f);
  }

  /** Rows of the node sorted along a numeric (or ordinally coded) feature, missing last. */
  private sortNumeric(f: number, start: number, end: number, useFlags: boolean): void {
    const d = this.d;
    const n = d.n;
    const p = d.p;
    const base = 2 * f * n;
    const byRank = d.byRank;
    const sorted = this.sorted;
    const rows = sorted.rows;
    const x = sorted.x;
    const m = end - start;
    const nn = d.nonMissing[f];
    let mnn = 0;
    if (useFlags) {
      // large node: one pass over the feature's global order picks the node's rows
      const inNode = this.inNode;
      const ranks = this.keys;
      let k = 0;
      for (let r = 0; r < nn; r++) {
        const s = byRank[base + 2 * r];
        if (inNode[s] === 1) {
          rows[k] = s;
          x[k] = byRank[base + 2 * r + 1];
          ranks[k++] = r;
        }
      }
      mnn = k;
      for (let r = nn; r < n && k < m; r++) {
        const s = byRank[base + 2 * r];
        if (inNode[s] === 1) {
          rows[k] = s;
          ranks[k++] = r;
        }
      }
      this.sortedRanks = ranks;
    } else if (m > INSERTION_SORT_MAX && this.lowCard[f] !== null && 4 * m >= this.nCodes[f]) {
      mnn = this.countingSort(f, start, end);
    } else {
      const keys = this.keys;
      const rank = d.rank;
      const samples = this.samples;
      for (let i = 0; i < m; i++) keys[i] = rank[samples[start + i] * p + f];
      let sortedKeys: Uint32Array = keys;
      if (m <= INSERTION_SORT_MAX) {
        for (let i = 1; i < m; i++) {
          const v = keys[i];
          let j = i - 1;
          while (j >= 0 && keys[j] > v) {
            keys[j + 1] = keys[j];
            j--;
          }
          keys[j + 1] = v;
        }
      } else if (m <= NATIVE_SORT_MAX) keys.subarray(0, m).sort();
      else sortedKeys = this.radixSort(m);
      // present values first (ranks below nn), then missing
      let lo = 0;
      let hi = m;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sortedKeys[mid] < nn) lo = mid + 1;
        else hi = mid;
      }
      mnn = lo;
      for (let i = 0; i < m; i++) {
        const j = base + 2 * sortedKeys[i];
        rows[i] = byRank[j];
        x[i] = byRank[j + 1];
      }
      this.sortedRanks = sortedKeys;
    }
    sorted.m = m;
    sorted.nonMissing = mnn;
  }

  /**
   * The node's rows ordered by a few-valued feature's value in O(m + values), missing last: a
   * counting sort by value code (rows keep their node order within a value). Each row's entry in
   * `sortedRanks` is the last rank of its value's run, so a cut after position i partitions by
   * rank exactly as a rank sort would. Returns the number of present rows.
   */
  private countingSort(f: number, start: number, end: number): number {
    const codes = this.lowCard[f]!;
    const K = this.nCodes[f];
    const cnt = this.codeCount;
    const samples = this.samples;
    const o = this.codeOffset[f];
    // cnt[c + 1] counts code c, then cnt[c] becomes code c's first position; missing rows go after
    cnt.fill(0, 0, K + 1);
    let nMissing = 0;
    for (let i = start; i < end; i++) {
      const c = codes[samples[i]];
      if (c === MISSING_CODE) nMissing++;
      else cnt[c + 1]++;
    }
    for (let c = 1; c <= K; c++) cnt[c] += cnt[c - 1];
    const mnn = end - start - nMissing;
    let miss = mnn;
    const { rows, x } = this.sorted;
    const ranks = this.keys;
    const valueAt = this.codeValue;
    const lastRank = this.codeLastRank;
    for (let i = start; i < end; i++) {
      const s = samples[i];
      const c = codes[s];
      if (c === MISSING_CODE) rows[miss++] = s;
      else {
        const j = cnt[c]++;
        rows[j] = s;
        x[j] = valueAt[o + c];
        ranks[j] = lastRank[o + c];
      }
    }
    this.sortedRanks = ranks;
    return mnn;
  }

  /** LSD radix sort of keys[0..m) by 11-bit digits; returns the array holding the result. */
  private radixSort(m: number): Uint32Array {
    let src = this.keys;
    let dst = this.keysTmp;
    const cnt = this.radixCount;
    for (let shift = 0; shift < this.rankBits; shift += 11) {
      cnt.fill(0);
      for (let i = 0; i < m; i++) cnt[(src[i] >>> shift) & 2047]++;
      let sum = 0;
      for (let b = 0; b < 2048; b++) {
        const c = cnt[b];
        cnt[b] = sum;
        sum += c;
      }
      for (let i = 0; i < m; i++) {
        const v = src[i];
        dst[cnt[(v >>> shift) & 2047]++] = v;
      }
      const t = src;
      src = dst;
      dst = t;
    }
    return src;
  }

  /** Per-category weight, target sum and count over the node; present categories in `catList[0..catPresent)`. */
  private countCategories(f: number, start: number, end: number): void {
    const d = this.d;
    const C = d.nCats[f];
    const off = f * d.n;
    const { catW, catS, catN, catList } = this;
    catW.fill(0, 0, C);
    catS.fill(0, 0, C);
    catN.fill(0, 0, C);
    const X = d.X;
    const w = d.weight;
    const t = d.target;
    for (let i = start; i < end; i++) {
      const s = this.samples[i];
      const v = X[off + s];
      if (v !== v) continue;
      const c = v | 0;
      catW[c] += w[s];
      catS[c] += w[s] * t[s];
      catN[c]++;
    }
    let P = 0;
    let present = 0;
    for (let c = 0; c < C; c++) {
      if (catN[c] > 0) {
        catList[P++] = c;
        present += catN[c];
      }
    }
    this.catPresent = P;
    this.catStart[P] = present;
  }

  /** Rows of the node ordered by their category's mean target (ties by code), missing last. */
  private sortCategorical(f: number, start: number, end: number): void {
    this.countCategories(f, start, end);
    const d = this.d;
    const off = f * d.n;
    const P = this.catPresent;
    const { catW, catS, catN, catList, catPos, catStart } = this;
    catList.subarray(0, P).sort((a, b) => catS[a] / catW[a] - catS[b] / catW[b] || a - b);
    let acc = 0;
    for (let j = 0; j < P; j++) {
      const c = catList[j];
      catPos[c] = j;
      catStart[j] = acc;
      acc += catN[c];
    }
    const sorted = this.sorted;
    const rows = sorted.rows;
    const x = sorted.x;
    const X = d.X;
    let miss = acc;
    for (let i = start; i < end; i++) {
      const s = this.samples[i];
      const v = X[off + s];
      if (v !== v) rows[miss++] = s;
      else {
        const j = catPos[v | 0];
        x[catStart[j]] = j;
        rows[catStart[j]++] = s;
      }
    }
    sorted.m = end - start;
    sorted.nonMissing = acc;
  }

  /** Reorder `samples[start..end)` so rows going left come first; returns the split position. */
  private partition(start: number, end: number): number {
    const samples = this.samples;
    const d = this.d;
    const f = this.bestFeature;
    const missingLeft = this.bestMissingLeft;
    let p = start;
    let stop = end;
    if (this.bestRank >= 0) {
      // a numeric cut: rows whose rank is at most the last left rank go left (x ≤ threshold)
      const rank = d.rank;
      const np = d.p;
      const last = this.bestRank;
      const nn = d.nonMissing[f];
      while (p < stop) {
        const r = rank[samples[p] * np + f];
        if (r < nn ? r <= last : missingLeft) p++;
        else {
          stop--;
          const t = samples[p];
          samples[p] = samples[stop];
          samples[stop] = t;
        }
      }
      return p;
    }
    const off = f * d.n;
    const X = d.X;
    const thr = this.bestThreshold;
    const bits = this.bestCat;
    while (p < stop) {
      const v = X[off + samples[p]];
      const left = v !== v ? missingLeft : bits ? ((bits[v >>> 5] >>> (v & 31)) & 1) === 1 : v <= thr;
      if (left) p++;
      else {
        stop--;
        const t = samples[p];
        samples[p] = samples[stop];
        samples[stop] = t;
      }
    }
    return p;
  }
}
