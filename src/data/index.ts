/**
 * data/: the in-memory frame and its columns, content hashes, and the target's task. Its heavy
 * parts are surfaces of their own, imported where they are needed: `data/io/` (readers and
 * writers, DuckDB), `data/schema/` (the data contract), `data/profile/` and `data/split/`.
 */
export * from "./column.js";
export * from "./frame.js";
export * from "./frame-hash.js";
export * from "./target-task.js";
