/**
 * keel.yaml's shape as one Zod v4 schema: what `parseProjectText` validates and what
 * `keelYamlJsonSchema` publishes as JSON Schema for editors (yaml-language-server). Each leaf
 * carries the expectation its errors print ("an integer ≥ 2 and ≤ 100"), so a problem names the
 * key, the value and what was expected; each key carries a description editors show on hover.
 * Objects are strict: an unknown key is an error naming it.
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DURATION_EXPECTED, DURATION_PATTERN } from "../core/index.js";
import { THRESHOLD_METRICS } from "../metrics/index.js";

export type ProjectTask = "binary" | "multiclass" | "regression";

export const TASKS: readonly ProjectTask[] = ["binary", "multiclass", "regression"];

/** A string with something other than spaces in it. */
function text(expected = "a non-empty string") {
  return z.string({ error: expected }).regex(/\S/, { error: expected });
}

/** A number with bounds; every failure prints the same expectation. */
function num(o: { integer?: boolean; min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean } = {}) {
  const lo = o.min === undefined ? "" : `${o.exclusiveMin ? ">" : "≥"} ${o.min}`;
  const hi = o.max === undefined ? "" : `${o.exclusiveMax ? "<" : "≤"} ${o.max}`;
  const error = `${o.integer ? "an integer" : "a number"}${lo || hi ? " " + [lo, hi].filter(Boolean).join(" and ") : ""}`;
  let s = z.number({ error });
  if (o.integer) s = s.int({ error });
  if (o.min !== undefined) s = o.exclusiveMin ? s.gt(o.min, { error }) : s.gte(o.min, { error });
  if (o.max !== undefined) s = o.exclusiveMax ? s.lt(o.max, { error }) : s.lte(o.max, { error });
  return s;
}

/** A list of column or metric names (`what`: "column", "metric"). */
function names(what: string) {
  return z.array(z.string({ error: `a ${what} name` }), { error: `a list of ${what} names, e.g. [a, b]` });
}

const bool = () => z.boolean({ error: "true or false" });

/** Column types keel.yaml can declare (`data.types`); a datetime may name its strptime format. */
export const COLUMN_TYPES = ["numeric", "categorical", "text", "datetime"] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

const TYPE_ENTRY = `one of ${COLUMN_TYPES.join(" | ")}, or { datetime: "<strptime format>" } such as { datetime: "%d/%m/%Y" }`;

/** `categorical`, or `{ datetime: "%d/%m/%Y" }`. */
const columnType = z.union(
  [
    z.enum(COLUMN_TYPES, { error: TYPE_ENTRY }),
    z.strictObject({ datetime: z.string({ error: TYPE_ENTRY }).regex(/%/, { error: "a strptime format such as %d/%m/%Y (with % codes)" }) }, { error: TYPE_ENTRY }),
  ],
  { error: TYPE_ENTRY },
);

const GAP = `an integer ≥ 0 (rows) or ${DURATION_EXPECTED}`;

/** A duration such as `7d`, `12h`, `30m`/`30min`, `2w` (core's one grammar). */
const duration = () => z.string({ error: DURATION_EXPECTED }).regex(DURATION_PATTERN, { error: DURATION_EXPECTED });

/** A mapping whose unknown keys are errors. */
function mapping<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, { error: "a mapping" });
}

const MODEL_ENTRY = "a model name or { name: { param: value } }";

/** `gbdt`, or `{ gbdt: { maxLeaves: 63 } }` (one key: the model; its value: parameters or null). */
const modelEntry = z.union(
  [
    text(MODEL_ENTRY),
    z
      .record(z.string(), z.record(z.string(), z.unknown()).nullable(), { error: MODEL_ENTRY })
      .refine((m) => Object.keys(m).length === 1, { error: MODEL_ENTRY })
      .meta({ minProperties: 1, maxProperties: 1 }),
  ],
  { error: MODEL_ENTRY },
);

/** Calibration methods keel.yaml accepts (`problem.calibration`). */
export const CALIBRATIONS = ["sigmoid", "isotonic", "none"] as const;

const THRESHOLD = `a probability from 0 to 1, { by: cost, fp: <cost of a false positive>, fn: <cost of a false negative> }, or { by: ${THRESHOLD_METRICS.join(" | ")} }`;
const COST = "a number > 0 (a cost per wrong prediction)";

