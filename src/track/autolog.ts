/**
 * Autologging: the observer `withRun` installs (DESIGN: estimators emit, track/ listens, and
 * estimators never import track/). Event → record:
 * - `params`  → params (`<prefix>.<key>` when the event has a prefix, or `paramsPrefix`);
 * - `metric`  → a metric point at its step (0 when absent);
 * - `iteration` → one point per loss at step = iteration, keyed `<name>_loss`
 *   (`train` → `train_loss`; names already ending in "loss" are kept);
 * - `fold`    → `fold_<metric>` at step = fold index, plus `fold_fit_seconds`;
 * - `tag`     → a tag.
 * Nothing here throws into training: bad keys or values are skipped.
 */
import type { Json, KeelEvent, Observer } from "../core/index.js";

/** What the observer writes to (an `ActiveRun`). */
export interface AutologSink {
  logMetric(key: string, value: number, step?: number): void;
  autologParam(key: string, value: Json | undefined): void;
  autologTag(key: string, value: string): void;
}

/** Options of `autologObserver`. */
export interface AutologOptions {
  /** Prefix for every autologged param (joined with "."). */
  paramsPrefix?: string;
  /** Log per-iteration losses (default true). */
  iterations?: boolean;
}

/**
 * `train` → `train_loss`, `valid_loss` → `valid_loss`.
 * @example
 * ```ts
 * lossKey("train"); // "train_loss"
 * ```
 */
export function lossKey(name: string): string {
  return /loss$/i.test(name) ? name : `${name}_loss`;
}

function metric(run: AutologSink, key: string, value: unknown, step: number): void {
  if (typeof value !== "number") return;
  try {
    run.logMetric(key, value, Number.isSafeInteger(step) ? step : 0);
  } catch {
    // invalid key or a run that has ended: autologging never breaks training
  }
}

/**
 * An observer that logs estimator events to a run: parameters, per-iteration losses, fold metrics and tags (MLflow's autologging, for Keel's estimators).
 * @example
 * ```ts
 * const run = await startRun({ experiment: "credit" });
 * const model = await withObserver(autologObserver(run), () => gbdtClassifier().fit(frame, { target: "Status" }));
 * await run.end();
 * ```
 */
export function autologObserver(run: AutologSink, options: AutologOptions = {}): Observer {
  return {
    onEvent(event: KeelEvent): void {
      switch (event.type) {
        case "params": {
          const prefix = [options.paramsPrefix, event.prefix].filter((p) => p).join(".");
          for (const [k, v] of Object.entries(event.params)) run.autologParam(prefix ? `${prefix}.${k}` : k, v);
          break;
        }
        case "metric":
          metric(run, event.key, event.value, event.step ?? 0);
          break;
        case "iteration":
          if (options.iterations === false) break;
          for (const [name, loss] of Object.entries(event.losses)) metric(run, lossKey(name), loss, event.iteration);
          break;
        case "fold":
          for (const [name, v] of Object.entries(event.metrics)) metric(run, `fold_${name}`, v, event.fold);
          metric(run, "fold_fit_seconds", event.fitSeconds, event.fold);
          break;
        case "tag":
          run.autologTag(event.key, event.value);
          break;
        case "note":
          break;
      }
    },
  };
}
