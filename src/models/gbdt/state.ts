/**
 * The training buffers every thread of a fit reads and writes: binned rows, targets, weights,
 * raw scores, gradients, the row partition and per-block partial results. They are carved out of
 * one WebAssembly memory, where the histogram kernels (histogram.ts) run: with worker threads a
 * shared one (its buffer a `SharedArrayBuffer`), handed to the workers once per fit, each of which
 * instantiates the kernels over it; with one thread, an ordinary one. Work is cut into row blocks whose bounds depend only on the data, never on the thread
 * count, and partial results are combined in block order, so any number of threads gives the
 * same bits.
 */
import { KeelError } from "../../core/index.js";
import { SPLIT_SLOT } from "./split.js";
import { MAX_PIECES } from "./partition.js";
import { GATHER_ROWS, type HistKernels, WASM_MAX_PAGES, WASM_PAGE_BYTES, gatherRecordBytes, histKernels, histLayout, rowStride } from "./histogram.js";
import { BITSET_WORDS } from "./split.js";

export interface StateShape {
  n: number;
  p: number;
  /** Raw scores per row (classes for softmax). */
  K: number;
  histSize: number;
  hoff: Int32Array;
  /** Leaves a tree may have (bounds the leaf tables). */
  maxLeaves: number;
  /** Weighted fit? */
  weighted: boolean;
  /**
   * Tree slots: sets of the buffers one tree grows in (all but `SHARED_FIELDS`), for growing the class
   * trees of a multiclass iteration at once, one per thread (class-trees.ts); 0 (the default)
   * when the fit grows one tree at a time. Bounded by the thread count, never the class count.
   */
  slots?: number;
}

export interface TrainState extends StateShape {
  /** The memory holding every buffer below. */
  memory: WebAssembly.Memory;
  /** Histogram kernels for this layout (built per thread, never shared). */
  kernels?: HistKernels;
  blockSize: number;
  maxBlocks: number;
  /** Bytes per row of `bins`: p rounded up to whole words (`rowStride`). */
  stride: number;
  /** Row-major bin codes, n rows of `stride` bytes (p used): one cache line holds a row, for histograms. */
  bins: Uint8Array;
  /** The same codes column-major (feature f at f·n): partitioning reads one feature of scattered rows. */
  binsCol: Uint8Array;
  y: Float64Array;
  /** Empty when unweighted. */
  w: Float64Array;
  /** Row-major raw scores, n × K. */
  raw: Float64Array;
  /** Class-major gradients and hessians, K × n. */
  g: Float32Array;
  h: Float32Array;
  /** The row partition: each node owns a contiguous slice. */
  rows: Int32Array;
  /** Where partitions put a piece's right rows before they go back into `rows`. */
  tmpR: Int32Array;
  /** Where parallel partitions put a piece's left rows before they go to their places in `rows`. */
  tmpL: Int32Array;
  /** One histogram per block (a listed node's block 0 goes straight into its node histogram). */
  partial: Float64Array;
  /** Per piece of a split job: rows it sent left (−1 until it has counted them). */
  blockCount: Int32Array;
  /** Per piece of a split job: whether its left and its right run have been claimed for moving (`placeReady`). */
  pieceFlags: Int32Array;
  blockLoss: Float64Array;
  /**
   * Per block, the gradient kernels' scratch (gradient-kernels.ts, `gradTermsPerBlock`): per-row
   * loss terms of a chunk of `GRAD_CHUNK` rows (two arrays), a row pair's per-class exponentials
   * (2K doubles), the running loss and product.
   */
  gradTerms: Float64Array;
  /** The current split's go-left table, one entry per bin code. */
  goLeft: Uint8Array;
  leafStart: Int32Array;
  leafValue: Float64Array;
  /**
   * Per row: its leaf in the tree just grown, −1 between trees (the LEAF_OF and RAW jobs with
   * several scores per row, and class trees); empty with one score per row.
   */
  leafOf: Int32Array;
  /** Room for the histograms of a tree's nodes (`NODE_HISTOGRAMS(maxLeaves)` of them; the main thread's grower hands them out). */
  nodeHists: Float64Array;
  /** Feature-group boundaries for feature-group histogram jobs (groups + 1 entries used). */
  groups: Int32Array;
  /** Job parameters (see tasks.ts). */
  job: Float64Array;
  /** The split search's context (`SplitContext`) in shared memory, so workers search too: bins per feature, … */
  nBins: Int32Array;
  isCat: Uint8Array;
  hasMissing: Uint8Array;
  monotonic: Int8Array;
  /** … the features the current tree may split on, … */
  allowed: Uint8Array;
  /** … and λ (l2), minSamplesLeaf, minHessian. */
  splitConf: Float64Array;
  /** The best split of each task of a search job (`SPLIT_SLOT` doubles per task). */
  splitSlots: Float64Array;
  /** Per-thread scratch of the gathering histogram kernels (`GATHER_SLOTS` slots), and how many slots are claimed. */
  gather: Uint8Array;
  gatherClaims: Int32Array;
  /** Class-tree jobs (with tree slots only, see class-trees.ts): the grow settings besides `splitConf`'s, `GROW_CONF_WORDS` words. */
  growConf: Float64Array;
  /** Per class, its tree's feature mask (K × p). */
  growMasks: Uint8Array;
  /** Per class, its grown tree (`grownTreeWords(maxLeaves)` words each). */
  growOut: Float64Array;
  /** Tree slots claimed (one per thread, for the whole fit). */
  slotClaims: Int32Array;
  /** Byte offset of each buffer in `memory`. */
  offsets: Record<string, number>;
}

