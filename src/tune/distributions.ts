/**
 * Parameter distributions of a search space, as data (JSON), in Optuna's three kinds: float,
 * int and categorical. Each value has an external form (what the objective sees: a number, an
 * integer, a choice) and an internal one (a number: the value itself, or a choice's index), which
 * samplers work on.
 */
import { InvalidInputError } from "../core/index.js";

/** A categorical choice: JSON scalars only, so a trial's parameters can be logged and resumed. */
export type CategoricalChoice = string | number | boolean | null;

/** A float parameter in [low, high], on a log scale or a step grid (Optuna's `FloatDistribution`). */
export interface FloatDistribution {
  readonly type: "float";
  readonly low: number;
  readonly high: number;
  /** Sample on a log scale (low > 0). */
  readonly log: boolean;
  /** Values low, low + step, …; null for continuous. Not with `log`. */
  readonly step: number | null;
}

/** An integer parameter in [low, high] with a step, optionally log-scaled (Optuna's `IntDistribution`). */
export interface IntDistribution {
  readonly type: "int";
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  /** 1 unless given; with `log`, must be 1. */
  readonly step: number;
}

/** A choice among JSON scalars (Optuna's `CategoricalDistribution`). */
export interface CategoricalDistribution {
  readonly type: "categorical";
  readonly choices: readonly CategoricalChoice[];
}

/** Any parameter distribution. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
/** A parameter's value as the objective sees it: a number or a categorical choice. */
export type ParamValue = number | CategoricalChoice;

/**
 * A float distribution, checked as Optuna checks it; `high` is moved down onto the step grid.
 * @example
 * ```ts
 * const lr = floatDistribution("learningRate", 0.01, 0.3, { log: true });
 * ```
 */
export function floatDistribution(name: string, low: number, high: number, opts: { log?: boolean; step?: number | null } = {}): FloatDistribution {
  const log = opts.log ?? false;
  const step = opts.step ?? null;
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw bad(name, "low/high", [low, high], "finite numbers");
  if (low > high) throw bad(name, "low/high", [low, high], "low ≤ high");
  if (log && step !== null) throw bad(name, "step", step, "no step with log: true");
  if (log && !(low > 0)) throw bad(name, "low", low, "low > 0 with log: true");
  if (step !== null && !(step > 0 && Number.isFinite(step))) throw bad(name, "step", step, "a positive number");
  let h = high;
  if (step !== null) {
    // Optuna rounds in decimal; 1e-9 of a step absorbs binary representation error the same way.
    const k = Math.floor((high - low) / step + 1e-9);
    h = Math.min(high, low + k * step);
    if (Math.abs(low + k * step - high) <= 1e-9 * step) h = high;
  }
  return { type: "float", low, high: h, log, step };
}

/**
 * An int distribution, checked as Optuna checks it; `high` is moved down onto the step grid.
 * @example
 * ```ts
 * const leaves = intDistribution("maxLeaves", 4, 64, { log: true });
 * ```
 */
export function intDistribution(name: string, low: number, high: number, opts: { log?: boolean; step?: number } = {}): IntDistribution {
  const log = opts.log ?? false;
  const step = opts.step ?? 1;
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw bad(name, "low/high", [low, high], "integers");
  if (low > high) throw bad(name, "low/high", [low, high], "low ≤ high");
  if (!Number.isInteger(step) || step < 1) throw bad(name, "step", step, "an integer ≥ 1");
  if (log && step !== 1) throw bad(name, "step", step, "step 1 with log: true");
  if (log && low < 1) throw bad(name, "low", low, "low ≥ 1 with log: true");
  return { type: "int", low, high: low + Math.floor((high - low) / step) * step, log, step };
}

/**
 * A categorical distribution over JSON scalars.
 * @example
 * ```ts
 * const penalty = categoricalDistribution("penalty", ["l1", "l2"]);
 * ```
 */
export function categoricalDistribution(name: string, choices: readonly CategoricalChoice[]): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) throw bad(name, "choices", choices, "a non-empty array");
  for (const c of choices) {
    if (!(c === null || typeof c === "string" || typeof c === "boolean" || (typeof c === "number" && Number.isFinite(c)))) {
      throw bad(name, "choices", c, "strings, finite numbers, booleans or null");
    }
  }
  return { type: "categorical", choices: [...choices] };
}

function bad(name: string, field: string, received: unknown, expected: string): InvalidInputError {
  return new InvalidInputError(`parameter "${name}": ${field} ${JSON.stringify(received)} is invalid; expected ${expected}`, {
    path: `${name}.${field}`,
    expected,
    received,
  });
}

/**
 * True when the distribution has one value only (samplers skip it).
 * @example
 * ```ts
 * isSingle(intDistribution("k", 3, 3)); // true
 * ```
 */
