/**
 * `pipeline(...steps, model?)`: transformers chained, optionally ending in a model, fitted and
 * saved as one object (scikit-learn's `Pipeline`).
 *
 * Fitting: each transformer is fitted on the previous step's *training output* (`fitTransform`
 * — the cross-fitted encoding for a target encoder, `transform` otherwise) with the target
 * column carried along, then the model (if any) is fitted on the last output. Fitting the whole
 * pipeline inside each cross-validation fold is what keeps preprocessing from leaking.
 *
 * The fitted pipeline is a `Transformer` (kind "pipeline", no model), a `Classifier` (kind
 * "pipeline-classifier") or a `Regressor` ("pipeline-regressor"); `pipeline()` picks the kind
 * from the last step's role, so each kind has one fixed role. Parameters are
 * `{ steps: [{ kind, params }, ...] }` (specs as JSON, rebuilt with `specFromJson`). Input is
 * checked and aligned against the columns seen at fit (a missing column is SCHEMA_MISMATCH
 * naming it). Saved with one child artifact per step (`step0`, `step1`, ...).
 *
 * Every step receives the fit's options: the target column, sample weights (the standard scaler
 * and models use them; the other transformers ignore them, as scikit-learn's do), the abort
 * signal, and its own generator forked in step order from the caller's. A `validation` frame is
 * passed through each fitted transformer before it reaches the model (for early stopping).
 */
import { CancelledError, InvalidInputError, show, type Json } from "../core/index.js";
import type { CategoricalColumn, Frame } from "../data/index.js";
import { type EstimatorDefinition, defineEstimator, estimatorDefinition, fittedFromArtifact, specFromJson, jsonParam, alignInput, inputSignature, type Classifier, type FitOptions, type Fitted, type ModelArtifact, type Regressor, type Signature, type SignatureColumn, type Spec, type SpecJson, type Transformer, isClassifier, isRegressor, isTransformer } from "../estimator/index.js";
import { FEATURES_STATE_VERSION, StateReader } from "./state.js";
import { fitTransform, setTrainingOutput, takeTrainingOutput } from "./training-output.js";
import { composeSources } from "./provenance.js";

/** Check a `steps` parameter: a list of `{ kind, params }` specs of registered kinds. */
export function checkSteps(v: Json): string | null {
  if (!Array.isArray(v)) return "a list of { kind, params } step specs";
  for (let i = 0; i < v.length; i++) {
    const s = v[i];
    if (!s || typeof s !== "object" || Array.isArray(s) || typeof s.kind !== "string") return `a list of { kind, params } step specs (step ${i} is ${show(s)})`;
    try {
      specFromJson(s as { kind: string; params?: Record<string, unknown> });
    } catch (e) {
      return `valid step specs (step ${i}: ${(e as Error).message})`;
    }
  }
  return null;
}

function roleOf(step: Json): string {
  return estimatorDefinition((step as { kind: string }).kind).role;
}

/** Transformers carry the target column from one step to the next while fitting. */
export function withTarget(output: Frame, source: Frame, target: string | undefined): Frame {
  if (!target || !source.has(target)) return output;
  if (output.has(target)) {
    throw new InvalidInputError(`a transformer output a column named ${show(target)}, the name of the target`, { path: target, expected: "feature names different from the target" });
  }
  return output.withColumn(target, source.column(target));
}

/** Options for step `i`: the caller's, with the step's own generator forked from the caller's. */
function stepOptions(options: FitOptions, validation?: Frame): FitOptions {
  return { ...options, rng: options.rng?.fork(), validation };
}

interface ChainResult {
  steps: Transformer[];
  /** Training output of the last transformer, with the target attached (computed on the first call). */
  output: () => Frame;
  crossFitted: boolean;
  validation?: Frame;
}

/**
 * Fit transformer specs one after another. The last step's training output is computed only
 * when asked (`output()`); earlier ones are needed to fit the next step.
 */
async function fitChain(specs: readonly Spec[], data: Frame, options: FitOptions, needLast: boolean): Promise<ChainResult> {
  const steps: Transformer[] = [];
  let cur = data;
  let crossFitted = false;
  let validation = options.validation;
  for (let i = 0; i < specs.length; i++) {
    if (options.signal?.aborted) throw new CancelledError("pipeline fit cancelled");
    const last = i === specs.length - 1;
    if (!last || needLast) {
      const r = await fitTransform(specs[i], cur, stepOptions(options));
      steps.push(r.fitted);
      crossFitted ||= r.crossFitted;
      if (validation) validation = withTarget(r.fitted.transform(validation), validation, options.target);
      cur = withTarget(r.output, cur, options.target);
    } else {
      const f = await specs[i].fit(cur, stepOptions(options));
      if (!isTransformer(f)) throw new InvalidInputError(`${specs[i].kind} is not a transformer; only the last step of a pipeline may be a model`, { path: specs[i].kind });
      steps.push(f);
      const special = takeTrainingOutput(f);
      const input = cur;
      const out = () => withTarget(special ? special() : f.transform(input), input, options.target);
      return { steps, output: out, crossFitted: crossFitted || special !== undefined, validation };
    }
  }
  const done = cur;
  return { steps, output: () => done, crossFitted, validation };
}

