export * from "./column.js";
export * from "./frame.js";
export * from "./frame-hash.js";
export * from "./io/index.js";
export * from "./schema/index.js";
export * from "./profile/index.js";
export * from "./split/index.js";
export * from "./target-task.js";
