/**
 * The estimator registry: estimator kind → definition, so specs rebuild from JSON and saved models
 * load without running stored code (`specFromJson`, `loadModel`). It is filled explicitly — by an
 * entry point (the package root, the CLI, a worker task module) calling `registerEstimators` with
 * the lists that `models/` and `features/` export — never by the side effect of importing a
 * model's module. A source may be a function that imports the lists when first needed
 * (`loadEstimators()`), so an entry point can promise every kind without loading model code
 * until a model is actually built or loaded (a fully cached `keel run` loads none).
 */
import { NotFoundError, show, type Json } from "../core/index.js";
import type { Frame } from "../data/index.js";
import type { ParamSchema } from "./params.js";
import type { FitOptions, Fitted, ModelArtifact, Spec } from "./types.js";

/** What an estimator is: a transformer (frame → frame) or a model. */
export type EstimatorRole = "transformer" | "classifier" | "regressor";

/** What `defineEstimator` declares: one estimator kind, its parameters, how it fits and loads. */
export interface EstimatorDefinition<F extends Fitted> {
  /** Stable name, kebab-case ("standard-scaler", "logistic", "gbdt-classifier"). */
  kind: string;
  role: EstimatorRole;
  schema: ParamSchema;
  /** One line for `--help` and catalogs. */
  doc: string;
  /** Does fitting need `options.target`? (models: yes; most transformers: no) */
  needsTarget?: boolean;
  /** Extra checks across parameters (e.g. l1Ratio only with elasticnet); return problems as messages. */
  checkParams?: (params: Readonly<Record<string, Json>>) => string | null;
  fit(params: Readonly<Record<string, Json>>, data: Frame, options: FitOptions, spec: Spec<F>): Promise<F>;
  load(artifact: ModelArtifact, spec: Spec<F>): F;
}

/** A definition of any fitted type, as the registry holds it. */
export type AnyEstimatorDefinition = EstimatorDefinition<Fitted>;

/** A definition, or a spec factory from `defineEstimator` (which carries its definition). */
export type EstimatorEntry = EstimatorDefinition<any> | { readonly definition: EstimatorDefinition<any> };

/** What `registerEstimators` takes: entries now, or a function that imports them when first needed. */
export type EstimatorSource = readonly EstimatorEntry[] | (() => Promise<readonly EstimatorEntry[]>);

const registry = new Map<string, AnyEstimatorDefinition>();
let sources: (() => Promise<readonly EstimatorEntry[]>)[] = [];
let loading: Promise<void> | null = null;

function definitionOf(e: EstimatorEntry): AnyEstimatorDefinition {
  return ("definition" in e ? e.definition : e) as AnyEstimatorDefinition;
}

/**
 * Make estimator kinds known to `specFromJson`, `fittedFromArtifact` and `loadModel`. Entries are
 * registered at once; a function is kept and called by the next `loadEstimators()`. Registering
 * the same definition again is a no-op; another definition under a kind already taken throws.
 *
 * @example
 * import { FEATURE_ESTIMATORS, MODEL_ESTIMATORS, registerEstimators } from "keel";
 * registerEstimators([...MODEL_ESTIMATORS, ...FEATURE_ESTIMATORS, myEstimator]);
 */
export function registerEstimators(source: EstimatorSource): void {
  if (typeof source === "function") {
    sources.push(source);
    return;
  }
  for (const e of source) {
    const def = definitionOf(e);
    const had = registry.get(def.kind);
    if (had && had !== def) throw new Error(`estimator kind ${def.kind} is registered twice, with two different definitions`);
    registry.set(def.kind, def);
  }
}

/**
 * Call the sources `registerEstimators` was given as functions (once each) and register what they
 * return. Code that is about to rebuild specs or load models awaits it; it is cheap when nothing
 * is pending.
 * @example
 * ```ts
 * await loadEstimators();
 * const spec = specFromJson({ kind: "logistic", params: { C: 0.5 } });
 * ```
 */
export function loadEstimators(): Promise<void> {
  if (sources.length === 0) return loading ?? Promise.resolve();
  const todo = sources;
  sources = [];
  const before = loading ?? Promise.resolve();
  loading = before.then(async () => {
    for (const list of await Promise.all(todo.map((f) => f()))) registerEstimators(list);
  });
  return loading;
}

/**
 * The definition of a kind; NOT_FOUND names the kind and lists the known kinds.
 * @example
 * ```ts
 * estimatorDefinition("logistic").doc; // one line describing the kind
 * ```
 */
export function estimatorDefinition(kind: string): AnyEstimatorDefinition {
  const def = registry.get(kind);
  if (!def) {
    const known = knownKindsText();
    throw new NotFoundError(`unknown estimator kind ${show(kind)}; ${known}`, { path: "kind", expected: "a registered estimator kind", received: kind });
  }
  return def;
}

/** "known kinds: a, b, c", or what to do when nothing is registered (for error messages). */
export function knownKindsText(): string {
  if (registry.size > 0) return `known kinds: ${[...registry.keys()].sort().join(", ")}`;
  return `no estimator kind is registered${sources.length > 0 ? " yet (await loadEstimators() first)" : " (an entry point calls registerEstimators with MODEL_ESTIMATORS and FEATURE_ESTIMATORS)"}`;
}

/**
 * All registered definitions (for catalogs, CLI help, artifact checks and the conformance suite).
 * @example
 * ```ts
 * for (const d of estimatorDefinitions()) console.log(d.kind, d.role);
 * ```
 */
export function estimatorDefinitions(): AnyEstimatorDefinition[] {
  return [...registry.values()];
}