/** Tasks of one split-search job at most: two nodes × feature groups (`SEARCH_GROUPS_MAX`). */
export const SEARCH_GROUPS_MAX = 32;
export const MAX_SEARCH_TASKS = 2 * SEARCH_GROUPS_MAX;

/** The smallest block of rows. */
export const MIN_BLOCK = 1 << 14;
/**
 * Rows per task when splitting a node's rows: finer than histogram blocks (splitting leaves no
 * partial results to combine, so small tasks cost nothing and balance the threads better).
 */
export const SPLIT_BLOCK = 1 << 12;

/** Rows per call of a gradient kernel: the chunk whose loss terms wait in `gradTerms`. */
export const GRAD_CHUNK = 1024;

/** Doubles of a block's `gradTerms` slice: two term arrays, K row pairs of exponentials, the two running loss sums. */
export function gradTermsPerBlock(K: number): number {
  return 2 * GRAD_CHUNK + 2 * K + 2;
}

/** Rows per block: at least `MIN_BLOCK`, more when wide histograms would make the partials large. */
export function blockGeometry(n: number, histSize: number): { blockSize: number; maxBlocks: number } {
  const PARTIAL_BYTES = 64 * 1024 * 1024;
  const cap = Math.max(1, Math.floor(PARTIAL_BYTES / (histSize * 8)));
  let blockSize = Math.max(MIN_BLOCK, Math.ceil(n / cap));
  const maxBlocks = Math.max(1, Math.ceil(n / blockSize));
  if (maxBlocks === 1) blockSize = Math.max(1, n);
  return { blockSize, maxBlocks };
}

