/**
 * `keel.yaml`: the one-page problem framing every later step reads. Parsed with line positions
 * kept, so each problem (unknown key, wrong type, a target not in the data) names its line.
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from "yaml";
import { InvalidInputError, NotFoundError, type Problem, show } from "../core/errors.js";
import type { Json } from "../core/observe.js";

export type ProjectTask = "binary" | "multiclass" | "regression";

/** A model entry: a catalog name and optional parameters (`gbdt` or `{ gbdt: { maxLeaves: 63 } }`). */
export interface ModelEntry {
  name: string;
  params: Record<string, Json>;
}

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
  };
  data: {
    /** A file (csv / tsv / parquet / json / ndjson / arrow), or `sql: <query over files>`. */
    source: string;
    /** Identifiers and leaks excluded from features. */
    drop: string[];
    /** A datetime column: time-ordered split and CV instead of random. */
    time: string | null;
    /** Columns read as categorical whatever their values look like. */
    categorical: string[];
    /** Columns kept even when profiling flags them as target-leak suspects. */
    allow_leaks: string[];
  };
  split: { test: number; stratify: boolean; gap: number | null; seed: number };
  cv: { folds: number };
  models: ModelEntry[];
}

const TASKS: readonly ProjectTask[] = ["binary", "multiclass", "regression"];

type Shape =
  | { type: "string"; optional?: boolean; nullable?: boolean }
  | { type: "number"; optional?: boolean; nullable?: boolean; min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean; exclusiveMax?: boolean }
  | { type: "boolean"; optional?: boolean }
  | { type: "enum"; values: readonly string[]; optional?: boolean }
  | { type: "stringList"; optional?: boolean }
  | { type: "object"; fields: Record<string, Shape>; optional?: boolean }
  | { type: "models"; optional?: boolean };

const SHAPE: Record<string, Shape> = {
  name: { type: "string" },
  problem: {
    type: "object",
    fields: {
      task: { type: "enum", values: TASKS },
      target: { type: "string" },
      positive: { type: "string", optional: true, nullable: true },
      metric: { type: "string", optional: true },
      guards: { type: "stringList", optional: true },
      good_enough: { type: "number", optional: true, nullable: true },
      register_failing: { type: "boolean", optional: true },
      protected: { type: "stringList", optional: true },
      why: { type: "string", optional: true, nullable: true },
    },
  },
  data: {
    type: "object",
    fields: {
      source: { type: "string" },
      drop: { type: "stringList", optional: true },
      time: { type: "string", optional: true, nullable: true },
      categorical: { type: "stringList", optional: true },
      allow_leaks: { type: "stringList", optional: true },
    },
  },
  split: {
    type: "object",
    optional: true,
    fields: {
      test: { type: "number", optional: true, min: 0, max: 1, exclusiveMin: true, exclusiveMax: true },
      stratify: { type: "boolean", optional: true },
      gap: { type: "number", optional: true, nullable: true, min: 0, integer: true },
      seed: { type: "number", optional: true, integer: true, min: 0 },
    },
  },
  cv: { type: "object", optional: true, fields: { folds: { type: "number", optional: true, integer: true, min: 2, max: 100 } } },
  models: { type: "models", optional: true },
};

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

/**
 * Parse and validate keel.yaml text. Returns every problem at once; each problem's path is the
 * dotted key (`problem.task`) and its message starts with `file:line`.
 */
export function parseProjectText(text: string, file = "keel.yaml"): { config?: ProjectConfig; problems: Problem[]; locate: (p: string) => string } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: true });
  const locate = makeLocator(doc, lc, file);
  const problems: Problem[] = [];
  for (const err of doc.errors) {
    const pos = err.linePos?.[0];
    problems.push({ code: "INVALID_INPUT", path: "", message: `${file}:${pos?.line ?? "?"}: YAML syntax error: ${err.message.split("\n")[0]}`, expected: "valid YAML" });
  }
  if (problems.length > 0) return { problems, locate };
  const raw = doc.toJS() as unknown;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    problems.push({ code: "INVALID_INPUT", path: "", message: `${file}:1: the file must be a mapping of keys (name, problem, data, ...)`, expected: "a YAML mapping", received: raw });
    return { problems, locate };
  }
  checkObject(raw as Record<string, unknown>, SHAPE, "", problems, locate);
  if (problems.length > 0) return { problems, locate };
  const config = normalise(raw as Record<string, unknown>, problems, locate);
  return { config: problems.length === 0 ? config : undefined, problems, locate };
}

