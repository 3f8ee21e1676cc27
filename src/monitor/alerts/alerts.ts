/**
 * Alert rules over a served version's recent traffic (keel.yaml's `monitor:` block): a threshold
 * above or below one measure of the period — drift share, prediction drift (1 when drifted), data-
 * quality findings, p95 latency, error rate, or a live metric from delayed labels (accuracy,
 * roc_auc, log_loss, rmse, mae) — and where fired alerts go: appended as JSON lines to a log file,
 * and POSTed as JSON to a webhook.
 */
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError, show } from "../../core/index.js";
import type { WindowMonitoring } from "../log/log-monitor.js";
import type { ModelMonitoring } from "../log/monitor-model.js";

/** The measures an alert rule can watch. */
export const ALERT_MEASURES = ["drift_share", "prediction_drift", "quality_findings", "latency_p95_ms", "error_rate", "accuracy", "roc_auc", "log_loss", "rmse", "mae"] as const;
/** One of `ALERT_MEASURES`. */
export type AlertMeasure = (typeof ALERT_MEASURES)[number];

/** An alert rule of keel.yaml: a measure and a bound it must stay above or below. */
export interface AlertRule {
  /** A name for the alert (default: the measure and threshold). */
  name?: string;
  measure: AlertMeasure;
  /** Fires when the measure is greater than this. */
  above?: number;
  /** Fires when the measure is less than this. */
  below?: number;
}

/** A rule that fired over a monitored period, with the value and its threshold. */
export interface Alert {
  rule: string;
  measure: AlertMeasure;
  value: number;
  threshold: number;
  direction: "above" | "below";
  model: string;
  version: string;
  since: string;
  until: string;
  message: string;
}

/**
 * The rule's display name.
 * @example
 * ```ts
 * ruleName({ measure: "error_rate", above: 0.01 }); // "error_rate > 0.01"
 * ```
 */
export function ruleName(r: AlertRule): string {
  return r.name ?? `${r.measure} ${r.above !== undefined ? `> ${r.above}` : `< ${r.below}`}`;
}

/**
 * The measure's value over a monitored period (null when it cannot be measured: no traffic, no labels).
 * @example
 * ```ts
 * const share = measureValue(monitoring.overall, "drift_share");
 * ```
 */
export function measureValue(w: WindowMonitoring, m: AlertMeasure): number | null {
  switch (m) {
    case "drift_share":
      return w.drift ? w.drift.drift_share : null;
    case "prediction_drift":
      return w.prediction_drift ? (w.prediction_drift.drifted ? 1 : 0) : null;
    case "quality_findings":
      return w.quality ? w.quality.findings.length : null;
    case "latency_p95_ms":
      return w.serving.latency_ms ? w.serving.latency_ms.p95 : null;
    case "error_rate":
      return w.serving.requests ? w.serving.error_rate : null;
    default: {
      const ci = w.performance?.metrics[m];
      return ci && Number.isFinite(ci.estimate) ? ci.estimate : null;
    }
  }
}

/**
 * Check a rule's shape: a known measure and exactly one of above / below.
 * @example
 * ```ts
 * const rule = checkRule({ measure: "latency_p95_ms", above: 250 }, "alerts[0]");
 * ```
 */
export function checkRule(r: AlertRule, where = "rule"): AlertRule {
  if (!ALERT_MEASURES.includes(r.measure)) throw new InvalidInputError(`${where}.measure must be one of ${ALERT_MEASURES.join(", ")}, got ${show(r.measure)}`, { path: `${where}.measure`, expected: ALERT_MEASURES.join(" | "), received: r.measure });
  if ((r.above === undefined) === (r.below === undefined)) throw new InvalidInputError(`${where} needs exactly one of above or below`, { path: where, expected: "above: <number> or below: <number>", received: r });
  const t = r.above ?? r.below;
  if (typeof t !== "number" || !Number.isFinite(t)) throw new InvalidInputError(`${where}'s threshold must be a number, got ${show(t)}`, { path: `${where}.${r.above !== undefined ? "above" : "below"}`, expected: "a number", received: t });
  return r;
}

/**
 * The alerts the rules fire over the monitored period (its `overall` result).
 * @example
 * ```ts
 * const alerts = evaluateRules(monitoring, [{ measure: "drift_share", above: 0.3 }]);
 * ```
 */
export function evaluateRules(m: ModelMonitoring, rules: readonly AlertRule[]): Alert[] {
  const out: Alert[] = [];
  rules.forEach((r, i) => {
    checkRule(r, `rules[${i}]`);
    const value = measureValue(m.overall, r.measure);
    if (value === null) return;
    const direction = r.above !== undefined ? "above" : "below";
    const threshold = (r.above ?? r.below)!;
    if (direction === "above" ? value > threshold : value < threshold) {
      out.push({ rule: ruleName(r), measure: r.measure, value, threshold, direction, model: m.model, version: m.version.version, since: new Date(m.since).toISOString(), until: new Date(m.until).toISOString(), message: `${m.model} version ${m.version.version}: ${r.measure} ${fmt(value)} is ${direction} ${threshold} (${ruleName(r)})` });
    }
  });
  return out;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4));

/** Where fired alerts went: the log file, and the webhook's HTTP status or error. */
export interface Delivery {
  /** The log file alerts were appended to (null when none is set). */
  log: string | null;
  /** The webhook's answer (null when none is set); `error` when it could not be reached or refused. */
  webhook: { url: string; status: number | null; error?: string } | null;
}

/**
 * Deliver fired alerts: one JSON line each to `log`, and one POST of `{ model, version, since,
 * until, alerts }` to `webhook` (10 s timeout). Nothing is sent when no alert fired.
 * @example
 * ```ts
 * const delivery = await deliverAlerts(alerts, { log: "alerts.jsonl", webhook: "https://hooks.example.com/keel" });
 * ```
 */
export async function deliverAlerts(alerts: readonly Alert[], to: { log?: string | null; webhook?: string | null }): Promise<Delivery> {
  const out: Delivery = { log: to.log ?? null, webhook: null };
  if (alerts.length === 0) return out;
  const time = new Date().toISOString();
  if (to.log) {
    await mkdir(path.dirname(to.log), { recursive: true });
    await appendFile(to.log, alerts.map((a) => JSON.stringify({ time, ...a })).join("\n") + "\n");
  }
  if (to.webhook) {
    const body = { time, model: alerts[0].model, version: alerts[0].version, since: alerts[0].since, until: alerts[0].until, alerts };
    try {
      const res = await fetch(to.webhook, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      out.webhook = { url: to.webhook, status: res.status, ...(res.ok ? {} : { error: `the webhook answered ${res.status}` }) };
    } catch (e) {
      out.webhook = { url: to.webhook, status: null, error: (e as Error).message };
    }
  }
  return out;
}