type Ctor = { new (buffer: ArrayBufferLike, byteOffset: number, length: number): unknown; BYTES_PER_ELEMENT: number };
const FIELDS: [keyof TrainState, Ctor, (s: StateShape & { maxBlocks: number }) => number][] = [
  ["bins", Uint8Array, (s) => s.n * rowStride(s.p)],
  ["binsCol", Uint8Array, (s) => s.n * s.p],
  ["y", Float64Array, (s) => s.n],
  ["w", Float64Array, (s) => (s.weighted ? s.n : 0)],
  ["raw", Float64Array, (s) => s.n * s.K],
  ["g", Float32Array, (s) => s.n * s.K],
  ["h", Float32Array, (s) => s.n * s.K],
  ["rows", Int32Array, (s) => s.n],
  ["tmpR", Int32Array, (s) => s.n],
  ["tmpL", Int32Array, (s) => s.n],
  // (a listed node may have one block more than the whole data: `nodeBlocks` makes an even count)
  ["partial", Float64Array, (s) => (s.maxBlocks + 1) * s.histSize],
  ["blockCount", Int32Array, (s) => Math.max(s.maxBlocks, Math.ceil(s.n / SPLIT_BLOCK))],
  ["pieceFlags", Int32Array, () => 2 * MAX_PIECES],
  ["blockLoss", Float64Array, (s) => s.maxBlocks],
  ["gradTerms", Float64Array, (s) => s.maxBlocks * gradTermsPerBlock(s.K)],
  ["goLeft", Uint8Array, () => 256],
  ["leafStart", Int32Array, (s) => s.maxLeaves + 1],
  ["leafValue", Float64Array, (s) => s.maxLeaves],
  ["leafOf", Int32Array, (s) => (s.K > 1 ? s.n : 0)],
  ["nodeHists", Float64Array, (s) => NODE_HISTOGRAMS(s.maxLeaves) * s.histSize],
  ["groups", Int32Array, (s) => s.p + 1],
  ["job", Float64Array, () => 32],
  ["nBins", Int32Array, (s) => s.p],
  ["isCat", Uint8Array, (s) => s.p],
  ["hasMissing", Uint8Array, (s) => s.p],
  ["monotonic", Int8Array, (s) => s.p],
  ["allowed", Uint8Array, (s) => s.p],
  ["splitConf", Float64Array, () => 4],
  ["splitSlots", Float64Array, () => MAX_SEARCH_TASKS * SPLIT_SLOT],
  ["hoff", Int32Array, (s) => s.p],
  ["gather", Uint8Array, (s) => GATHER_SLOTS * gatherSlotBytes(s.p)],
  ["gatherClaims", Int32Array, () => 1],
  ["growConf", Float64Array, (s) => (s.slots ? GROW_CONF_WORDS : 0)],
  ["growMasks", Uint8Array, (s) => (s.slots ? s.K * s.p : 0)],
  ["growOut", Float64Array, (s) => (s.slots ? s.K * grownTreeWords(s.maxLeaves) : 0)],
  ["slotClaims", Int32Array, () => 1],
];

/**
 * The buffers tree slots share: what growing a tree only reads (codes, targets, scores,
 * gradients, the layout), each thread's own kernel scratch, and the class-tree job's settings
 * and results. A slot has its own copy of every other buffer — a buffer added
 * later is per slot unless listed here, so a new scratch buffer of the grower cannot be shared
 * by two threads growing trees by mistake.
 */
export const SHARED_FIELDS: readonly (keyof TrainState)[] = ["bins", "binsCol", "y", "w", "raw", "g", "h", "hoff", "nBins", "isCat", "hasMissing", "monotonic", "splitConf", "gather", "gatherClaims", "growConf", "growMasks", "growOut", "slotClaims"];
/** The buffers a tree slot has its own copy of. */
const SLOT_SPECS = FIELDS.filter(([name]) => !SHARED_FIELDS.includes(name));

/** Words of the class-tree job settings: maxLeaves, maxDepth, learning rate, rows per tree, dense. */
export const GROW_CONF_WORDS = 5;

/**
 * Words of one grown tree in shared memory (class-trees.ts writes and reads them): node and leaf
 * counts, then per node (at most 2·maxLeaves − 1) `GROWN_NODE_WORDS`, then per leaf its node,
 * start and end.
 */
export const grownTreeWords = (maxLeaves: number): number => 2 + (2 * maxLeaves - 1) * GROWN_NODE_WORDS + 3 * maxLeaves;
/** Per node: feature, bin, defaultLeft, isCat, left, right, value, gain, count, hessian, lower, upper, then the go-left bitset. */
export const GROWN_NODE_WORDS = 12 + BITSET_WORDS;

/**
 * Node histograms a tree can hold at once: one per leaf that may still split, and the smaller
 * child's being built while its parent's is still held (plus one to spare).
 */
export const NODE_HISTOGRAMS = (maxLeaves: number): number => maxLeaves + 2;

/** Threads of a fit whose histogram kernels gather rows (more threads would run non-gathering kernels: the same sums, slower). */
export const GATHER_SLOTS = 16;

function gatherSlotBytes(p: number): number {
  return GATHER_ROWS * gatherRecordBytes(rowStride(p));
}

/** What a worker needs to rebuild the state: the shape, the memory and where each buffer starts in it. */
export interface StateTransfer {
  shape: Omit<StateShape, "hoff">;
  blockSize: number;
  maxBlocks: number;
  memory: WebAssembly.Memory;
  /** Byte offset of each buffer in the memory. */
  offsets: Record<string, number>;
}

/** Buffers start on 16 bytes (the widest access, an f64x2). */
const ALIGN = 16;

