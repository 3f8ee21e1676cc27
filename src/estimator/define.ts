/**
 * `defineEstimator`: how every transformer and model is declared. One declaration gives a spec
 * factory (`gbdt({ maxLeaves: 31 })`), parameter validation, the definition an entry point
 * registers by kind (`registry.ts`: specs rebuild from JSON and artifacts load without running
 * code), and the checks every fit shares.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { CorruptModelError, InvalidInputError, show, emit, type Json } from "../core/index.js";
import type { Frame } from "../data/index.js";
import { resolveParams } from "./params.js";
import { type AnyEstimatorDefinition, type EstimatorDefinition, estimatorDefinition } from "./registry.js";
import type { FitOptions, Fitted, ModelArtifact, Spec, SpecJson, Transformer } from "./types.js";

export type { AnyEstimatorDefinition, EstimatorDefinition, EstimatorEntry, EstimatorRole, EstimatorSource } from "./registry.js";
export { estimatorDefinition, estimatorDefinitions, loadEstimators, registerEstimators } from "./registry.js";

/**
 * Declare an estimator; returns its spec factory, with the definition attached (`.definition`).
 * Declaring registers nothing: the folder's list (`MODEL_ESTIMATORS`, `FEATURE_ESTIMATORS`) names
 * it, and an entry point registers the lists (`registerEstimators`).
 *
 * @example
 * ```ts
 * const meanRegressor = defineEstimator<Regressor>({
 *   kind: "my-mean-regressor",
 *   role: "regressor",
 *   schema: {},
 *   doc: "predicts the training mean",
 *   needsTarget: true,
 *   async fit(_params, data, options, spec) { throw new Error("left out of this example"); },
 *   load(artifact, spec) { throw new Error("left out of this example"); },
 * });
 * registerEstimators([meanRegressor.definition]);
 * const model = await meanRegressor().fit(frame, { target: "price" });
 * ```
 */
export function defineEstimator<F extends Fitted>(def: EstimatorDefinition<F>): ((params?: Record<string, unknown>) => Spec<F>) & { definition: EstimatorDefinition<F> } {
  const factory = (params: Record<string, unknown> = {}) => makeSpec(def, params);
  return Object.assign(factory, { definition: def });
}

/**
 * Rebuild a spec from its JSON form (`{ kind, params }`).
 * @example
 * ```ts
 * const spec = specFromJson({ kind: "logistic", params: { C: 0.5 } });
 * ```
 */
export function specFromJson(json: SpecJson | { kind: string; params?: Record<string, unknown> }): Spec {
  if (!json || typeof json !== "object" || typeof json.kind !== "string") {
    throw new InvalidInputError(`not an estimator spec: ${show(json)}`, { expected: "{ kind, params }", received: json });
  }
  return makeSpec(estimatorDefinition(json.kind), json.params ?? {});
}

/**
 * A fitted estimator from its artifact: dispatch on `kind`, never executes stored code.
 * @example
 * ```ts
 * const copy = fittedFromArtifact(model.save());
 * ```
 */
export function fittedFromArtifact(artifact: ModelArtifact): Fitted {
  const def = estimatorDefinition(artifact.kind);
  const spec = makeSpec(def, artifact.params);
  const fitted = def.load(artifact, spec);
  checkLoadedNames(artifact, fitted);
  return fitted;
}

/**
 * What a loaded estimator computes from its state must be what its artifact's signature says:
 * the same input names, and for a transformer the same output names (a renamed category of an
 * encoder, a dropped branch, would otherwise only surface downstream).
 */
