/**
 * Feature provenance: which input column each feature a fitted transformer outputs comes from
 * (a one-hot column from its categorical column, a missing indicator from the column it watches,
 * a date part from its date). Explanations use it to sum the attributions of an input column's
 * encoded parts into one value per input column, as SHAP users sum one-hot parts by hand.
 *
 * Every transformer in `features/` derives each output from one input column, so the answer is
 * one column name per output feature. Column-wise transformers know it from their plans, column
 * transformers from their branches, pipelines by composing their steps.
 */
import { InvalidInputError, show } from "../core/index.js";
import type { Transformer } from "../estimator/index.js";

/** A transformer that states its features' input columns. */
export interface HasFeatureSources {
  /** The input column each output feature comes from, in `featureNames` order. */
  readonly featureSources: readonly string[];
}

function statesSources(t: unknown): t is HasFeatureSources {
  return Array.isArray((t as HasFeatureSources | null)?.featureSources);
}

/**
 * The input column of each of `t`'s output features, in `featureNames` order. A transformer of
 * another library that does not state them is accepted when every output keeps an input's name
 * (it passes columns through); otherwise the provenance is unknown and this throws.
 * @example
 * ```ts
 * const prep = await oneHot().fit(frame);
 * featureSources(prep); // the input column of each output feature, e.g. "city" for "city_Oslo"
 * ```
 */
export function featureSources(t: Transformer): readonly string[] {
  if (statesSources(t)) return t.featureSources;
  const inputs = new Set(t.signature.inputs.map((c) => c.name));
  const unknown = t.featureNames.find((f) => !inputs.has(f));
  if (unknown !== undefined) {
    throw new InvalidInputError(`${t.spec.kind} does not say which input column its feature ${show(unknown)} comes from`, {
      path: `${t.spec.kind}.featureSources`,
      expected: "a transformer that states its feature sources (every transformer in Keel's features/ does)",
      received: unknown,
    });
  }
  return [...t.featureNames];
}

/**
 * Provenance through steps run in order: each step's sources looked up in the previous step's.
 * @example
 * ```ts
 * const sources = composeSources(frame.names, [imputer, encoder]);
 * ```
 */
export function composeSources(inputs: readonly string[], steps: readonly Transformer[]): string[] {
  let sourceOf = new Map(inputs.map((c) => [c, c]));
  let names: readonly string[] = inputs;
  for (const step of steps) {
    const sources = featureSources(step);
    const next = new Map<string, string>();
    step.featureNames.forEach((f, j) => next.set(f, sourceOf.get(sources[j]) ?? sources[j]));
    sourceOf = next;
    names = step.featureNames;
  }
  return names.map((f) => sourceOf.get(f)!);
}