type Field = (typeof FIELDS)[number];

/** Bytes a buffer takes in the memory (aligned). */
function bytesOf([, C, len]: Field, full: StateShape & { maxBlocks: number }): number {
  return Math.ceil(Math.max(8, len(full) * C.BYTES_PER_ELEMENT) / ALIGN) * ALIGN;
}

/** The buffers' byte offsets in one memory and the memory's size in pages (`check`: throw beyond 4 GiB). */
function carve(full: StateShape & { maxBlocks: number }, check = true): { offsets: Record<string, number>; pages: number } {
  const offsets: Record<string, number> = {};
  let at = 0;
  for (const field of FIELDS) {
    offsets[field[0]] = at;
    at += bytesOf(field, full);
  }
  for (let slot = 0; slot < (full.slots ?? 0); slot++) {
    for (const field of SLOT_SPECS) {
      offsets[slotKey(field[0], slot)] = at;
      at += bytesOf(field, full);
    }
  }
  // (room after the last buffer: gathering kernels read rows of codes in 16-byte pieces)
  const pages = Math.max(1, Math.ceil((at + ALIGN) / WASM_PAGE_BYTES));
  if (check && pages > WASM_MAX_PAGES) {
    const gib = (at / 2 ** 30).toFixed(1);
    throw new KeelError("UNSUPPORTED", `gradient boosting: the training state of ${full.n} rows × ${full.p} features × ${full.K} scores needs ${gib} GiB, more than the 4 GiB a WebAssembly memory holds; train on fewer rows or features`, {
      path: "training data",
      expected: "a training state of at most 4 GiB",
      received: `${gib} GiB`,
    });
  }
  return { offsets, pages };
}

/** The state's typed arrays over `memory` at `offsets`. */
function views(s: TrainState, memory: WebAssembly.Memory, offsets: Record<string, number>): void {
  const fields = s as unknown as Record<string, unknown>;
  for (const [name, C, len] of FIELDS) fields[name] = new C(memory.buffer, offsets[name], len(s));
  s.memory = memory;
}

/**
 * A fit's bin codes before its state exists: a memory holding only `bins` and `binsCol` (the first
 * buffers of every state, at offsets that depend on n and p alone), which `allocState` then grows
 * into the whole state — so codes binned before the bins (and so the histogram size) are known
 * are written once, where the kernels read them.
 */
export interface CodesMemory {
  memory: WebAssembly.Memory;
  /** Row-major codes, n rows of `rowStride(p)` bytes. */
  bins: Uint8Array;
  /** Column-major codes, feature f at f·n. */
  binsCol: Uint8Array;
}

/**
 * The codes memory of a fit of `shape` (histogram size not yet known) with at most `maxBins` bins
 * per feature: room for the codes now, and a maximum that fits the whole state.
 * @example
 * ```ts
 * const codes = codesMemory({ n: 1000, p: 3, K: 1, maxLeaves: 31, weighted: false }, 255, false);
 * codes.binsCol.length; // 3000
 * ```
 */
export function codesMemory(shape: Omit<StateShape, "histSize" | "hoff">, maxBins: number, shared: boolean): CodesMemory {
  const { n, p } = shape;
  const [bins, binsCol] = [FIELDS[0], FIELDS[1]];
  if (bins[0] !== "bins" || binsCol[0] !== "binsCol") throw new Error("gbdt internal error: the state's first buffers are not the codes");
  const colAt = bytesOf(bins, { ...shape, histSize: 0, hoff: new Int32Array(0), maxBlocks: 0 });
  const pages = Math.max(1, Math.ceil((colAt + n * p + ALIGN) / WASM_PAGE_BYTES));
  if (pages > WASM_MAX_PAGES) carve({ ...shape, histSize: 0, hoff: new Int32Array(0), maxBlocks: 0 }); // throws: beyond 4 GiB
  // the whole state's size with every feature at maxBins bins (a state's partial histograms take
  // at most 64 MiB more than one per block: spare pages for that)
  const widest = histLayout(new Int32Array(p).fill(maxBins)).size;
  const most = carve({ ...shape, histSize: widest, hoff: new Int32Array(0), maxBlocks: blockGeometry(n, widest).maxBlocks }, false).pages;
  const maximum = Math.min(WASM_MAX_PAGES, Math.max(pages, most + Math.ceil(2 ** 26 / WASM_PAGE_BYTES)));
  const memory = new WebAssembly.Memory({ initial: pages, maximum, shared });
  return { memory, bins: new Uint8Array(memory.buffer, 0, n * rowStride(p)), binsCol: new Uint8Array(memory.buffer, colAt, n * p) };
}