/** `0.3`, `{ by: cost, fp: 1, fn: 5 }` or `{ by: f1 }`. */
const thresholdRule = z.union(
  [
    num({ min: 0, max: 1 }),
    z.strictObject({ by: z.literal("cost"), fp: num({ min: 0, exclusiveMin: true }).describe(COST), fn: num({ min: 0, exclusiveMin: true }).describe(COST) }),
    z.strictObject({ by: z.enum(THRESHOLD_METRICS as [string, ...string[]]) }),
  ],
  { error: THRESHOLD },
);

/** The fairness metrics a gate can bound (Fairlearn's names and definitions, binary tasks). */
export const FAIRNESS_METRICS = ["demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference", "equalized_odds_ratio"] as const;

/** Robustness probes a gate can run (`evaluate/robustness.ts`). */
const probeShare = (what: string) => num({ min: 0, max: 1 }).optional().describe(`Share of rows ${what} per feature (default 0.1).`);

/** `gates:` — what a version must pass before `keel promote` moves `@champion` to it (`registry/gates.ts`). */
const gatesSchema = mapping({
  champion: mapping({
    max_drop: num({ min: 0 }).optional().describe("Largest drop of the primary metric against @champion on the same rows, in the metric's units (default 0)."),
    alpha: num({ min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }).optional().describe("A drop beyond max_drop fails only when significant at this level (DeLong for roc_auc, McNemar for accuracy, paired bootstrap otherwise; default 0.05)."),
  })
    .nullable()
    .optional()
    .describe("No regression against @champion beyond a delta, with significance (default on: max_drop 0, alpha 0.05; null turns it off)."),
  fairness: z
    .array(
      mapping({
        metric: z.enum(FAIRNESS_METRICS, { error: `one of ${FAIRNESS_METRICS.join(" | ")}` }).describe("A Fairlearn fairness metric over the groups of each column."),
        min: num().optional().describe("The metric must be at least this (ratios, e.g. 0.8: the four-fifths rule)."),
        max: num().optional().describe("The metric must be at most this (differences, e.g. 0.1)."),
        columns: names("column").optional().describe("Columns whose groups are compared (default problem.protected)."),
      }),
      { error: "a list of fairness bounds, e.g. [{ metric: demographic_parity_ratio, min: 0.8 }]" },
    )
    .optional()
    .describe("Fairness bounds on the predictions, per protected column (binary tasks)."),
  latency: mapping({
    p99_ms: num({ min: 0, exclusiveMin: true }).describe("Single-row predict p99 latency bound, in milliseconds."),
    tolerance: num({ min: 0 }).optional().describe("Allowed excess over p99_ms as a share (default 0.2: the measured p99 may reach 1.2 × p99_ms)."),
    repeats: num({ integer: true, min: 1, max: 50 }).optional().describe("Measurements whose median p99 is compared (default 5)."),
    requests: num({ integer: true, min: 10, max: 100_000 }).optional().describe("Single-row predictions per measurement (default 200)."),
  })
    .optional()
    .describe("Single-row predict p99 latency: the median of repeated measurements, with a tolerance."),
  max_size_mb: num({ min: 0, exclusiveMin: true }).optional().describe("Largest model size on disk, in megabytes (10^6 bytes)."),
  robustness: mapping({
    max_drop: num({ min: 0 }).optional().describe("Largest drop of the primary metric under any probe (default 0.05)."),
    noise: num({ min: 0 }).optional().describe("Gaussian noise σ as a share of each numeric column's standard deviation (default 0.1)."),
    missing: probeShare("set missing"),
    unseen: probeShare("given an unseen category"),
    out_of_range: probeShare("set out of range"),
  })
    .optional()
    .describe("Robustness probes (noise, missing values, unseen categories, out-of-range values) and the largest metric drop allowed."),
  data_checks: bool().optional().describe("With `keel promote --data`, the file must pass the expectations in keel.schema.json (default true)."),
}).describe("Promotion gates `keel promote` checks (problem.good_enough is the minimum-metric gate).");
/** The drift statistics a column's test can be (as `monitor/drift` names them). */
export const DRIFT_TEST_NAMES = ["ks", "chi2", "wasserstein_norm", "js", "psi"] as const;

