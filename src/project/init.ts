/**
 * `keel init`: a first keel.yaml written from a data file's profile — the task inferred from the
 * target, a primary metric suited to it (average precision for a rare positive class), a time
 * split when there is a datetime column, identifier-like columns dropped, and the profile's
 * warnings as comments for the person who reads it next.
 */
import path from "node:path";
import { InvalidInputError, show } from "../core/index.js";
import type { Frame } from "../data/index.js";
import type { Profile } from "../data/profile/index.js";
import { inferTask } from "../estimator/index.js";
import type { ProjectTask } from "./config.js";
import { keelYamlSchemaPath } from "./config-schema.js";

/** Column names that usually hold the thing to predict, in order of preference. */
const TARGET_NAMES = ["target", "label", "class", "y", "outcome", "churn", "status", "default"];
/** Column names that usually describe people in ways fairness reviews ask about. */
const PROTECTED = /^(age|sex|gender|race|ethnicity|ethnic_group|marital|marital_status|religion|nationality|disability)$/i;

/** The target: the one given, or a column named like a target; otherwise an error listing the columns. */
export function chooseTarget(frame: Frame, given?: string): string {
  if (given !== undefined) {
    if (!frame.has(given)) throw new InvalidInputError(`target column ${show(given)} is not in the data; the columns are ${show(frame.names, 300)}`, { path: "--target", expected: `one of ${frame.names.join(", ")}`, received: given });
    return given;
  }
  for (const want of TARGET_NAMES) {
    const hit = frame.names.find((n) => n.toLowerCase() === want);
    if (hit) return hit;
  }
  throw new InvalidInputError(`which column should be predicted? pass --target; the columns are ${show(frame.names, 300)}`, { path: "--target", expected: "a column name" });
}

export interface InitOptions {
  /** Path of the data file as keel.yaml should refer to it (relative to the keel.yaml folder). */
  source: string;
  target: string;
  /** Project name (default: the data file's base name). */
  name?: string;
  /** Column types given on the command line (`--categorical`, `--text`): recorded under data.types. */
  types?: Readonly<Record<string, "numeric" | "categorical" | "text" | "datetime">>;
  /** The folder keel.yaml is written to (default: the working directory): the schema line's path is relative to it. */
  dir?: string;
}

/**
 * The first line of a keel.yaml: `# yaml-language-server: $schema=<path>`, the path of Keel's
 * JSON Schema for keel.yaml relative to `dir`, so editors complete and check the file.
 */
export function schemaLine(dir = "."): string {
  const rel = path.relative(path.resolve(dir), keelYamlSchemaPath()).split(path.sep).join("/");
  return `# yaml-language-server: $schema=${rel}`;
}

/** The keel.yaml text for a profiled frame. */
export function initProjectYaml(frame: Frame, profile: Profile, options: InitOptions): string {
  const target = options.target;
  const inferred = inferTask(frame, target);
  const task: ProjectTask = inferred.task === "regression" ? "regression" : inferred.binary ? "binary" : "multiclass";
  const classes = profile.target?.classes ?? null;
  const minority = classes && classes.length === 2 ? classes[classes.length - 1] : null;
  const rare = profile.target?.imbalanced ?? false;
  const metric = task === "binary" ? (rare ? "average_precision" : "roc_auc") : task === "multiclass" ? "f1_macro" : "rmse";
  const guards = task === "binary" ? [rare ? "roc_auc" : "f1", "log_loss"] : task === "multiclass" ? ["accuracy", "log_loss"] : ["mae", "r2"];
  const ids = profile.warnings.filter((w) => w.code === "ID_LIKE" && w.column && w.column !== target).map((w) => w.column!);
  const leaks = profile.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT" && w.column).map((w) => w.column!);
  const time = frame.names.find((n) => n !== target && frame.kind(n) === "datetime") ?? null;
  const protectedCols = frame.names.filter((n) => n !== target && PROTECTED.test(n));
  const name = (options.name ?? path.basename(options.source).replace(/\.[^.]+$/, "")).replace(/[^A-Za-z0-9_.-]+/g, "-") || "project";
  // quote anything YAML could read as another type (yes/no/null/true, numbers) or that needs escaping
  const q = (s: string) => (/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(s) ? s : JSON.stringify(s));
  const list = (xs: string[]) => `[${xs.map(q).join(", ")}]`;

  const L: string[] = [schemaLine(options.dir)];
  L.push(`# keel.yaml — the problem framing every step of \`keel run\` reads.`);
  L.push(`# Written by \`keel init\` from ${profile.rows.toLocaleString("en-US")} rows × ${profile.columns.length} columns; edit it, then run \`keel run\`.`);
  if (profile.warnings.length > 0) {
    L.push("#", "# What the profile found:");
    for (const w of profile.warnings) L.push(`#   ${w.code}: ${w.message}`);
  }
  L.push("", `name: ${q(name)}`, "problem:");
  L.push(`  task: ${task}${" ".repeat(Math.max(1, 22 - task.length))}# binary | multiclass | regression (inferred from ${q(target)})`);
  L.push(`  target: ${q(target)}`);
  if (task === "binary" && minority) L.push(`  positive: ${q(String(minority.value))}${" ".repeat(Math.max(1, 18 - String(minority.value).length))}# the class of interest (here the rarer one: ${(100 * minority.fraction).toFixed(1)}% of rows)`);
  const why =
    task === "binary" && rare ? "the positive class is rare: average precision shows how well it is found, ROC AUC would flatter" :
    task === "binary" ? "ranks positives above negatives, whatever threshold is used later" :
    task === "multiclass" ? "every class counts alike, however rare" : "in the target's own units; large errors weigh more";
  L.push(`  metric: ${metric}${" ".repeat(Math.max(1, 20 - metric.length))}# ${why}`);
  L.push(`  guards: ${list(guards)}${" ".repeat(Math.max(1, 20 - list(guards).length))}# also reported, never traded away silently`);
  L.push(`  good_enough: null            # the bar the chosen model must reach on the test set (${metric}); set it`);
  L.push(`  protected: ${list(protectedCols)}${protectedCols.length ? "  # subgroup metrics for each (numeric ones binned)" : "  # columns whose groups need their own metrics (e.g. age, sex)"}`);
  L.push(`  why: null                    # what decision this model serves, in one sentence`);
  L.push("data:");
  L.push(`  source: ${q(options.source)}`);
  const types = Object.entries(options.types ?? {});
  if (types.length > 0) L.push(`  types: { ${types.map(([c, t]) => `${q(c)}: ${t}`).join(", ")} }  # as read; numeric, categorical, text, datetime or { datetime: "%d/%m/%Y" }`);
  L.push(`  drop: ${list(ids)}${ids.length ? "  # identifier-like: every value distinct" : ""}`);
  if (leaks.length) L.push(`  # target leak suspects (a single column predicts ${q(target)} almost perfectly): ${leaks.join(", ")} — drop them or list them under allow_leaks`);
  L.push(`  time: ${time ? q(time) : "null"}${time ? "  # a datetime column: the split and CV are time-ordered (no peeking at the future)" : ""}`);
  L.push(`split: { test: 0.2, stratify: ${task !== "regression" && !time}, gap: ${time ? 0 : "null"}, seed: 42 }`);
  L.push("cv: { folds: 5 }");
  L.push(`models: [baseline, ${task === "regression" ? "ridge" : "logistic"}, forest, gbdt]   # baseline = dummy + the simplest sound model`);
  return L.join("\n") + "\n";
}
