/**
 * `columns({...})` ("column-transformer"): send columns, chosen by name or by kind, through
 * their own transformer chains and put the outputs side by side, as scikit-learn's
 * `ColumnTransformer`:
 *
 * ```ts
 * columns({
 *   num: [{ kind: "numeric" }, simpleImputer({ strategy: "median" }), standardScaler()],
 *   cat: [["city", "plan"], oneHot({ handleUnknown: "ignore" })],
 *   remainder: "passthrough",
 * })
 * ```
 *
 * Selectors are resolved against the training frame at fit (kinds in frame order; the target is
 * never selected); a branch that selects nothing is skipped, as in scikit-learn. A branch with no
 * steps passes its columns through. Outputs are concatenated branch by branch, then the
 * remainder (columns no branch selected: passed through with `remainder: "passthrough"`, dropped
 * with "drop", the default). With `verboseNames` (default) output columns are named
 * `<branch>__<feature>` and remainder columns `remainder__<col>` (sklearn's
 * `verbose_feature_names_out`). Each branch is a "pipeline" saved as a child artifact; training
 * output keeps any branch's cross-fitting (see `fitTransform`).
 */
import { z } from "zod";
import { InvalidInputError, show, type Json } from "../core/index.js";
import { COLUMN_KINDS, type Column, type ColumnKind, Frame } from "../data/index.js";
import { defineEstimator, fittedFromArtifact, jsonParam, alignInput, inputSignature, type FitOptions, type ModelArtifact, type Signature, type SignatureColumn, type Spec, type SpecJson, type Transformer, isTransformer } from "../estimator/index.js";
import { checkUniqueNames, emptyFrame, frameColumns } from "./columnwise.js";
import { type StepInput, TransformerPipeline, checkSteps, transformerPipeline } from "./pipeline.js";
import { FEATURES_STATE_VERSION, StateReader } from "./state.js";
import { setTrainingOutput, takeTrainingOutput } from "./training-output.js";

/** A branch as stored in params. */
interface BranchJson {
  name: string;
  /** Column names, or null to select by `kinds`. */
  columns: string[] | null;
  kinds: ColumnKind[] | null;
  steps: SpecJson[];
}

/** A fitted branch: its selected columns, and its pipeline (null when it selected nothing). */
interface FittedBranch {
  name: string;
  columns: string[];
  fitted: TransformerPipeline | null;
}

function checkBranches(v: Json): string | null {
  const what = "a list of { name, columns | kinds, steps } branches";
  if (!Array.isArray(v)) return what;
  const names = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const b = v[i] as unknown as BranchJson;
    if (!b || typeof b !== "object" || typeof b.name !== "string" || b.name === "" || b.name === "remainder") return `${what} (branch ${i}: a non-empty name other than "remainder")`;
    if (names.has(b.name)) return `${what} (branch name ${show(b.name)} is used twice)`;
    names.add(b.name);
    const cols = b.columns;
    const kinds = b.kinds;
    const colsOk = cols === null || (Array.isArray(cols) && cols.every((c) => typeof c === "string"));
    const kindsOk = kinds === null || (Array.isArray(kinds) && kinds.every((k) => (COLUMN_KINDS as readonly string[]).includes(k)));
    if (!colsOk || !kindsOk || (cols === null) === (kinds === null)) return `${what} (branch ${show(b.name)}: give either columns (names) or kinds (${COLUMN_KINDS.join(", ")}))`;
    const stepsProblem = checkSteps(b.steps as unknown as Json);
    if (stepsProblem) return `${what} (branch ${show(b.name)}: steps must be ${stepsProblem})`;
  }
  return null;
}

function selectBranch(kind: string, b: BranchJson, data: Frame, target: string | undefined): string[] {
  if (b.columns) {
    for (const c of b.columns) {
      if (!data.has(c)) {
        throw new InvalidInputError(`${kind}: branch ${show(b.name)} selects column ${show(c)}, which is not in the data; columns are ${show(data.names, 200)}`, {
          path: `${kind}.branches.${b.name}`,
          expected: `one of ${data.names.join(", ")}`,
          received: c,
        });
      }
      if (c === target) throw new InvalidInputError(`${kind}: branch ${show(b.name)} selects the target column ${show(c)}`, { path: `${kind}.branches.${b.name}`, received: c });
    }
    return [...b.columns];
  }
  return data.names.filter((n) => n !== target && b.kinds!.includes(data.kind(n)));
}

/**
 * A fitted column transformer: each branch's fitted chain and the remainder columns, outputs side by side.
 * @example
 * ```ts
 * const ct = await columns({ num: [{ kind: "numeric" }, standardScaler()] }).fit(frame, { target: "Status" });
 * const features = ct.transform(frame);
 * ```
 */