/** Read `<dir>/keel.yaml` (or the file given); throws INVALID_INPUT listing every problem. */
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
  c.data.categorical.forEach((col, i) => need(`data.categorical.${i}`, col));
  if (c.data.drop.includes(c.problem.target)) {
    problems.push({ code: "INVALID_INPUT", path: "data.drop", message: `${project.locate("data.drop")}: the target ${show(c.problem.target)} cannot be dropped`, expected: "feature columns only", received: c.problem.target });
  }
  return problems;
}

function checkObject(obj: Record<string, unknown>, fields: Record<string, Shape>, prefix: string, problems: Problem[], locate: (p: string) => string): void {
  for (const key of Object.keys(obj)) {
    const p = prefix ? `${prefix}.${key}` : key;
    if (!(key in fields)) {
      problems.push({ code: "INVALID_INPUT", path: p, message: `${locate(p)}: unknown key ${show(key)}${prefix ? ` in ${prefix}` : ""}; expected one of ${Object.keys(fields).join(", ")}`, expected: Object.keys(fields).join(", "), received: key });
    }
  }
  for (const [key, shape] of Object.entries(fields)) {
    const p = prefix ? `${prefix}.${key}` : key;
    const v = obj[key];
    if (v === undefined) {
      if (!shape.optional) problems.push({ code: "INVALID_INPUT", path: p, message: `${locate(prefix || p)}: missing required key ${show(p)}`, expected: describeShape(shape) });
      continue;
    }
    checkValue(v, shape, p, problems, locate);
  }
}

function checkValue(v: unknown, shape: Shape, p: string, problems: Problem[], locate: (p: string) => string): void {
  const bad = (expected: string) => problems.push({ code: "INVALID_INPUT", path: p, message: `${locate(p)}: ${p} is ${show(v)}, expected ${expected}`, expected, received: v });
  if (v === null) {
    if (!("nullable" in shape && shape.nullable)) bad(describeShape(shape));
    return;
  }
  switch (shape.type) {
    case "string":
      if (typeof v !== "string" || v.trim() === "") bad("a non-empty string");
      return;
    case "boolean":
      if (typeof v !== "boolean") bad("true or false");
      return;
    case "enum":
      if (typeof v !== "string" || !shape.values.includes(v)) bad(`one of ${shape.values.join(" | ")}`);
      return;
    case "number": {
      const ok = typeof v === "number" && Number.isFinite(v) && (!shape.integer || Number.isInteger(v)) &&
        (shape.min === undefined || (shape.exclusiveMin ? v > shape.min : v >= shape.min)) &&
        (shape.max === undefined || (shape.exclusiveMax ? v < shape.max : v <= shape.max));
      if (!ok) bad(describeShape(shape));
      return;
    }
    case "stringList":
      if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) bad("a list of column or metric names, e.g. [a, b]");
      return;
    case "object":
      if (typeof v !== "object" || Array.isArray(v)) bad("a mapping");
      else checkObject(v as Record<string, unknown>, shape.fields, p, problems, locate);
      return;
    case "models":
      if (!Array.isArray(v) || v.length === 0) {
        bad("a non-empty list of models, e.g. [baseline, logistic, gbdt]");
        return;
      }
      v.forEach((m, i) => {
        const mp = `${p}.${i}`;
        const isEntry = typeof m === "string" || (m !== null && typeof m === "object" && !Array.isArray(m) && Object.keys(m).length === 1 && (Object.values(m)[0] === null || (typeof Object.values(m)[0] === "object" && !Array.isArray(Object.values(m)[0]))));
        if (!isEntry) problems.push({ code: "INVALID_INPUT", path: mp, message: `${locate(mp)}: models[${i}] is ${show(m)}, expected a model name or { name: { param: value } }`, expected: "a model name or { name: { params } }", received: m });
      });
      return;
  }
}

