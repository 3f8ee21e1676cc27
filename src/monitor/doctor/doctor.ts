/**
 * The incident runbook (`keel doctor`): the checks an on-call engineer runs, cheapest and most
 * likely cause first, over a served version's recent traffic —
 * 1. serving: server errors (5xx) and latency;
 * 2. upstream schema break: requests refused for their columns (a column missing, renamed, of the
 *    wrong kind) and answered rows whose columns differ from the model's inputs;
 * 3. data quality: missing values rising, new categories, infinite values (values out of the
 *    training range are evidence of drift, shown with check 4: a shifted column puts values there);
 * 4. feature drift: columns whose distribution moved — p-value tests at α / columns (Bonferroni,
 *    so 13 columns do not raise a false alarm half the time), distances above their threshold;
 * 5. prediction drift: the predictions' distribution against the training rows';
 * 6. performance decay: a live metric (from delayed labels) whose whole bootstrap interval lies on
 *    the wrong side of the version's test-set value.
 * The first failing check is the cause, printed with its evidence and the next action.
 */
import type { ColumnDrift } from "../drift/column-drift.js";
import type { ModelMonitoring } from "../log/monitor-model.js";

/** The checks `diagnose` runs, in order. */
export type CheckName = "serving" | "schema" | "quality" | "feature_drift" | "prediction_drift" | "performance";

/** One check of `diagnose`: its status, a summary, the columns concerned and the evidence. */
export interface DoctorCheck {
  check: CheckName;
  status: "ok" | "fail" | "skipped";
  /** One line: what was found. */
  summary: string;
  /** The columns to look at (most telling first). */
  columns: string[];
  /** Numbers behind the summary. */
  evidence: Record<string, unknown>;
}

/** What `diagnose` found over a model's monitored traffic: every check, the first failing one as the likely cause, and what to do next. */
export interface DoctorReport {
  model: string;
  version: string;
  since: string;
  until: string;
  requests: number;
  checks: DoctorCheck[];
  /** The first failing check (null when all pass). */
  cause: DoctorCheck | null;
  /** What to do next. */
  next_action: string;
}

/** The thresholds `diagnose` holds serving, schema and tests against. */
export interface DoctorThresholds {
  /** Share of requests failing with 5xx above which serving fails (default 0.01). */
  serverErrorRate?: number;
  /** p95 latency above which serving fails, ms (default 1000). */
  latencyP95Ms?: number;
  /** Share of requests refused for their columns above which the schema check fails (default 0.01). */
  schemaRejectRate?: number;
  /** Family-wise α of the per-column p-value tests (default 0.05). */
  alpha?: number;
}

/** Greater-is-better per live metric. */
const GREATER_IS_BETTER: Readonly<Record<string, boolean>> = { accuracy: true, roc_auc: true, log_loss: false, rmse: false, mae: false };

function strength(c: ColumnDrift): number {
  return c.test === "ks" || c.test === "chi2" ? -Math.log10(Math.max(c.statistic, 1e-300)) : c.statistic / c.threshold;
}

/**
 * Run the checks over a version's monitored traffic. `testMetrics` are the version's test-set
 * values (`keel.test_<metric>` tags) that live metrics are held against.
 * @example const report = diagnose(await monitorModel({ ref: "models:/credit@champion", stores, reader, since: Date.now() - 86_400_000, window: "hour" }), { roc_auc: 0.81 });
 */