export class ColumnTransformer implements Transformer {
  readonly spec: Spec;
  readonly signature: Signature;
  readonly featureNames: readonly string[];
  readonly branches: readonly FittedBranch[];
  private readonly inputs: SignatureColumn[];
  private readonly target: string | null;
  private readonly remainder: readonly string[];

  constructor(spec: Spec, inputs: SignatureColumn[], target: string | null, branches: FittedBranch[], remainder: string[]) {
    this.spec = spec;
    this.inputs = inputs;
    this.target = target;
    this.branches = branches;
    this.remainder = remainder;
    const names: string[] = [];
    for (const b of branches) if (b.fitted) names.push(...b.fitted.featureNames.map((f) => this.outName(b.name, f)));
    for (const c of remainder) names.push(this.outName("remainder", c));
    checkUniqueNames(spec.kind, names);
    this.featureNames = Object.freeze(names);
    this.signature = { inputs, output: { type: "frame", columns: frameColumns(this.assemble(emptyFrame(inputs), branches.map((b) => b.fitted?.transform(emptyFrame(inputs).select(b.columns)) ?? null))) } };
  }

  /** The input column each output feature comes from, in `featureNames` order. */
  get featureSources(): string[] {
    const sources: string[] = [];
    for (const b of this.branches) if (b.fitted) sources.push(...b.fitted.featureSources);
    sources.push(...this.remainder);
    return sources;
  }

  private outName(branch: string, feature: string): string {
    return this.spec.params.verboseNames ? `${branch}__${feature}` : feature;
  }

  /** Branch outputs (null for skipped branches) and the remainder side by side. */
  assemble(aligned: Frame, outputs: readonly (Frame | null)[]): Frame {
    const cols = new Map<string, Column>();
    this.branches.forEach((b, i) => {
      const out = outputs[i];
      if (!out) return;
      for (const f of out.names) cols.set(this.outName(b.name, f), out.column(f));
    });
    for (const c of this.remainder) cols.set(this.outName("remainder", c), aligned.column(c));
    return Frame.fromColumns(cols, aligned.nRows);
  }

  transform(data: Frame): Frame {
    const aligned = alignInput(this.inputs, data, { ignore: this.target === null ? [] : [this.target] });
    return this.assemble(aligned, this.branches.map((b) => b.fitted?.transform(aligned.select(b.columns)) ?? null));
  }

  save(): ModelArtifact {
    const children: Record<string, ModelArtifact> = {};
    this.branches.forEach((b, i) => {
      if (b.fitted) children[`branch${i}`] = b.fitted.save();
    });
    return {
      kind: this.spec.kind,
      params: this.spec.toJSON().params,
      signature: this.signature,
      state: {
        version: FEATURES_STATE_VERSION,
        target: this.target,
        branches: this.branches.map((b) => ({ name: b.name, columns: b.columns, fitted: b.fitted !== null })),
        remainder: [...this.remainder],
      },
      buffers: {},
      children,
    };
  }
}

async function fit(params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec<ColumnTransformer>): Promise<ColumnTransformer> {
  const target = options.target;
  const branchesJson = params.branches as unknown as BranchJson[];
  const used = new Set<string>();
  const fitted: FittedBranch[] = [];
  const training: ((() => Frame) | null)[] = [];
  let crossFitted = false;
  for (const b of branchesJson) {
    const selected = selectBranch(spec.kind, b, data, target);
    if (selected.length === 0) {
      fitted.push({ name: b.name, columns: [], fitted: null });
      training.push(null);
      continue;
    }
    for (const c of selected) used.add(c);
    const branchData = data.select(target && data.has(target) ? [...selected, target] : selected);
    const f = await transformerPipeline({ steps: b.steps as unknown as Json }).fit(branchData, { ...options, rng: options.rng?.fork(), validation: undefined });
    const special = takeTrainingOutput(f);
    crossFitted ||= special !== undefined;
    fitted.push({ name: b.name, columns: selected, fitted: f });
    training.push(() => (special ? special() : f.transform(branchData)));
  }
  const remainder = params.remainder === "passthrough" ? data.names.filter((n) => n !== target && !used.has(n)) : [];
  const ct = new ColumnTransformer(spec, inputSignature(data, target), target ?? null, fitted, remainder);
  if (crossFitted) {
    setTrainingOutput(ct, () => ct.assemble(alignInput(inputSignature(data, target), data, { ignore: target ? [target] : [] }), training.map((t) => (t ? t() : null))));
  }
  return ct;
}

/**
 * Spec factory for "column-transformer"; usually built with `columns({...})`.
 * @example
 * ```ts
 * const spec = columnTransformer({ branches: [{ name: "num", columns: null, kinds: ["numeric"], steps: [standardScaler().toJSON()] }], remainder: "passthrough" });
 * ```
 */
