import { InvalidInputError, KeelError } from "../core/index.js";
import {
  type CategoricalChoice,
  type Distribution,
  type ParamValue,
  categoricalDistribution,
  floatDistribution,
  intDistribution,
  isSingle,
  sameDistribution,
  toExternal,
  toInternal,
} from "./distributions.js";
import type { Pruner } from "./pruners/pruner.js";
import type { Sampler, SearchSpace, StudyView } from "./samplers/sampler.js";
import type { TrialRecord, TrialState } from "./storage.js";

/**
 * Thrown by an objective to stop its trial as pruned (Optuna's `TrialPruned`), usually right
 * after `trial.shouldPrune()` said so.
 * @example
 * ```ts
 * trial.report(score, fold);
 * if (trial.shouldPrune()) throw new TrialPruned();
 * ```
 */
export class TrialPruned extends KeelError {
  constructor(message = "trial pruned") {
    super("CANCELLED", message);
  }
}

/** What a trial needs from its study; kept narrow so a trial never reaches the storage itself. */
export interface TrialHost {
  view(): StudyView;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** Queue a write of the trial's record (the study awaits the queue at `tell`). */
  save(record: TrialRecord): void;
}

/**
 * One evaluation of the objective. Ask it for parameters with `suggest*` (the sampler decides
 * the values; asking again for a name returns the same value), report intermediate values with
 * `report`, and ask `shouldPrune` whether to stop. Conditional search spaces are ordinary code:
 * suggest a parameter only on the branch that uses it.
 * @example
 * ```ts
 * await study.optimize(async (trial) => {
 *   const kind = trial.suggestCategorical("model", ["logistic", "gbdt"]);
 *   const spec = kind === "logistic" ? logistic({ C: trial.suggestFloat("C", 0.01, 10, { log: true }) }) : gbdtClassifier({ maxLeaves: trial.suggestInt("maxLeaves", 4, 64) });
 *   return (await crossValidate(spec, frame, { target: "Status", metrics: ["roc_auc"] })).mean.roc_auc!;
 * });
 * ```
 */
export class Trial {
  constructor(
    private readonly host: TrialHost,
    /** The live record (the study reads it while the trial runs). */
    readonly record: TrialRecord,
    private readonly relativeSpace: SearchSpace,
    private readonly relativeParams: Record<string, number>,
  ) {}

  /** 0, 1, 2, … within the study. */
  get number(): number {
    return this.record.number;
  }

  get state(): TrialState {
    return this.record.state;
  }

  /** The parameters suggested so far, in external form. */
  get params(): Record<string, ParamValue> {
    return externalParams(this.record);
  }

  /**
   * A float in [low, high]: uniform, on a log scale with `log`, or on the grid low + k·step.
   * @example const lr = trial.suggestFloat("learningRate", 1e-3, 0.3, { log: true });
   */
  suggestFloat(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, floatDistribution(name, low, high, opts)) as number;
  }

  /**
   * An integer in [low, high] (both included), on the grid low + k·step, or on a log scale.
   * @example const leaves = trial.suggestInt("maxLeaves", 8, 256, { log: true });
   */
  suggestInt(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): number {
    return this.suggest(name, intDistribution(name, low, high, opts)) as number;
  }

  /**
   * One of the choices (JSON scalars).
   * @example const kind = trial.suggestCategorical("model", ["gbdt", "forest"]);
   */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, categoricalDistribution(name, choices)) as T;
  }

  /**
   * Records the objective's value at a step (one step axis per study: boosting iterations, or
   * cross-validation folds). Reporting a step again keeps the first value, as Optuna does.
   */
  report(value: number, step: number): void {
    this.assertRunning("report");
    if (typeof value !== "number") throw new InvalidInputError(`trial.report: value ${JSON.stringify(value)} is not a number`, { path: "value", received: value, expected: "a number" });
    if (!Number.isInteger(step) || step < 0) throw new InvalidInputError(`trial.report: step ${JSON.stringify(step)} is invalid; expected an integer ≥ 0`, { path: "step", received: step, expected: "an integer ≥ 0" });
    if (step in this.record.intermediate) return;
    this.record.intermediate[step] = value;
    this.host.save(this.record);
  }

  /** True when the study's pruner would stop this trial now, given what it reported. */
  shouldPrune(): boolean {
    this.assertRunning("shouldPrune");
    const pruned = this.host.pruner.prune(this.host.view(), this.record);
    this.host.save(this.record); // pruners keep bookkeeping in systemAttrs
    return pruned;
  }

  private suggest(name: string, d: Distribution): ParamValue {
    this.assertRunning("suggest");
    const r = this.record;
    const existing = r.distributions[name];
    if (existing !== undefined) {
      if (!sameDistribution(existing, d)) {
        throw new InvalidInputError(`parameter "${name}" was already suggested in trial ${r.number} with another distribution`, { path: name, expected: JSON.stringify(existing), received: d });
      }
      return toExternal(d, r.params[name]);
    }
    let internal: number;
    if (name in r.fixedParams) {
      internal = toInternal(d, r.fixedParams[name] as ParamValue);
    } else if (isSingle(d)) {
      internal = d.type === "categorical" ? 0 : d.low;
    } else if (name in this.relativeParams && this.relativeSpace[name] !== undefined && sameDistribution(this.relativeSpace[name], d)) {
      internal = this.relativeParams[name];
    } else {
      internal = this.host.sampler.sampleIndependent(this.host.view(), r, name, d);
    }
    r.params[name] = internal;
    r.distributions[name] = d;
    this.host.save(r);
    return toExternal(d, internal);
  }

  private assertRunning(what: string): void {
    if (this.record.state !== "running") {
      throw new InvalidInputError(`trial ${this.record.number} is ${this.record.state}; ${what} needs a running trial`, { path: "trial", received: this.record.state, expected: "running" });
    }
  }
}

/** A trial's parameters in external form (values, choices). */
export function externalParams(r: TrialRecord): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, v] of Object.entries(r.params)) out[name] = toExternal(r.distributions[name], v);
  return out;
}