/** Measures an alert rule can watch (as `monitor/alerts` names them). */
export const ALERT_MEASURE_NAMES = ["drift_share", "prediction_drift", "quality_findings", "latency_p95_ms", "error_rate", "accuracy", "roc_auc", "log_loss", "rmse", "mae"] as const;
const MEASURE = `one of ${ALERT_MEASURE_NAMES.join(" | ")}`;

/** `{ measure: drift_share, above: 0.3 }`: exactly one of above / below. */
const alertRule = mapping({
  name: text().optional().describe("What the alert is called (default: the measure and threshold)."),
  measure: z.enum(ALERT_MEASURE_NAMES, { error: MEASURE }).describe("What is watched over the period: drift share, prediction drift (1 when drifted), data-quality findings, p95 latency (ms), error rate, or a live metric from delayed labels."),
  above: num().optional().describe("Fire when the measure is greater than this."),
  below: num().optional().describe("Fire when the measure is less than this."),
}).refine((r) => (r.above === undefined) !== (r.below === undefined), { error: "exactly one of above or below" });
const MODEL_REF = "a model reference: models:/<name>@<alias>, models:/<name>/<version> or a model folder";
const SERVE_MODEL = `${MODEL_REF}, or { ref, name }`;
const CANARY = "{ ref: <model reference>, weight: <percent 0-100> } (model: the endpoint it joins, when several are served)";
const SHADOW = "a model reference, or { ref, model }";

/** One model `keel serve` answers for: a reference, or `{ ref, name }`. */
const serveModel = z.union([text(MODEL_REF), mapping({ ref: text(MODEL_REF), name: text().optional() })], { error: SERVE_MODEL });
const canaryEntry = mapping({ ref: text(MODEL_REF), weight: num({ min: 0, max: 100 }), model: text().optional() });
const shadowEntry = z.union([text(MODEL_REF), mapping({ ref: text(MODEL_REF), model: text().optional() })], { error: SHADOW });

/** The `serve:` block: what `keel serve` run in the project folder serves, and how (its flags override it). */
export const serveBlockSchema = mapping({
  models: z.array(serveModel, { error: `a list of ${SERVE_MODEL}` }).min(1, { error: `a non-empty list of ${SERVE_MODEL}` }).optional().describe("The models to serve, each under its name (default: models:/<name>@champion, this project's registered model)."),
  default: text().optional().describe("The model POST /invocations answers for (default: the first)."),
  host: text().optional().describe("The address to bind (default 127.0.0.1; anything but loopback needs API tokens)."),
  port: num({ integer: true, min: 0, max: 65535 }).optional().describe("The port (default 8080; 0 picks a free one)."),
  workers: num({ integer: true, min: 1, max: 256 }).optional().describe("Processes answering on the one port (default 1)."),
  canary: z.union([canaryEntry, z.array(canaryEntry)], { error: `${CANARY}, or a list of them` }).optional().describe("A canary version answering weight % of requests, sticky by the X-Keel-Key header; a list for several models."),
  shadow: z.union([shadowEntry, z.array(shadowEntry)], { error: `${SHADOW}, or a list of them` }).optional().describe("A shadow version: a copy of every request, never answers; its answers go to the prediction log."),
  hot_swap: bool().optional().describe("Follow aliases, latest and stages in the registry, swapping a moved version in (default true)."),
  poll_ms: num({ integer: true, min: 1 }).optional().describe("How often the registry is asked whether an alias moved, in ms (default 1000)."),
  batching: mapping({
    max_rows: num({ integer: true, min: 1 }).describe("Predict concurrent requests together once they hold this many rows."),
    max_wait_ms: num({ min: 0, max: 1000 }).describe("... or once the first of them has waited this long (ms)."),
  })
    .nullable()
    .optional()
    .describe("Micro-batching: requests to one model version arriving together are predicted in one call (default: off)."),
  log: mapping({
    enabled: bool().optional().describe("Keep a prediction log (default true)."),
    dir: text().optional().describe("The JSON-lines folder, relative to keel.yaml (default .keel/predictions; a PostgreSQL store logs to its tables)."),
    max_mb: num({ integer: true, min: 1 }).optional().describe("Start a new file past this size (default 100)."),
    retention_days: num({ integer: true, min: 0 }).optional().describe("Remove files older than this (default 30; 0 keeps all)."),
  })
    .optional()
    .describe("The prediction log."),
});

