/** The `base` parameter of the calibration wrappers: a `{ kind, params }` spec of a registered classifier kind. */
import { show, type Json } from "../../core/index.js";
import { estimatorDefinition, specFromJson, type SpecJson } from "../../estimator/index.js";

/** null when `v` is a valid classifier spec, else what was expected (for `jsonParam`). */
export function checkClassifierSpec(v: Json): string | null {
  if (!v || typeof v !== "object" || Array.isArray(v) || typeof (v as { kind?: unknown }).kind !== "string") return "a classifier spec { kind, params }";
  try {
    const spec = specFromJson(v as unknown as SpecJson);
    if (estimatorDefinition(spec.kind).role !== "classifier") return `a classifier spec (${show(spec.kind)} is no classifier)`;
  } catch (e) {
    return `a valid classifier spec (${(e as Error).message})`;
  }
  return null;
}
