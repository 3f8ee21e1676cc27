/**
 * Micro-batching: requests to one model version that arrive close together are predicted in one
 * call — the frames side by side — and each gets its own rows of the answer. A batch goes once it
 * holds `maxRows` rows, or once its first request has waited `maxWaitMs`. It pays where one
 * call's fixed cost (a pipeline's frames per step, a model without a single-row path) dominates one
 * row's; answers are the same numbers as predicting each request alone (every model predicts its
 * rows independently). A request joins only when it has fewer rows than a batch and its
 * categories are the training ones (a request with unseen categories carries its own dictionary,
 * so it is predicted alone). If a batch fails, each of its requests is predicted alone, so one bad
 * request never fails the others.
 */
import { type Column, Frame } from "../data/index.js";
import type { Prediction, ServedModel } from "./served-model.js";

/** Micro-batching: at most `maxRows` rows per batch, waiting at most `maxWaitMs` for more. */
export interface BatchingOptions {
  /** A batch is predicted once it holds this many rows. */
  maxRows: number;
  /** ... or once its first request has waited this long (ms; 0: at the end of this event-loop turn). */
  maxWaitMs: number;
}

/** Called once per request with its rows' prediction, or the error predicting them alone raised. */
export type BatchDone = (prediction: Prediction | null, error: unknown) => void;

interface Queue {
  frames: Frame[];
  done: BatchDone[];
  rows: number;
  timer: NodeJS.Timeout | NodeJS.Immediate | null;
}

/**
 * Collects requests per model version and predicts them together.
 * @example
 * ```ts
 * const batcher = new MicroBatcher({ maxRows: 256, maxWaitMs: 2 });
 * ```
 */
export class MicroBatcher {
  private readonly queues = new Map<ServedModel, Queue>();
  /** Batches predicted (for tests and metrics). */
  batches = 0;

  constructor(
    readonly options: BatchingOptions,
    /** Called for every batch predicted, with its number of requests and rows. */
    private readonly onBatch?: (model: ServedModel, requests: number, rows: number) => void,
  ) {
    if (!(Number.isInteger(options.maxRows) && options.maxRows >= 1)) throw new RangeError(`batching maxRows must be an integer ≥ 1, got ${options.maxRows}`);
    if (!(options.maxWaitMs >= 0)) throw new RangeError(`batching maxWaitMs must be ≥ 0, got ${options.maxWaitMs}`);
  }

  /** Whether a request's rows can join a batch of `model`. */
  accepts(model: ServedModel, frame: Frame): boolean {
    if (frame.nRows === 0 || frame.nRows >= this.options.maxRows) return false;
    for (const s of model.schema.slots) {
      if (s.kind !== "categorical") continue;
      const c = frame.column(s.name);
      if (c.kind !== "categorical" || c.categories !== s.categories) return false;
    }
    return true;
  }

  /** Queue a request's rows (`accepts` said yes); `done` is called when its batch is predicted. */
  add(model: ServedModel, frame: Frame, done: BatchDone): void {
    let q = this.queues.get(model);
    if (!q) {
      q = { frames: [], done: [], rows: 0, timer: null };
      this.queues.set(model, q);
    }
    q.frames.push(frame);
    q.done.push(done);
    q.rows += frame.nRows;
    if (q.rows >= this.options.maxRows) this.flush(model);
    else if (q.timer === null) {
      const wait = this.options.maxWaitMs;
      q.timer = wait === 0 ? setImmediate(() => this.flush(model)) : setTimeout(() => this.flush(model), wait);
    }
  }

  private flush(model: ServedModel): void {
    const q = this.queues.get(model);
    if (!q) return;
    this.queues.delete(model);
    if (q.timer !== null) {
      clearTimeout(q.timer as NodeJS.Timeout);
      clearImmediate(q.timer as NodeJS.Immediate);
    }
    this.batches++;
    this.onBatch?.(model, q.frames.length, q.rows);
    let whole: Prediction;
    try {
      whole = model.predict(q.frames.length === 1 ? q.frames[0] : stack(q.frames));
    } catch {
      // predict each alone: the error goes to the request that caused it
      q.frames.forEach((f, i) => {
        let p: Prediction | null = null;
        let error: unknown = null;
        try {
          p = model.predict(f);
        } catch (e) {
          error = e;
        }
        q.done[i](p, error);
      });
      return;
    }
    let at = 0;
    q.frames.forEach((f, i) => {
      const n = f.nRows;
      q.done[i](rowsOf(whole, at, n), null);
      at += n;
    });
  }
}

/** Rows `[from, from + n)` of a prediction (views, no copy); batched requests hold no unseen categories. */
function rowsOf(p: Prediction, from: number, n: number): Prediction {
  if (from === 0 && n === p.nRows) return p;
  const to = from + n;
  return { nRows: n, labels: p.labels, codes: p.codes?.subarray(from, to) ?? null, values: p.values?.subarray(from, to) ?? null, proba: p.proba?.map((c) => c.subarray(from, to)) ?? null, unseen: [] };
}

/** Frames with the same columns (of one schema, training categories), one after the other. */
function stack(frames: readonly Frame[]): Frame {
  const n = frames.reduce((s, f) => s + f.nRows, 0);
  const cols = new Map<string, Column>();
  for (const name of frames[0].names) {
    const first = frames[0].column(name);
    const parts = frames.map((f) => f.column(name));
    switch (first.kind) {
      case "numeric":
      case "datetime": {
        const v = new Float64Array(n);
        let o = 0;
        for (const c of parts as typeof first[]) (v.set(c.values, o), (o += c.values.length));
        cols.set(name, { kind: first.kind, values: v });
        break;
      }
      case "categorical": {
        const v = new Int32Array(n);
        let o = 0;
        for (const c of parts as typeof first[]) (v.set(c.codes, o), (o += c.codes.length));
        cols.set(name, { kind: "categorical", codes: v, categories: first.categories });
        break;
      }
      case "boolean": {
        const v = new Uint8Array(n);
        let o = 0;
        for (const c of parts as typeof first[]) (v.set(c.values, o), (o += c.values.length));
        cols.set(name, { kind: "boolean", values: v });
        break;
      }
      case "text":
        cols.set(name, { kind: "text", values: (parts as typeof first[]).flatMap((c) => c.values) });
    }
  }
  return Frame.fromColumns(cols, n);
}
