/**
 * The wire: the entities that cross between a `keel server` and its clients (runs, experiments,
 * metrics, registered models, versions, the audit log, lineage, monitoring windows) and their MLflow REST 2.0 JSON
 * codec. The server's routes encode with it and the HTTP client stores decode with it, so the two
 * cannot drift apart; the stores (track/, registry/) keep these entities and re-export them.
 */
export * from "./tracking-entities.js";
export * from "./registry-entities.js";
export * from "./tracking-json.js";
export * from "./registry-json.js";
export * from "./monitor-entities.js";
export * from "./monitor-json.js";
