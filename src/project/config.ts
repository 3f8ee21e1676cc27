/**
 * `keel.yaml`: the one-page problem framing every later step reads. Parsed with line positions
 * kept and validated by the Zod schema in `config-schema.ts`, so each problem (unknown key, wrong
 * type, a target not in the data) names its line and column.
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from "yaml";
import type { z } from "zod";
import { InvalidInputError, NotFoundError, type Problem, show, type Json } from "../core/index.js";
import { DEFAULT_GATES, type GatesConfig } from "../registry/index.js";
import { type ALERT_MEASURE_NAMES, type ColumnType, type DRIFT_TEST_NAMES, keelYamlSchema, type ProjectTask, type ServeBlock } from "./config-schema.js";
import type { ThresholdMetric } from "../metrics/index.js";
import { type PrunerSpec, createPruner } from "../tune/pruners/index.js";
import { type SamplerSpec, createSampler } from "../tune/samplers/index.js";
import { type SpaceEntry, spaceDistributions } from "../tune/index.js";

export type { ColumnType, ProjectTask, ServeBlock } from "./config-schema.js";

/** A declared column type: the kind, and for a datetime its strptime format (null: inferred). */
export interface ColumnTypeDecl {
  kind: ColumnType;
  format: string | null;
}

/** A model entry: a catalog name and optional parameters (`gbdt` or `{ gbdt: { maxLeaves: 63 } }`). */
export interface ModelEntry {
  name: string;
  params: Record<string, Json>;
}

/** `problem.threshold`: a fixed probability, the least costly threshold, or the one maximising a metric. */
export type ThresholdRule = { by: "fixed"; value: number } | { by: "cost"; fp: number; fn: number } | { by: ThresholdMetric };

/** keel.yaml after validation, with every default filled in (the schema is `project/config-schema.ts`). */
export interface ProjectConfig {
  name: string;
  problem: {
    task: ProjectTask;
    target: string;
    /** The class of interest (binary). */
    positive: string | null;
    /** Primary metric, a scikit-learn scorer name. */
    metric: string;
    /** Also reported, never traded away silently. */
    guards: string[];
    /** The bar the chosen model must reach on the held-out test set (primary metric). */
    good_enough: number | null;
    /** A model below good_enough or not beating the baseline: registered without @challenger (true) or not at all (false). */
    register_failing: boolean;
    /** Columns whose groups get subgroup metrics (numeric ones binned). */
    protected: string[];
    why: string | null;
    /** How the decision threshold is chosen (binary tasks); null: the more probable class. */
    threshold: ThresholdRule | null;
    /** Calibration of the chosen model's probabilities. */
    calibration: "sigmoid" | "isotonic" | "none";
  };
  data: {
    /** A file (csv / tsv / parquet / json / ndjson / arrow), or `sql: <query over files>`. */
    source: string;
    /** Identifiers and leaks excluded from features. */
    drop: string[];
    /** A datetime column: time-ordered split and CV instead of random. */
    time: string | null;
    /** Declared column types (`types:`), by column. */
    types: Record<string, ColumnTypeDecl>;
    /** Columns kept even when profiling flags them as target-leak suspects. */
    allow_leaks: string[];
  };
  split: {
    test: number;
    stratify: boolean;
    /** Time splits: rows, or a duration such as "7d" for a datetime time column. */
    gap: number | string | null;
    seed: number;
    /** A column whose groups never straddle train and test, nor two folds. */
    group: string | null;
  };
  /** `shuffle` defaults to true without `data.time`; time-ordered folds are never shuffled. */
  cv: { folds: number; shuffle: boolean; repeats: number };
  /** Pre-training bias bounds on `problem.protected` that stop `keel run` (null: report only). */
  bias: { max_class_imbalance: number | null; max_dpl: number | null };
  models: ModelEntry[];
  /** Promotion gates (`gates:`), defaults filled in; `problem.good_enough` is the minimum-metric gate. */
  gates: GatesConfig;
  /** The rules `keel monitor watch` checks; null without a `monitor:` block. */
  monitor: {
    model: string;
    since: string;
    /** Relative to keel.yaml; null for none. */
    log: string | null;
    webhook: string | null;
    rules: { name?: string; measure: (typeof ALERT_MEASURE_NAMES)[number]; above?: number; below?: number }[];
    /** Per-column drift test overrides (`monitor.columns`). */
    columns: Record<string, { test?: (typeof DRIFT_TEST_NAMES)[number]; threshold?: number }>;
  } | null;
  /** The `serve:` block as written (`keel serve` fills its defaults), or null. */
  serve: ServeBlock | null;
  /** `tune:` — by model name, the space to search inside cross-validation and the study's settings. */
  tune: Record<string, TuneConfig>;
  /** The retraining loop (`retrain:`), defaults filled in (present without the block: `keel retrain` still runs). */
  retrain: RetrainConfig;
}