export function diagnose(m: ModelMonitoring, testMetrics: Readonly<Record<string, number>> = {}, t: DoctorThresholds = {}): DoctorReport {
  const o = m.overall;
  const s = o.serving;
  const checks: DoctorCheck[] = [];
  const serverRate = s.requests ? s.server_errors / s.requests : 0;
  const p95 = s.latency_ms?.p95 ?? 0;
  const maxServer = t.serverErrorRate ?? 0.01;
  const maxP95 = t.latencyP95Ms ?? 1000;
  const servingFails = serverRate > maxServer || p95 > maxP95;
  checks.push({
    check: "serving",
    status: s.requests === 0 ? "skipped" : servingFails ? "fail" : "ok",
    summary: s.requests === 0 ? "no requests in the period" : `${s.server_errors} of ${s.requests} requests failed on the server (${pct(serverRate)}, limit ${pct(maxServer)}); p95 latency ${p95.toFixed(1)} ms (limit ${maxP95} ms)`,
    columns: [],
    evidence: { requests: s.requests, server_errors: s.server_errors, server_error_rate: serverRate, latency_ms: s.latency_ms },
  });

  // 2. schema: refusals naming columns, and answered rows whose columns differ from the reference
  const refusals = s.rejections.filter((r) => r.status < 500 && r.columns.length > 0);
  const refused = refusals.reduce((n, r) => n + r.count, 0);
  const refusedRate = s.requests ? refused / s.requests : 0;
  const schemaFindings = (o.quality?.findings ?? []).filter((f) => f.code === "SCHEMA");
  const schemaColumns = unique([...refusals.flatMap((r) => r.columns), ...schemaFindings.map((f) => f.column).filter((c): c is string => c !== null)]);
  const schemaFails = refusedRate > (t.schemaRejectRate ?? 0.01) || schemaFindings.length > 0;
  checks.push({
    check: "schema",
    status: s.requests === 0 ? "skipped" : schemaFails ? "fail" : "ok",
    summary: schemaFails
      ? `${refused} of ${s.requests} requests refused for their columns (${pct(refusedRate)})${schemaFindings.length ? `; answered rows: ${schemaFindings.map((f) => f.message).join("; ")}` : ""}${refusals[0]?.example.error ? ` — e.g. ${refusals[0].example.error}` : ""}`
      : "the requests' columns match the model's inputs",
    columns: schemaColumns,
    evidence: { refused, refused_rate: refusedRate, refusals: refusals.slice(0, 5), findings: schemaFindings.slice(0, 5) },
  });

  // 3. data quality (out-of-range values belong to drift)
  const broken = (o.quality?.findings ?? []).filter((f) => f.code === "MISSING_VALUES" || f.code === "NEW_CATEGORY" || f.code === "INFINITE_VALUES");
  checks.push({
    check: "quality",
    status: !o.quality ? "skipped" : broken.length ? "fail" : "ok",
    summary: !o.quality ? "no answered rows" : broken.length ? broken.map((f) => f.message).join("; ") : "no missing-value rise, new category or infinite value",
    columns: unique(broken.map((f) => f.column).filter((c): c is string => c !== null)),
    evidence: { findings: broken.slice(0, 10) },
  });

  // 4. feature drift, Bonferroni across the p-value tests
  const alpha = t.alpha ?? 0.05;
  const cols = o.drift?.columns ?? [];
  const pTests = cols.filter((c) => c.test === "ks" || c.test === "chi2").length;
  const drifted = cols.filter((c) => (c.test === "ks" || c.test === "chi2" ? c.statistic < alpha / Math.max(pTests, 1) : c.drifted)).sort((a, b) => strength(b) - strength(a));
  const outOfRange = (o.quality?.findings ?? []).filter((f) => f.code === "OUT_OF_RANGE");
  checks.push({
    check: "feature_drift",
    status: !o.drift ? "skipped" : drifted.length ? "fail" : "ok",
    summary: !o.drift
      ? "no answered rows"
      : drifted.length
        ? `${drifted.length} of ${cols.length} columns drifted: ${drifted.slice(0, 5).map((c) => `${c.column} (${c.test} ${c.statistic.toPrecision(3)}, PSI ${c.psi.toFixed(2)})`).join(", ")}`
        : `no column drifted (p-value tests at α ${alpha} / ${Math.max(pTests, 1)} columns)`,
    columns: drifted.map((c) => c.column),
    evidence: { drifted: drifted.slice(0, 10).map((c) => ({ column: c.column, test: c.test, statistic: c.statistic, threshold: c.test === "ks" || c.test === "chi2" ? alpha / Math.max(pTests, 1) : c.threshold, psi: c.psi, js: c.js })), out_of_range: outOfRange.slice(0, 10) },
  });

  // 5. prediction drift
  const pd = o.prediction_drift;
  checks.push({
    check: "prediction_drift",
    status: !pd ? "skipped" : pd.drifted ? "fail" : "ok",
    summary: !pd ? "no predictions to compare" : `predictions ${pd.drifted ? "drifted" : "stable"}: ${pd.test} ${pd.statistic.toPrecision(3)} (threshold ${pd.threshold}), PSI ${pd.psi.toFixed(2)}`,
    columns: [],
    evidence: pd ? { test: pd.test, statistic: pd.statistic, threshold: pd.threshold, psi: pd.psi, buckets: pd.buckets } : {},
  });

  // 6. performance decay against the test set
  const perf = o.performance;
  const decayed: { metric: string; live: number; low: number; high: number; test: number }[] = [];
  let compared = 0;
  for (const [metric, ci] of Object.entries(perf?.metrics ?? {})) {
    const ref = testMetrics[metric];
    if (ref === undefined || !(metric in GREATER_IS_BETTER) || !Number.isFinite(ci.low)) continue;
    compared++;
    if (GREATER_IS_BETTER[metric] ? ci.high < ref : ci.low > ref) decayed.push({ metric, live: ci.estimate, low: ci.low, high: ci.high, test: ref });
  }
  checks.push({
    check: "performance",
    status: !perf || perf.labelled === 0 || compared === 0 ? "skipped" : decayed.length ? "fail" : "ok",
    summary:
      !perf || perf.labelled === 0
        ? "no labels yet"
        : compared === 0
          ? `${perf.labelled} labelled requests, but no test-set value to compare with`
          : decayed.length
            ? decayed.map((d) => `live ${d.metric} ${d.live.toFixed(3)} [${d.low.toFixed(3)}, ${d.high.toFixed(3)}] vs ${d.test.toFixed(3)} on the test set`).join("; ")
            : `live metrics within reach of the test set (${perf.labelled} labelled requests)`,
    columns: [],
    evidence: { labelled: perf?.labelled ?? 0, metrics: perf?.metrics ?? {}, test: testMetrics, decayed },
  });

  const cause = checks.find((c) => c.status === "fail") ?? null;
  const ref = `models:/${m.model}/${m.version.version}`;
  return {
    model: m.model,
    version: m.version.version,
    since: new Date(m.since).toISOString(),
    until: new Date(m.until).toISOString(),
    requests: s.requests,
    checks,
    cause,
    next_action: nextAction(cause, m.model, ref),
  };
}

