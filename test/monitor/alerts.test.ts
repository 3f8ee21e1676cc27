/**
 * Alert rules: keel.yaml's monitor: block read with its defaults, each measure read off a monitored
 * period, rules firing above or below their threshold, and rules of the wrong shape named.
 */
import { describe, expect, it } from "vitest";
import { ALERT_MEASURES, checkRule, measureValue, type WindowMonitoring } from "../../src/monitor/index.js";
import { ALERT_MEASURE_NAMES } from "../../src/project/config-schema.js";
import { parseProjectText } from "../../src/project/config.js";

const BASE = `name: credit
problem: { task: binary, target: Status }
data: { source: credit.csv }
`;

const period: WindowMonitoring = {
  start: "2026-03-01T08:00:00.000Z",
  end: "2026-03-01T09:00:00.000Z",
  serving: { requests: 40, rows: 38, errors: 2, error_rate: 0.05, rejected: 2, server_errors: 0, rejections: [], latency_ms: { p50: 3, p95: 17.5, p99: 30, max: 41 } },
  drift: { reference_rows: 100, current_rows: 38, columns: [], skipped: [], number_of_columns: 4, number_of_drifted_columns: 1, drift_share: 0.25, drift_share_threshold: 0.5, dataset_drift: false },
  prediction_drift: null,
  quality: { rows: 38, columns: [], findings: [], schema: { ok: true, source: "reference", failed: [] } },
  performance: { labelled: 20, unlabelled: 18, multi_row: 0, unusable: 0, task: "classification", metrics: { accuracy: { estimate: 0.8, low: 0.6, high: 0.95, level: 0.95, rounds: 100, method: "percentile", redrawn: 0 } } },
};

describe("alert rules", () => {
  it("keel.yaml's monitor: block: defaults filled (the champion, 1h, the alert log), the rules kept", () => {
    const { config, problems } = parseProjectText(BASE + "monitor:\n  rules:\n    - { measure: drift_share, above: 0.3 }\n    - { name: slow, measure: latency_p95_ms, above: 250 }\n");
    expect(problems).toEqual([]);
    expect(config!.monitor).toEqual({ model: "models:/credit@champion", since: "1h", log: ".keel/alerts.jsonl", webhook: null, columns: {}, rules: [{ measure: "drift_share", above: 0.3 }, { name: "slow", measure: "latency_p95_ms", above: 250 }] });
    expect(parseProjectText(BASE).config!.monitor).toBeNull();
  });

  it("keel.yaml's monitor: block: a wrong measure, since, webhook or rule is named with its line", () => {
    const { problems } = parseProjectText(BASE + "monitor:\n  since: soon\n  webhook: ftp://x\n  rules:\n    - { measure: vibes, above: 1 }\n    - { measure: error_rate }\n");
    expect(problems.map((p) => [p.path, p.line])).toEqual([
      ["monitor.since", 5],
      ["monitor.webhook", 6],
      ["monitor.rules.0.measure", 8],
      ["monitor.rules.1", 9],
    ]);
    expect(problems[3].message).toMatch(/exactly one of above or below/);
  });

  it("keel.yaml and the alert module name the same measures", () => {
    expect([...ALERT_MEASURE_NAMES]).toEqual([...ALERT_MEASURES]);
  });

  it("reads each measure off a period; null where it cannot be measured", () => {
    expect(Object.fromEntries(ALERT_MEASURES.map((m) => [m, measureValue(period, m)]))).toEqual({ drift_share: 0.25, prediction_drift: null, quality_findings: 0, latency_p95_ms: 17.5, error_rate: 0.05, accuracy: 0.8, roc_auc: null, log_loss: null, rmse: null, mae: null });
    expect(measureValue({ ...period, serving: { ...period.serving, requests: 0, latency_ms: null }, drift: null, quality: null, performance: null }, "error_rate")).toBeNull();
  });

  it("names a rule of the wrong shape", () => {
    expect(() => checkRule({ measure: "drift_share" })).toThrow(/rule needs exactly one of above or below/);
    expect(() => checkRule({ measure: "nope" as "drift_share", above: 1 })).toThrow(/rule.measure must be one of drift_share/);
    expect(() => checkRule({ measure: "error_rate", below: Number.NaN })).toThrow(/threshold must be a number/);
  });
});