export type ServeBlock = z.output<typeof serveBlockSchema>;

const RANGE = "one of { float: [low, high] }, { int: [low, high] } (each with log: true or step: n), { categorical: [choices] }";

/** One parameter's range in a `tune:` space (checked further by `tune/`'s distributions). */
const spaceEntry = z.union(
  [
    z.strictObject({ float: z.tuple([num(), num()], { error: "[low, high]" }), log: bool().optional(), step: num({ min: 0, exclusiveMin: true }).optional() }),
    z.strictObject({ int: z.tuple([num({ integer: true }), num({ integer: true })], { error: "[low, high] integers" }), log: bool().optional(), step: num({ integer: true, min: 1 }).optional() }),
    z.strictObject({ categorical: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()], { error: "a string, number, boolean or null" }), { error: "a list of choices" }).min(1, { error: "a non-empty list of choices" }) }),
  ],
  { error: RANGE },
);

const SPEC = "a mapping with a name, e.g. { name: tpe, seed: 1 }";
/** A sampler or pruner as data (`{ name: tpe, seed: 1 }`); `tune/` checks its fields. */
const namedSpec = z.looseObject({ name: text(SPEC) }, { error: SPEC });

/** `tune: { gbdt: { space: {...}, trials: 50 } }`: the candidates to tune and how. */
const tuneEntry = mapping({
  space: z.record(z.string(), spaceEntry, { error: "a mapping of parameter → range" }).describe(`The parameters to search, each ${RANGE}.`),
  sampler: namedSpec.optional().describe("The sampler: { name: tpe | random | grid, seed?, ... } (default tpe, seeded with split.seed)."),
  pruner: namedSpec.optional().describe("The pruner, judging the running mean after each fold: { name: median | percentile | successive-halving | hyperband | none, ... } (default median)."),
  trials: num({ integer: true, min: 1 }).optional().describe("Trials to run (default 50)."),
  timeout: duration().optional().describe("Start no trial after this long (default none)."),
});

/** `retrain:` — when `keel retrain --if-triggered` retrains, on what data, and how a challenger reaches @champion (`monitor/retrain`). */
const retrainSchema = mapping({
  triggers: mapping({
    drift_share: num({ min: 0, max: 1 }).optional().describe("Retrain when a stored monitoring window's drift share (share of drifted input columns) is above this."),
    performance_drop: num({ min: 0 }).optional().describe("Retrain when the live primary metric from delayed labels is worse than @champion's test value by more than this, in the metric's units."),
    schedule: duration().optional().describe("Retrain when the newest version of the model is older than this."),
    since: duration().optional().describe("How far back the stored monitoring windows are read for drift_share and performance_drop (default 1d)."),
  })
    .optional()
    .describe("What fires `keel retrain --if-triggered` (any one suffices; none given: never triggered)."),
  data: text().optional().describe("The fresh data to retrain on, relative to keel.yaml (default data.source; `keel retrain --data` overrides both)."),
  shadow: mapping({
    requests: num({ integer: true, min: 0 }).optional().describe("Shadow answers the challenger must have given (logged beside the live ones) before promotion."),
    hours: num({ min: 0 }).optional().describe("Hours the challenger must have been in shadow before promotion."),
  })
    .nullable()
    .optional()
    .describe("The shadow phase between registration as @challenger and promotion; every bound given must be reached (default requests: 100; null: promote on the gates alone)."),
  auto_promote: bool().optional().describe("Move @champion when the gates pass and the shadow phase is over (true, the default), or only report that `keel promote` may (false)."),
}).describe("The retraining loop `keel retrain` runs: triggers, fresh data, shadow phase, promotion.");

