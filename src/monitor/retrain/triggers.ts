/**
 * The retraining triggers of keel.yaml's `retrain:` block, as one pure function a watch loop, a
 * CronJob (`keel retrain --if-triggered`) or a test can call: drift share of a stored monitoring
 * window above a bound, the live primary metric (from delayed labels) worse than the champion's
 * test value by more than a bound, or the newest version older than a schedule. Any one fires.
 */
import { parseDuration } from "../../core/index.js";

/** The `retrain.triggers` part of keel.yaml, defaults filled in (null: that trigger is off). */
export interface RetrainTriggers {
  drift_share: number | null;
  performance_drop: number | null;
  schedule: string | null;
}

/** What a trigger check reads of one monitoring window (a `StoredWindow` fits). */
export interface TriggerWindow {
  /** Epoch ms the window starts. */
  start: number;
  drift_share: number | null;
  /** The window's live metrics from delayed labels, by scorer name: `{estimate}` as `live-performance` reports them. */
  result?: { performance?: { metrics: Record<string, { estimate: number } | undefined> } | null } | null;
}

/** What retraining triggers are checked against: the metric, the champion's value, when the model was last trained. */
export interface TriggerContext {
  /** The primary metric, and whether higher is better (keel.yaml's problem.metric). */
  metric: string;
  greaterIsBetter: boolean;
  /** @champion's value of `metric` on its sealed test set (null: no champion, or none recorded). */
  championValue: number | null;
  /** Epoch ms the model's newest version was registered (null: none yet). */
  lastTrained: number | null;
  /** Epoch ms now (default Date.now()). */
  now?: number;
}

/** One trigger that fired, with its evidence. */
export interface FiredTrigger {
  trigger: "drift_share" | "performance_drop" | "schedule" | "no_model";
  value: number | null;
  bound: number | string | null;
  /** The window (epoch ms start) that fired it, for the window triggers. */
  window: number | null;
  message: string;
}

/** Whether to retrain, and which triggers fired. */
export interface TriggerDecision {
  retrain: boolean;
  fired: FiredTrigger[];
}

/**
 * Whether to retrain, from the stored monitoring windows (newest last or in any order) and the
 * model's history. Drift: a window whose `drift_share` > `triggers.drift_share`. Performance: a
 * window whose live `metric` is worse than `championValue` by more than `performance_drop`
 * (ref − live for a higher-is-better metric, live − ref otherwise). Schedule: now − lastTrained ≥
 * the schedule. A model with no version yet is always due (`no_model`) when any trigger is set.
 *
 * @example
 * const d = shouldRetrain(project.config.retrain.triggers, windows, { metric: "roc_auc", greaterIsBetter: true, championValue: 0.81, lastTrained });
 * if (d.retrain) console.log(d.fired.map((f) => f.message).join("; "));
 */
export function shouldRetrain(triggers: RetrainTriggers, windows: readonly TriggerWindow[], ctx: TriggerContext): TriggerDecision {
  const fired: FiredTrigger[] = [];
  const any = triggers.drift_share !== null || triggers.performance_drop !== null || triggers.schedule !== null;
  if (!any) return { retrain: false, fired };
  if (ctx.lastTrained === null) {
    fired.push({ trigger: "no_model", value: null, bound: null, window: null, message: "no version of the model is registered yet" });
    return { retrain: true, fired };
  }
  const now = ctx.now ?? Date.now();
  const ordered = [...windows].sort((a, b) => a.start - b.start);
  if (triggers.drift_share !== null) {
    const hit = ordered.filter((w) => w.drift_share !== null && w.drift_share > triggers.drift_share!);
    const worst = hit.reduce<TriggerWindow | null>((m, w) => (m === null || w.drift_share! > m.drift_share! ? w : m), null);
    if (worst) fired.push({ trigger: "drift_share", value: worst.drift_share, bound: triggers.drift_share, window: worst.start, message: `drift share ${worst.drift_share} > ${triggers.drift_share} in the window from ${new Date(worst.start).toISOString()} (${hit.length} of ${ordered.length} windows above)` });
  }
  if (triggers.performance_drop !== null && ctx.championValue !== null) {
    let worst: { w: TriggerWindow; live: number; drop: number } | null = null;
    for (const w of ordered) {
      const live = w.result?.performance?.metrics[ctx.metric]?.estimate;
      if (live === undefined || !Number.isFinite(live)) continue;
      const drop = ctx.greaterIsBetter ? ctx.championValue - live : live - ctx.championValue;
      if (drop > triggers.performance_drop && (worst === null || drop > worst.drop)) worst = { w, live, drop };
    }
    if (worst) fired.push({ trigger: "performance_drop", value: worst.drop, bound: triggers.performance_drop, window: worst.w.start, message: `live ${ctx.metric} ${worst.live} is ${worst.drop} worse than @champion's test value ${ctx.championValue} (bound ${triggers.performance_drop}) in the window from ${new Date(worst.w.start).toISOString()}` });
  }
  if (triggers.schedule !== null) {
    const age = now - ctx.lastTrained;
    const every = parseDuration(triggers.schedule, "retrain.triggers.schedule");
    if (age >= every) fired.push({ trigger: "schedule", value: age / 3_600_000, bound: triggers.schedule, window: null, message: `the newest version is ${(age / 3_600_000).toFixed(1)} h old (schedule ${triggers.schedule})` });
  }
  return { retrain: fired.length > 0, fired };
}
