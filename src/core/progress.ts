/**
 * Progress reporting from library code to whoever shows it (the CLI's progress bars). Library
 * functions call `progress(...)`; with no reporter installed it costs one AsyncLocalStorage
 * lookup. Reporters are scoped like observers, so concurrent work does not mix.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface ProgressEvent {
  /** What is being done, e.g. "profile: correlations". */
  label: string;
  done: number;
  /** Total units, when known. */
  total?: number;
}

export type ProgressReporter = (event: ProgressEvent) => void;

const storage = new AsyncLocalStorage<ProgressReporter>();

export function withProgress<T>(reporter: ProgressReporter, fn: () => T): T {
  return storage.run(reporter, fn);
}

/** Report progress on a step; cheap when nobody listens. Never throws. */
export function progress(label: string, done: number, total?: number): void {
  const r = storage.getStore();
  if (!r) return;
  try {
    r({ label, done, total });
  } catch {
    // display problems never break the work
  }
}
