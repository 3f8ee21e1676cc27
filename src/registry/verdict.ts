/**
 * The verdict on a model evaluated on held-out rows: is it good enough (reaches the project's bar)
 * and does it beat the baseline on the same rows? The first of the checks a version must pass —
 * promotion gates sit beside it.
 */

export interface Verdict {
  /** Null when no bar is set. */
  goodEnough: boolean | null;
  beatsBaseline: boolean;
  metric: string;
  value: number;
  bar: number | null;
}

/**
 * Judge `value` of `metric` against the bar (`good_enough`) and the baseline's value. A NaN value
 * is neither good enough nor better than anything.
 *
 * @example
 * verdict({ metric: "roc_auc", value: 0.83, baseline: 0.5, bar: 0.8, greaterIsBetter: true });
 * // { goodEnough: true, beatsBaseline: true, metric: "roc_auc", value: 0.83, bar: 0.8 }
 */
export function verdict(o: { metric: string; value: number; baseline: number; bar: number | null; greaterIsBetter: boolean }): Verdict {
  const better = (a: number, b: number) => (o.greaterIsBetter ? a > b : a < b);
  const reaches = (a: number, bar: number) => (o.greaterIsBetter ? a >= bar : a <= bar);
  return { goodEnough: o.bar === null ? null : reaches(o.value, o.bar), beatsBaseline: better(o.value, o.baseline), metric: o.metric, value: o.value, bar: o.bar };
}

/**
 * True when a version may become `@challenger`: it reaches the bar (or no bar is set) and beats
 * the baseline. A version that fails is registered without the alias (or not at all), and
 * `keel run` exits 3.
 * @example
 * ```ts
 * const v = verdict({ metric: "roc_auc", value: 0.84, baseline: 0.5, bar: 0.8, greaterIsBetter: true });
 * if (!verdictPasses(v)) process.exitCode = 3;
 * ```
 */
export function verdictPasses(v: Verdict): boolean {
  return v.goodEnough !== false && v.beatsBaseline;
}