function nextAction(cause: DoctorCheck | null, name: string, ref: string): string {
  const cols = cause?.columns.length ? cause.columns.slice(0, 8).join(", ") : "";
  switch (cause?.check) {
    case undefined:
      return "nothing failing: keep watching (keel monitor drift --model " + ref + ")";
    case "serving":
      return `the server is failing or slow: look at the serving processes (their logs, /metrics, CPU and memory); if this version fails where the previous did not, roll back: keel rollback ${name}`;
    case "schema":
      return `an upstream change broke the inputs${cols ? ` (columns ${cols})` : ""}: fix the producer or map the columns back to the model's signature (keel models show ${name}); a rollback does not help unless the previous version reads the new columns`;
    case "quality":
      return `bad data upstream${cols ? ` in ${cols}` : ""}: look at the examples above and fix the feed; if the model must keep answering meanwhile, roll back only if the previous version handles it (keel rollback ${name})`;
    case "feature_drift":
      return `look at ${cols || "the drifted columns"}: keel monitor drift --model ${ref} --out drift.html; if it is a real change in the world, retrain on recent data; if predictions suffer meanwhile, keel rollback ${name}`;
    case "prediction_drift":
      return `the model answers differently than in training while its inputs look stable: check the model's version and its recent changes, and roll back if it was just deployed: keel rollback ${name}`;
    case "performance":
      return `the model got worse on live labels: roll back to the previous version (keel rollback ${name}) and retrain on recent labelled data`;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(x > 0 && x < 0.001 ? 3 : 1)} %`;
const unique = (xs: string[]) => [...new Set(xs)];
