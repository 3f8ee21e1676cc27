/**
 * The model registry: registered models, versions from runs' model artifacts, aliases
 * (`champion`, `challenger`, ...), MLflow's stages, tags, lineage back to run/data/code, and an
 * append-only audit log of every change — over a SQL backend (`SqlRegistryStore`) or a
 * `keel server` (`RemoteRegistry`), opened with `openRegistry`. The registry entities are
 * defined with their wire format in `wire/` and re-exported here.
 */
export type { Stage, ModelVersionStatus, RegisteredModelTag, RegisteredModelAlias, ModelVersionTag, ModelVersion, RegisteredModel, AuditAction, AuditEntry, Lineage, LineageDataset } from "../wire/index.js";
export { STAGES } from "../wire/index.js";
export * from "./store.js";
export { checkAlias, checkModelName, checkVersion, canonicalStage } from "./validation.js";
export { SqlRegistryStore, type SqlRegistryStoreOptions } from "./sql/registry-store.js";
export { REGISTRY_MIGRATIONS } from "./sql/registry-schema.js";
export { RemoteRegistry } from "./remote-registry.js";
export { openRegistry, type OpenRegistryOptions } from "./open-registry.js";
export { getLineage } from "./lineage.js";
export { registerModel, type RegisterModelOptions } from "./register-model.js";
export { modelCard, type ModelCardFacts } from "./model-card.js";
export { verdict, verdictPasses, type Verdict } from "./verdict.js";
export { parseModelRef, resolveModelVersion, openModelRef, localModelDir, type ModelRef, type LocalModel } from "./model-ref.js";
export { evaluateGates, modelBytes, singleRowLatency, DEFAULT_GATES, type GatesConfig, type FairnessMetric, type GateResult, type GatesReport, type GateInputs } from "./gates.js";
export { promote, rollback, gatesAgainstChampion, withBeatsChampion, championHistory, loadTestSet, TEST_SET_ARTIFACT, CHAMPION, type PromoteOptions, type PromotionProblem, type PromotionResult, type RollbackResult } from "./gates-promote.js";
