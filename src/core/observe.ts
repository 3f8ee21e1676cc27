/**
 * Autologging without upward imports. Estimators, cross-validation and tuning *emit* events
 * here; `track/` installs an observer for the active run with `withObserver`. With no observer
 * installed, `emit` does nothing, so code runs the same with or without a run. The observer is
 * scoped with AsyncLocalStorage, so concurrent runs in one process do not see each other's events.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a model or a procedure can report while it runs. */
export type KeelEvent =
  | { type: "params"; params: Record<string, Json>; prefix?: string }
  | { type: "metric"; key: string; value: number; step?: number }
  | { type: "tag"; key: string; value: string }
  | { type: "fold"; fold: number; metrics: Record<string, number>; fitSeconds: number }
  | { type: "iteration"; iteration: number; losses: Record<string, number> }
  | { type: "note"; message: string };

/** Receives the events (`KeelEvent`) emitted inside `withObserver`: what autologging listens to. */
export interface Observer {
  onEvent(event: KeelEvent): void;
}

const storage = new AsyncLocalStorage<Observer>();

/**
 * Run `fn` with `observer` receiving every event emitted inside it (including async work).
 * @example
 * ```ts
 * const events: KeelEvent[] = [];
 * const model = await withObserver({ onEvent: (e) => events.push(e) }, () => logistic().fit(frame, { target: "y" }));
 * ```
 */
export function withObserver<T>(observer: Observer, fn: () => T): T {
  return storage.run(observer, fn);
}

/**
 * Run `fn` with no observer, e.g. for inner fits whose events should not be logged.
 * @example
 * ```ts
 * const inner = await withoutObserver(() => logistic().fit(fold, { target: "y" }));
 * ```
 */
export function withoutObserver<T>(fn: () => T): T {
  return storage.exit(fn);
}

/**
 * Report an event to the active observer, if there is one. Never throws.
 * @example
 * ```ts
 * emit({ type: "metric", key: "loss", value: 0.42, step: 3 });
 * ```
 */
export function emit(event: KeelEvent): void {
  const obs = storage.getStore();
  if (!obs) return;
  try {
    obs.onEvent(event);
  } catch {
    // an observer's failure must never break training
  }
}

/**
 * True when an observer is listening (lets hot loops skip building events).
 * @example
 * ```ts
 * if (observing()) emit({ type: "metric", key: "loss", value: loss, step: iteration });
 * ```
 */
export function observing(): boolean {
  return storage.getStore() !== undefined;
}