/**
 * Whether `data` already is what `alignInput(inputs, data)` would return: the same columns in the
 * same order, of the same kinds, categorical ones over the training dictionary (equal labels in
 * order, so the codes need no remapping). Then the copy is skipped — a pipeline inside a
 * column-transformer receives columns its parent has just aligned, and serving one row pays for
 * every copy.
 */
function isAligned(inputs: readonly SignatureColumn[], data: Frame): boolean {
  if (data.nCols !== inputs.length) return false;
  let j = 0;
  for (const name of data.names) {
    const spec = inputs[j++];
    if (spec.name !== name) return false;
    const c = data.column(name);
    if (c.kind !== spec.kind) return false;
    if (c.kind === "categorical") {
      const want = spec.categories ?? [];
      const have = (c as CategoricalColumn).categories;
      if (have !== want) {
        if (have.length !== want.length) return false;
        for (let k = 0; k < want.length; k++) if (have[k] !== want[k]) return false;
      }
    }
  }
  return true;
}

/** What every fitted pipeline shares. */
abstract class FittedPipelineBase implements Fitted {
  readonly spec: Spec;
  abstract readonly signature: Signature;
  /** The fitted steps, in order (the model last, when there is one). */
  readonly steps: readonly Fitted[];
  protected readonly inputs: SignatureColumn[];
  protected readonly target: string | null;

  constructor(spec: Spec, steps: Fitted[], inputs: SignatureColumn[], target: string | null) {
    this.spec = spec;
    this.steps = Object.freeze([...steps]);
    this.inputs = inputs;
    this.target = target;
  }

  protected abstract get transformers(): readonly Transformer[];

  /** The input column each feature the last transformer outputs (the model's input) comes from. */
  get featureSources(): string[] {
    return composeSources(this.inputs.map((c) => c.name), this.transformers);
  }

  /** The features the last transformer outputs (the model's input), for `data`. */
  features(data: Frame): Frame {
    let cur = isAligned(this.inputs, data) ? data : alignInput(this.inputs, data, { ignore: this.target === null ? [] : [this.target] });
    for (const t of this.transformers) cur = t.transform(cur);
    return cur;
  }

  save(): ModelArtifact {
    const children: Record<string, ModelArtifact> = {};
    this.steps.forEach((s, i) => (children[`step${i}`] = s.save()));
    return {
      kind: this.spec.kind,
      params: this.spec.toJSON().params,
      signature: this.signature,
      state: { version: FEATURES_STATE_VERSION, target: this.target, steps: this.steps.length },
      buffers: {},
      children,
    };
  }
}

/**
 * A fitted pipeline of transformers only.
 * @example
 * ```ts
 * const prep = (await pipeline(simpleImputer(), standardScaler()).fit(frame)) as TransformerPipeline;
 * const features = prep.transform(frame);
 * ```
 */
export class TransformerPipeline extends FittedPipelineBase implements Transformer {
  readonly signature: Signature;
  readonly featureNames: readonly string[];

  constructor(spec: Spec, steps: Transformer[], inputs: SignatureColumn[], target: string | null) {
    super(spec, steps, inputs, target);
    const last = steps.at(-1);
    this.featureNames = Object.freeze(last ? [...last.featureNames] : inputs.map((c) => c.name));
    const out = last?.signature.output;
    this.signature = { inputs, output: { type: "frame", columns: out && out.type === "frame" ? out.columns : inputs } };
  }

  protected get transformers(): readonly Transformer[] {
    return this.steps as Transformer[];
  }

  transform(data: Frame): Frame {
    return this.features(data);
  }
}

/**
 * A fitted pipeline ending in a classifier.
 * @example
 * ```ts
 * const model = await pipeline(oneHot(), logistic()).fit(frame, { target: "Status" });
 * const proba = model.predictProba(frame);
 * ```
 */
export class ClassifierPipeline extends FittedPipelineBase implements Classifier {
  readonly task = "classification" as const;
  readonly signature: Signature;
  readonly classes: readonly string[];
  private readonly model: Classifier;

  constructor(spec: Spec, steps: Fitted[], inputs: SignatureColumn[], target: string | null) {
    super(spec, steps, inputs, target);
    const model = steps.at(-1);
    if (!model || !isClassifier(model)) throw new InvalidInputError(`${spec.kind}: the last step must be a classifier`, { path: `${spec.kind}.steps` });
    this.model = model;
    this.classes = model.classes;
    this.signature = { inputs, output: model.signature.output };
  }

