/**
 * Progress reporting from library code to whoever shows it (the CLI's progress bars). Library
 * functions call `progress(...)`; with no reporter installed it costs one AsyncLocalStorage
 * lookup. Reporters are scoped like observers, so concurrent work does not mix.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** One progress report: a label, units done and, when known, the total. */
export interface ProgressEvent {
  /** What is being done, e.g. "profile: correlations". */
  label: string;
  done: number;
  /** Total units, when known. */
  total?: number;
}

/** Receives the progress events of work run inside `withProgress`. */
export type ProgressReporter = (event: ProgressEvent) => void;

const storage = new AsyncLocalStorage<ProgressReporter>();

/**
 * Run `fn` with `reporter` receiving every `progress(...)` call made inside it (including async work).
 * @example
 * ```ts
 * const p = await withProgress((e) => console.error(`${e.label} ${e.done}/${e.total ?? "?"}`), () => profile(frame));
 * ```
 */
export function withProgress<T>(reporter: ProgressReporter, fn: () => T): T {
  return storage.run(reporter, fn);
}

/**
 * Report progress on a step; cheap when nobody listens. Never throws.
 * @example
 * ```ts
 * for (let i = 0; i < n; i++) progress("scoring", i + 1, n);
 * ```
 */
export function progress(label: string, done: number, total?: number): void {
  const r = storage.getStore();
  if (!r) return;
  try {
    r({ label, done, total });
  } catch {
    // display problems never break the work
  }
}
