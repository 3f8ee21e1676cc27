/**
 * The training buffers every thread of a fit reads and writes: binned rows, targets, weights,
 * raw scores, gradients, the row partition and per-block partial results. With worker threads they
 * live in `SharedArrayBuffer`s, handed to the workers once per fit; with one thread, in ordinary
 * memory. Work is cut into row blocks whose bounds depend only on the data, never on the thread
 * count, and partial results are combined in block order, so any number of threads gives the
 * same bits.
 */
import { type HistKernels, rowStride } from "./histogram.js";

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
}

export interface TrainState extends StateShape {
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
  /** Scratch runs of split jobs (tmpR also of one-thread partitions). */
  tmpL: Int32Array;
  tmpR: Int32Array;
  /** One histogram per block. */
  partial: Float64Array;
  /** Per split block (`SPLIT_BLOCK` rows): rows sent left by a split job. */
  blockCount: Int32Array;
  /** Per block: 1 when its partial histogram counts in a merge. */
  blockUse: Int32Array;
  /** Per split block: where its left and right runs go back into `rows` (stitch jobs). */
  blockOffL: Int32Array;
  blockOffR: Int32Array;
  blockLoss: Float64Array;
  /** The current split's go-left table, one entry per bin code. */
  goLeft: Uint8Array;
  leafStart: Int32Array;
  leafValue: Float64Array;
  /** Per row: its leaf in the tree just grown, −1 between trees (see the LEAF_OF and RAW jobs). */
  leafOf: Int32Array;
  /** Merge target, and where feature-group histogram jobs write. */
  histOut: Float64Array;
  /** Feature-group boundaries for feature-group histogram jobs (groups + 1 entries used). */
  groups: Int32Array;
  /** Job parameters (see tasks.ts). */
  job: Float64Array;
}

/** The smallest block of rows. */
export const MIN_BLOCK = 1 << 14;
/**
 * Rows per task when splitting a node's rows: finer than histogram blocks (splitting leaves no
 * partial results to combine, so small tasks cost nothing and balance the threads better).
 */
export const SPLIT_BLOCK = 1 << 12;

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
  ["tmpL", Int32Array, (s) => s.n],
  ["tmpR", Int32Array, (s) => s.n],
  ["partial", Float64Array, (s) => s.maxBlocks * s.histSize],
  ["blockCount", Int32Array, (s) => Math.max(s.maxBlocks, Math.ceil(s.n / SPLIT_BLOCK))],
  ["blockUse", Int32Array, (s) => s.maxBlocks],
  ["blockOffL", Int32Array, (s) => Math.ceil(s.n / SPLIT_BLOCK) + 1],
  ["blockOffR", Int32Array, (s) => Math.ceil(s.n / SPLIT_BLOCK) + 1],
  ["blockLoss", Float64Array, (s) => s.maxBlocks],
  ["goLeft", Uint8Array, () => 256],
  ["leafStart", Int32Array, (s) => s.maxLeaves + 1],
  ["leafValue", Float64Array, (s) => s.maxLeaves],
  ["leafOf", Int32Array, (s) => s.n],
  ["histOut", Float64Array, (s) => s.histSize],
  ["groups", Int32Array, (s) => s.p + 1],
  ["job", Float64Array, () => 16],
  ["hoff", Int32Array, (s) => s.p],
];

/** What a worker needs to rebuild the state: the shape and the shared buffers. */
export interface StateTransfer {
  shape: Omit<StateShape, "hoff">;
  blockSize: number;
  maxBlocks: number;
  buffers: Record<string, SharedArrayBuffer>;
}

/** Allocate the buffers (shared when `shared`; `given` ones are used as they are). `hoff` is copied in. */
export function allocState(shape: StateShape, shared: boolean, given: Partial<Pick<TrainState, "binsCol">> = {}): TrainState {
  const { blockSize, maxBlocks } = blockGeometry(shape.n, shape.histSize);
  const s = { ...shape, blockSize, maxBlocks, stride: rowStride(shape.p) } as TrainState;
  const full = { ...shape, maxBlocks };
  for (const [name, C, len] of FIELDS) {
    const count = len(full);
    const have = (given as Record<string, { length: number } | undefined>)[name];
    if (have) {
      if (have.length !== count) throw new Error(`gbdt internal error: state buffer ${String(name)} has ${have.length} entries, expected ${count}`);
      (s as unknown as Record<string, unknown>)[name] = have;
      continue;
    }
    const bytes = Math.max(8, count * C.BYTES_PER_ELEMENT);
    const buf = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    (s as unknown as Record<string, unknown>)[name] = new C(buf, 0, count);
  }
  s.hoff.set(shape.hoff);
  s.leafOf.fill(-1);
  return s;
}

export function stateTransfer(s: TrainState): StateTransfer {
  const buffers: Record<string, SharedArrayBuffer> = {};
  for (const [name] of FIELDS) {
    const arr = s[name] as unknown as { buffer: ArrayBufferLike };
    if (!(arr.buffer instanceof SharedArrayBuffer)) throw new Error(`state buffer ${String(name)} is not shared`);
    buffers[name] = arr.buffer;
  }
  const { n, p, K, histSize, maxLeaves, weighted } = s;
  return { shape: { n, p, K, histSize, maxLeaves, weighted }, blockSize: s.blockSize, maxBlocks: s.maxBlocks, buffers };
}

/** The state seen from a worker, over the same shared memory. */
export function stateFromTransfer(t: StateTransfer): TrainState {
  const s = { ...t.shape, blockSize: t.blockSize, maxBlocks: t.maxBlocks, stride: rowStride(t.shape.p) } as TrainState;
  const full = { ...t.shape, hoff: new Int32Array(0), maxBlocks: t.maxBlocks };
  for (const [name, C, len] of FIELDS) (s as unknown as Record<string, unknown>)[name] = new C(t.buffers[name], 0, len(full));
  return s;
}
