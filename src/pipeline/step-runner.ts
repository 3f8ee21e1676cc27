/**
 * The one step runner: runs a `Step` on its inputs with caching, progress and tracking, the same
 * way for every step of every walk (`keel run`, `keel train`, ...).
 *
 * - Caching: the key is the SHA-256 of the step's `key(inputs)` and Keel's code version. A hit
 *   loads the output; a miss runs the step, stores the output and hands on what was stored, read
 *   back — so the first run already sees exactly what a cached run will see.
 * - Progress: one report per step, `label` and how many of the planned steps are done.
 * - Tracking: `track` records the output on the walk's run, or on the step's own child run
 *   (tagged `keel.step`, `keel.cached`), whether it was computed or cached; runs opened here
 *   carry the walk's environment tags, gathered once. Nothing is tracked without a run.
 */
import { KeelError, progress } from "../core/index.js";
import { type ActiveRun, withRun } from "../track/index.js";
import type { StepCache } from "./cache.js";
import type { CacheValue } from "./cache-value.js";
import type { Step, StepContext } from "./step.js";

export interface StepRunnerOptions {
  /** Where outputs are cached; null runs every step (a walk without a project folder). */
  cache?: StepCache | null;
  /** Recompute every step (and overwrite its cache entry). */
  force?: boolean;
  /** The walk's run; null when the walk is not tracked. */
  run?: ActiveRun | null;
  /** Tags every child run gets (the environment tags the walk's run was given). */
  childTags?: Record<string, string>;
  /** Worker threads steps may use. */
  threads?: number;
}

/** A step's output with how it was obtained. */
export interface StepResult<O> {
  output: O;
  /** True when the output came from the cache. */
  cached: boolean;
  /** The step's own child run, when it had one. */
  runId: string | null;
  /** The cache key of the step's inputs (identifies the output's content); null when not cached. */
  key: string | null;
}

export class StepRunner {
  /** Cached steps used and steps computed (steps without a key count in neither). */
  readonly stats = { hits: 0, misses: 0 };
  private done = 0;
  private planned = 0;

  private readonly options: StepRunnerOptions;

  constructor(options: StepRunnerOptions = {}) {
    this.options = { ...options };
  }

  /** Track from now on: steps record on `run` (and child runs under it, with `childTags`). */
  attach(run: ActiveRun, childTags: Record<string, string> = {}): void {
    this.options.run = run;
    this.options.childTags = childTags;
  }

  /** Announce `n` more steps to come, for the progress total. */
  plan(n: number): void {
    this.planned += n;
  }

  /** Run `step` on `inputs` (from the cache when it can) and return its output. */
  async run<I, O>(step: Step<I, O>, inputs: I): Promise<O> {
    return (await this.runWithInfo(step, inputs)).output;
  }

  /** `run`, also telling whether the output was cached and which child run recorded it. */
  async runWithInfo<I, O>(step: Step<I, O>, inputs: I): Promise<StepResult<O>> {
    const { cache, force, run: walkRun = null, threads } = this.options;
    progress(step.label?.(inputs) ?? step.name, this.done, Math.max(this.planned, this.done + 1));
    const keyInputs = cache ? step.key?.(inputs) : undefined;
    const key = cache && keyInputs !== undefined ? cache.key(step.name, keyInputs) : null;
    const stored = key && !force ? cache!.get(step.name, key) : undefined;
    const load = (value: CacheValue): O => (step.load ? step.load(value, cache!.entryDir(step.name, key!), inputs) : (value as O));

    const body = async (run: ActiveRun | null): Promise<StepResult<O>> => {
      let output: O;
      if (stored !== undefined) {
        this.stats.hits++;
        output = load(stored);
      } else {
        const context: StepContext = { run, threads };
        const computed = await step.run(inputs, context);
        if (key) {
          this.stats.misses++;
          cache!.put(step.name, key, (dir) => (step.save ? step.save(computed, dir, inputs) : (computed as CacheValue)));
          const back = cache!.get(step.name, key);
          if (back === undefined) throw new KeelError("INTERNAL", `step ${step.name}: its cache entry cannot be read back`, { path: cache!.entryDir(step.name, key) });
          output = load(back);
        } else output = computed;
      }
      if (run && step.track) await step.track(output, run, inputs);
      return { output, cached: stored !== undefined, runId: run && run !== walkRun ? run.runId : null, key };
    };

    try {
      const child = walkRun && step.childRun?.(inputs);
      if (!child) return await body(walkRun);
      return await withRun(
        {
          store: walkRun.store,
          artifacts: walkRun.artifacts,
          experimentId: walkRun.experimentId,
          parentRunId: walkRun.runId,
          name: child.name,
          tags: { ...this.options.childTags, "keel.step": step.name, ...child.tags, "keel.cached": String(stored !== undefined) },
          environment: false,
          autolog: false,
        },
        body,
      );
    } finally {
      this.done++;
    }
  }
}
