/**
 * The model registry: registered models, versions from runs' model artifacts, aliases
 * (`champion`, `challenger`, ...), MLflow's stages, tags, lineage back to run/data/code, and an
 * append-only audit log of every change.
 */
export * from "./types.js";
export * from "./store.js";
export { checkAlias, checkModelName, checkVersion, canonicalStage } from "./validation.js";
export { SqlRegistryStore, type SqlRegistryStoreOptions } from "./sql/registry-store.js";
export { REGISTRY_MIGRATIONS } from "./sql/registry-schema.js";
export { SqliteRegistryStore, PostgresRegistryStore } from "./sql-registries.js";
export { openRegistry, registerRegistryScheme, type OpenRegistryOptions, type RegistryFactory } from "./open-registry.js";
export { getLineage, type Lineage, type LineageDataset } from "./lineage.js";
export { registerModel, type RegisterModelOptions } from "./register-model.js";
export * from "./remote/index.js";