/**
 * Allocate the buffers in one memory (shared when `shared`). `hoff` is copied in. With `codes`,
 * the state grows out of that memory, its codes already in place (copied into a new memory only
 * when it cannot grow).
 */
export function allocState(shape: StateShape, shared: boolean, codes?: CodesMemory): TrainState {
  const { blockSize, maxBlocks } = blockGeometry(shape.n, shape.histSize);
  const s = { ...shape, blockSize, maxBlocks, stride: rowStride(shape.p) } as TrainState;
  const { offsets, pages } = carve({ ...shape, maxBlocks });
  let memory: WebAssembly.Memory | null = null;
  if (codes && offsets.bins === codes.bins.byteOffset && offsets.binsCol === codes.binsCol.byteOffset && (codes.memory.buffer instanceof SharedArrayBuffer) === shared) {
    try {
      const have = codes.memory.buffer.byteLength / WASM_PAGE_BYTES;
      if (pages > have) codes.memory.grow(pages - have);
      memory = codes.memory;
    } catch {
      // beyond its maximum: a new memory, and a copy of the codes
    }
  }
  if (!memory) memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  views(s, memory, offsets);
  if (codes && memory !== codes.memory) {
    s.bins.set(codes.bins);
    s.binsCol.set(codes.binsCol);
  }
  s.offsets = offsets;
  s.hoff.set(shape.hoff);
  s.leafOf.fill(-1);
  for (let slot = 0; slot < (shape.slots ?? 0); slot++) new Int32Array(memory.buffer, offsets[slotKey("leafOf", slot)], shape.K > 1 ? shape.n : 0).fill(-1);
  return s;
}

function slotKey(name: string, slot: number): string {
  return `${name}@${slot}`;
}

/**
 * Tree slot `slot` of the state, as a state of its own: its own partition, scratch, partial and
 * node histograms, job and leaf table (every buffer but `SHARED_FIELDS`) over the same memory,
 * and the rest — codes, gradients, scores, this thread's kernels — shared with `s`.
 */
export function slotState(s: TrainState, slot: number): TrainState {
  if (!(slot >= 0 && slot < (s.slots ?? 0))) throw new Error(`gbdt internal error: tree slot ${slot} of ${s.slots ?? 0}`);
  const v = { ...s, kernels: kernelsOf(s) } as TrainState;
  const fields = v as unknown as Record<string, unknown>;
  for (const [name, C, len] of SLOT_SPECS) fields[name] = new C(s.memory.buffer, s.offsets[slotKey(name, slot)], len(s));
  return v;
}

export function stateTransfer(s: TrainState): StateTransfer {
  if (!(s.memory.buffer instanceof SharedArrayBuffer)) throw new Error("gbdt internal error: the training state's memory is not shared");
  const { n, p, K, histSize, maxLeaves, weighted, slots } = s;
  return { shape: { n, p, K, histSize, maxLeaves, weighted, slots }, blockSize: s.blockSize, maxBlocks: s.maxBlocks, memory: s.memory, offsets: s.offsets };
}

/** The state seen from a worker, over the same shared memory. */
export function stateFromTransfer(t: StateTransfer): TrainState {
  const s = { ...t.shape, blockSize: t.blockSize, maxBlocks: t.maxBlocks, stride: rowStride(t.shape.p), hoff: new Int32Array(0), offsets: t.offsets } as TrainState;
  views(s, t.memory, t.offsets);
  return s;
}

/** This thread's histogram kernels over the state's memory (compiled on first use). */
export function kernelsOf(s: TrainState): HistKernels {
  if (s.kernels) return s.kernels;
  const slot = Atomics.add(s.gatherClaims, 0, 1);
  const bytes = gatherSlotBytes(s.p);
  const scratch = slot < GATHER_SLOTS ? { at: s.gather.byteOffset + slot * bytes, bytes } : undefined;
  return (s.kernels = histKernels(s.memory, s.p, s.hoff, s.stride, scratch));
}
