/**
 * The penalised logistic objective for L-BFGS: f(w) = Σᵢ sᵢ·ℓ(yᵢ, xᵢ·w + b) + ½·λ·‖w‖² (intercepts
 * not penalised), as scikit-learn's `lbfgs` solver minimises it (λ = 1/C).
 *
 * Rows are cut into fixed shards of `SHARD_ROWS`; each shard's loss and gradient are computed on
 * their own and summed in shard order, so the result is bit-identical whatever the thread count.
 * With `threads ≥ 2` on a large problem, shards are shared with pool workers through a
 * `core/chunks` session (kernel: logistic-kernel.ts): the features are used in place when they
 * already live in SharedArrayBuffers, else copied once into one; each evaluation is one job (no
 * messages, no allocation), and every thread claims shards from a shared counter, so a thread the
 * OS holds back simply takes fewer.
 */
import { ChunkSession } from "../../core/index.js";
import { binaryLossGradient, BLOCK, multinomialLossGradient } from "./logistic-loss.js";

/** Rows per shard; fixed so that results never depend on the number of threads. */
export const SHARD_ROWS = 32768;

/** Work (rows × features × classes) below which threads are not worth starting. */
const PARALLEL_MIN_WORK = 4_000_000;

export interface LogisticProblem {
  /** Feature columns, column-major. */
  cols: Float64Array[];
  /** Binary: 0/1. Multinomial: class index. */
  y: Float64Array;
  /** Sample weights, or null for all ones. */
  sw: Float64Array | null;
  /** 1 for the binary loss, the number of classes for the multinomial loss. */
  K: number;
  fitIntercept: boolean;
  /** L2 strength λ = 1/C (0 for no penalty). */
  l2: number;
}

/** What computing shards needs: the problem's data and where partial results go. */
export interface ShardData {
  cols: Float64Array[];
  y: Float64Array;
  sw: Float64Array | null;
  K: number;
  fitIntercept: boolean;
  /** Per shard: the loss, then the gradient (`dim` values). */
  parts: Float64Array;
}

/**
 * A function computing shard `s` at coefficients `w` into `data.parts` (slot s·(dim + 1)), with
 * its own scratch; one per thread.
 */
export function shardRunner(data: ShardData): (s: number, w: Float64Array) => void {
  const { cols, y, sw, K, fitIntercept, parts } = data;
  const n = y.length;
  const stride = K * (cols.length + 1) + 1;
  const z = new Float64Array(BLOCK * K);
  return (s, w) => {
    const start = s * SHARD_ROWS;
    const end = Math.min(n, start + SHARD_ROWS);
    const o = s * stride;
    const g = parts.subarray(o + 1, o + stride);
    g.fill(0);
    parts[o] = K === 1 ? binaryLossGradient(cols, y, sw, w, fitIntercept, start, end, z, g) : multinomialLossGradient(cols, y, sw, w, K, fitIntercept, start, end, z, g);
  };
}

export class LogisticObjective {
  readonly dim: number;
  private readonly n: number;
  private readonly p: number;
  private readonly nShards: number;
  private parts: Float64Array;
  private runShard: (s: number, w: Float64Array) => void;
  private session: ChunkSession | null = null;
  /** The coefficients the workers read (shared), when there are workers. */
  private wShared: Float64Array | null = null;
  private wNow: Float64Array | null = null;
  private readonly runHere = (s: number) => this.runShard(s, this.wNow!);

  constructor(private readonly problem: LogisticProblem, threads = 1) {
    const p = problem.cols.length;
    this.p = p;
    this.n = problem.y.length;
    this.dim = problem.K * (p + 1);
    this.nShards = Math.max(1, Math.ceil(this.n / SHARD_ROWS));
    const T = Math.min(Math.max(1, Math.floor(threads)), this.nShards);
    const parallel = T > 1 && this.n * Math.max(1, p) * problem.K >= PARALLEL_MIN_WORK;
    this.parts = parallel ? new Float64Array(new SharedArrayBuffer(8 * this.nShards * (this.dim + 1))) : new Float64Array(this.nShards * (this.dim + 1));
    this.runShard = shardRunner({ ...problem, parts: this.parts });
    if (parallel) this.startSession(T);
  }

  /** Resolves when the workers are ready (at once without workers); await it before solving. */
  async started(): Promise<void> {
    // a worker that cannot start leaves its shards to the others
    await this.session?.started().catch(() => undefined);
  }

  /** f(w), with the gradient written into `grad`. */
  readonly evaluate = (w: Float64Array, grad: Float64Array): number => {
    const { K, fitIntercept, l2 } = this.problem;
    const p = this.p;
    const d = p + 1;
    this.wNow = w;
    if (this.session) {
      this.wShared!.set(w);
      try {
        this.session.run(this.nShards, this.runHere);
      } catch {
        // a worker failed or stopped answering: compute every shard here, into fresh memory
        this.close();
        this.parts = Float64Array.from(this.parts);
        this.runShard = shardRunner({ ...this.problem, parts: this.parts });
        for (let s = 0; s < this.nShards; s++) this.runShard(s, w);
      }
    } else {
      for (let s = 0; s < this.nShards; s++) this.runShard(s, w);
    }
    let f = 0;
    grad.fill(0);
    const stride = this.dim + 1;
    for (let s = 0; s < this.nShards; s++) {
      const o = s * stride;
      f += this.parts[o];
      for (let k = 0; k < this.dim; k++) grad[k] += this.parts[o + 1 + k];
    }
    if (l2 > 0) {
      let pen = 0;
      for (let c = 0; c < K; c++) {
        for (let j = 0; j < p; j++) {
          const v = w[c * d + j];
          pen += v * v;
          grad[c * d + j] += l2 * v;
        }
      }
      f += 0.5 * l2 * pen;
    }
    if (!fitIntercept) for (let c = 0; c < K; c++) grad[c * d + p] = 0;
    return f;
  };

  /** Release the workers (idempotent); later evaluations run on the calling thread. */
  close(): void {
    void this.session?.close();
    this.session = null;
  }

  private startSession(T: number): void {
    const { cols, y, sw, K, fitIntercept } = this.problem;
    const n = this.n;
    const p = this.p;
    // columns already in shared memory (e.g. a frame shared with CV workers) are used in place;
    // others are copied once into one SharedArrayBuffer
    let xs: SharedArrayBuffer | null = null;
    const shared = cols.map((c, j) => {
      if (c.buffer instanceof SharedArrayBuffer) return c;
      xs ??= new SharedArrayBuffer(8 * n * p);
      const copy = new Float64Array(xs, 8 * j * n, n);
      copy.set(c);
      return copy;
    });
    const share = (a: Float64Array) => {
      const copy = new Float64Array(new SharedArrayBuffer(8 * a.length));
      copy.set(a);
      return copy;
    };
    this.wShared = new Float64Array(new SharedArrayBuffer(8 * this.dim));
    const init: LogisticKernelInit = { cols: shared, y: share(y), sw: sw ? share(sw) : null, K, fitIntercept, parts: this.parts, w: this.wShared };
    const session = ChunkSession.open(new URL("./logistic-kernel.js", import.meta.url), init, T);
    if (session.helpers > 0) this.session = session;
    else void session.close();
  }
}

/** What each worker of the session receives: the shared data and the shared coefficients. */
export interface LogisticKernelInit extends ShardData {
  w: Float64Array;
}
