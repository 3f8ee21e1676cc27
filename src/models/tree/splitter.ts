/**
 * Finding a node's split, after scikit-learn's `BestSplitter` / `RandomSplitter` (1.2):
 * features are drawn without replacement (Fisher–Yates over a per-tree feature list that persists
 * from node to node), constant features found in a node are remembered for its descendants, and
 * the search goes on past `maxFeatures` until at least one non-constant feature was drawn. When
 * every feature is tried, the known constant ones take no draws (scikit-learn draws for them too,
 * see `RandomSource.drawsKnownConstants`), so on wide one-hot data a deep node costs O(features
 * not yet constant), not O(features).
 *
 * - Best split (CART, Breiman et al. 1984): the node's rows come sorted along the feature and
 *   every cut between distinct values is scored; the threshold is the midpoint of the two
 *   values, as scikit-learn. When most features are tried per node, each feature's presorted row
 *   list is kept partitioned node by node (`FeatureLists`: no sorting at all); otherwise the
 *   node's rows are sorted by their presorted ranks (`RankSorter`).
 * - Random split (extra-trees, Geurts, Ernst & Wehenkel, "Extremely randomized trees", Machine
 *   Learning 2006): one threshold uniform between the node's min and max of the feature.
 * - Missing values (NaN) are kept out of the sort; each cut is scored with them on the left and on
 *   the right and the better side is learned (scikit-learn 1.3's rule), and "present | missing" is
 *   itself a candidate.
 * - Categorical features, for binary classification and regression: categories present in the node
 *   are ordered by mean target and cut like an ordered feature (`CategoryOrder`). Extra-trees draw
 *   a random partition instead. Categories absent from the node follow the missing values.
 */
import { BinaryFeatures } from "./binary-features.js";
import { CategoryOrder } from "./category-order.js";
import { type Criterion, FEATURE_THRESHOLD, impurityImprovement, type ScanLimits, type SortedRows } from "./criterion.js";
import { FeatureLists } from "./feature-lists.js";
import type { RandomSource } from "./random-source.js";
import { RankSorter } from "./rank-sort.js";

