/**
 * project/: keel.yaml (its Zod schema, loading with line numbers, `keel init`) and the model
 * catalog. This file is the folder's public surface.
 */
export { MODEL_NAMES, catalogLookup, expandBaseline, modelSpec, parseModelSet, trainingSpec } from "./catalog.js";
export { keelYamlJsonSchemaText } from "./config-schema.js";
export { checkColumns, loadProject, parseProjectText } from "./config.js";
export type { ModelEntry, Project, ProjectConfig, ServeBlock, ThresholdRule, TuneConfig } from "./config.js";
export { chooseTarget, initProjectYaml } from "./init.js";