export const columnTransformer = defineEstimator<ColumnTransformer>({
  kind: "column-transformer",
  role: "transformer",
  doc: "Send columns (by name or kind) through separate transformer chains and join the outputs",
  schema: {
    branches: jsonParam(checkBranches).default([]).describe("[{ name, columns | kinds, steps }] in output order"),
    remainder: z.enum(["drop", "passthrough"]).default("drop").describe("what happens to columns no branch selects"),
    verboseNames: z.boolean().default(true).describe("prefix output names with the branch name (<branch>__<feature>)"),
  },
  fit,
  load(artifact, spec) {
    const r = new StateReader(artifact);
    const inputs = r.inputs();
    const raw = r.json("branches");
    const specBranches = spec.params.branches as unknown as BranchJson[];
    if (!Array.isArray(raw) || raw.length !== specBranches.length) throw r.corrupt("state.branches", raw, `${specBranches.length} branches`);
    const branches = raw.map((x, i): FittedBranch => {
      const b = x as { name?: unknown; columns?: unknown; fitted?: unknown };
      if (!b || b.name !== specBranches[i].name || !Array.isArray(b.columns) || !b.columns.every((c) => typeof c === "string") || typeof b.fitted !== "boolean") {
        throw r.corrupt(`state.branches[${i}]`, x, `branch ${show(specBranches[i].name)} { name, columns, fitted }`);
      }
      r.checkColumnsIn(`branches[${i}].columns`, b.columns as string[], inputs);
      let f: TransformerPipeline | null = null;
      if (b.fitted) {
        const child = fittedFromArtifact(r.child(`branch${i}`));
        if (!(child instanceof TransformerPipeline) || !isTransformer(child)) throw r.corrupt(`children.branch${i}`, child.spec.kind, "a pipeline");
        f = child;
      }
      return { name: b.name as string, columns: b.columns as string[], fitted: f };
    });
    const remainder = r.strings("remainder");
    r.checkColumnsIn("remainder", remainder, inputs);
    return new ColumnTransformer(spec, inputs, r.stringOrNull("target"), branches, remainder);
  },
});

/** How a branch picks its columns: names, or kinds. */
export type Selector = string | readonly string[] | { kind: ColumnKind | readonly ColumnKind[] };

/** A branch: its selector, then its transformer steps (none: pass the columns through). */
export type BranchInput = readonly [Selector, ...StepInput[]];

function stepJson(s: StepInput): SpecJson {
  return typeof (s as Spec).toJSON === "function" ? (s as Spec).toJSON() : { kind: (s as SpecJson).kind, params: ((s as SpecJson).params ?? {}) as Record<string, Json> };
}

/**
 * A column transformer spec from `{ branchName: [selector, ...steps], remainder? }` (see the
 * module comment). `options.verboseNames` (default true) prefixes output names.
 * @example
 * ```ts
 * const prep = columns({
 *   num: [{ kind: "numeric" }, simpleImputer({ strategy: "median" }), standardScaler()],
 *   cat: [["city", "plan"], oneHot({ handleUnknown: "ignore" })],
 *   remainder: "passthrough",
 * });
 * const model = await pipeline(prep, logistic()).fit(frame, { target: "Status" });
 * ```
 */
export function columns(branches: Record<string, BranchInput | "drop" | "passthrough">, options: { verboseNames?: boolean; remainder?: "drop" | "passthrough" } = {}): Spec<ColumnTransformer> {
  let remainder = options.remainder ?? "drop";
  const list: BranchJson[] = [];
  for (const [name, value] of Object.entries(branches)) {
    if (name === "remainder") {
      if (value !== "drop" && value !== "passthrough") {
        throw new InvalidInputError(`columns(): remainder must be "drop" or "passthrough", got ${show(value)}`, { path: "column-transformer.remainder", expected: '"drop" | "passthrough"', received: value });
      }
      remainder = value;
      continue;
    }
    if (!Array.isArray(value) || value.length === 0) {
      throw new InvalidInputError(`columns(): branch ${show(name)} must be [selector, ...steps]`, { path: `column-transformer.branches.${name}`, expected: "[selector, ...steps]", received: value });
    }
    const [selector, ...steps] = value as unknown as BranchInput;
    let cols: string[] | null = null;
    let kinds: ColumnKind[] | null = null;
    if (typeof selector === "string") cols = [selector];
    else if (Array.isArray(selector)) cols = [...(selector as string[])];
    else if (selector && typeof selector === "object" && "kind" in selector) kinds = Array.isArray(selector.kind) ? [...(selector.kind as ColumnKind[])] : [selector.kind as ColumnKind];
    else {
      throw new InvalidInputError(`columns(): branch ${show(name)}: the selector must be a column name, a list of names or { kind }`, { path: `column-transformer.branches.${name}`, received: selector });
    }
    list.push({ name, columns: cols, kinds, steps: steps.map(stepJson) });
  }
  return columnTransformer({ branches: list as unknown as Json, remainder, verboseNames: options.verboseNames ?? true });
}
