/**
 * A step of the lifecycle (DESIGN "orchestrate"): named inputs → one output. The step says what
 * its output depends on (`key`), how to compute it (`run`), how it is kept in the cache (`save` /
 * `load`, when it is more than plain values) and what it records on a run (`track`); the one
 * `StepRunner` does the rest — cache look-up and storage, progress, child runs — the same way for
 * every step. `keel run`, `keel train` (and later tuning and retraining) are walks: plain
 * functions that call `runner.run(step, inputs)` in order, passing outputs on as inputs.
 *
 * Steps load the heavy modules they compute with inside `run` (`await import(...)`), so a walk
 * whose steps come from the cache never pays for them.
 */
import type { ActiveRun } from "../track/index.js";
import type { CacheValue } from "./cache-value.js";

/** What `run` gets besides its inputs. */
export interface StepContext {
  /** The walk's tracking run, or the step's own child run; null when the walk is not tracked. */
  readonly run: ActiveRun | null;
  /** Worker threads the step may use (default: all cores). */
  readonly threads?: number;
}

export interface Step<I, O> {
  /** Names the step's cache folder, its progress label (unless `label` is given) and `keel.step` tags. */
  readonly name: string;
  /** Progress label for these inputs, e.g. "cross-validate gbdt". */
  label?(inputs: I): string;
  /**
   * What the output depends on, as JSON (content hashes of data, config sections, specs, seeds);
   * hashed with Keel's code version into the cache key. Without `key` (or when it returns
   * undefined) the step always runs: cheap steps, and steps with side effects such as registering.
   */
  key?(inputs: I): unknown;
  run(inputs: I, context: StepContext): Promise<O> | O;
  /**
   * The output as a cache value, writing any files into `dir` (the entry's folder). Default: the
   * output is stored as it is (JSON, NaN, typed arrays).
   */
  save?(output: O, dir: string, inputs: I): CacheValue;
  /** The output back from what `save` stored; `dir` is the entry's folder. Default: the value itself. */
  load?(value: CacheValue, dir: string, inputs: I): O;
  /** Run the step inside its own child run of the walk's run (one per candidate model, say). */
  childRun?(inputs: I): { name: string; tags?: Record<string, string> };
  /** Record the output on the run, alike whether it was computed or came from the cache. */
  track?(output: O, run: ActiveRun, inputs: I): Promise<void> | void;
}

/** Define a step (an identity that gives the object its type). */
export function step<I, O>(definition: Step<I, O>): Step<I, O> {
  return definition;
}