function describeShape(s: Shape): string {
  switch (s.type) {
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${s.values.join(" | ")}`;
    case "number": {
      const lo = s.min === undefined ? "" : `${s.exclusiveMin ? ">" : "≥"} ${s.min}`;
      const hi = s.max === undefined ? "" : `${s.exclusiveMax ? "<" : "≤"} ${s.max}`;
      return `${s.integer ? "an integer" : "a number"}${lo || hi ? " " + [lo, hi].filter(Boolean).join(" and ") : ""}`;
    }
    case "stringList":
      return "a list of strings";
    case "object":
      return "a mapping";
    case "models":
      return "a list of models";
  }
}

function normalise(raw: Record<string, unknown>, problems: Problem[], locate: (p: string) => string): ProjectConfig {
  const problem = raw.problem as Record<string, unknown>;
  const data = raw.data as Record<string, unknown>;
  const split = (raw.split ?? {}) as Record<string, unknown>;
  const cv = (raw.cv ?? {}) as Record<string, unknown>;
  const task = problem.task as ProjectTask;
  const models: ModelEntry[] = ((raw.models as unknown[] | undefined) ?? ["baseline", task === "regression" ? "ridge" : "logistic", "forest", "gbdt"]).map((m) =>
    typeof m === "string" ? { name: m, params: {} } : { name: Object.keys(m as object)[0], params: ((Object.values(m as object)[0] ?? {}) as Record<string, Json>) },
  );
  const seen = new Set<string>();
  models.forEach((m, i) => {
    const key = `${m.name}:${JSON.stringify(m.params)}`;
    if (seen.has(key)) problems.push({ code: "INVALID_INPUT", path: `models.${i}`, message: `${locate(`models.${i}`)}: model ${show(m.name)} is listed twice with the same parameters`, received: m.name });
    seen.add(key);
  });
  if (task !== "binary" && problem.positive != null) {
    problems.push({ code: "INVALID_INPUT", path: "problem.positive", message: `${locate("problem.positive")}: problem.positive only applies to task: binary (task is ${task})`, expected: "no positive class", received: problem.positive });
  }
  return {
    name: raw.name as string,
    problem: {
      task,
      target: problem.target as string,
      positive: (problem.positive as string | null | undefined) ?? null,
      metric: (problem.metric as string | undefined) ?? DEFAULT_METRIC[task],
      guards: (problem.guards as string[] | undefined) ?? [],
      good_enough: (problem.good_enough as number | null | undefined) ?? null,
      register_failing: (problem.register_failing as boolean | undefined) ?? true,
      protected: (problem.protected as string[] | undefined) ?? [],
      why: (problem.why as string | null | undefined) ?? null,
    },
    data: {
      source: data.source as string,
      drop: (data.drop as string[] | undefined) ?? [],
      time: (data.time as string | null | undefined) ?? null,
      categorical: (data.categorical as string[] | undefined) ?? [],
      allow_leaks: (data.allow_leaks as string[] | undefined) ?? [],
    },
    split: {
      test: (split.test as number | undefined) ?? 0.2,
      stratify: (split.stratify as boolean | undefined) ?? task !== "regression",
      gap: (split.gap as number | null | undefined) ?? null,
      seed: (split.seed as number | undefined) ?? 42,
    },
    cv: { folds: (cv.folds as number | undefined) ?? 5 },
    models,
  };
}

function makeLocator(doc: Document, lc: LineCounter, file: string): (p: string) => string {
  return (dotted: string) => {
    const parts = dotted === "" ? [] : dotted.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    for (let n = parts.length; n >= 0; n--) {
      const sub = parts.slice(0, n);
      const node = (n === 0 ? doc.contents : doc.getIn(sub, true)) as Node | null | undefined;
      // prefer the key's position for mappings (the line the user wrote the key on)
      const keyPos = n > 0 ? keyRange(doc, sub) : undefined;
      const range = keyPos ?? (node && (isMap(node) || isSeq(node) || isScalar(node)) ? node.range : undefined);
      if (range) return `${file}:${lc.linePos(range[0]).line}`;
    }
    return `${file}:1`;
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