/** One model's tuning (`tune.<model>`); sampler and pruner null mean the defaults. */
export interface TuneConfig {
  space: Record<string, SpaceEntry>;
  sampler: SamplerSpec | null;
  pruner: PrunerSpec | null;
  trials: number;
  /** A duration such as "10min"; null: no time limit. */
  timeout: string | null;
}

/** `retrain:` with its defaults. */
export interface RetrainConfig {
  triggers: { drift_share: number | null; performance_drop: number | null; schedule: string | null; since: string };
  /** Fresh data relative to keel.yaml; null: data.source. */
  data: string | null;
  /** Null: no shadow phase. */
  shadow: { requests: number | null; hours: number | null } | null;
  auto_promote: boolean;
}

/** Default primary metric per task. */
export const DEFAULT_METRIC: Record<ProjectTask, string> = { binary: "roc_auc", multiclass: "f1_macro", regression: "rmse" };


/** A parsed project: the config, where it came from, and how to find a key's line. */
export interface Project {
  dir: string;
  file: string;
  config: ProjectConfig;
  /** The raw text (its hash is part of cache keys). */
  text: string;
  /** "keel.yaml:12" for a dotted path (or the nearest parent that exists). */
  locate(pathInConfig: string): string;
}

/** A keel.yaml problem, with where it is (1-based line and column of the key or value). */
export interface ConfigProblem extends Problem {
  readonly line: number;
  readonly column: number;
}

/** 1-based line and column of a dotted path in the file (or of the nearest parent that exists). */
export type Positioner = (pathInConfig: string) => { line: number; column: number };

/**
 * Parse and validate keel.yaml text. Returns every problem at once; each problem's path is the
 * dotted key (`problem.task`), it carries the line and column, and its message starts with
 * `file:line`.
 *
 * @example
 * const { config, problems } = parseProjectText(readFileSync("keel.yaml", "utf8"));
 * for (const p of problems) console.error(p.message); // keel.yaml:16: cv.folds is 1, expected an integer ≥ 2 and ≤ 100
 */
export function parseProjectText(text: string, file = "keel.yaml"): { config?: ProjectConfig; problems: ConfigProblem[]; locate: (p: string) => string } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true });
  const position = makePositioner(doc, lc);
  const locate = (p: string) => `${file}:${position(p).line}`;
  const problems: ConfigProblem[] = [];
  for (const err of doc.errors) {
    const pos = err.linePos?.[0];
    problems.push({ code: "INVALID_INPUT", path: "", message: `${file}:${pos?.line ?? "?"}: YAML syntax error: ${err.message.split("\n")[0]}`, expected: "valid YAML", line: pos?.line ?? 1, column: pos?.col ?? 1 });
  }
  if (problems.length > 0) return { problems, locate };
  const raw = doc.toJS() as unknown;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({ code: "INVALID_INPUT", path: "", message: `${file}:1: the file must be a mapping of keys (name, problem, data, ...)`, expected: "a YAML mapping", received: raw, line: 1, column: 1 });
    return { problems, locate };
  }
  const parsed = keelYamlSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...describeIssue(issue, raw, file, position));
    return { problems, locate };
  }
  const config = normalise(parsed.data);
  problems.push(...crossChecks(config, parsed.data, file, position));
  return { config: problems.length === 0 ? config : undefined, problems, locate };
}

/**
 * Read `<dir>/keel.yaml` (or the file given); throws INVALID_INPUT listing every problem.
 * @example
 * ```ts
 * const project = loadProject("examples/credit");
 * console.log(project.config.problem.target, project.config.problem.metric);
 * ```
 */