/** What the splitter reads: features, their presort, and per-row weights and targets. */
export interface SplitterData {
  n: number;
  p: number;
  X: Float64Array;
  /** Row-major ranks (`rank[i*p + j]`) and per-feature (row, value) pairs by rank (see `presort`). */
  rank: Uint32Array;
  byRank: Float64Array;
  nonMissing: Int32Array;
  /** Per feature: rows on the lower of exactly two values, or −1 (see `presort`). */
  lowCount: Int32Array;
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

/** The threshold between two adjacent values: their midpoint (as scikit-learn), by halves to avoid overflow, or the lower value when the midpoint rounds up to the higher. */
function midpoint(lo: number, hi: number): number {
  const t = lo / 2 + hi / 2;
  return t === hi || t === Infinity || t === -Infinity ? lo : t;
}

/** Presorted lists are kept when at least 1/LIST_SHARE of the features are tried per node. */
const LIST_SHARE = 4;

/**
 * Whether trees trying `maxFeatures` of `p` features per node sort each node's rows by their
 * presorted ranks (and so need the row-major ranks of `presort`); else best splits keep presorted
 * lists and random splits read the values.
 * @example
 * ```ts
 * const needsRanks = sortsByRank(45, 2221, false); // true: few features tried per node
 * ```
 */
export function sortsByRank(maxFeatures: number, p: number, random: boolean): boolean {
  return !random && maxFeatures * LIST_SHARE < p;
}

export class Splitter {
  readonly samples: Int32Array;
  readonly nSamples: number;
  readonly weightTotal: number;
  private readonly d: SplitterData;
  private readonly s: SplitterSettings;
  private readonly criterion: Criterion;
  private readonly rand: RandomSource;
  private readonly features: Int32Array;
  private readonly sorted: SortedRows;
  private readonly limits: ScanLimits;
  private readonly cats: CategoryOrder;
  private readonly lists: FeatureLists | null = null;
  private readonly binary: BinaryFeatures | null = null;
  private readonly sorter: RankSorter | null = null;
  /** Extra-trees' scratch: right-present and missing rows of a random cut. */
  private readonly scratchA: Int32Array;
  private readonly scratchB: Int32Array;
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
  /** For a numeric cut of a listed feature: present rows going left, and present rows. */
  private candPos = 0;
  private candNonMissing = 0;
  private bestPos = 0;
  private bestNonMissing = 0;
  private readonly catBitsA: Uint32Array;
  private readonly catBitsB: Uint32Array;

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
    this.sorted = { rows: new Int32Array(m), x: new Float64Array(m), at: 0, m: 0, nonMissing: 0 };
    this.limits = { minSamplesLeaf: settings.minSamplesLeaf, minWeightLeaf: settings.minWeightLeaf };
    this.cats = new CategoryOrder(data);
    const ordered = (f: number) => !(data.nCats[f] > 0 && data.partitionCategorical);
    if (settings.random) {
      this.scratchA = new Int32Array(m);
      this.scratchB = new Int32Array(m);
    } else {
      this.scratchA = this.scratchB = new Int32Array(0);
      if (!sortsByRank(settings.maxFeatures, p, false)) {
        if (criterion.sideWidth > 0) {
          const binary = new BinaryFeatures(data, weight, ordered, criterion.sideWidth);
          if (binary.size > 0) this.binary = binary;
        }
        const binary = this.binary;
        // features with one value in every row (one-hot columns of categories absent from the
        // training rows) have nothing to list: `tryBest` knows them constant at once
        const base = (f: number) => 2 * f * n;
        const constantEverywhere = (f: number) => data.nonMissing[f] === 0 || (data.nonMissing[f] === n && data.byRank[base(f) + 2 * n - 1] <= data.byRank[base(f) + 1] + FEATURE_THRESHOLD);
        this.lists = new FeatureLists(data, weight, m, (f) => ordered(f) && (binary === null || binary.slot(f) < 0) && !constantEverywhere(f));
      } else {
        if (data.rank.length !== n * p) throw new Error(`internal: the splitter sorts by rank but the presort has ${data.rank.length} ranks, not ${n} rows × ${p} features (prepareTraining was told otherwise)`);
        this.sorter = new RankSorter(data, m, ordered);
      }
    }
    let maxCats = 0;
    for (let j = 0; j < p; j++) maxCats = Math.max(maxCats, data.nCats[j]);
    const words = Math.ceil(maxCats / 32);
    this.catBitsA = new Uint32Array(words);
    this.catBitsB = new Uint32Array(words);
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
   * count of known constant features for the children. `childrenKnowConstants`: the children will
   * be searched with that count (depth-first growth), so what is constant here is not kept sorted.
   */
  nodeSplit(start: number, end: number, impurity: number, weightNode: number, nConstant: number, childrenKnowConstants = true): { split: SplitRecord | null; nConstant: number } {
    const d = this.d;
    const features = this.features;
    const p = d.p;
    const maxFeatures = this.s.maxFeatures;
    const sorter = this.sorter;
    const useFlags = sorter !== null && sorter.usesFlags(end - start);
    const binary = this.binary;
    const binarySlot = binary === null ? null : binary.slotOf;
    let prepared = false;
    if (useFlags) sorter.markNode(this.samples, start, end, 1);

    let fi = p;
    let nVisited = 0;
    let nFound = 0;
    const nKnown = nConstant;
    // known constants count as drawn from the start when every feature is tried (no draws for
    // them: a node costs O(features not known constant), see `RandomSource.drawsKnownConstants`)
    let nDrawn = maxFeatures >= p && this.rand.drawsKnownConstants !== true ? nKnown : 0;
    let nTotal = nKnown;
    let bestProxy = -Infinity;
    this.bestFeature = -1;
    this.bestCat = null;
    this.bestRank = -1;

    while (fi > nTotal && (nVisited < maxFeatures || nVisited <= nFound + nDrawn)) {
      nVisited++;
      let fj = nDrawn + this.rand.int(fi - nFound - nDrawn);
      if (fj < nKnown) {
        // a known constant: scikit-learn swaps it to features[nDrawn] and restores the order after
        // the node; which known constant sits where does not matter, so only the count moves
        nDrawn++;
        continue;
      }
      fj += nFound;
      const f = features[fj];
      this.candConstant = false;
      let proxy: number;
      const slot = binarySlot === null ? -1 : binarySlot[f];
      if (slot >= 0) {
        // a two-valued feature: its node statistics come from one pass, made on the first one tried
        if (!prepared) {
          binary!.prepare(this.samples, start, end, this.criterion);
          prepared = true;
        }
        const rare = binary!.count[slot];
        if (rare === 0 || rare === end - start) this.candConstant = true;
        proxy = this.candConstant ? -Infinity : this.tryBinary(slot, rare, end - start, bestProxy);
      } else {
        const partition = d.nCats[f] > 0 && d.partitionCategorical;
        proxy = this.s.random ? this.tryRandom(f, start, end, partition) : this.tryBest(f, start, end, partition, useFlags, bestProxy);
      }
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
        this.bestPos = this.candPos;
        this.bestNonMissing = this.candNonMissing;
      }
    }
    if (useFlags) sorter.markNode(this.samples, start, end, 0);