export function isSingle(d: Distribution): boolean {
  if (d.type === "categorical") return d.choices.length === 1;
  if (d.type === "float" && d.step === null) return d.low === d.high;
  return d.high - d.low < d.step!;
}

/**
 * Equality of two distributions (the same parameter must keep its distribution in a study).
 * @example
 * ```ts
 * sameDistribution(intDistribution("k", 1, 9), intDistribution("k", 1, 9)); // true
 * ```
 */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  if (a.type !== b.type) return false;
  if (a.type === "categorical") {
    const bc = (b as CategoricalDistribution).choices;
    return a.choices.length === bc.length && a.choices.every((c, i) => Object.is(c, bc[i]));
  }
  const n = b as FloatDistribution | IntDistribution;
  return a.low === n.low && a.high === n.high && a.log === n.log && a.step === n.step;
}

/**
 * The internal (numeric) form of a value: the number, or the choice's index.
 * @example
 * ```ts
 * toInternal(categoricalDistribution("penalty", ["l1", "l2"]), "l2"); // 1
 * ```
 */
export function toInternal(d: Distribution, value: ParamValue): number {
  if (d.type === "categorical") {
    const i = d.choices.findIndex((c) => Object.is(c, value) || c === value);
    if (i < 0) throw new InvalidInputError(`value ${JSON.stringify(value)} is not one of the choices ${JSON.stringify(d.choices)}`, { expected: "one of the choices", received: value });
    return i;
  }
  return value as number;
}

/**
 * The external form of an internal value: the number (an integer for int), or the choice.
 * @example
 * ```ts
 * toExternal(categoricalDistribution("penalty", ["l1", "l2"]), 1); // "l2"
 * ```
 */
export function toExternal(d: Distribution, internal: number): ParamValue {
  if (d.type === "categorical") return d.choices[internal];
  if (d.type === "int") return Math.round(internal);
  return internal;
}

/**
 * True when the external value lies in the distribution (on its grid for steps and ints).
 * @example
 * ```ts
 * contains(intDistribution("k", 1, 9, { step: 2 }), 4); // false: off the grid
 * ```
 */
export function contains(d: Distribution, value: ParamValue): boolean {
  if (d.type === "categorical") return d.choices.some((c) => Object.is(c, value) || c === value);
  if (typeof value !== "number" || !(value >= d.low && value <= d.high)) return false;
  if (d.type === "int") return Number.isInteger(value) && (value - d.low) % d.step === 0;
  if (d.step === null) return true;
  const k = (value - d.low) / d.step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}

/**
 * The interval a sampler draws a numeric parameter in, Optuna's "uniform" space: log scale when
 * `log`, and widened by half a step on each side for steps and integers, so rounding gives every
 * grid point the same share. Categorical parameters have none.
 * @example
 * ```ts
 * samplingBounds(intDistribution("k", 1, 9)); // { low: 0.5, high: 9.5, step: 1 }
 * ```
 */
export function samplingBounds(d: FloatDistribution | IntDistribution): { low: number; high: number; step: number | null } {
  if (d.type === "float") {
    if (d.log) return { low: Math.log(d.low), high: Math.log(d.high), step: null };
    if (d.step !== null) return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, step: d.step };
    return { low: d.low, high: d.high, step: null };
  }
  if (d.log) return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), step: null };
  return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, step: d.step };
}

/**
 * A value's position in the sampling interval's coordinates (the log for log scales).
 * @example
 * ```ts
 * toSamplingScale(floatDistribution("lr", 0.01, 0.3, { log: true }), 0.1); // Math.log(0.1)
 * ```
 */
export function toSamplingScale(d: FloatDistribution | IntDistribution, internal: number): number {
  return d.log ? Math.log(internal) : internal;
}

/**
 * Back from the sampling interval to an internal value: exp, round onto the grid, clip.
 * @example
 * ```ts
 * fromSamplingScale(floatDistribution("lr", 0.01, 0.3, { log: true }), Math.log(0.1)); // ≈ 0.1
 * ```
 */
export function fromSamplingScale(d: FloatDistribution | IntDistribution, x: number): number {
  if (d.type === "float") {
    if (d.log) return Math.min(Math.max(Math.exp(x), d.low), d.high);
    if (d.step === null) return Math.min(Math.max(x, d.low), d.high);
    return Math.min(Math.max(roundHalfEven((x - d.low) / d.step) * d.step + d.low, d.low), d.high);
  }
  if (d.log) return Math.min(Math.max(roundHalfEven(Math.exp(x)), d.low), d.high);
  return Math.min(Math.max(roundHalfEven((x - d.low) / d.step) * d.step + d.low, d.low), d.high);
}

/**
 * NumPy's `np.round`: halves go to the even neighbour.
 * @example
 * ```ts
 * roundHalfEven(2.5); // 2
 * roundHalfEven(3.5); // 4
 * ```
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