/** keel.yaml, as written (before the defaults that depend on the task are filled in). */
export const keelYamlSchema = mapping({
  name: text().describe("The project's name: the experiment its runs go under and the registered model's name."),
  problem: mapping({
    task: z.enum(TASKS as [ProjectTask, ...ProjectTask[]], { error: `one of ${TASKS.join(" | ")}` }).describe("What the target is: two classes, more classes, or a number."),
    target: text().describe("The column to predict."),
    positive: text().nullable().optional().describe("The class of interest (binary tasks only); binary metrics such as F1 score it."),
    metric: text().optional().describe("The primary metric, a scikit-learn scorer name (default: roc_auc for binary, f1_macro for multiclass, rmse for regression)."),
    guards: names("metric").optional().describe("Metrics also reported, never traded away silently."),
    good_enough: num().nullable().optional().describe("The bar the chosen model must reach on the held-out test set, in the primary metric."),
    register_failing: bool().optional().describe("A model below good_enough or not beating the baseline is still registered, without @challenger (true, the default), or not at all (false)."),
    protected: names("column").optional().describe("Columns whose groups get their own metrics (subgroups; numeric ones binned)."),
    why: text().nullable().optional().describe("What decision this model serves, in one sentence (the runs' hypothesis)."),
    threshold: thresholdRule
      .nullable()
      .optional()
      .describe("Binary tasks: the probability of the positive class from which a row is labelled positive — fixed (0.3), the one of least cost on out-of-fold predictions of the training rows ({ by: cost, fp: 1, fn: 5 }), or the one maximising a metric there ({ by: f1 }). Saved with the model; keel predict and serving label rows with it (default: the more probable class)."),
    calibration: z
      .enum(CALIBRATIONS, { error: `one of ${CALIBRATIONS.join(" | ")}` })
      .optional()
      .describe("Classification: calibrate the chosen model's probabilities by cross-fitting on the training folds — sigmoid (Platt) or isotonic, as scikit-learn's CalibratedClassifierCV — or none (the default)."),
  }).describe("The problem: task, target, metrics and the bar to reach."),
  data: mapping({
    source: text().describe("A data file relative to keel.yaml (csv, tsv, parquet, json, ndjson, arrow), or `sql: <query>` over files."),
    drop: names("column").optional().describe("Columns left out of the features: identifiers and leaks."),
    time: text().nullable().optional().describe("A datetime (or numeric) column: the split and cross-validation become time-ordered."),
    types: z
      .record(z.string(), columnType, { error: "a mapping of column → type, e.g. { zip: categorical, notes: text, sold: { datetime: \"%d/%m/%Y\" } }" })
      .optional()
      .describe("Column types, where reading the data would guess wrong: numeric, categorical, text, datetime, or { datetime: <strptime format> }. `keel init --categorical/--text` record theirs here."),
    allow_leaks: names("column").optional().describe("Columns kept even when profiling flags them as target-leak suspects."),
  }).describe("Where the data is and how its columns are read."),
  split: mapping({
    test: num({ min: 0, max: 1, exclusiveMin: true, exclusiveMax: true }).optional().describe("Share of rows sealed as the test set (default 0.2)."),
    stratify: bool().optional().describe("Keep class shares equal in train and test (default: true for classification)."),
    gap: z
      .union([num({ integer: true, min: 0 }), z.string().regex(DURATION_PATTERN, { error: GAP })], { error: GAP })
      .nullable()
      .optional()
      .describe("Time splits: left out between training and test, in rows or (datetime time column) a duration such as 7d (default none)."),
    group: text().nullable().optional().describe("A column whose groups (a customer, a patient) never straddle train and test, nor two folds."),
    seed: num({ integer: true, min: 0 }).optional().describe("Seed of the split, the folds and every random step (default 42)."),
  })
    .optional()
    .describe("How the test set is split off."),
  cv: mapping({
    folds: num({ integer: true, min: 2, max: 100 }).optional().describe("Folds of cross-validation (default 5)."),
    shuffle: bool().optional().describe("Shuffle rows (with split.seed) before cutting folds (default true; time-ordered data is never shuffled)."),
    repeats: num({ integer: true, min: 1, max: 100 }).optional().describe("Repeated k-fold: cut the folds this many times with different shuffles (default 1)."),
  })
    .optional()
    .describe("Cross-validation of the candidates on the training rows."),
  bias: mapping({
    max_class_imbalance: num({ min: 0, max: 1 }).nullable().optional().describe("Stop keel run when a group (of 30 rows or more) of a protected column has |class imbalance| = |n_rest − n_group| / n above this (default none: report only)."),
    max_dpl: num({ min: 0 }).nullable().optional().describe("Stop keel run when a group (of 30 rows or more) of a protected column has |DPL| (the rest's positive-label rate minus the group's; label mean for regression) above this (default none: report only)."),
  })
    .optional()
    .describe("Pre-training bias bounds on problem.protected, checked on the data before any model is fitted (SageMaker Clarify's CI and DPL, each group against the rest)."),
  models: z
    .array(modelEntry, { error: "a non-empty list of models, e.g. [baseline, logistic, gbdt]" })
    .min(1, { error: "a non-empty list of models, e.g. [baseline, logistic, gbdt]" })
    .optional()
    .describe("Candidate models, simplest first: catalog names, optionally with parameters (default: baseline, a linear model, forest, gbdt)."),
  gates: gatesSchema.optional(),
  monitor: mapping({
    model: text().regex(/^models:\//i, { error: "a registered version, models:/<name>@<alias>" }).optional().describe("The served version to watch (default models:/<name>@champion)."),
    since: duration().optional().describe("The period each check looks back over (default 1h)."),
    log: text().nullable().optional().describe("File fired alerts are appended to as JSON lines, relative to keel.yaml (default .keel/alerts.jsonl; null for none)."),
    webhook: z.string({ error: "an http(s) URL" }).regex(/^https?:\/\/\S+$/, { error: "an http(s) URL" }).nullable().optional().describe("URL fired alerts are POSTed to as JSON."),
    rules: z.array(alertRule, { error: "a list of rules, e.g. [{ measure: drift_share, above: 0.3 }]" }).min(1, { error: "a list of rules, e.g. [{ measure: drift_share, above: 0.3 }]" }).describe("Alert rules: a measure and a threshold (above or below)."),
    columns: z
      .record(
        z.string(),
        mapping({
          test: z.enum(DRIFT_TEST_NAMES, { error: `one of ${DRIFT_TEST_NAMES.join(" | ")}` }).optional().describe("The statistic that decides drift for this column (default: Evidently's choice by kind and reference size)."),
          threshold: num({ min: 0, exclusiveMin: true }).optional().describe("Its threshold: a p-value below it (ks, chi2) or a distance above it (wasserstein_norm, js, psi) means drift."),
        }),
        { error: "a mapping of column → { test, threshold }" },
      )
      .optional()
      .describe("Per-column drift test overrides, e.g. { Income: { test: psi, threshold: 0.2 } }, for `keel monitor watch` and `keel monitor drift --project`."),
  })
    .optional()
    .describe("Monitoring of the served model: the rules `keel monitor watch` checks and where alerts go."),
  serve: serveBlockSchema.optional().describe("What `keel serve` run in this folder serves, and how; its flags override this."),
  tune: z
    .record(z.string(), tuneEntry, { error: "a mapping of model name → { space, sampler, pruner, trials, timeout }" })
    .optional()
    .describe("Hyperparameter tuning inside cross-validation, by model name (one in models): the study's best parameters are the candidate's."),
  retrain: retrainSchema.optional(),
});

/** keel.yaml as the schema reads it. */
export type KeelYamlInput = z.input<typeof keelYamlSchema>;

/**
 * keel.yaml's JSON Schema (draft-07, which yaml-language-server and most editors read), generated
 * from `keelYamlSchema`.
 *
 * @example writeFileSync("keel.yaml.schema.json", JSON.stringify(keelYamlJsonSchema(), null, 2));
 */
export function keelYamlJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(keelYamlSchema, { target: "draft-7", io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, title: "keel.yaml", description: "Keel's project file: the problem framing every step of `keel run` reads.", ...rest };
}

/** Where the generated JSON Schema is kept in Keel's package, relative to its root. */
export const KEEL_YAML_SCHEMA_FILE = "schema/keel.yaml.schema.json";

/** keel.yaml's JSON Schema as the file Keel ships (`schema/keel.yaml.schema.json`): two-space JSON and a final newline. */
export function keelYamlJsonSchemaText(): string {
  return JSON.stringify(keelYamlJsonSchema(), null, 2) + "\n";
}

/** The absolute path of the JSON Schema file in Keel's package (from `src/` and `dist/` alike). */
export function keelYamlSchemaPath(): string {
  return fileURLToPath(new URL(`../../${KEEL_YAML_SCHEMA_FILE}`, import.meta.url));
}