    // features[0..nKnown) were never moved (scikit-learn swaps drawn known constants and restores
    // them here; which one sits where does not matter), and the new ones follow them

    if (this.bestFeature < 0) return { split: null, nConstant: nTotal };
    const pos = this.partition(start, end);
    if (pos === start || pos === end) return { split: null, nConstant: nTotal };
    if (this.lists) this.lists.split(start, end, features, childrenKnowConstants ? nTotal : 0);
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
    let sorted = this.sorted;
    if (partition) this.cats.sort(f, this.samples, start, end, sorted);
    else if (this.lists) {
      if (!this.lists.has(f)) {
        this.candConstant = true; // an ordered feature without a list is constant everywhere
        return -Infinity;
      }
      sorted = this.lists.select(f, start, end);
    }
    else this.sorter!.sort(f, this.samples, start, end, useFlags, sorted);
    const { x, at, m, nonMissing: mnn } = sorted;
    if (mnn === 0 || (mnn === m && x[at + mnn - 1] <= x[at] + FEATURE_THRESHOLD)) {
      this.candConstant = true;
      return -Infinity;
    }
    const c = this.criterion;
    if (!c.scan(sorted, this.limits, bestProxy)) return -Infinity;
    const pos = c.foundPos;
    // no missing values here: missing values met later go to the child with more rows (as scikit-learn)
    const missingLeft = mnn < m ? c.foundMissingLeft : pos > m - pos;
    this.candMissingLeft = missingLeft;
    this.candRank = -1;
    if (partition) {
      const bits = this.freeCatBuffer();
      this.cats.fillBits(bits, f, x[pos - 1], missingLeft);
      this.candCat = bits;
    } else {
      this.candCat = null;
      if (this.sorter) this.candRank = this.sorter.sortedRanks[pos - 1];
      this.candPos = pos;
      this.candNonMissing = mnn;
      if (pos >= mnn) this.candThreshold = Infinity;
      else {
        this.candThreshold = midpoint(x[at + pos - 1], x[at + pos]);
      }
    }
    return c.foundProxy;
  }

  /** The one cut of the two-valued feature in `slot` (`rare` of the node's `m` rows on its rarer value), if it beats `bestProxy`: its proxy, or −Infinity. */
  private tryBinary(slot: number, rare: number, m: number, bestProxy: number): number {
    const bf = this.binary!;
    const rareLeft = bf.rareIsLow[slot] === 1;
    const proxy = this.criterion.sideProxy(bf.stats, slot, rare, m, rareLeft, this.limits);
    if (!(proxy > bestProxy)) return -Infinity;
    const nLeft = rareLeft ? rare : m - rare;
    this.candMissingLeft = nLeft > m - nLeft;
    this.candCat = null;
    this.candRank = -1;
    this.candThreshold = midpoint(bf.low[slot], bf.high[slot]);
    return proxy;
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
    const right = this.scratchA; // right-present rows
    const missing = this.scratchB; // missing rows
    let nr = 0;
    let nm = 0;
    if (partition) {
      this.cats.count(f, samples, start, end);
      const P = this.cats.present;
      if (P === 0 || (P === 1 && this.cats.presentRows === m)) {
        this.candConstant = true;
        return -Infinity;
      }
      // a random side for each present category, both sides non-empty when there are two or more
      const side = this.cats.catPos; // reused here: 1 = left
      let nLeft = 0;
      for (let j = 0; j < P; j++) {
        const c = this.cats.catList[j];
        side[c] = this.rand.int(2);
        nLeft += side[c];
      }
      if (P >= 2 && (nLeft === 0 || nLeft === P)) side[this.cats.catList[this.rand.int(P)]] ^= 1;
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
        const c = this.cats.catList[j];
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
      if (missingLeft) this.cats.addAbsent(bits, f);
      this.candCat = bits;
    } else {
      this.candCat = null;
      this.candThreshold = threshold;
    }
    return proxy;
  }

  /** Reorder `samples[start..end)` so rows going left come first; returns the split position. */
  private partition(start: number, end: number): number {
    const samples = this.samples;
    const d = this.d;
    const f = this.bestFeature;
    const missingLeft = this.bestMissingLeft;
    const lists = this.lists;
    if (lists && !this.bestCat && lists.has(f)) {
      // a numeric cut of a listed feature: its first `bestPos` present rows go left
      lists.markCut(f, start, end, this.bestPos, this.bestNonMissing, missingLeft);
      return lists.partitionSamples(samples, start, end);
    }
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
    if (lists) lists.markSamples(samples, start, p, end);
    return p;
  }
}