export function loadProject(dirOrFile = "."): Project {
  const file = dirOrFile.endsWith(".yaml") || dirOrFile.endsWith(".yml") ? dirOrFile : path.join(dirOrFile, "keel.yaml");
  if (!existsSync(file)) {
    throw new NotFoundError(`no keel.yaml at ${show(file)}; create one with \`keel init <data-file> --target <column>\``, { path: file, expected: "a keel.yaml file" });
  }
  const text = readFileSync(file, "utf8");
  const rel = path.relative(process.cwd(), file) || file;
  const { config, problems, locate } = parseProjectText(text, rel);
  if (!config) {
    throw new InvalidInputError(problems.length === 1 ? problems[0].message : `${rel} has ${problems.length} problems:\n${problems.map((p) => `  ${p.message}`).join("\n")}`, {
      path: problems[0]?.path,
      expected: problems[0]?.expected,
      received: problems[0]?.received,
      problems,
    });
  }
  return { dir: path.dirname(path.resolve(file)), file: path.resolve(file), config, text, locate };
}

/** Check that the columns keel.yaml names exist in the data; problems carry their lines. */
export function checkColumns(project: Project, columns: readonly string[]): Problem[] {
  const have = new Set(columns);
  const problems: Problem[] = [];
  const c = project.config;
  const need = (p: string, col: string | null) => {
    if (col !== null && !have.has(col)) {
      problems.push({ code: "INVALID_INPUT", path: p, message: `${project.locate(p)}: column ${show(col)} is not in the data; columns are ${show([...columns], 300)}`, expected: "a column of the data", received: col });
    }
  };
  need("problem.target", c.problem.target);
  c.problem.protected.forEach((col, i) => need(`problem.protected.${i}`, col));
  c.data.drop.forEach((col, i) => need(`data.drop.${i}`, col));
  need("data.time", c.data.time);
  Object.keys(c.data.types).forEach((col) => need(`data.types.${col}`, col));
  need("split.group", c.split.group);
  c.gates.fairness.forEach((f, i) => f.columns?.forEach((col, j) => need(`gates.fairness.${i}.columns.${j}`, col)));
  if (c.data.drop.includes(c.problem.target)) {
    problems.push({ code: "INVALID_INPUT", path: "data.drop", message: `${project.locate("data.drop")}: the target ${show(c.problem.target)} cannot be dropped`, expected: "feature columns only", received: c.problem.target });
  }
  return problems;
}

/** Keys people write that live elsewhere: the unknown-key message says where. */
const MOVED: Readonly<Record<string, string>> = {
  "data.categorical": "column types are declared under data.types, e.g. types: { zip: categorical }",
  "data.text": "column types are declared under data.types, e.g. types: { notes: text }",
  "data.numeric": "column types are declared under data.types, e.g. types: { code: numeric }",
  "data.datetime": 'column types are declared under data.types, e.g. types: { sold: { datetime: "%d/%m/%Y" } }',
  "cv.group": "groups are declared once, as split.group: the test split and the folds keep them whole",
  "split.shuffle": "cv.shuffle shuffles the folds; the test split is always random without data.time",
};