  protected get transformers(): readonly Transformer[] {
    return this.steps.slice(0, -1) as Transformer[];
  }

  predict(data: Frame): CategoricalColumn {
    return this.model.predict(this.features(data));
  }

  predictProba(data: Frame): Float64Array {
    return this.model.predictProba(this.features(data));
  }
}

/**
 * A fitted pipeline ending in a regressor.
 * @example
 * ```ts
 * const model = await pipeline(oneHot(), ridge({ alpha: 1 })).fit(frame, { target: "price" });
 * const predicted = model.predict(frame);
 * ```
 */
export class RegressorPipeline extends FittedPipelineBase implements Regressor {
  readonly task = "regression" as const;
  readonly signature: Signature;
  private readonly model: Regressor;

  constructor(spec: Spec, steps: Fitted[], inputs: SignatureColumn[], target: string | null) {
    super(spec, steps, inputs, target);
    const model = steps.at(-1);
    if (!model || !isRegressor(model)) throw new InvalidInputError(`${spec.kind}: the last step must be a regressor`, { path: `${spec.kind}.steps` });
    this.model = model;
    this.signature = { inputs, output: model.signature.output };
  }

  protected get transformers(): readonly Transformer[] {
    return this.steps.slice(0, -1) as Transformer[];
  }

  predict(data: Frame): Float64Array {
    return this.model.predict(this.features(data));
  }
}

/** Any fitted pipeline. */
export type FittedPipeline = TransformerPipeline | ClassifierPipeline | RegressorPipeline;

function stepSpecs(params: Readonly<Record<string, Json>>): Spec[] {
  return (params.steps as unknown as SpecJson[]).map((s) => specFromJson(s));
}

function loadSteps(artifact: ModelArtifact): { steps: Fitted[]; inputs: SignatureColumn[]; target: string | null } {
  const r = new StateReader(artifact);
  const n = r.number("steps");
  const expected = (artifact.params?.steps as unknown as SpecJson[] | undefined)?.length;
  if (!Number.isInteger(n) || n < 0 || n !== expected) throw r.corrupt("state.steps", n, `the number of steps in params (${expected})`);
  const steps: Fitted[] = [];
  for (let i = 0; i < n; i++) {
    const child = r.child(`step${i}`);
    const want = (artifact.params.steps as unknown as SpecJson[])[i].kind;
    if (child.kind !== want) throw r.corrupt(`children.step${i}.kind`, child.kind, show(want));
    steps.push(fittedFromArtifact(child));
  }
  const inputs = r.inputs();
  const target = r.stringOrNull("target");
  // each step takes columns the one before it outputs (the first: the pipeline's inputs)
  let available = new Set(inputs.map((c) => c.name));
  steps.forEach((step, i) => {
    for (const c of step.signature.inputs) {
      if (!available.has(c.name) && c.name !== target) throw r.corrupt(`children.step${i}.signature.inputs`, c.name, i === 0 ? "an input of the pipeline" : `an output of step ${i - 1}`);
    }
    if (isTransformer(step)) available = new Set(step.featureNames);
  });
  return { steps, inputs, target };
}

const STEPS_DOC = "the steps as { kind, params } specs, in order";

function rolesCheck(kind: string, last: "transformer" | "classifier" | "regressor") {
  return (params: Readonly<Record<string, Json>>): string | null => {
    const steps = params.steps as Json[];
    if (last !== "transformer" && steps.length === 0) return `parameter "steps" needs at least the ${last}`;
    for (let i = 0; i < steps.length; i++) {
      const want = i === steps.length - 1 ? last : "transformer";
      const role = roleOf(steps[i]);
      if (role !== want) {
        const k = (steps[i] as { kind: string }).kind;
        return i === steps.length - 1 && last === "transformer"
          ? `parameter "steps": step ${i} (${k}) is a ${role}; use pipeline(...) so the pipeline kind follows the final model`
          : `parameter "steps": step ${i} (${k}) is a ${role}, ${kind} needs a ${want} there`;
      }
    }
    return null;
  };
}

/**
 * Spec factory for "pipeline" (transformers only); usually built with `pipeline(...)`.
 * @example
 * ```ts
 * const spec = transformerPipeline({ steps: [simpleImputer().toJSON(), standardScaler().toJSON()] });
 * ```
 */