function checkLoadedNames(artifact: ModelArtifact, fitted: Fitted): void {
  const saved = artifact.signature;
  const names = (cols: readonly { name: string }[]) => cols.map((c) => c.name);
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(names(saved.inputs), names(fitted.signature.inputs))) {
    throw new CorruptModelError(`${artifact.kind}: signature.inputs is ${show(names(saved.inputs))}, expected ${show(names(fitted.signature.inputs))}, what its state takes`, { path: "signature.inputs" });
  }
  const out = saved.output;
  const featureNames = (fitted as Partial<Transformer>).featureNames;
  if (out.type === "frame" && featureNames && !same(names(out.columns), featureNames)) {
    throw new CorruptModelError(`${artifact.kind}: signature.output.columns is ${show(names(out.columns))}, expected ${show(featureNames)}, what its state outputs`, { path: "signature.output.columns" });
  }
  const computed = fitted.signature.output;
  if (out.type === "frame" && computed.type === "frame") {
    const kinds = (cols: readonly { kind: string }[]) => cols.map((c) => c.kind);
    if (!same(kinds(out.columns), kinds(computed.columns))) {
      throw new CorruptModelError(`${artifact.kind}: signature.output.columns have kinds ${show(kinds(out.columns))}, expected ${show(kinds(computed.columns))}, what its state outputs`, { path: "signature.output.columns" });
    }
  }
}

const fitDepth = new AsyncLocalStorage<number>();

function makeSpec<F extends Fitted>(def: EstimatorDefinition<F>, given: Record<string, unknown>): Spec<F> {
  const params = deepFreeze(resolveParams(def.kind, def.schema, given));
  const extra = def.checkParams?.(params);
  if (extra) throw new InvalidInputError(`${def.kind}: ${extra}`, { path: def.kind, received: given });
  const spec: Spec<F> = {
    kind: def.kind,
    params,
    async fit(data: Frame, options: FitOptions = {}): Promise<F> {
      checkFitInput(def, data, options);
      const depth = fitDepth.getStore() ?? 0;
      if (depth === 0) emit({ type: "params", params: { model: def.kind, ...flattenParams(params) } });
      return fitDepth.run(depth + 1, () => def.fit(params, data, options, spec));
    },
    with(changes: Record<string, unknown>): Spec<F> {
      return makeSpec(def, { ...params, ...changes });
    },
    toJSON(): SpecJson {
      return { kind: def.kind, params: JSON.parse(JSON.stringify(params)) };
    },
  };
  return Object.freeze(spec);
}

function checkFitInput(def: AnyEstimatorDefinition, data: Frame, options: FitOptions): void {
  if (data.nRows === 0) {
    throw new InvalidInputError(`${def.kind}: cannot fit on 0 rows`, { path: "data", expected: "at least 1 row", received: 0 });
  }
  if (def.needsTarget) {
    if (!options.target) throw new InvalidInputError(`${def.kind}: fitting needs a target column (options.target)`, { path: "target", expected: "a column name" });
    if (!data.has(options.target)) {
      throw new InvalidInputError(`${def.kind}: target column ${show(options.target)} is not in the data; columns are ${show(data.names, 200)}`, { path: "target", expected: `one of ${data.names.join(", ")}`, received: options.target });
    }
  }
  if (options.weights) {
    const w = options.weights;
    if (w.length !== data.nRows) {
      throw new InvalidInputError(`${def.kind}: ${w.length} sample weights for ${data.nRows} rows`, { path: "weights", expected: `${data.nRows} weights`, received: w.length });
    }
    for (let i = 0; i < w.length; i++) {
      if (!(w[i] >= 0) || !Number.isFinite(w[i])) {
        throw new InvalidInputError(`${def.kind}: sample weight ${show(w[i])} at row ${i} is not a finite number ≥ 0`, { path: `weights[${i}]`, expected: "a finite number ≥ 0", received: w[i] });
      }
    }
  }
}

/**
 * Nested params flattened to dotted keys, for logging (`steps.0.kind`).
 * @example
 * ```ts
 * flattenParams({ model: { C: 1 }, steps: [{ kind: "onehot" }] }); // { "model.C": 1, "steps.0.kind": "onehot" }
 * ```
 */
export function flattenParams(params: Readonly<Record<string, Json>>, prefix = ""): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(params)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) Object.assign(out, flattenParams(v as Record<string, Json>, key));
    else if (Array.isArray(v) && v.some((x) => x !== null && typeof x === "object")) {
      v.forEach((x, i) => {
        if (x !== null && typeof x === "object" && !Array.isArray(x)) Object.assign(out, flattenParams(x as Record<string, Json>, `${key}.${i}`));
        else out[`${key}.${i}`] = x;
      });
    } else out[key] = v;
  }
  return out;
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === "object") {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}