/** `models.1` → `models[1]`, as the message shows a path. */
function shownPath(parts: readonly PropertyKey[]): string {
  return parts.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`)).join("");
}

/** The value at `parts` in `raw`, and whether its parent holds the key at all. */
function valueAt(raw: unknown, parts: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let v: unknown = raw;
  for (const k of parts) {
    if (v === null || typeof v !== "object" || !(k in (v as object))) return { present: false, value: undefined };
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return { present: true, value: v };
}

/** The keys a strict object of the schema allows at `parts` (unwrapping optional / nullable). */
function allowedKeys(parts: readonly PropertyKey[]): string[] {
  let s: z.ZodType = keelYamlSchema;
  const unwrap = (t: z.ZodType): z.ZodType => {
    const def = (t as unknown as { def: { type: string; innerType?: z.ZodType } }).def;
    return (def.type === "optional" || def.type === "nullable" || def.type === "default") && def.innerType ? unwrap(def.innerType) : t;
  };
  for (const k of parts) {
    const shape = (unwrap(s) as unknown as { shape?: Record<string, z.ZodType> }).shape;
    if (!shape || !(String(k) in shape)) return [];
    s = shape[String(k)];
  }
  return Object.keys((unwrap(s) as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {});
}

/** One Zod issue as keel.yaml problems: the key, the value, the expectation, the line. */
function describeIssue(issue: z.core.$ZodIssue, raw: unknown, file: string, position: Positioner): ConfigProblem[] {
  const parts = issue.path;
  const dotted = parts.map(String).join(".");
  const at = (p: string, message: string, rest: Omit<ConfigProblem, "code" | "path" | "message" | "line" | "column">): ConfigProblem => {
    const pos = position(p);
    return { code: "INVALID_INPUT", path: p, message: `${file}:${pos.line}: ${message}`, ...rest, line: pos.line, column: pos.column };
  };
  if (issue.code === "unrecognized_keys") {
    const allowed = allowedKeys(parts);
    return issue.keys.map((key) => {
      const p = dotted ? `${dotted}.${key}` : key;
      const hint = MOVED[p] ? ` (${MOVED[p]})` : "";
      return at(p, `unknown key ${show(key)}${dotted ? ` in ${shownPath(parts)}` : ""}; expected one of ${allowed.join(", ")}${hint}`, { expected: allowed.join(", "), received: key });
    });
  }
  const { present, value } = valueAt(raw, parts);
  if (!present) {
    const parent = parts.slice(0, -1).map(String).join(".");
    return [at(parent, `missing required key ${show(dotted)}`, { expected: issue.message })];
  }
  return [at(dotted, `${shownPath(parts)} is ${show(value)}, expected ${issue.message}`, { expected: issue.message, received: value })];
}

/**
 * Checks across keys: a positive class only for binary tasks, no model listed twice, and no
 * shuffled, repeated or grouped folds or a group split with time-ordered data.
 */
function crossChecks(c: ProjectConfig, written: z.output<typeof keelYamlSchema>, file: string, position: Positioner): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (p: string, message: string, rest: { expected?: string; received?: unknown }) => {
    const pos = position(p);
    out.push({ code: "INVALID_INPUT", path: p, message: `${file}:${pos.line}: ${message}`, ...rest, line: pos.line, column: pos.column });
  };
  if (c.problem.task !== "binary" && c.problem.positive !== null) {
    add("problem.positive", `problem.positive only applies to task: binary (task is ${c.problem.task})`, { expected: "no positive class", received: c.problem.positive });
  }
  if (c.problem.task !== "binary" && c.problem.threshold !== null) {
    add("problem.threshold", `problem.threshold only applies to task: binary (task is ${c.problem.task}); a ${c.problem.task} model takes the most probable class`, { expected: "no threshold", received: written.problem.threshold });
  }
  if (c.problem.task === "regression" && c.problem.calibration !== "none") {
    add("problem.calibration", `problem.calibration only applies to classification (task is regression)`, { expected: "none or absent", received: c.problem.calibration });
  }
  const seen = new Set<string>();
  c.models.forEach((m, i) => {
    const key = `${m.name}:${JSON.stringify(m.params)}`;
    if (seen.has(key)) add(`models.${i}`, `model ${show(m.name)} is listed twice with the same parameters`, { received: m.name });
    seen.add(key);
  });
  if (c.data.time !== null) {
    const why = `data.time is set (${show(c.data.time)}): the split and folds are time-ordered`;
    if (written.cv?.shuffle === true) add("cv.shuffle", `cv.shuffle cannot be true: ${why}, never shuffled`, { expected: "false or absent", received: true });
    if (c.cv.repeats > 1) add("cv.repeats", `cv.repeats cannot be ${c.cv.repeats}: ${why}, one way only`, { expected: "1 or absent", received: c.cv.repeats });
    if (c.split.group !== null) add("split.group", `split.group cannot be used with data.time: ${why}; drop one of them`, { expected: "null or absent", received: c.split.group });
  } else if (typeof c.split.gap === "string") {
    add("split.gap", `split.gap ${show(c.split.gap)} is a duration, which needs a datetime column in data.time`, { expected: "a row count, or data.time set", received: c.split.gap });
  }
  if ((c.bias.max_class_imbalance !== null || c.bias.max_dpl !== null) && c.problem.protected.length === 0) add("bias", "bias bounds need problem.protected: the columns whose groups they bound", { expected: "problem.protected with at least one column", received: c.bias });
  c.gates.fairness.forEach((f, i) => {
    if (f.min === null && f.max === null) add(`gates.fairness.${i}`, `fairness gate ${show(f.metric)} has no bound: give min (ratios, e.g. 0.8) or max (differences, e.g. 0.1)`, { expected: "min or max", received: f.metric });
  });
  for (const [model, t] of Object.entries(c.tune)) {
    if (model === "baseline" || !c.models.some((m) => m.name === model)) {
      add(`tune.${model}`, `tune.${model} names no candidate; tune a model listed in models (${c.models.map((m) => m.name).filter((n) => n !== "baseline").join(", ")})`, { expected: "a model in models", received: model });
      continue;
    }
    const check = (p: string, f: () => unknown) => {
      try {
        f();
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        add(e.path && e.path.startsWith(`tune.${model}`) ? e.path : p, e.message, { expected: e.expected, received: e.received });
      }
    };
    check(`tune.${model}.space`, () => spaceDistributions(t.space, `tune.${model}.space`));
    if (t.sampler) check(`tune.${model}.sampler`, () => createSampler(t.sampler!));
    if (t.pruner) check(`tune.${model}.pruner`, () => createPruner(t.pruner!));
  }
  if (c.split.group !== null && c.cv.repeats > 1) add("cv.repeats", `cv.repeats cannot be ${c.cv.repeats} with split.group: group folds are cut one way only`, { expected: "1 or absent", received: c.cv.repeats });
  return out;
}

/** The parsed file with every default filled in (some depend on the task). */
function normalise(raw: z.output<typeof keelYamlSchema>): ProjectConfig {
  const { problem, data } = raw;
  const split = raw.split ?? {};
  const cv = raw.cv ?? {};
  const task = problem.task;
  const models: ModelEntry[] = (raw.models ?? ["baseline", task === "regression" ? "ridge" : "logistic", "forest", "gbdt"]).map((m) =>
    typeof m === "string" ? { name: m, params: {} } : { name: Object.keys(m)[0], params: (Object.values(m)[0] ?? {}) as Record<string, Json> },
  );
  return {
    name: raw.name,
    problem: {
      task,
      target: problem.target,
      positive: problem.positive ?? null,
      metric: problem.metric ?? DEFAULT_METRIC[task],
      guards: problem.guards ?? [],
      good_enough: problem.good_enough ?? null,
      register_failing: problem.register_failing ?? true,
      protected: problem.protected ?? [],
      why: problem.why ?? null,
      threshold: problem.threshold === undefined || problem.threshold === null ? null : typeof problem.threshold === "number" ? { by: "fixed", value: problem.threshold } : (problem.threshold as ThresholdRule),
      calibration: problem.calibration ?? "none",
    },
    data: {
      source: data.source,
      drop: data.drop ?? [],
      time: data.time ?? null,
      types: Object.fromEntries(Object.entries(data.types ?? {}).map(([col, t]) => [col, typeof t === "string" ? { kind: t, format: null } : { kind: "datetime", format: t.datetime }])),
      allow_leaks: data.allow_leaks ?? [],
    },
    split: {
      test: split.test ?? 0.2,
      stratify: split.stratify ?? task !== "regression",
      gap: split.gap ?? null,
      seed: split.seed ?? 42,
      group: split.group ?? null,
    },
    cv: { folds: cv.folds ?? 5, shuffle: cv.shuffle ?? data.time == null, repeats: cv.repeats ?? 1 },
    bias: { max_class_imbalance: raw.bias?.max_class_imbalance ?? null, max_dpl: raw.bias?.max_dpl ?? null },
    models,
    tune: Object.fromEntries(
      Object.entries(raw.tune ?? {}).map(([m, t]) => [m, { space: t.space as Record<string, SpaceEntry>, sampler: (t.sampler ?? null) as SamplerSpec | null, pruner: (t.pruner ?? null) as PrunerSpec | null, trials: t.trials ?? 50, timeout: t.timeout ?? null }]),
    ),
    monitor: raw.monitor
      ? {
          model: raw.monitor.model ?? `models:/${raw.name}@champion`,
          since: raw.monitor.since ?? "1h",
          log: raw.monitor.log === undefined ? ".keel/alerts.jsonl" : raw.monitor.log,
          webhook: raw.monitor.webhook ?? null,
          rules: raw.monitor.rules,
          columns: raw.monitor.columns ?? {},
        }
      : null,
    gates: gatesOf(raw.gates),
    serve: raw.serve ?? null,
    retrain: retrainOf(raw.retrain),
  };
}

/** `retrain:` with its defaults: no triggers, data.source, a shadow phase of 100 requests, automatic promotion. */
function retrainOf(r: z.output<typeof keelYamlSchema>["retrain"]): RetrainConfig {
  const t = r?.triggers ?? {};
  const shadow = r?.shadow === null ? null : r?.shadow ? { requests: r.shadow.requests ?? null, hours: r.shadow.hours ?? null } : { requests: 100, hours: null };
  return {
    triggers: { drift_share: t.drift_share ?? null, performance_drop: t.performance_drop ?? null, schedule: t.schedule ?? null, since: t.since ?? "1d" },
    data: r?.data ?? null,
    shadow,
    auto_promote: r?.auto_promote ?? true,
  };
}

/** `gates:` with its defaults (`DEFAULT_GATES` when absent; `champion: null` turns that gate off). */
function gatesOf(g: z.output<typeof keelYamlSchema>["gates"]): GatesConfig {
  if (!g) return { ...DEFAULT_GATES };
  const champion = g.champion === null ? null : { max_drop: g.champion?.max_drop ?? 0, alpha: g.champion?.alpha ?? 0.05 };
  return {
    champion,
    fairness: (g.fairness ?? []).map((f) => ({ metric: f.metric, min: f.min ?? null, max: f.max ?? null, columns: f.columns ?? null })),
    latency: g.latency ? { p99_ms: g.latency.p99_ms, tolerance: g.latency.tolerance ?? 0.2, repeats: g.latency.repeats ?? 5, requests: g.latency.requests ?? 200 } : null,
    max_size_mb: g.max_size_mb ?? null,
    robustness: g.robustness ? { max_drop: g.robustness.max_drop ?? 0.05, noise: g.robustness.noise ?? 0.1, missing: g.robustness.missing ?? 0.1, unseen: g.robustness.unseen ?? 0.1, out_of_range: g.robustness.out_of_range ?? 0.1 } : null,
    data_checks: g.data_checks ?? true,
  };
}

/** Line and column of a dotted path: the key's position for a mapping entry, the item's for a list entry. */
function makePositioner(doc: Document, lc: LineCounter): Positioner {
  return (dotted: string) => {
    const parts = dotted === "" ? [] : dotted.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let n = parts.length; n >= 0; n--) {
      const sub = parts.slice(0, n);
      const node = (n === 0 ? doc.contents : doc.getIn(sub, true)) as Node | null | undefined;
      // prefer the key's position for mappings (the line the user wrote the key on)
      const keyPos = n > 0 ? keyRange(doc, sub) : undefined;
      const range = keyPos ?? (node && (isMap(node) || isSeq(node) || isScalar(node)) ? node.range : undefined);
      if (range) {
        const { line, col } = lc.linePos(range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  };
}

function keyRange(doc: Document, sub: (string | number)[]): [number, number, number] | undefined {
  const parent = (sub.length === 1 ? doc.contents : doc.getIn(sub.slice(0, -1), true)) as Node | null | undefined;
  const last = sub[sub.length - 1];
  if (parent && isMap(parent)) {
    for (const item of parent.items) {
      const k = item.key as Node | null;
      if (k && isScalar(k) && k.value === last && k.range) return k.range as [number, number, number];
    }
  }
  if (parent && isSeq(parent) && typeof last === "number") {
    const item = parent.items[last] as Node | undefined;
    if (item && (isScalar(item) || isMap(item) || isSeq(item)) && item.range) return item.range as [number, number, number];
  }
  return undefined;
}