export const transformerPipeline = defineEstimator<TransformerPipeline>({
  kind: "pipeline",
  role: "transformer",
  doc: "Transformers applied in order, fitted and saved as one transformer",
  schema: { steps: jsonParam(checkSteps).default([]).describe(STEPS_DOC) },
  checkParams: rolesCheck("pipeline", "transformer"),
  async fit(params, data, options, spec) {
    const chain = await fitChain(stepSpecs(params), data, options, false);
    const fitted = new TransformerPipeline(spec, chain.steps, inputSignature(data, options.target), options.target ?? null);
    if (chain.crossFitted) {
      const target = options.target;
      setTrainingOutput(fitted, () => {
        const out = chain.output();
        return target && out.has(target) ? out.drop([target]) : out;
      });
    }
    return fitted;
  },
  load(artifact, spec) {
    const { steps, inputs, target } = loadSteps(artifact);
    if (!steps.every(isTransformer)) throw new InvalidInputError(`${artifact.kind} artifact is corrupt: a step is not a transformer`, { path: artifact.kind });
    return new TransformerPipeline(spec, steps as Transformer[], inputs, target);
  },
});

async function fitWithModel(params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions): Promise<{ steps: Fitted[] }> {
  const specs = stepSpecs(params);
  const model = specs.pop()!;
  const chain = await fitChain(specs, data, options, true);
  if (options.signal?.aborted) throw new CancelledError("pipeline fit cancelled");
  const fitted = await model.fit(chain.output(), stepOptions(options, chain.validation));
  return { steps: [...chain.steps, fitted] };
}

/**
 * Spec factory for "pipeline-classifier": transformers then a classifier; usually via `pipeline(...)`.
 * @example
 * ```ts
 * const spec = classifierPipeline({ steps: [oneHot().toJSON(), logistic().toJSON()] });
 * ```
 */
export const classifierPipeline = defineEstimator<ClassifierPipeline>({
  kind: "pipeline-classifier",
  role: "classifier",
  needsTarget: true,
  doc: "Transformers then a classifier, fitted and saved as one classifier",
  schema: { steps: jsonParam(checkSteps).default([]).describe(STEPS_DOC) },
  checkParams: rolesCheck("pipeline-classifier", "classifier"),
  async fit(params, data, options, spec) {
    const { steps } = await fitWithModel(params, data, options);
    return new ClassifierPipeline(spec, steps, inputSignature(data, options.target), options.target ?? null);
  },
  load(artifact, spec) {
    const { steps, inputs, target } = loadSteps(artifact);
    return new ClassifierPipeline(spec, steps, inputs, target);
  },
});

/**
 * Spec factory for "pipeline-regressor": transformers then a regressor; usually via `pipeline(...)`.
 * @example
 * ```ts
 * const spec = regressorPipeline({ steps: [oneHot().toJSON(), ridge().toJSON()] });
 * ```
 */
export const regressorPipeline = defineEstimator<RegressorPipeline>({
  kind: "pipeline-regressor",
  role: "regressor",
  needsTarget: true,
  doc: "Transformers then a regressor, fitted and saved as one regressor",
  schema: { steps: jsonParam(checkSteps).default([]).describe(STEPS_DOC) },
  checkParams: rolesCheck("pipeline-regressor", "regressor"),
  async fit(params, data, options, spec) {
    const { steps } = await fitWithModel(params, data, options);
    return new RegressorPipeline(spec, steps, inputSignature(data, options.target), options.target ?? null);
  },
  load(artifact, spec) {
    const { steps, inputs, target } = loadSteps(artifact);
    return new RegressorPipeline(spec, steps, inputs, target);
  },
});

/** A step given to `pipeline()`: a spec or its JSON form. */
export type StepInput = Spec | SpecJson | { kind: string; params?: Record<string, unknown> };

function stepJson(s: StepInput): SpecJson {
  if (s && typeof (s as Spec).toJSON === "function") return (s as Spec).toJSON();
  return specFromJson(s as SpecJson).toJSON();
}

/**
 * Chain transformer specs, optionally ending with a model spec, into one spec. The result's
 * kind follows the last step: "pipeline-classifier" / "pipeline-regressor" when it is a model,
 * "pipeline" otherwise. With no steps, the pipeline passes its input through.
 * @example
 * ```ts
 * const model = await pipeline(simpleImputer(), standardScaler(), logistic({ C: 0.5 })).fit(frame, { target: "Status" });
 * ```
 */
export function pipeline(...steps: [...StepInput[], Spec<Classifier>]): Spec<ClassifierPipeline>;
export function pipeline(...steps: [...StepInput[], Spec<Regressor>]): Spec<RegressorPipeline>;
export function pipeline(...steps: StepInput[]): Spec<FittedPipeline>;
export function pipeline(...steps: StepInput[]): Spec<FittedPipeline> {
  const json = steps.map(stepJson);
  const last = json.at(-1);
  const role = last ? (estimatorDefinition(last.kind) as EstimatorDefinition<Fitted>).role : "transformer";
  if (role === "classifier") return classifierPipeline({ steps: json as unknown as Json });
  if (role === "regressor") return regressorPipeline({ steps: json as unknown as Json });
  return transformerPipeline({ steps: json as unknown as Json });
}
